import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/memory-io.js';
import { verifyCommand } from './verify.js';

const CURRENT = `interfaces:
  - name: eth1
    type: ethernet
    state: up
    mtu: 1500
    ipv4: {enabled: true, dhcp: true, address: [{ip: 192.0.2.77, prefix-length: 24}]}
`;

describe('nmfleet verify', () => {
  it('exits 0 when current shows desired (DHCP leases are not compared)', async () => {
    const io = memoryIo({ files: { 'c.yml': CURRENT, 'd.yml': 'interfaces:\n  - {name: eth1, type: ethernet, mtu: 1500, ipv4: {enabled: true, dhcp: true}}\n' } });
    expect(await verifyCommand.run(['--current', 'c.yml', '--desired', 'd.yml'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/^verified/);
  });

  it('exits 1 and lists each mismatch with its path', async () => {
    const io = memoryIo({ files: { 'c.yml': CURRENT, 'd.yml': 'interfaces:\n  - {name: eth1, type: ethernet, mtu: 9000}\n  - {name: eth2, type: ethernet}\n' } });
    expect(await verifyCommand.run(['-c', 'c.yml', '-d', 'd.yml'], io)).toBe(1);
    expect(io.out.join('')).toBe('interfaces[name=eth1].mtu: expected 9000, found 1500\nInterface eth2 is not found\n');
    const json = memoryIo({ files: { 'c.yml': CURRENT, 'd.yml': 'interfaces:\n  - {name: eth1, type: ethernet, mtu: 9000}\n' } });
    expect(await verifyCommand.run(['-c', 'c.yml', '-d', 'd.yml', '--json'], json)).toBe(1);
    expect(JSON.parse(json.out.join(''))).toEqual([{ path: 'interfaces[name=eth1].mtu', expected: 9000, actual: 1500, message: 'interfaces[name=eth1].mtu: expected 9000, found 1500' }]);
  });
});

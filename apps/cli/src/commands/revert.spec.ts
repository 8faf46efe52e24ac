import { parseState } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/memory-io.js';
import { createRevertCommand, grCommand, revertCommand } from './revert.js';
import type { ConnectBackend } from './show.js';

const CURRENT = `interfaces:
  - name: eth1
    type: ethernet
    state: up
    mtu: 1500
    ipv4: {enabled: true, dhcp: false, address: [{ip: 192.0.2.1, prefix-length: 24}]}
routes:
  config:
    - {destination: 198.51.100.0/24, next-hop-interface: eth1, next-hop-address: 192.0.2.254, table-id: 254}
`;
const DESIRED = `interfaces:
  - {name: eth1, type: ethernet, state: up, mtu: 9000}
  - {name: eth1.101, type: vlan, state: up, vlan: {base-iface: eth1, id: 101}}
routes:
  config:
    - {next-hop-interface: eth1, state: absent}
`;

function interfacesOf(text: string): unknown {
  const result = parseState(text);
  return result.ok ? result.state : result.issues;
}

describe('nmfleet revert / gr', () => {
  it('prints what undoes the desired state, as nmstatectl gr does', async () => {
    const io = memoryIo({ files: { 'c.yml': CURRENT, 'd.yml': DESIRED } });
    expect(await revertCommand.run(['--current', 'c.yml', '--desired', 'd.yml'], io)).toBe(0);
    expect(interfacesOf(io.out.join(''))).toEqual({
      routes: { config: [{ destination: '198.51.100.0/24', 'next-hop-interface': 'eth1', 'next-hop-address': '192.0.2.254', 'table-id': 254 }] },
      interfaces: [
        { name: 'eth1', type: 'ethernet', state: 'up', mtu: 1500 },
        { name: 'eth1.101', type: 'vlan', state: 'absent' },
      ],
    });
  });

  it('accepts nmstatectl gr arguments: -c CURRENT DESIRED', async () => {
    const io = memoryIo({ files: { 'c.yml': CURRENT, 'd.yml': DESIRED } });
    expect(await grCommand.run(['-c', 'c.yml', 'd.yml'], io)).toBe(0);
    expect(io.out.join('')).toContain('eth1.101');
    expect(grCommand.hidden).toBe(true);
  });

  it('reverts to what the host configures when --current is not given (running config, as nmstatectl gr)', async () => {
    const shown: unknown[] = [];
    const current = parseState(CURRENT);
    const connect: ConnectBackend = async () =>
      ({
        show: async (options: unknown) => {
          shown.push(options);
          return current.ok ? current.state : undefined;
        },
        close: async () => undefined,
      }) as unknown as Awaited<ReturnType<ConnectBackend>>;
    const io = memoryIo({ files: { 'd.yml': DESIRED } });
    expect(await createRevertCommand('gr', connect).run(['d.yml'], io)).toBe(0);
    expect(io.out.join('')).toContain('eth1.101');
    expect(shown).toEqual([{ runningConfig: true }]);
  });
});

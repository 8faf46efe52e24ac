import { describe, expect, it } from 'vitest';
import type { Plan } from '@nmfleet/planner';
import { memoryIo } from '../../test/memory-io.js';
import { planCommand } from './plan.js';

const CURRENT = `interfaces:
  - {name: eth1, type: ethernet, state: up}
  - {name: eth2, type: ethernet, state: up}
`;
const DESIRED = `interfaces:
  - {name: br0, type: linux-bridge, state: up, bridge: {port: [{name: bond0}]}}
  - {name: bond0, type: bond, state: up, link-aggregation: {mode: active-backup, port: [eth1, eth2]}}
routes:
  config:
    - {destination: 0.0.0.0/0, next-hop-interface: br0, next-hop-address: 192.0.2.1}
`;

describe('nmfleet plan', () => {
  it('prints the plan as JSON with every dependency before its dependent', async () => {
    const io = memoryIo({ files: { 'c.yml': CURRENT, 'd.yml': DESIRED } });
    expect(await planCommand.run(['--current', 'c.yml', '--desired', 'd.yml', '--json'], io)).toBe(0);
    const plan = JSON.parse(io.out.join('')) as Plan;
    const at = (kind: string, name: string): number => plan.operations.findIndex((o) => o.kind === kind && o.interface === name);
    expect(at('activate', 'br0')).toBeLessThan(at('activate', 'bond0'));
    expect(at('activate', 'bond0')).toBeLessThan(at('activate', 'eth1'));
    expect(at('activate', 'br0')).toBeLessThan(at('routes', 'br0'));
    plan.operations.forEach((op, i) => op.dependsOn.forEach((d) => expect(d).toBeLessThan(i)));
    expect(plan.operations.find((o) => o.kind === 'create-profile' && o.interface === 'bond0')?.merged).toMatchObject({ controller: 'br0' });
  });

  it('prints one numbered line per operation', async () => {
    const io = memoryIo({ files: { 'c.yml': CURRENT, 'd.yml': DESIRED } });
    expect(await planCommand.run(['-c', 'c.yml', 'd.yml'], io)).toBe(0);
    const lines = io.out.join('').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ ?0 {2}create-profile (bond0|br0)/);
    expect(lines.some((l) => /routes br0 \(linux-bridge\): add 0\.0\.0\.0\/0 {2}\(after/.test(l))).toBe(true);
  });

  it('says so when there is nothing to do', async () => {
    const io = memoryIo({ files: { 'c.yml': CURRENT } });
    expect(await planCommand.run(['-c', 'c.yml', 'c.yml'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/nothing to do/);
  });

  it('exits 1 with the planner message on contradictory input', async () => {
    const io = memoryIo({ files: { 'c.yml': CURRENT, 'd.yml': 'interfaces:\n  - {name: v1, type: vlan, vlan: {base-iface: eth9, id: 1}}\n' } });
    expect(await planCommand.run(['-c', 'c.yml', 'd.yml'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/stacked on 'eth9', which is neither in the current nor in the desired state/);
  });
});

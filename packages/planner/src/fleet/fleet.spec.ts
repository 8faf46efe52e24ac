import { describe, expect, it } from 'vitest';
import { isPlannerError } from '../errors.js';
import { findPolicyConflicts } from './policy-conflicts.js';
import { DEFAULT_MAX_UNAVAILABLE, resolveMaxUnavailable } from './max-unavailable.js';
import { orderPoliciesOnNode } from './order-policies.js';
import { selectNodes, type NodeLabels } from './select-nodes.js';

const nodes: NodeLabels[] = [
  { name: 'master-0', labels: { 'node-role.kubernetes.io/master': '', zone: 'a' } },
  { name: 'worker-0', labels: { 'node-role.kubernetes.io/worker': '', zone: 'a' } },
  { name: 'worker-1', labels: { 'node-role.kubernetes.io/worker': '', zone: 'b' } },
];

describe('selectNodes', () => {
  it('selects every node without a selector or with an empty one', () => {
    expect(selectNodes(undefined, nodes)).toHaveLength(3);
    expect(selectNodes({}, nodes)).toHaveLength(3);
  });
  it('requires every label to be equal', () => {
    expect(selectNodes({ 'node-role.kubernetes.io/worker': '' }, nodes).map((n) => n.name)).toEqual(['worker-0', 'worker-1']);
    expect(selectNodes({ 'node-role.kubernetes.io/worker': '', zone: 'b' }, nodes).map((n) => n.name)).toEqual(['worker-1']);
    expect(selectNodes({ zone: 'c' }, nodes)).toEqual([]);
  });
});

describe('resolveMaxUnavailable', () => {
  it.each([
    [undefined, 10, 5],
    [undefined, 3, 2],
    [undefined, 1, 1],
    ['50%', 7, 4],
    ['1%', 300, 3],
    ['0%', 10, 1],
    ['100%', 10, 10],
    [3, 10, 3],
    ['3', 10, 3],
    [0, 10, 1],
    [20, 10, 10],
    ['25%', 0, 0],
  ] as const)('%s of %i nodes → %i', (value, count, expected) => {
    expect(resolveMaxUnavailable(value, count)).toBe(expected);
  });
  it('defaults to 50%', () => expect(DEFAULT_MAX_UNAVAILABLE).toBe('50%'));
  it.each(['150%', -1, 'abc', '10.5%', 1.5, '-5%'] as const)('rejects %s with a clear error', (value) => {
    let caught: unknown;
    try {
      resolveMaxUnavailable(value, 10);
    } catch (e) {
      caught = e;
    }
    expect(isPlannerError(caught, 'invalid-rollout')).toBe(true);
    expect(String((caught as Error).message)).toMatch(/maxUnavailable/);
  });
});

describe('orderPoliciesOnNode', () => {
  it('orders by name', () => {
    expect(orderPoliciesOnNode([{ name: 'vlan' }, { name: 'Bond' }, { name: 'bond' }, { name: 'a-dns' }]).map((p) => p.name)).toEqual(['Bond', 'a-dns', 'bond', 'vlan']);
  });
});

describe('findPolicyConflicts', () => {
  it('reports one property of one interface set differently, with both policies and the path', () => {
    const rendered = new Map([
      ['b-mtu', { interfaces: [{ name: 'eth1', type: 'ethernet', mtu: 9000, ipv4: { enabled: true, address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] } }] }],
      ['a-mtu', { interfaces: [{ name: 'eth1', type: 'ethernet', mtu: 1500, ipv4: { enabled: true, address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] } }] }],
      ['c-other', { interfaces: [{ name: 'eth2', type: 'ethernet', mtu: 9000 }] }],
    ]);
    expect(findPolicyConflicts(rendered, { node: 'worker-0' })).toEqual([
      { node: 'worker-0', interface: 'eth1', path: 'mtu', policies: ['a-mtu', 'b-mtu'], values: [1500, 9000] },
    ]);
  });
  it('finds none when policies agree or touch different things', () => {
    expect(findPolicyConflicts({ a: { interfaces: [{ name: 'eth1', mtu: 1500 }] }, b: { interfaces: [{ name: 'eth1', mtu: 1500, description: 'x' }] } })).toEqual([]);
  });
  it('compares lists whole', () => {
    const got = findPolicyConflicts({
      a: { interfaces: [{ name: 'br0', bridge: { port: [{ name: 'eth1' }] } }] },
      b: { interfaces: [{ name: 'br0', bridge: { port: [{ name: 'eth2' }] } }] },
    });
    expect(got.map((c) => c.path)).toEqual(['bridge.port']);
  });
});

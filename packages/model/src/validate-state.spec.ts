import { describe, expect, it } from 'vitest';
import { formatState, validateState } from './index.js';
import type { NetworkState, ValidationIssue } from './index.js';

function valid(document: unknown, options: Parameters<typeof validateState>[1] = {}): { state: NetworkState; warnings: ValidationIssue[] } {
  const result = validateState(document, options);
  if (!result.ok) throw new Error(result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'));
  return { state: result.state, warnings: result.warnings };
}

function problems(document: unknown): Array<Pick<ValidationIssue, 'path' | 'message'>> {
  const result = validateState(document);
  if (result.ok) throw new Error('expected the document to be invalid');
  return result.issues.map(({ path, message }) => ({ path, message }));
}

describe('validateState', () => {
  it('turns the lenient spellings nmstate accepts into numbers and booleans', () => {
    const { state } = valid({
      interfaces: [
        {
          name: 'bond0',
          type: 'bond',
          mtu: '0x5dc',
          'accept-all-mac-addresses': 'Y',
          ipv4: { enabled: 'yes', dhcp: 0, address: [{ ip: '192.0.2.1', 'prefix-length': '24' }] },
          'link-aggregation': { mode: 1, options: { miimon: '140', lacp_rate: '1', arp_validate: 4 } },
        },
      ],
      routes: { config: [{ destination: '0.0.0.0/0', metric: '-1', 'table-id': '254', quickack: 'on' }] },
    });
    expect(state.interfaces[0]).toEqual({
      name: 'bond0',
      type: 'bond',
      state: 'up',
      mtu: 1500,
      'accept-all-mac-addresses': true,
      ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] },
      'link-aggregation': { mode: 'active-backup', options: { miimon: 140, lacp_rate: 'fast', arp_validate: 'filter' } },
    });
    expect(state.routes?.config?.[0]).toEqual({ destination: '0.0.0.0/0', metric: -1, 'table-id': 254, quickack: true });
  });

  it('fills in the defaults nmstate prints and drops what it ignores', () => {
    const { state, warnings } = valid({
      description: '',
      routes: {},
      'route-rules': {},
      ovn: {},
      interfaces: [
        { name: 'eth1' },
        { name: 'vlan9', type: 'vlan', state: 'absent', vlan: { id: 99999 }, mtu: 'not checked' },
        { name: 'eth2', type: 'ethernet', description: '', lldp: { enabled: true, neighbors: [[{ type: 1 }]] } },
      ],
    });
    expect(state).toEqual({
      interfaces: [
        { name: 'eth1', type: 'unknown', state: 'up' },
        { name: 'vlan9', type: 'vlan', state: 'absent' },
        { name: 'eth2', type: 'ethernet', state: 'up', lldp: { enabled: true } },
      ],
    });
    expect(warnings.map((w) => `${w.path}: ${w.message}`)).toEqual(['interfaces[1]: ignoring vlan, mtu of absent interface "vlan9"']);
  });

  it('keeps the last of duplicate interfaces, as nmstate does, with a warning', () => {
    const { state, warnings } = valid({
      interfaces: [
        { name: 'eth1', type: 'ethernet', mtu: 1500 },
        { name: 'br0', type: 'ovs-bridge' },
        { name: 'br0', type: 'linux-bridge' },
        { name: 'eth1', type: 'ethernet', mtu: 9000 },
      ],
    });
    // An OVS bridge is a user-space interface: it may share its name with a kernel one.
    expect(state.interfaces.map((iface) => `${iface.name}/${iface.type}/${iface.mtu ?? ''}`)).toEqual([
      'br0/ovs-bridge/',
      'br0/linux-bridge/',
      'eth1/ethernet/9000',
    ]);
    expect(warnings.map((w) => w.path)).toEqual(['interfaces[0]']);
  });

  it('checks the base properties of interfaces of unknown type and keeps the rest as written', () => {
    const { state, warnings } = valid({
      interfaces: [{ name: 'tun0', type: 'tun', mtu: '1400', tun: { mode: 'tap', 'multi-queue': true } }],
    });
    expect(state.interfaces[0]).toEqual({ name: 'tun0', type: 'tun', state: 'up', mtu: 1400, tun: { mode: 'tap', 'multi-queue': true } });
    expect(warnings[0]?.message).toContain('unsupported interface type "tun"');
    expect(problems({ interfaces: [{ name: 'x0', type: 'tun', mtu: 'big' }] })[0]?.path).toBe('interfaces[0].mtu');
  });

  it('reports every problem of a document, not just the first', () => {
    expect(
      problems({
        hostname: { config: ['a'] },
        interfaces: [
          { name: 'eth1', type: 'ethernet', mtu: -5, 'mac-address': 'nope' },
          { type: 'vlan', vlan: { id: 5000 } },
        ],
        routes: { config: [{ destination: '300.0.0.0/8' }] },
      }).map((issue) => issue.path),
    ).toEqual([
      'hostname.config',
      'interfaces[0].mtu',
      'interfaces[0].mac-address',
      'interfaces[1].vlan.id',
      'interfaces[1]',
      'routes.config[0].destination',
    ]);
  });

  it('names what was expected, with the key and the value', () => {
    expect(problems({ interfaces: [{ name: 'eth1', type: 'ethernet', ipv4: { enabled: true, address: [{ ip: '192.0.2.1', 'prefix-length': 33 }] } }] })).toEqual([
      { path: 'interfaces[0].ipv4.address[0].prefix-length', message: 'prefix-length 33 is out of range: expected an integer 0..32 for IPv4' },
    ]);
    expect(problems({ interfaces: [{ name: 'eth1', type: 'ethernet', state: 'enabled' }] })).toEqual([
      { path: 'interfaces[0].state', message: 'state: invalid value "enabled": expected one of up, down, absent, unknown, ignore' },
    ]);
  });

  it('accepts nmpolicy capture references only when asked to', () => {
    const policy = {
      interfaces: [
        { name: 'br1', type: 'linux-bridge', 'mac-address': '{{ capture.base-iface.interfaces.0.mac-address }}', bridge: { port: [{ name: '{{ capture.base-iface.interfaces.0.name }}' }] } },
      ],
      routes: { config: '{{ capture.bridge-routes.routes.running }}' },
    };
    expect(validateState(policy).ok).toBe(false);
    const { state } = valid(policy, { templates: true });
    expect(state.routes).toEqual({ config: '{{ capture.bridge-routes.routes.running }}' });
    expect(formatState(state)).toContain("  config: '{{ capture.bridge-routes.routes.running }}'\n");
  });

  it('refuses what is not a state document', () => {
    expect(problems([1, 2])).toEqual([{ path: '', message: 'document: expected a mapping (the state document), got a list' }]);
    expect(problems({ interfaces: null })[0]?.path).toBe('interfaces');
  });
});

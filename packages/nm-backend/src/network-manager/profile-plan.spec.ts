import type { NetworkState } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import { defaultPlanner } from '../apply/planner-adapter.js';
import { generateKeyfiles } from '../keyfile/generate-keyfiles.js';
import { fromNmSettings } from '../settings/from-nm-settings.js';
import { getConnectionInterfaceName, getConnectionType, type NmSettings } from '../settings/nm-settings.js';
import { nmValue, toPlainValue } from '../settings/nm-value.js';
import { planProfiles, type ExistingProfile, type PlannedProfile } from './profile-plan.js';

const UUID = '0f3c1a52-7e4b-4c3d-9a1e-5b6c7d8e9f00';

function state(doc: Record<string, unknown>): NetworkState {
  return { interfaces: [], ...doc } as unknown as NetworkState;
}

/** The profiles `nmstatectl gc` writes for a state: what a host configured by nmstate holds. */
function profilesFor(doc: Record<string, unknown>): (ExistingProfile & { name: string })[] {
  return generateKeyfiles(state(doc)).files.map((f) => ({ name: f.interfaceName, settings: f.settings }));
}

function plan(desired: NetworkState, current: NetworkState, profiles: readonly ExistingProfile[]) {
  return planProfiles({ plan: defaultPlanner.planChanges(desired, current), desired, current, profiles, createUuid: () => UUID });
}

function plain(settings: NmSettings | undefined, setting: string): Record<string, unknown> | undefined {
  const values = settings?.[setting];
  return values && Object.fromEntries(Object.entries(values).map(([key, value]) => [key, toPlainValue(value)]));
}

function ownOf<P extends ExistingProfile>(result: ReturnType<typeof planProfiles<P>>, name: string): PlannedProfile<P> | undefined {
  return result.interfaces.get(name)?.own;
}

const staticV4 = (ip: string) => ({ enabled: true, dhcp: false, address: [{ ip, 'prefix-length': 24 }] });

/** A veth pair as `show` reports it: with the MAC address and MTU the kernel gave it. */
const SHOWN_PAIR = [
  { name: 'v0', type: 'veth', state: 'up', 'mac-address': '02:AA:BB:CC:DD:01', mtu: 1500, veth: { peer: 'v0p' }, ipv4: staticV4('192.0.2.1'), ipv6: { enabled: false } },
  { name: 'v0p', type: 'veth', state: 'up', 'mac-address': '02:AA:BB:CC:DD:02', mtu: 1500, veth: { peer: 'v0' }, ipv4: { enabled: false }, ipv6: { enabled: false } },
];

describe('planProfiles', () => {
  it('writes what the desired state asks for, not the MAC address and MTU show reported, and keeps keys it does not model', () => {
    const existing = profilesFor({ interfaces: SHOWN_PAIR.map(({ 'mac-address': _m, mtu: _t, ...rest }) => rest) });
    const v0 = existing.find((p) => p.name === 'v0')!;
    v0.settings['connection'] = { ...v0.settings['connection'], zone: nmValue.string('trusted') };
    const result = plan(state({ interfaces: [{ name: 'v0', type: 'veth', ipv4: staticV4('192.0.2.9') }] }), state({ interfaces: SHOWN_PAIR }), existing);

    const own = ownOf(result, 'v0');
    expect(own?.existing).toBe(v0);
    expect(plain(own?.settings, 'ipv4')).toMatchObject({ method: 'manual', 'address-data': [{ address: '192.0.2.9', prefix: 24 }] });
    expect(plain(own?.settings, '802-3-ethernet') ?? {}).not.toHaveProperty('cloned-mac-address');
    expect(plain(own?.settings, '802-3-ethernet') ?? {}).not.toHaveProperty('mtu');
    expect(plain(own?.settings, 'connection')).toMatchObject({ zone: 'trusted', 'interface-name': 'v0' });
    expect(plain(own?.settings, 'veth')).toEqual({ peer: 'v0p' });
  });

  it('writes a new profile with only what was asked for, even where the merged interface knows more', () => {
    const desired = state({ interfaces: [{ name: 'v1', type: 'veth', 'mac-address': '02:00:00:00:00:09', veth: { peer: 'v1p' }, ipv4: staticV4('198.51.100.1') }] });
    const result = plan(desired, state({ interfaces: SHOWN_PAIR }), profilesFor({ interfaces: SHOWN_PAIR }));
    const own = ownOf(result, 'v1');
    expect(own?.existing).toBeUndefined();
    expect(plain(own?.settings, '802-3-ethernet')).toEqual({ 'cloned-mac-address': [2, 0, 0, 0, 0, 9] });
    // The planner adds the peer the state does not list; it gets a profile with its stacks off.
    expect(plain(ownOf(result, 'v1p')?.settings, 'veth')).toEqual({ peer: 'v1' });
    expect(plain(ownOf(result, 'v1p')?.settings, 'ipv4')).toMatchObject({ method: 'disabled' });
  });

  it('never puts DNS on loopback, even when lo is desired with static addresses and sorts first', () => {
    const current = state({
      interfaces: [
        { name: 'lo', type: 'loopback', state: 'up', ipv4: staticV4('127.0.0.1'), ipv6: { enabled: false } },
        { name: 'eth1', type: 'ethernet', state: 'up', ipv4: staticV4('192.0.2.1'), ipv6: { enabled: false } },
      ],
    });
    const existing = profilesFor({ interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up', ipv4: staticV4('192.0.2.1') }] });
    const desired = state({
      interfaces: [{ name: 'lo', type: 'loopback', state: 'up', ipv4: { enabled: true, address: [{ ip: '127.0.0.1', 'prefix-length': 8 }] } }],
      'dns-resolver': { config: { server: ['192.0.2.53'], search: ['example.com'] } },
    });
    const result = plan(desired, current, existing);
    expect(result.changedByDns).toEqual(['eth1']);
    // 192.0.2.53 in network byte order.
    expect(plain(ownOf(result, 'eth1')?.settings, 'ipv4')).toMatchObject({ dns: [0x3502_00c0], 'dns-search': ['example.com'], 'dns-priority': 40 });
    expect(plain(ownOf(result, 'lo')?.settings, 'ipv4') ?? {}).not.toHaveProperty('dns');
  });

  it('moves DNS off the profile that held it when another interface takes it', () => {
    const holder = { name: 'eth1', type: 'ethernet', state: 'up', ipv4: staticV4('192.0.2.1') };
    const existing = profilesFor({ interfaces: [holder, { name: 'eth2', type: 'ethernet', state: 'up', ipv4: staticV4('198.51.100.1') }], 'dns-resolver': { config: { server: ['192.0.2.53'] } } });
    expect(fromNmSettings(existing.find((p) => p.name === 'eth1')!.settings).dns.ipv4?.servers).toEqual(['192.0.2.53']);
    const current = state({ interfaces: [holder, { name: 'eth2', type: 'ethernet', state: 'up', ipv4: staticV4('198.51.100.1') }] });
    // eth1 loses IPv4: it can no longer hold the servers, eth2 (desired, static) takes them.
    const desired = state({
      interfaces: [{ name: 'eth1', type: 'ethernet', ipv4: { enabled: false } }, { name: 'eth2', type: 'ethernet', ipv4: staticV4('198.51.100.1') }],
      'dns-resolver': { config: { server: ['192.0.2.54'] } },
    });
    const result = plan(desired, current, existing);
    expect(plain(ownOf(result, 'eth2')?.settings, 'ipv4')).toMatchObject({ dns: [0x3602_00c0] });
    expect(plain(ownOf(result, 'eth1')?.settings, 'ipv4')).toMatchObject({ method: 'disabled' });
    expect(plain(ownOf(result, 'eth1')?.settings, 'ipv4')).not.toHaveProperty('dns');
  });

  it('puts a rule on the interface whose routes change and use its table, not the first interface by name', () => {
    const ifaces = [
      { name: 'a0', type: 'ethernet', state: 'up', ipv4: staticV4('192.0.2.1'), ipv6: { enabled: false } },
      { name: 'b0', type: 'ethernet', state: 'up', ipv4: staticV4('198.51.100.1'), ipv6: { enabled: false } },
    ];
    const existing = profilesFor({ interfaces: ifaces });
    const desired = state({
      interfaces: ifaces,
      routes: { config: [{ destination: '203.0.113.0/24', 'next-hop-interface': 'b0', 'next-hop-address': '198.51.100.254', 'table-id': 100 }] },
      'route-rules': { config: [{ 'ip-from': '192.0.2.0/24', 'route-table': 100 }, { 'ip-to': '10.0.0.0/8', 'route-table': 200 }] },
    });
    const result = plan(desired, state({ interfaces: ifaces }), existing);
    const rulesOf = (name: string) => (plain(ownOf(result, name)?.settings, 'ipv4')?.['routing-rules'] as Record<string, unknown>[] | undefined) ?? [];
    expect(rulesOf('b0')).toEqual([expect.objectContaining({ from: '192.0.2.0', table: 100, priority: 30000 })]);
    // No route uses table 200: it goes to the first changed interface by name.
    expect(rulesOf('a0')).toEqual([expect.objectContaining({ to: '10.0.0.0', table: 200, priority: 30001 })]);
  });

  it('leaves a rule where a profile holds it, and takes rules an absent entry names out of their profile', () => {
    const ifaces = [
      { name: 'a0', type: 'ethernet', state: 'up', ipv4: staticV4('192.0.2.1'), ipv6: { enabled: false } },
      { name: 'b0', type: 'ethernet', state: 'up', ipv4: staticV4('198.51.100.1'), ipv6: { enabled: false } },
    ];
    const held = { 'ip-from': '198.51.100.0/24', 'route-table': 100, priority: 1000, family: 'ipv4' };
    const gone = { 'ip-to': '10.9.0.0/16', 'route-table': 100, priority: 1001, family: 'ipv4' };
    const existing = profilesFor({ interfaces: ifaces, 'route-rules': { config: [{ ...held, iif: 'b0' }, { ...gone, iif: 'b0' }] } });
    const current = state({ interfaces: ifaces, 'route-rules': { config: [{ ...held, iif: 'b0' }, { ...gone, iif: 'b0' }] } });
    const desired = state({ 'route-rules': { config: [{ 'ip-to': '10.9.0.0/16', state: 'absent' }] } });
    const result = plan(desired, current, existing);
    expect(result.changedByRules).toEqual(['b0']);
    expect(plain(ownOf(result, 'b0')?.settings, 'ipv4')?.['routing-rules']).toEqual([expect.objectContaining({ from: '198.51.100.0', priority: 1000 })]);
    expect(result.interfaces.has('a0')).toBe(false);
  });

  it('attaches a port the desired state does not list through its existing profile, which keeps everything else', () => {
    const port = { name: 'p1', type: 'ethernet', state: 'up', mtu: 9000, ipv4: staticV4('192.0.2.7'), ipv6: { enabled: false } };
    const existing = profilesFor({ interfaces: [port] });
    const result = plan(state({ interfaces: [{ name: 'br0', type: 'linux-bridge', bridge: { port: [{ name: 'p1' }] } }] }), state({ interfaces: [port] }), existing);
    const own = ownOf(result, 'p1');
    expect(plain(own?.settings, 'connection')).toMatchObject({ master: 'br0', 'slave-type': 'bridge', uuid: plain(existing[0]!.settings, 'connection')?.['uuid'] });
    expect(plain(own?.settings, '802-3-ethernet')).toMatchObject({ mtu: 9000 });
    expect(own?.settings['ipv4']).toBeUndefined();
    expect(own?.settings['bridge-port']).toBeDefined();
  });

  it('plans the OVS port profiles an OVS bridge needs as companions of the bridge', () => {
    const desired = state({
      interfaces: [
        { name: 'ovs0', type: 'ovs-interface', state: 'up', ipv4: staticV4('192.0.2.1') },
        { name: 'br-ex', type: 'ovs-bridge', state: 'up', bridge: { port: [{ name: 'ovs0' }, { name: 'eth1' }] } },
        { name: 'eth1', type: 'ethernet', state: 'up' },
      ],
    });
    const current = state({ interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up', ipv4: { enabled: false }, ipv6: { enabled: false } }] });
    const result = plan(desired, current, []);
    const bridge = result.interfaces.get('br-ex\u0000ovs-bridge');
    expect(getConnectionType(bridge!.own!.settings)).toBe('ovs-bridge');
    expect(bridge!.companions.map((c) => [getConnectionType(c.settings), getConnectionInterfaceName(c.settings)]).sort()).toEqual([
      ['ovs-port', 'eth1'],
      ['ovs-port', 'ovs0'],
    ]);
    expect(plain(ownOf(result, 'eth1')?.settings, 'connection')).toMatchObject({ master: 'eth1', 'slave-type': 'ovs-port' });
  });

  it('plans nothing for an interface whose profile already says what is desired', () => {
    const existing = profilesFor({ interfaces: SHOWN_PAIR.map(({ 'mac-address': _m, mtu: _t, ...rest }) => rest) });
    const result = plan(state({ interfaces: [SHOWN_PAIR[0]] }), state({ interfaces: SHOWN_PAIR }), existing);
    expect(result.interfaces.size).toBe(0);
  });
});

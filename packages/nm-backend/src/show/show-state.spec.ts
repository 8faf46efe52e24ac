import { describe, expect, it } from 'vitest';
import type { KernelFacts, KernelLink } from '../kernel/kernel-reader.js';
import { generateKeyfiles } from '../keyfile/generate-keyfiles.js';
import { HIDDEN_PASSWORD } from '../settings/ieee8021x-setting.js';
import { NM_SETTING, type NmSettings } from '../settings/nm-settings.js';
import { nmValue } from '../settings/nm-value.js';
import { viewState, type Tree } from '../state/state-tree.js';
import { buildShowState } from './show-state.js';

const FOREVER = 4294967295;

function link(name: string, extra: Partial<KernelLink> = {}): KernelLink {
  return { ifname: name, flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, min_mtu: 68, max_mtu: 65535, address: '02:00:00:00:00:01', link_type: 'ether', ...extra };
}

function kernel(links: KernelLink[]): KernelFacts {
  return { links, routes: [], ipv4Forwarding: new Map(links.map((l) => [l.ifname, false])) };
}

/** The profile nmstate writes for one interface. */
function profileOf(iface: Record<string, unknown>): NmSettings {
  return generateKeyfiles({ interfaces: [iface] } as never).files[0]!.settings;
}

function show(links: KernelLink[], profiles: Record<string, NmSettings>, options: { runningConfig?: boolean; showSecrets?: boolean } = {}): Tree[] {
  const state = buildShowState(
    { kernel: kernel(links), profiles: new Map(Object.entries(profiles).map(([name, settings]) => [name, { settings }])), dnsRunning: undefined, hostname: {} },
    options,
  );
  return viewState(state).interfaces;
}

describe('buildShowState', () => {
  const eth1 = link('eth1', {
    addr_info: [
      { family: 'inet', local: '192.0.2.10', prefixlen: 24, valid_life_time: 3600, preferred_life_time: 1800 },
      { family: 'inet', local: '192.0.2.1', prefixlen: 24, valid_life_time: FOREVER, preferred_life_time: FOREVER },
    ],
  });

  it('shows how a profile configures an interface over what the kernel runs, with nmstate defaults', () => {
    const settings = profileOf({ name: 'eth1', type: 'ethernet', state: 'up', lldp: { enabled: true }, ipv4: { enabled: true, dhcp: true }, ipv6: { enabled: false } });
    const [iface] = show([eth1], { eth1: settings });
    expect(iface).toMatchObject({
      name: 'eth1',
      type: 'ethernet',
      identifier: 'name',
      'mac-address': '02:00:00:00:00:01',
      'min-mtu': 68,
      'max-mtu': 65535,
      'wait-ip': 'any',
      lldp: { enabled: true },
      ipv4: {
        enabled: true,
        dhcp: true,
        'auto-dns': true,
        'auto-route-metric': -1,
        forwarding: false,
        address: [{ ip: '192.0.2.10', 'prefix-length': 24, 'valid-life-time': '3600sec', 'preferred-life-time': '1800sec' }, { ip: '192.0.2.1', 'prefix-length': 24 }],
      },
      ipv6: { enabled: false },
    });
  });

  it('with --running-config leaves out dynamic addresses and the MTU range', () => {
    const settings = profileOf({ name: 'eth1', type: 'ethernet', state: 'up', ipv4: { enabled: true, dhcp: true } });
    const [iface] = show([eth1], { eth1: settings }, { runningConfig: true });
    expect((iface!['ipv4'] as Tree)['address']).toEqual([{ ip: '192.0.2.1', 'prefix-length': 24 }]);
    expect(iface).not.toHaveProperty('min-mtu');
    expect(iface).not.toHaveProperty('max-mtu');
  });

  it('hides 802.1x secrets unless asked for them', () => {
    const settings = profileOf({ name: 'eth1', type: 'ethernet', state: 'up', '802.1x': { identity: 'user', 'eap-methods': ['peap'], 'phase2-auth': 'mschapv2' } });
    settings[NM_SETTING.ieee8021x] = { ...settings[NM_SETTING.ieee8021x], password: nmValue.string('s3cret') };
    expect(show([eth1], { eth1: settings })[0]!['802.1x']).toEqual({ identity: 'user', 'eap-methods': ['peap'], 'phase2-auth': 'mschapv2', password: HIDDEN_PASSWORD });
    expect(show([eth1], { eth1: settings }, { showSecrets: true })[0]!['802.1x']).toMatchObject({ password: 's3cret' });
  });

  it('shows bridge options and port settings in nmstate units from the kernel', () => {
    const bridge = link('br0', {
      linkinfo: {
        info_kind: 'bridge',
        info_data: { forward_delay: 1500, hello_time: 200, max_age: 2000, ageing_time: 30000, stp_state: 1, priority: 4096, gc_timer: 299.8, group_fwd_mask: '0x8', mcast_router: 2, mcast_snooping: 0, mcast_hash_max: 512 },
      },
    });
    const port = link('p1', { master: 'br0', linkinfo: { info_kind: 'veth', info_slave_kind: 'bridge', info_slave_data: { priority: 16, cost: 50, hairpin: true } } });
    const shown = show([bridge, port], {});
    expect(shown[0]!['bridge']).toEqual({
      options: {
        'gc-timer': 29980,
        'group-forward-mask': 8,
        'group-fwd-mask': 8,
        'hash-max': 512,
        'mac-ageing-time': 300,
        'multicast-router': 'enabled',
        'multicast-snooping': false,
        stp: { enabled: true, 'forward-delay': 15, 'hello-time': 2, 'max-age': 20, priority: 4096 },
      },
      port: [{ name: 'p1', 'stp-hairpin-mode': true, 'stp-path-cost': 50, 'stp-priority': 16 }],
    });
    expect(shown[1]).toMatchObject({ controller: 'br0', ipv4: { enabled: false }, ipv6: { enabled: false } });
  });

  it('leaves out a profile it cannot read instead of failing', () => {
    const broken: NmSettings = { connection: { type: nmValue.string('802-3-ethernet') } };
    const settings = profileOf({ name: 'eth1', type: 'ethernet', state: 'up', ipv4: { enabled: true, dhcp: true } });
    const shown = show([eth1, link('eth2')], { eth1: settings, eth2: broken });
    expect(shown.map((i) => [i['name'], i['identifier']])).toEqual([
      ['eth1', 'name'],
      ['eth2', undefined],
    ]);
  });

  it('reads the routes, rules and DNS profiles configure, name servers in priority order', () => {
    const state = { name: 'eth1', type: 'ethernet', state: 'up', ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] }, ipv6: { enabled: true, dhcp: false, autoconf: false, address: [{ ip: '2001:db8::1', 'prefix-length': 64 }] } };
    const files = generateKeyfiles({
      interfaces: [state],
      routes: { config: [{ destination: '198.51.100.0/24', 'next-hop-interface': 'eth1', 'next-hop-address': '192.0.2.254', 'table-id': 100 }] },
      'route-rules': { config: [{ 'ip-from': '203.0.113.0/24', 'route-table': 100 }] },
      'dns-resolver': { config: { server: ['2001:db8::53', '192.0.2.53'], search: ['example.com'] } },
    } as never).files;
    const result = viewState(buildShowState({ kernel: kernel([eth1]), profiles: new Map([['eth1', { settings: files[0]!.settings }]]), dnsRunning: undefined, hostname: {} }));
    expect(result.routes?.config).toEqual([{ destination: '198.51.100.0/24', 'next-hop-interface': 'eth1', 'next-hop-address': '192.0.2.254', metric: 0, 'table-id': 100 }]);
    expect(result.routeRules?.config).toEqual([{ family: 'ipv4', 'ip-from': '203.0.113.0/24', priority: 30000, 'route-table': 100 }]);
    expect(result.dnsResolver?.config).toEqual({ server: ['2001:db8::53', '192.0.2.53'], search: ['example.com'] });
  });
});

import { describe, expect, it } from 'vitest';
import { nmValue } from '../settings/nm-value.js';
import { builtinProfileRenderer } from './profile-renderer.js';

const context = { uuid: '5f4c8a52-0000-4000-8000-000000000001', routes: [], rules: [], dns: undefined };

describe('built-in profile renderer', () => {
  it('renders a veth end with static addresses, routes, rules and DNS in the right families', () => {
    const settings = builtinProfileRenderer.toNmSettings(
      {
        name: 'v0',
        type: 'veth',
        veth: { peer: 'v0p' },
        ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] },
        ipv6: { enabled: true, dhcp: false, autoconf: false, address: [{ ip: 'fe80::1', 'prefix-length': 64 }, { ip: '2001:db8::1', 'prefix-length': 64 }] },
      },
      {
        ...context,
        routes: [{ destination: '2001:db8:9::/64', 'next-hop-address': '2001:db8::2', 'next-hop-interface': 'v0', 'table-id': 100 }],
        rules: [{ 'ip-from': '198.51.100.0/24', priority: 1000, 'route-table': 100 }],
        dns: { server: ['2001:db8::53', '192.0.2.53'], search: ['example.com'] },
      },
    );
    expect(settings['connection']).toMatchObject({ type: nmValue.string('veth'), 'interface-name': nmValue.string('v0'), uuid: nmValue.string(context.uuid) });
    expect(settings['veth']).toEqual({ peer: nmValue.string('v0p') });
    expect(settings['ipv4']).toMatchObject({
      method: nmValue.string('manual'),
      'route-data': nmValue.dictList([]),
      'routing-rules': nmValue.dictList([
        { family: nmValue.int32(2), priority: nmValue.uint32(1000), from: nmValue.string('198.51.100.0'), 'from-len': nmValue.byte(24), table: nmValue.uint32(100) },
      ]),
      'dns-priority': nmValue.int32(50),
    });
    expect(settings['ipv6']).toMatchObject({
      'address-data': nmValue.dictList([{ address: nmValue.string('2001:db8::1'), prefix: nmValue.uint32(64) }]),
      'route-data': nmValue.dictList([{ dest: nmValue.string('2001:db8:9::'), prefix: nmValue.uint32(64), 'next-hop': nmValue.string('2001:db8::2'), table: nmValue.uint32(100) }]),
      'dns-priority': nmValue.int32(40),
    });
  });

  it('merges over an existing profile: foreign settings and keys stay, a port that leaves its bridge loses master and bridge-port', () => {
    const existing = {
      connection: { id: nmValue.string('p1'), master: nmValue.string('br0'), 'slave-type': nmValue.string('bridge'), zone: nmValue.string('trusted') },
      'bridge-port': { priority: nmValue.uint32(32) },
      '802-3-ethernet': { 'cloned-mac-address': nmValue.string('02:00:00:00:00:01') },
      ethtool: { 'feature-rx': nmValue.bool(true) },
    };
    const generated = builtinProfileRenderer.toNmSettings({ name: 'p1', type: 'veth', veth: { peer: 'p1p' }, ipv4: { enabled: false }, ipv6: { enabled: false } }, context);
    const merged = builtinProfileRenderer.mergeNmSettings(existing, generated);
    expect(merged['connection']).toMatchObject({ zone: nmValue.string('trusted'), id: nmValue.string('p1') });
    expect(merged['connection']!['master']).toBeUndefined();
    expect(merged['bridge-port']).toBeUndefined();
    expect(merged['802-3-ethernet']).toEqual(existing['802-3-ethernet']);
    expect(merged['ethtool']).toEqual(existing.ethtool);
  });

  it('refuses a type it cannot render, naming it', () => {
    expect(() => builtinProfileRenderer.toNmSettings({ name: 'ovs0', type: 'ovs-bridge' }, context)).toThrow(/ovs0: type ovs-bridge is not supported/);
  });
});

import type { Interface } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import { renderKeyfile } from '../keyfile/keyfile-writer.js';
import { isModelledKey, mergeNmSettings } from './merge-nm-settings.js';
import type { NmSettings } from './nm-settings.js';
import { nmValue as v } from './nm-value.js';
import type { SettingsContext } from './settings-input.js';
import { toNmSettings } from './to-nm-settings.js';

/** A profile as NetworkManager returns it, with keys nmfleet does not model. */
function existingEth1(extra: NmSettings = {}): NmSettings {
  return {
    connection: {
      id: v.string('Wired connection 1'),
      uuid: v.string('8a4f0c1e-6a3b-4f5e-9d2c-1b2a3c4d5e6f'),
      type: v.string('802-3-ethernet'),
      'interface-name': v.string('eth1'),
      autoconnect: v.bool(true),
      zone: v.string('trusted'),
      permissions: v.stringList(['user:alice']),
      timestamp: v.uint64(1_700_000_000),
    },
    ipv4: {
      method: v.string('manual'),
      'address-data': v.dictList([{ address: v.string('192.0.2.5'), prefix: v.uint32(24) }]),
      'dhcp-vendor-class-identifier': v.string('acme'),
      gateway: v.string('192.0.2.1'),
    },
    '802-3-ethernet': { 'wake-on-lan': v.uint32(64), mtu: v.uint32(1500) },
    proxy: { method: v.int32(0) },
    ...extra,
  };
}

function update(existing: NmSettings, iface: Interface, others: Interface[] = []): NmSettings {
  const ctx: SettingsContext = { existing, getInterface: (name) => others.find((o) => o.name === name) };
  const [generated] = toNmSettings({ iface }, ctx);
  if (!generated) throw new Error('no profile generated');
  return mergeNmSettings(existing, generated);
}

describe('updating an existing profile (toNmSettings with existing, then mergeNmSettings)', () => {
  it('replaces only modelled keys: unknown keys, settings and the profile identity survive', () => {
    const existing = existingEth1();
    const merged = update(existing, {
      name: 'eth1',
      type: 'ethernet',
      state: 'up',
      mtu: 9000,
      ipv4: { enabled: true, address: [{ ip: '198.51.100.7', 'prefix-length': 25 }] },
    } as Interface);
    expect(merged['connection']).toMatchObject({
      id: v.string('Wired connection 1'),
      uuid: v.string('8a4f0c1e-6a3b-4f5e-9d2c-1b2a3c4d5e6f'),
      zone: v.string('trusted'),
      permissions: v.stringList(['user:alice']),
      timestamp: v.uint64(1_700_000_000),
    });
    expect(merged['ipv4']?.['dhcp-vendor-class-identifier']).toEqual(v.string('acme'));
    expect(merged['ipv4']?.['address-data']).toEqual(v.dictList([{ address: v.string('198.51.100.7'), prefix: v.uint32(25) }]));
    // A static setting without routes given keeps the existing gateway (nmstate edits the profile in place).
    expect(merged['ipv4']?.['gateway']).toEqual(v.string('192.0.2.1'));
    expect(merged['802-3-ethernet']).toEqual({ 'wake-on-lan': v.uint32(64), mtu: v.uint32(9000) });
    expect(merged['proxy']).toEqual({ method: v.int32(0) });
  });

  it('keeps unknown keys of a setting the converter rebuilds from scratch (vxlan)', () => {
    const existing: NmSettings = {
      connection: { id: v.string('vx0'), uuid: v.string('u-vx0'), type: v.string('vxlan'), 'interface-name': v.string('vx0') },
      vxlan: { id: v.uint32(5), remote: v.string('192.0.2.2'), ttl: v.uint32(9), tos: v.uint32(1) },
    };
    const merged = update(existing, { name: 'vx0', type: 'vxlan', state: 'up', vxlan: { id: 6, remote: '192.0.2.3' } } as Interface);
    expect(merged['vxlan']).toEqual({ id: v.uint32(6), remote: v.string('192.0.2.3'), ttl: v.uint32(9), tos: v.uint32(1) });
  });

  it('drops what a port may not carry when an interface joins a bond, and port settings when it leaves a bridge', () => {
    const joined = update(existingEth1(), { name: 'eth1', type: 'ethernet', state: 'up', controller: 'bond0' } as Interface, [
      { name: 'bond0', type: 'bond', state: 'up', 'link-aggregation': { mode: 'active-backup', port: ['eth1'] } } as Interface,
    ]);
    expect(joined['ipv4']).toBeUndefined();
    expect(joined['connection']?.['master']).toEqual(v.string('bond0'));
    expect(joined['connection']?.['slave-type']).toEqual(v.string('bond'));

    const port = existingEth1({ 'bridge-port': { priority: v.uint32(32), 'path-cost': v.uint32(100) } });
    port['connection'] = { ...port['connection'], master: v.string('br0'), 'slave-type': v.string('bridge') };
    const left = update(port, { name: 'eth1', type: 'ethernet', state: 'up', controller: '' } as Interface);
    expect(left['bridge-port']).toBeUndefined();
    expect(left['connection']?.['master']).toBeUndefined();
    expect(left['connection']?.['slave-type']).toBeUndefined();
  });

  it('renames the profile only when profile-name asks, and keeps a secret shown hidden', () => {
    const existing = existingEth1({ '802-1x': { identity: v.string('me'), eap: v.stringList(['peap']), password: v.string('s3cret') } });
    const merged = update(existing, {
      name: 'eth1',
      type: 'ethernet',
      state: 'up',
      'profile-name': 'uplink',
      '802.1x': { identity: 'me', 'eap-methods': ['peap'], password: '<_password_hid_by_nmstate>' },
    } as Interface);
    expect(merged['connection']?.['id']).toEqual(v.string('uplink'));
    expect(merged['802-1x']?.['password']).toEqual(v.string('s3cret'));
  });

  it('gives the same profile again when nothing changed', () => {
    const iface = { name: 'eth1', type: 'ethernet', state: 'up', mtu: 1500, ipv4: { enabled: true, address: [{ ip: '192.0.2.5', 'prefix-length': 24 }] } } as Interface;
    const once = update(existingEth1(), iface);
    expect(renderKeyfile(update(once, iface))).toBe(renderKeyfile(once));
  });
});

describe('isModelledKey', () => {
  it('knows which keys nmfleet owns', () => {
    expect(isModelledKey('ipv4', 'address-data')).toBe(true);
    expect(isModelledKey('ipv4', 'dhcp-vendor-class-identifier')).toBe(false);
    expect(isModelledKey('ethtool', 'feature-tso')).toBe(true);
    expect(isModelledKey('proxy', 'method')).toBe(false);
  });
});

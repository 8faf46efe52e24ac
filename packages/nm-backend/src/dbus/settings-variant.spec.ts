import dbus from 'dbus-next';
import { describe, expect, it } from 'vitest';
import { nmValue } from '../settings/nm-value.js';
import { fromDbusSettings, toDbusSettings } from './settings-variant.js';

describe('settings as D-Bus variants', () => {
  it('round-trips every modelled signature with its type', () => {
    const settings = {
      connection: { id: nmValue.string('eth1'), autoconnect: nmValue.bool(true), timestamp: nmValue.uint64(1_700_000_000) },
      ipv4: {
        'address-data': nmValue.dictList([{ address: nmValue.string('192.0.2.1'), prefix: nmValue.uint32(24) }]),
        dns: nmValue.uint32List([0x3502_00c0]),
        'dns-search': nmValue.stringList(['example.com']),
        'dns-priority': nmValue.int32(40),
      },
      ipv6: { dns: nmValue.bytesList([[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53]]) },
      bond: { options: nmValue.stringDict({ mode: 'active-backup' }) },
      '802-3-ethernet': { 'cloned-mac-address': nmValue.bytes([2, 0, 0, 0, 0, 1]) },
    };
    const wire = toDbusSettings(dbus.Variant, settings);
    expect(wire['connection']!['timestamp']).toEqual(new dbus.Variant('t', 1_700_000_000n));
    expect(wire['ipv4']!['address-data']!.signature).toBe('aa{sv}');
    expect(fromDbusSettings(wire)).toEqual({ settings, passthrough: {} });
  });

  it('keeps values it does not model as they came, and drops deprecated keys', () => {
    const odd = new dbus.Variant('a(ayuay)', [[Buffer.alloc(16), 64, Buffer.alloc(16)]]);
    const raw = {
      connection: { id: new dbus.Variant('s', 'eth1') },
      ipv4: { addresses: new dbus.Variant('aau', [[1, 24, 0]]), method: new dbus.Variant('s', 'manual') },
      ipv6: { 'legacy-thing': odd },
    };
    const { settings, passthrough } = fromDbusSettings(raw);
    expect(settings['ipv4']).toEqual({ method: nmValue.string('manual') });
    expect(passthrough).toEqual({ ipv6: { 'legacy-thing': odd } });
    const back = toDbusSettings(dbus.Variant, { ...settings, ipv6: { method: nmValue.string('manual') } }, passthrough);
    expect(back['ipv6']!['legacy-thing']).toBe(odd);
    expect(back['ipv4']!['addresses']).toBeUndefined();
  });

  it('does not bring back a whole setting the new profile drops', () => {
    const passthrough = { 'bridge-port': { 'odd-key': new dbus.Variant('a(uu)', [[1, 2]]) } };
    expect(toDbusSettings(dbus.Variant, { connection: { id: nmValue.string('p1') } }, passthrough)['bridge-port']).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { InterfaceTree } from '../state/state-tree.js';
import { toPlainValue } from './nm-value.js';
import type { NmSettings } from './nm-settings.js';
import { settingsProfileRenderer } from './settings-profile-renderer.js';

const UUID = '5f0a1c2e-8a5b-4f7e-9d43-0c1b2a3d4e5f';

function plain(settings: NmSettings, setting: string): Record<string, unknown> | undefined {
  const values = settings[setting];
  return values && Object.fromEntries(Object.entries(values).map(([key, value]) => [key, toPlainValue(value)]));
}

const bridge: InterfaceTree = { name: 'br0', type: 'linux-bridge', state: 'up', bridge: { port: [{ name: 'p1' }] } };
const port: InterfaceTree = { name: 'p1', type: 'veth', state: 'up', controller: 'br0', veth: { peer: 'p1p' } };
const empty = { routes: [], rules: [], dns: undefined };

describe('settingsProfileRenderer (src/settings behind the D-Bus backend port)', () => {
  it('detaches a port whose merged interface has no controller any more', () => {
    const attached = settingsProfileRenderer.toNmSettings(port, { uuid: UUID, ...empty, getInterface: (n) => (n === 'br0' ? bridge : undefined) });
    expect(plain(attached, 'connection')).toMatchObject({ uuid: UUID, master: 'br0', 'slave-type': 'bridge' });
    expect(attached['bridge-port']).toBeDefined();

    const { controller: _, ...alone } = port;
    const generated = settingsProfileRenderer.toNmSettings(alone as InterfaceTree, { uuid: 'unused', ...empty, existing: attached });
    const updated = settingsProfileRenderer.mergeNmSettings(attached, generated);
    expect(plain(updated, 'connection')).toMatchObject({ uuid: UUID, id: 'p1' });
    expect(plain(updated, 'connection')).not.toHaveProperty('master');
    expect(plain(updated, 'connection')).not.toHaveProperty('slave-type');
    expect(updated['bridge-port']).toBeUndefined();
  });

  it('stores DNS servers by family, the search list and the better priority with the first server\'s family', () => {
    const iface: InterfaceTree = {
      name: 'eth1',
      type: 'ethernet',
      state: 'up',
      ipv4: { enabled: true, address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] },
      ipv6: { enabled: true, address: [{ ip: '2001:db8::1', 'prefix-length': 64 }] },
    };
    const settings = settingsProfileRenderer.toNmSettings(iface, {
      uuid: UUID,
      routes: [],
      rules: [{ 'ip-from': '2001:db8:1::/64', priority: 1000 }, { 'ip-to': '198.51.100.0/24', priority: 1001 }],
      dns: { server: ['2001:db8::53', '192.0.2.53'], search: ['example.com'] },
    });
    expect(plain(settings, 'ipv6')).toMatchObject({ 'dns-search': ['example.com'], 'dns-priority': 40 });
    expect(plain(settings, 'ipv4')).toMatchObject({ 'dns-search': [], 'dns-priority': 50 });
    expect((plain(settings, 'ipv6')?.['routing-rules'] as unknown[]).length).toBe(1);
    expect((plain(settings, 'ipv4')?.['routing-rules'] as unknown[]).length).toBe(1);
  });

  it('removes DNS from a profile that no longer holds it', () => {
    const iface: InterfaceTree = { name: 'eth1', type: 'ethernet', state: 'up', ipv4: { enabled: true, address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] } };
    const withDns = settingsProfileRenderer.toNmSettings(iface, { uuid: UUID, routes: [], rules: [], dns: { server: ['192.0.2.53'], search: [] } });
    expect(plain(withDns, 'ipv4')?.['dns']).toHaveLength(1);
    const without = settingsProfileRenderer.mergeNmSettings(withDns, settingsProfileRenderer.toNmSettings(iface, { uuid: UUID, ...empty, existing: withDns }));
    expect(plain(without, 'ipv4')).not.toHaveProperty('dns');
  });
});

import { describe, expect, it } from 'vitest';
import { formatIssue, parseState } from './index.js';

function diagnostics(text: string, options: Parameters<typeof parseState>[1] = {}): string[] {
  const result = parseState(text, { file: 'f.yml', ...options });
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('parseState', () => {
  it('locates each issue on its key or value, with line and column', () => {
    const text = 'interfaces:\n  - name: eth1\n    type: ethernet\n    mtu: big\n    colour: blue\n';
    expect(diagnostics(text)).toEqual([
      'f.yml:4:10: error: mtu: expected an integer 0..4294967295 for an MTU (32 bits in the kernel), or a string holding one (decimal or 0x-hex), got a string "big" (at interfaces[0].mtu)',
      'f.yml:5:5: error: unknown key "colour" in ethernet interface: expected one of name, profile-name, description, type, driver, state, identifier, mac-address, permanent-mac-address, pci-address, mtu, min-mtu, max-mtu, wait-ip, ipv4, ipv6, mptcp, controller, accept-all-mac-addresses, copy-mac-from, ovs-db, 802.1x, lldp, ethtool, dispatch, alt-names, ethernet, veth (at interfaces[0].colour)',
    ]);
  });

  it('points a missing key at the mapping that lacks it', () => {
    expect(diagnostics('interfaces:\n- name: v\n  type: vlan\n  vlan:\n    base-iface: eth1\n')).toEqual([
      'f.yml:5:5: error: missing required key "id" in vlan: expected an integer 0..4094 for a VLAN id (4095 is reserved), or a string holding one (decimal or 0x-hex) (at interfaces[0].vlan)',
    ]);
  });

  it('reports YAML syntax errors with their position and no path', () => {
    expect(diagnostics('interfaces:\n  - name: eth1\n   type: ethernet\n')).toEqual([
      'f.yml:3:1: error: invalid YAML: Sequence item without - indicator',
    ]);
  });

  it('reads strict JSON when asked, and reports JSON errors at their position', () => {
    expect(parseState('{"interfaces": [{"name": "eth1", "type": "ethernet"}]}', { format: 'json' }).ok).toBe(true);
    expect(diagnostics('{\n  "interfaces": [\n    {"name": "eth1",}\n  ]\n}\n', { format: 'json' })[0]).toMatch(/^f\.yml:3:21: error: invalid (JSON|YAML): /);
  });

  it('reads an empty document as an empty state', () => {
    const result = parseState('');
    expect(result.ok && result.state).toEqual({ interfaces: [] });
  });

  it('reads non-breaking spaces as spaces, as nmstatectl does', () => {
    expect(parseState('interfaces:\n-\u00a0name: eth1\n\u00a0 type: ethernet\n').ok).toBe(true);
  });

  it('finds the state inside an NNCP manifest and reports positions in the manifest', () => {
    const manifest = 'apiVersion: nmstate.io/v1\nkind: NodeNetworkConfigurationPolicy\nspec:\n  desiredState:\n    interfaces:\n    - name: eth1\n      type: ethernet\n      mtu: -1\n';
    expect(diagnostics(manifest, { documentPath: 'auto' })).toEqual([
      'f.yml:8:12: error: mtu: expected an integer 0..4294967295 for an MTU (32 bits in the kernel), or a string holding one (decimal or 0x-hex), got an integer -1 (at spec.desiredState.interfaces[0].mtu)',
    ]);
    expect(diagnostics('apiVersion: nmstate.io/v1\nkind: NodeNetworkConfigurationPolicy\nspec: {}\n', { documentPath: 'auto' })).toEqual([
      'f.yml:3:7: error: no state document at spec.desiredState: expected a mapping there (at spec)',
    ]);
  });

  it('locates warnings when asked', () => {
    const result = parseState('interfaces:\n- name: eth1\n  state: absent\n  mtu: 1500\n', { file: 'f.yml', locateWarnings: true });
    expect(result.warnings.map(formatIssue)).toEqual(['f.yml:2:3: warning: ignoring mtu of absent interface "eth1" (at interfaces[0])']);
  });
});

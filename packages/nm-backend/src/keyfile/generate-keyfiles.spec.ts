import { parseState, type NetworkState } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../backend.js';
import { getConnectionId } from '../settings/nm-settings.js';
import { listCorpusExamplesWithoutCase, listGcCases, readText } from './gc-fixtures.js';
import { formatGcOutput } from './gc-output.js';
import { generateKeyfiles } from './generate-keyfiles.js';
import { formatKeyfile, parseKeyfile } from './keyfile-text.js';

function parse(file: string): NetworkState {
  const result = parseState(readText(file), { file });
  if (!result.ok) throw new Error(`${file}: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.state;
}

describe('generateKeyfiles over the golden cases (nmstatectl gc output, see nmstatectl-gc.int.spec.ts)', () => {
  it('has a case for every example of the upstream corpus', () => {
    expect(listCorpusExamplesWithoutCase()).toEqual([]);
  });

  for (const c of listGcCases()) {
    it(c.name, () => {
      const state = parse(c.desiredFile);
      if (c.expectedErrorFile) {
        expect(() => generateKeyfiles(state)).toThrow(BackendError);
        expect(() => generateKeyfiles(state)).toThrow(readText(c.expectedErrorFile).trimEnd());
        return;
      }
      const { files } = generateKeyfiles(state);
      expect(formatGcOutput(files)).toBe(readText(c.expectedFile ?? ''));
      for (const file of files) {
        expect(file.fileName).toBe(`${getConnectionId(file.settings)}.nmconnection`);
        expect(formatKeyfile(parseKeyfile(file.content))).toBe(file.content);
      }
    });
  }
});

describe('generateKeyfiles', () => {
  const eth = (extra: string): NetworkState => {
    const result = parseState(`interfaces:\n- name: eth1\n  type: ethernet\n${extra}`);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.state;
  };

  it('reports what nmstatectl logs as warnings: assumed types and a hostname it cannot store', () => {
    const result = parseState('hostname:\n  config: host1\ninterfaces:\n- name: eth9\n- name: br0\n  type: linux-bridge\n  bridge:\n    port:\n    - name: eth7\n');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { warnings, files } = generateKeyfiles(result.state);
    expect(warnings).toEqual([
      'Setting unknown type interface eth9 to ethernet',
      'Assuming undefined port eth7 as ethernet',
      'Cannot store hostname configuration to keyfile of NetworkManager, please edit /etc/hostname manually',
    ]);
    // nmstate never ranks a port it invented (eth7): it keeps priority 0 and sorts by name, as nmstatectl prints.
    expect(files.map((f) => f.fileName)).toEqual(['br0.nmconnection', 'eth7.nmconnection', 'eth9.nmconnection']);
  });

  it('names what was expected when the state cannot become profiles', () => {
    expect(() => generateKeyfiles(eth('  ipv4:\n    enabled: true\n    address:\n    - ip: 192.0.2.1\n      prefix-length: 24\nroutes:\n  config:\n  - destination: 198.51.100.0/24\n    next-hop-interface: eth2\n'))).toThrow(
      "next hop interface eth2 not found",
    );
    expect(() => generateKeyfiles(eth('routes:\n  config:\n  - destination: 2001:db8::/64\n    next-hop-interface: eth1\n'))).toThrow('has been marked as IPv6 disabled');
    expect(() => generateKeyfiles(eth('dns-resolver:\n  config:\n    server:\n    - 192.0.2.53\n'))).toThrow('Failed to find suitable(IP enabled) interface for DNS server ["192.0.2.53"]');
  });

  it('puts a main-table rule on a route-carrying interface that has the rule\'s IP stack', () => {
    // nmstate walks route-carrying interfaces in hash order and drops the rule when it lands on one without
    // IPv6 (eth0 here); we take the first by name that can hold it.
    const result = parseState(
      [
        'interfaces:',
        '- {name: eth0, type: ethernet, state: up, ipv4: {enabled: true, address: [{ip: 192.0.2.1, prefix-length: 24}]}}',
        '- name: eth1',
        '  type: ethernet',
        '  state: up',
        '  ipv4: {enabled: false}',
        '  ipv6: {enabled: true, address: [{ip: "2001:db8::1", prefix-length: 64}]}',
        'routes:',
        '  config:',
        '  - {destination: 198.51.100.0/24, next-hop-interface: eth0, next-hop-address: 192.0.2.254}',
        '  - {destination: "2001:db8:2::/64", next-hop-interface: eth1, next-hop-address: "2001:db8::fe"}',
        'route-rules:',
        '  config:',
        '  - {ip-from: "2001:db8:1::/64", priority: 1000}',
        '',
      ].join('\n'),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const byName = new Map(generateKeyfiles(result.state).files.map((f) => [f.fileName, f.content]));
    expect(byName.get('eth0.nmconnection')).not.toContain('routing-rule');
    expect(byName.get('eth1.nmconnection')).toContain('routing-rule0=priority 1000 from 2001:db8:1::/64 table 254');
  });

  it('is deterministic: the same state gives byte-identical keyfiles', () => {
    const state = eth('  ipv4:\n    enabled: true\n    dhcp: true\n');
    expect(formatGcOutput(generateKeyfiles(state).files)).toBe(formatGcOutput(generateKeyfiles(structuredClone(state)).files));
  });
});

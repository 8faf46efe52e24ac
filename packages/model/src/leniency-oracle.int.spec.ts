import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatState, parseState, validateState } from './index.js';
import { findCachedNmstatectl } from '@nmfleet/testenv';
import { ORACLE_MISSING, pickNmstatectl, runNmstatectl } from '../test/nmstatectl-oracle.js';

const nmstatectl = pickNmstatectl(findCachedNmstatectl());
const skipNote = nmstatectl === undefined ? ` (skipped: ${ORACLE_MISSING})` : '';

/** YAML spellings of scalars, as they would appear in a document. */
const SPELLINGS = [
  '5', '"5"', "'5'", '0x10', '"0x10"', '"0X10"', '+5', '"+5"', '-1', '"-1"', '0', '1', '"1"', '"0"', '2', '1.0', '"1.0"',
  '1e3', '1.5', 'true', '"true"', 'True', 'false', 'yes', '"Y"', 'on', 'off', 'n', 'null', '~', '""', 'abc', '0123',
  '"0123"', '1_0', '" 5"', '[5]', '{a: 5}', '0o17', '0b11', 'active-backup', '4', 'lacp', 'fast',
];

/** Fields with different serde readers: `u64_or_string`, `bool_or_string`, strict `u8`, `i64_or_string`, enums with numbers. */
const FIELDS: Array<{ name: string; document: (value: string) => string }> = [
  { name: 'mtu (u64_or_string)', document: (v) => `interfaces:\n- name: eth1\n  type: ethernet\n  mtu: ${v}\n` },
  { name: 'ipv4.enabled (bool_or_string)', document: (v) => `interfaces:\n- name: eth1\n  type: ethernet\n  ipv4:\n    enabled: ${v}\n` },
  { name: 'vlan.id (u16_or_string)', document: (v) => `interfaces:\n- name: v\n  type: vlan\n  vlan:\n    id: ${v}\n` },
  { name: 'hsr multicast-spec (strict u8)', document: (v) => `interfaces:\n- name: h\n  type: hsr\n  hsr:\n    port1: a\n    port2: b\n    protocol: prp\n    multicast-spec: ${v}\n` },
  { name: 'allow-extra-address (strict bool)', document: (v) => `interfaces:\n- name: eth1\n  type: ethernet\n  ipv4:\n    allow-extra-address: ${v}\n` },
  { name: 'bond mode (enum or integer)', document: (v) => `interfaces:\n- name: b\n  type: bond\n  link-aggregation:\n    mode: ${v}\n` },
  { name: 'bond lacp_rate (enum or integer)', document: (v) => `interfaces:\n- name: b\n  type: bond\n  link-aggregation:\n    options:\n      lacp_rate: ${v}\n` },
  { name: 'route metric (i64_or_string, top level)', document: (v) => `routes:\n  config:\n  - destination: 10.0.0.0/8\n    metric: ${v}\n` },
  { name: 'route next-hop-interface (string, top level)', document: (v) => `routes:\n  config:\n  - next-hop-interface: ${v}\n` },
  { name: 'interface description (string, via JSON)', document: (v) => `interfaces:\n- name: eth1\n  type: ethernet\n  description: ${v}\n` },
  { name: 'trunk tag id (custom)', document: (v) => `interfaces:\n- name: br0\n  type: linux-bridge\n  bridge:\n    port:\n    - name: eth1\n      vlan:\n        trunk-tags:\n        - id: ${v}\n` },
];

describe(`lenient and strict values are read as nmstatectl reads them${skipNote}`, () => {
  it.skipIf(nmstatectl === undefined).each(FIELDS.map((field) => [field.name, field] as const))('%s', (_name, field) => {
    const disagreements: string[] = [];
    for (const spelling of SPELLINGS) {
      const text = field.document(spelling);
      const ours = parseState(text);
      const theirs = runNmstatectl(nmstatectl as string, 'format', text);
      const oursText = ours.ok ? `${formatState(ours.state)}\n` : `rejected: ${ours.issues[0]?.message}`;
      const theirsText = theirs.ok ? theirs.stdout : `rejected: ${theirs.error}`;
      if (ours.ok !== theirs.ok || (ours.ok && oursText !== theirsText)) {
        disagreements.push(`${spelling}\n    ours:   ${JSON.stringify(oursText)}\n    theirs: ${JSON.stringify(theirsText)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it.skipIf(nmstatectl === undefined)('prints IPv6 addresses as nmstate does', () => {
    const addresses = fc.sample(fc.ipV6(), { seed: 7, numRuns: 300 });
    const document = {
      interfaces: [{ name: 'eth1', type: 'ethernet', ipv6: { enabled: true, address: addresses.map((ip) => ({ ip, 'prefix-length': 64 })) } }],
    };
    const ours = validateState(document);
    if (!ours.ok) throw new Error(ours.issues.map((issue) => issue.message).join('\n'));
    const theirs = runNmstatectl(nmstatectl as string, 'format', JSON.stringify(document));
    expect(`${formatState(ours.state)}\n`).toBe(theirs.stdout);
  });
});

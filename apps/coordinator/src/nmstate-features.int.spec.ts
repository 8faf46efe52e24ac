import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCachedNmstatectl } from '@nmfleet/testenv';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { listNmstateFeatures } from './nmstate-features.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const EXAMPLES = join(REPO_ROOT, 'testdata/upstream/nmstate/examples');
const nmstatectl = findCachedNmstatectl();
const skipNote = nmstatectl === undefined ? ' (skipped: nmstatectl 2.2.62 is not built; run `npm run -s testenv -- install --for test`)' : '';

/** The node the examples are applied to: the ethernet ports they name exist. */
const CURRENT_STATE = `interfaces:
${['eth0', 'eth1', 'eth2', 'eth3'].map((name) => `- {name: ${name}, type: ethernet, state: up, mac-address: "02:00:00:00:00:0${name.slice(3)}"}`).join('\n')}
`;

/** Features the examples do not exercise. */
const EXTRA_CASES: Record<string, string> = {
  'lldp-disabled': 'interfaces: [{name: eth1, type: ethernet, state: up, lldp: {enabled: false}}]',
  'dhcpv4-custom-hostname': 'interfaces: [{name: eth1, type: ethernet, state: up, ipv4: {enabled: true, dhcp: true, dhcp-custom-hostname: a}}]',
  'dhcpv6-custom-hostname': 'interfaces: [{name: eth1, type: ethernet, state: up, ipv6: {enabled: true, dhcp: true, dhcp-custom-hostname: a}}]',
  'ovs-db-interface': 'interfaces: [{name: eth1, type: ethernet, state: up, ovs-db: {external_ids: {a: b}}}]',
  'ovs-db-interface-empty': 'interfaces: [{name: eth1, type: ethernet, state: up, ovs-db: {external_ids: {}}}]',
  'ovs-db-global-empty': 'ovs-db: {}',
  'mac-identifier': 'interfaces: [{name: eth1, type: ethernet, state: up, identifier: mac-address, mac-address: "02:00:00:00:00:01"}]',
  'sriov-absent-iface': 'interfaces: [{name: eth1, type: ethernet, state: absent, ethernet: {sr-iov: {total-vfs: 2}}}]',
  'sriov-down-iface': 'interfaces: [{name: eth1, type: ethernet, state: down, ethernet: {sr-iov: {total-vfs: 2}}}]',
  'dns-empty-server-list': 'dns-resolver: {config: {server: []}}',
  'hostname-running-only': 'hostname: {running: a}',
  'mptcp': 'interfaces: [{name: eth1, type: ethernet, state: up, mptcp: {address-flags: [signal]}, ipv4: {enabled: true, address: [{ip: 192.0.2.1, prefix-length: 24}]}}]',
  'ovn-mapping':
    'interfaces: [{name: br0, type: ovs-bridge, state: up, bridge: {port: [{name: eth1}]}}]\novn: {bridge-mappings: [{localnet: net1, bridge: br0}]}',
};

const work = mkdtempSync(join(tmpdir(), 'nmstate-features-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function oracleFeatures(text: string): string[] | { error: string } {
  const current = join(work, 'current.yml');
  const desired = join(work, 'desired.yml');
  writeFileSync(current, CURRENT_STATE);
  writeFileSync(desired, text);
  const run = spawnSync(nmstatectl as string, ['statistic', '-q', '--json', '-c', current, desired], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) return { error: run.stderr.trim() };
  const features = (JSON.parse(run.stdout) as { features: string[] }).features;
  // Interface counts depend on the node's whole state; see nmstate-features.ts.
  return features.filter((feature) => !feature.startsWith('iface-count-')).sort();
}

const cases: [string, string][] = [
  ...readdirSync(EXAMPLES)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .map((file): [string, string] => [file, readFileSync(join(EXAMPLES, file), 'utf8')]),
  ...Object.entries(EXTRA_CASES),
];

describe(`nmstate features agree with nmstatectl statistic${skipNote}`, () => {
  it.skipIf(nmstatectl === undefined)('on every nmstate example and the extra cases', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const [name, text] of cases) {
      const theirs = oracleFeatures(text);
      // States nmstatectl refuses against this node (e.g. IPsec without libreswan) say nothing about features.
      if (!Array.isArray(theirs)) continue;
      compared += 1;
      const ours = listNmstateFeatures(load(text));
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) disagreements.push(`${name}: ours ${JSON.stringify(ours)}, nmstatectl ${JSON.stringify(theirs)}`);
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(40);
  });
});

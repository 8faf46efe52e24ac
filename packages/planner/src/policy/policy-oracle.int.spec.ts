import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIssue, parseState, validateState } from '@nmfleet/model';
import { findCachedNmstatectl } from '@nmfleet/testenv';
import { afterAll, describe, expect, it } from 'vitest';
import { isPlannerError, mergeState, type JsonValue, type StateDoc } from '../index.js';
import { buildScenario, sampleScenarios } from '../testing/topology-scenarios.js';
import { readCaptureSection } from '../testing/policy-file.js';
import { evaluatePolicy } from './network-policy.js';

/*
 * Differential test of nmpolicy evaluation against the real
 * `nmstatectl policy POLICY -c CURRENT` (2.2.62), run live on the 13 upstream
 * scenarios and on the project's own cases (which also proves the recordings
 * the unit golden spec uses are still what the oracle prints), then on
 * generated hosts with a set of expressions over every capture keyword.
 */

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const upstreamDir = join(repoRoot, 'testdata/upstream/nmstate/examples/policy');
const fixturesDir = fileURLToPath(new URL('../__fixtures__/', import.meta.url));

function parseText(text: string, options: Parameters<typeof parseState>[1] = {}): StateDoc {
  const result = parseState(text, options);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.state as unknown as StateDoc;
}

function readBack(state: StateDoc): StateDoc {
  const result = validateState(state);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.state as unknown as StateDoc;
}

interface PolicyCase {
  readonly name: string;
  readonly dir: string;
  /** The recorded oracle output (state file), or the recorded error text. */
  readonly recording: string;
}

function listCases(): PolicyCase[] {
  const upstream = readdirSync(upstreamDir).sort().map((name) => ({ name: `upstream/${name}`, dir: join(upstreamDir, name), recording: join(fixturesDir, 'policy-oracle', `${name}.yml`) }));
  const own = readdirSync(join(fixturesDir, 'policy')).sort().map((name) => {
    const dir = join(fixturesDir, 'policy', name);
    return { name: `own/${name}`, dir, recording: existsSync(join(dir, 'expected-error.txt')) ? join(dir, 'expected-error.txt') : join(dir, 'expected.yml') };
  });
  return [...upstream, ...own];
}

const oracle = findCachedNmstatectl();

describe.skipIf(!oracle)(`nmpolicy matches nmstatectl policy${oracle ? '' : ' (SKIPPED: nmstatectl 2.2.62 not built; run `npm run bootstrap -- --for test`)'}`, () => {
  for (const c of listCases()) {
    it(c.name, () => {
      const policyFile = join(c.dir, 'policy.yml');
      const currentFile = join(c.dir, 'current.yml');
      const run = spawnSync(oracle as string, ['-q', 'policy', policyFile, '-c', currentFile], { encoding: 'utf8' });
      const policy = {
        capture: readCaptureSection(readFileSync(policyFile, 'utf8')),
        desiredState: parseText(readFileSync(policyFile, 'utf8'), { documentPath: ['desiredState'], templates: true }),
      };
      const current = parseText(readFileSync(currentFile, 'utf8'));
      if (c.recording.endsWith('.txt')) {
        expect(run.status).not.toBe(0);
        expect(run.stderr).toBe(readFileSync(c.recording, 'utf8'));
        let caught: unknown;
        try {
          evaluatePolicy(policy, current);
        } catch (e) {
          caught = e;
        }
        expect(isPlannerError(caught, 'policy')).toBe(true);
        expect(run.stderr).toContain((caught as Error).message);
        return;
      }
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe(readFileSync(c.recording, 'utf8'));
      expect(readBack(evaluatePolicy(policy, current).state)).toEqual(parseText(run.stdout));
    });
  }
});

/** Expressions over interfaces, routes, rules, DNS and hostname, with filters, pipes, replaces and templates. */
const GENERATED_POLICIES: readonly { readonly capture: Record<string, string>; readonly desiredState: JsonValue }[] = [
  { capture: { x: 'interfaces.type=="bond"' }, desiredState: { interfaces: '{{ capture.x.interfaces }}' } },
  { capture: { x: 'interfaces.mtu==1500' }, desiredState: { interfaces: '{{ capture.x.interfaces }}' } },
  { capture: { x: 'interfaces.ipv4.enabled==true' }, desiredState: { interfaces: '{{ capture.x.interfaces }}' } },
  { capture: { x: 'routes.config.table-id==254' }, desiredState: { routes: { config: '{{ capture.x.routes.config }}' } } },
  { capture: { x: 'interfaces.type=="ethernet"', y: 'capture.x | interfaces.mtu:=9000' }, desiredState: { interfaces: '{{ capture.y.interfaces }}' } },
  { capture: { x: 'interfaces.type=="ethernet"', y: 'capture.x | interfaces.description:=null' }, desiredState: { interfaces: '{{ capture.y.interfaces }}' } },
  { capture: { x: 'interfaces.controller=="bond0"' }, desiredState: { interfaces: '{{ capture.x.interfaces }}' } },
  { capture: { x: 'route-rules.config.priority==1000' }, desiredState: { 'route-rules': { config: '{{ capture.x.route-rules.config }}' } } },
  { capture: { x: 'interfaces.link-aggregation.mode=="active-backup"' }, desiredState: { interfaces: '{{ capture.x.interfaces }}' } },
  { capture: { x: 'dns-resolver.config' }, desiredState: { 'dns-resolver': { config: '{{ capture.x.dns-resolver.config }}' } } },
  { capture: { x: 'interfaces.name=="eth0"', y: 'interfaces.mtu==capture.x.interfaces.0.mtu' }, desiredState: { interfaces: '{{ capture.y.interfaces }}' } },
  { capture: { x: 'interfaces.type=="ethernet"', y: 'capture.x | interfaces.ipv4.dhcp:=true' }, desiredState: { interfaces: '{{ capture.y.interfaces }}' } },
  { capture: { x: 'interfaces.name=="eth0"' }, desiredState: { interfaces: [{ name: 'br-{{ capture.x.interfaces.0.name }}', type: 'linux-bridge', state: 'up', mtu: '{{ capture.x.interfaces.0.mtu }}' }] } },
  { capture: { x: 'routes.config.next-hop-interface=="eth2"', y: 'capture.x | routes.config.metric:=50' }, desiredState: { routes: { config: '{{ capture.y.routes.config }}' } } },
  { capture: { x: 'interfaces.vlan.id==10' }, desiredState: { interfaces: '{{ capture.x.interfaces }}' } },
  { capture: { x: 'hostname.running' }, desiredState: { hostname: '{{ capture.x.hostname }}' } },
];
/** Generated hosts the expressions run against, and the seed that draws them. */
const GENERATED_HOSTS = 6;
const GENERATED_SEED = 7;

const workDir = mkdtempSync(join(tmpdir(), 'planner-policy-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe.skipIf(!oracle)(`nmpolicy on generated hosts matches nmstatectl policy${oracle ? '' : ' (SKIPPED: nmstatectl 2.2.62 not built)'}`, () => {
  const hosts = sampleScenarios(GENERATED_HOSTS, GENERATED_SEED).map((scenario) => {
    const { current, desired } = buildScenario(scenario);
    return readBack(mergeState(desired, current));
  });
  hosts.forEach((host, h) => {
    GENERATED_POLICIES.forEach((policy, p) => {
      it(`host ${h}, ${Object.values(policy.capture).join(' ; ')}`, () => {
        const currentFile = join(workDir, `current-${h}-${p}.json`);
        const policyFile = join(workDir, `policy-${h}-${p}.json`);
        writeFileSync(currentFile, JSON.stringify(host));
        writeFileSync(policyFile, JSON.stringify(policy));
        const run = spawnSync(oracle as string, ['-q', 'policy', '--json', policyFile, '-c', currentFile], { encoding: 'utf8' });
        let ours: StateDoc | undefined;
        let error: unknown;
        try {
          ours = readBack(evaluatePolicy(policy, host).state);
        } catch (e) {
          error = e;
        }
        if (run.status !== 0) {
          expect(isPlannerError(error, 'policy'), run.stderr).toBe(true);
          expect(run.stderr).toContain((error as Error).message);
        } else {
          expect(error).toBeUndefined();
          expect(ours).toEqual(readBack(JSON.parse(run.stdout) as StateDoc));
        }
      });
    });
  });
});

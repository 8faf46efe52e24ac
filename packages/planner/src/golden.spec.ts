import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { formatIssue, parseState, validateState } from '@nmfleet/model';
import { readCaptureSection } from './testing/policy-file.js';
import { describe, expect, it } from 'vitest';
import { diffStates, evaluatePolicy, isPlannerError, mergeState, planState, verifyState, type JsonValue, type PlanOperation, type StateDoc } from './index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const genDiffDir = join(repoRoot, 'testdata/upstream/nmstate/gen-diff');
const policyDir = join(repoRoot, 'testdata/upstream/nmstate/examples/policy');
const nncpDir = join(repoRoot, 'testdata/upstream/kubernetes-nmstate/examples');
const fixturesDir = fileURLToPath(new URL('./__fixtures__/', import.meta.url));

/** Every leaf of `expected` (lists of named entries matched by name) with its value in `actual`, when they differ. */
function findMissing(expected: JsonValue | undefined, actual: JsonValue | undefined, path = ''): string[] {
  if (Array.isArray(expected)) {
    const named = expected.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e) && typeof e['name'] === 'string');
    if (named && Array.isArray(actual)) {
      return expected.flatMap((e) => {
        const name = (e as Record<string, JsonValue>)['name'];
        const match = actual.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a) && a['name'] === name);
        return findMissing(e, match, `${path}[name=${String(name)}]`);
      });
    }
    return expected.flatMap((e, i) => findMissing(e, Array.isArray(actual) ? actual[i] : undefined, `${path}[${i}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    return Object.entries(expected).flatMap(([k, v]) => findMissing(v, typeof actual === 'object' && actual !== null && !Array.isArray(actual) ? actual[k] : undefined, `${path}.${k}`));
  }
  return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/**
 * Where upstream's expected.yml states what an apply leaves behind rather than
 * what `nmstatectl policy` prints (the recorded oracle output shows the latter).
 */
const EXPECTED_YML_APPLY_ONLY: Readonly<Record<string, readonly string[]>> = {
  'change-gateway-iface-to-mac-identifier': ['.interfaces[name=eth1].profile-name', '.interfaces[name=eth1].type'],
};

/** A state file read as nmstate reads it (through the model), or a failure listing every issue. */
function readState(path: string, options: Parameters<typeof parseState>[1] = {}): StateDoc {
  const result = parseState(readFileSync(path, 'utf8'), { file: path, ...options });
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.state as unknown as StateDoc;
}

/** A state produced by the planner, read back as nmstate reads one (typed values, canonical spellings). */
function readBack(state: StateDoc): StateDoc {
  const result = validateState(state);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.state as unknown as StateDoc;
}

describe('gen-diff corpus (nmstate rust/src/lib/unit_tests/gen_diff_test_files)', () => {
  const cases = readdirSync(genDiffDir).sort();
  it('has the 11 upstream cases', () => expect(cases).toHaveLength(11));
  for (const name of cases) {
    it(name, () => {
      const dir = join(genDiffDir, name);
      const got = readBack(diffStates(readState(join(dir, 'desired.yml')), readState(join(dir, 'current.yml'))));
      expect(got).toEqual(readState(join(dir, 'diff.yml')));
    });
  }
});

describe('nmpolicy corpus (nmstate examples/policy)', () => {
  const cases = readdirSync(policyDir).sort();
  it('has the 13 upstream scenarios', () => expect(cases).toHaveLength(13));
  for (const name of cases) {
    it(name, () => {
      const dir = join(policyDir, name);
      const policyFile = join(dir, 'policy.yml');
      const policy = {
        capture: readCaptureSection(readFileSync(policyFile, 'utf8')),
        desiredState: readState(policyFile, { documentPath: ['desiredState'], templates: true }),
      };
      const state = readBack(evaluatePolicy(policy, readState(join(dir, 'current.yml'))).state);
      const oracle = readState(join(fixturesDir, 'policy-oracle', `${name}.yml`));
      expect(state).toEqual(oracle);
      const allowed = EXPECTED_YML_APPLY_ONLY[name] ?? [];
      const missing = findMissing(readState(join(dir, 'expected.yml')) as JsonValue, state as JsonValue).filter((m) => !allowed.some((a) => m.startsWith(`${a}:`)));
      expect(missing).toEqual([]);
    });
  }
});

/** A plan operation as fixtures spell it: the merged interface and its type are left out for brevity. */
function projectOperation(op: PlanOperation): Record<string, unknown> {
  const { merged: _merged, type: _type, ...rest } = op;
  return rest;
}

/**
 * The project's own golden cases: `__fixtures__/<kind>/<case>/{current,desired}.yml`
 * and the expected result: `expected.yml` for `merge` (a state), `expected.json`
 * for `plan` (`operations`), `verify` (`mismatches`) and `error` (the `kind` and
 * `message` planning must throw).
 */
const RUNNERS: Readonly<Record<string, (desired: StateDoc, current: StateDoc) => unknown>> = {
  plan: (d, c) => ({ operations: planState(d, c).operations.map(projectOperation) }),
  merge: (d, c) => readBack(mergeState(d, c)),
  verify: (d, c) => ({ mismatches: verifyState(d, c) }),
  error: (d, c) => {
    try {
      planState(d, c);
    } catch (e) {
      if (isPlannerError(e)) return { error: { kind: e.kind, message: e.message } };
      throw e;
    }
    return { error: 'none thrown' };
  },
};

describe('project golden cases (__fixtures__/<kind>/<case>)', () => {
  for (const kind of Object.keys(RUNNERS)) {
    const kindDir = join(fixturesDir, kind);
    for (const name of readdirSync(kindDir).sort()) {
      it(`${kind}/${name}`, () => {
        const dir = join(kindDir, name);
        const got = (RUNNERS[kind] as (d: StateDoc, c: StateDoc) => unknown)(readState(join(dir, 'desired.yml')), readState(join(dir, 'current.yml')));
        const expected = kind === 'merge' ? readState(join(dir, 'expected.yml')) : (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as unknown);
        expect(JSON.parse(JSON.stringify(got))).toEqual(expected);
      });
    }
  }
});

/** The message of an nmstatectl policy error, as our PlannerError spells it (without nmstatectl's prefixes). */
function readOracleError(path: string): string {
  const text = readFileSync(path, 'utf8').trimEnd();
  const start = text.indexOf('PolicyError: ');
  return text.slice(start + 'PolicyError: '.length).replace(/, expected value at line \d+ column \d+$/, '');
}

describe('project nmpolicy cases (__fixtures__/policy/<case>, outputs recorded from nmstatectl 2.2.62)', () => {
  const dir = join(fixturesDir, 'policy');
  for (const name of readdirSync(dir).sort()) {
    it(name, () => {
      const caseDir = join(dir, name);
      const policyFile = join(caseDir, 'policy.yml');
      const run = (): StateDoc => {
        const policy = {
          capture: readCaptureSection(readFileSync(policyFile, 'utf8')),
          desiredState: readState(policyFile, { documentPath: ['desiredState'], templates: true }),
        };
        return readBack(evaluatePolicy(policy, readState(join(caseDir, 'current.yml'))).state);
      };
      if (existsSync(join(caseDir, 'expected-error.txt'))) {
        let caught: unknown;
        try {
          run();
        } catch (e) {
          caught = e;
        }
        expect(isPlannerError(caught, 'policy')).toBe(true);
        expect((caught as Error).message).toBe(readOracleError(join(caseDir, 'expected-error.txt')));
      } else {
        expect(run()).toEqual(readState(join(caseDir, 'expected.yml')));
      }
    });
  }
});

/** A node as kubernetes-nmstate examples expect one: the NICs they name, addressed by DHCP. */
const NNCP_NODE = `interfaces:
  - {name: eth1, type: ethernet, state: up, mtu: 1500, ipv4: {enabled: true, dhcp: true}, ipv6: {enabled: false}}
  - {name: eth2, type: ethernet, state: up, mtu: 1500, ipv4: {enabled: true, dhcp: true}, ipv6: {enabled: false}}
routes:
  config: []
`;

describe('every upstream NodeNetworkConfigurationPolicy example plans and verifies on a node', () => {
  const files = readdirSync(nncpDir)
    .filter((f) => /^kind: NodeNetworkConfigurationPolicy$/m.test(readFileSync(join(nncpDir, f), 'utf8')))
    .sort();
  it('finds the examples', () => expect(files.length).toBeGreaterThanOrEqual(18));
  for (const file of files) {
    it(file, () => {
      const node = parseState(NNCP_NODE);
      if (!node.ok) throw new Error('bad node fixture');
      const text = readFileSync(join(nncpDir, file), 'utf8');
      const capture = readCaptureSection(text);
      const template = readState(join(nncpDir, file), { documentPath: ['spec', 'desiredState'], templates: Object.keys(capture).length > 0 });
      const desired = readBack(evaluatePolicy({ capture, desiredState: template }, node.state).state);
      const plan = planState(desired, node.state);
      plan.operations.forEach((op, i) => op.dependsOn.forEach((d) => expect(d).toBeLessThan(i)));
      expect(verifyState(desired, mergeState(desired, node.state))).toEqual([]);
    });
  }
});

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIssue, parseState, validateState } from '@nmfleet/model';
import { findCachedNmstatectl } from '@nmfleet/testenv';
import { describe, expect, it } from 'vitest';
import { isPlannerError, type StateDoc } from '../index.js';
import { readCaptureSection } from '../testing/policy-file.js';
import { evaluatePolicy } from './network-policy.js';

/*
 * Differential test of nmpolicy evaluation against the real
 * `nmstatectl policy POLICY -c CURRENT` (2.2.62), run live on the 13 upstream
 * scenarios and on the project's own cases. It also proves the recordings
 * the unit golden spec uses are still what the oracle prints.
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

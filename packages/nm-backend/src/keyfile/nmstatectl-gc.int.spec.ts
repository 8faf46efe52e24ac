import { spawnSync } from 'node:child_process';
import { parseState } from '@nmfleet/model';
import { findCachedNmstatectl } from '@nmfleet/testenv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { listGcCases, readText } from './gc-fixtures.js';
import { formatGcOutput } from './gc-output.js';
import { generateKeyfiles } from './generate-keyfiles.js';
import { parseKeyfile, toKeyfileMap } from './keyfile-text.js';

/*
 * Differential test against the real `nmstatectl gc` (2.2.62): every corpus
 * example and every golden case, compared file by file and key by key, and as
 * whole text. The only differences allowed are listed here, each with its
 * reason; anything else fails.
 */

/**
 * Settings nmstatectl 2.2.62 leaves out of its keyfiles because it has no
 * keyfile writer for them (NetworkManager then cannot create the device, or
 * loses the MTU). We write them.
 */
const SECTIONS_NMSTATECTL_DROPS = new Set(['hsr', 'ipvlan', 'ip-tunnel', 'loopback']);
/**
 * nmstatectl keeps route rules in hash sets: the order of a profile's rules,
 * and for a main-table rule which of several route-carrying interfaces gets
 * it, vary between its runs. Rules are compared as one set per IP family over
 * the whole output; ours are sorted and go to the first candidate by name.
 */
const UNORDERED_KEY = /^routing-rule\d+$/;
/**
 * Values nmstatectl writes in a form NetworkManager rejects: bridge.group-address
 * as decimal bytes (`1;128;194;0;0;14`, "is not a valid link local MAC
 * address"); we write `01:80:C2:00:00:0E`.
 */
const VALUE_DIFFERENCES: Readonly<Record<string, (ours: string, theirs: string) => boolean>> = {
  'bridge.group-address': (ours, theirs) => ours.split(':').map((b) => parseInt(b, 16)).join(';') === theirs,
};

type GcOutput = { name: string; content: string }[];

function readGcOutput(text: string): GcOutput {
  const doc = yaml.load(text) as { NetworkManager: [string, string][] };
  return doc.NetworkManager.map(([name, content]) => ({ name, content }));
}

interface Comparison {
  /** Whether the outputs differ only as allowed above. */
  readonly differences: string[];
  /** Whether an allowed difference was used (then the text cannot be identical). */
  readonly allowedUsed: boolean;
}

function compareOutputs(ours: GcOutput, theirs: GcOutput): Comparison {
  const differences: string[] = [];
  let allowedUsed = false;
  if (ours.map((f) => f.name).join(' ') !== theirs.map((f) => f.name).join(' ')) {
    differences.push(`files: ours [${ours.map((f) => f.name).join(', ')}], nmstatectl [${theirs.map((f) => f.name).join(', ')}]`);
    return { differences, allowedUsed };
  }
  theirs.forEach((theirFile, i) => {
    const ourFile = ours[i];
    if (!ourFile) return;
    const ourMap = toKeyfileMap(parseKeyfile(ourFile.content));
    const theirDoc = parseKeyfile(theirFile.content);
    const theirMap = toKeyfileMap(theirDoc);
    const ourOrder = [...ourMap.keys()].filter((s) => theirMap.has(s));
    if (ourOrder.join(',') !== theirDoc.map((s) => s.name).join(',')) differences.push(`${theirFile.name}: section order ours [${ourOrder}], nmstatectl [${theirDoc.map((s) => s.name)}]`);
    for (const [section, ourKeys] of ourMap) {
      if (theirMap.has(section)) continue;
      if (SECTIONS_NMSTATECTL_DROPS.has(section)) allowedUsed = true;
      else differences.push(`${theirFile.name}: section [${section}] only in ours (${[...ourKeys].map(([k, v]) => `${k}=${v}`).join(' ')})`);
    }
    for (const [section, theirKeys] of theirMap) {
      const ourKeys = ourMap.get(section);
      if (!ourKeys) {
        differences.push(`${theirFile.name}: section [${section}] missing in ours`);
        continue;
      }
      for (const key of new Set([...ourKeys.keys(), ...theirKeys.keys()])) {
        if (UNORDERED_KEY.test(key)) continue;
        const ourValue = ourKeys.get(key);
        const theirValue = theirKeys.get(key);
        if (ourValue === theirValue) continue;
        if (ourValue !== undefined && theirValue !== undefined && VALUE_DIFFERENCES[`${section}.${key}`]?.(ourValue, theirValue)) {
          allowedUsed = true;
          continue;
        }
        differences.push(`${theirFile.name}: [${section}] ${key}: ours ${JSON.stringify(ourValue)}, nmstatectl ${JSON.stringify(theirValue)}`);
      }
    }
  });
  const rules = (files: GcOutput): string[] =>
    files
      .flatMap((f) => [...toKeyfileMap(parseKeyfile(f.content))].flatMap(([section, keys]) => [...keys].filter(([k]) => UNORDERED_KEY.test(k)).map(([, v]) => `${section}: ${v}`)))
      .sort();
  const ourRules = rules(ours);
  const theirRules = rules(theirs);
  if (ourRules.join('\n') !== theirRules.join('\n')) differences.push(`routing rules: ours ${JSON.stringify(ourRules)}, nmstatectl ${JSON.stringify(theirRules)}`);
  else if (ourRules.length > 1) allowedUsed = true;
  return { differences, allowedUsed };
}

const nmstatectl = findCachedNmstatectl();

describe.skipIf(!nmstatectl)(`nmfleet gc equals nmstatectl gc${nmstatectl ? '' : ' (SKIPPED: nmstatectl 2.2.62 not built; run `npm run bootstrap -- --for test`)'}`, () => {
  for (const c of listGcCases()) {
    it(c.name, () => {
      const run = spawnSync(nmstatectl as string, ['gc', c.desiredFile], { encoding: 'utf8' });
      const parsed = parseState(readText(c.desiredFile), { file: c.desiredFile });
      if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join('; '));
      if (c.expectedErrorFile) {
        // Both refuse the state (messages are worded for each tool).
        expect(run.status, `nmstatectl accepted ${c.name}`).not.toBe(0);
        expect(() => generateKeyfiles(parsed.state)).toThrow();
        return;
      }
      expect(run.status, run.stderr).toBe(0);
      const ourText = `${formatGcOutput(generateKeyfiles(parsed.state).files)}\n`;
      const comparison = compareOutputs(readGcOutput(ourText), readGcOutput(run.stdout));
      expect(comparison.differences).toEqual([]);
      // Where no listed difference applies, the output is byte for byte nmstatectl's.
      if (!comparison.allowedUsed) expect(ourText).toBe(run.stdout);
    });
  }
});

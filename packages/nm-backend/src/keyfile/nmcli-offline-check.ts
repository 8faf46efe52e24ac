import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { BackendError } from '../backend.js';
import { parseKeyfile, type KeyfileDocument } from './keyfile-text.js';
import { KEYFILE_SECTION_ALIASES } from './keyfile-writer.js';

/*
 * Checks a keyfile with NetworkManager's own parser: `nmcli --offline
 * connection modify` reads a keyfile on stdin, validates and normalizes it and
 * prints it back. It silently drops what it does not understand, so the output
 * is compared with the input key by key. Where the spelling differs, nmcli is
 * asked again: setting the input's value on the output must change nothing
 * (a dropped default such as `autoconnect=true`, `addr-gen-mode=0` printed as
 * `eui64`). Used by the integration specs; needs `nmcli` (NetworkManager ≥ 1.40).
 */

/** How one key of the input survived `nmcli --offline`. */
export type KeyVerdict = 'kept' | 'equivalent' | 'lost' | 'changed';

/** One key of the input keyfile that nmcli did not print back verbatim. */
export interface KeyFinding {
  /** Setting name (D-Bus spelling, `802-3-ethernet` not `ethernet`). */
  readonly setting: string;
  readonly key: string;
  readonly input: string;
  /** The value nmcli printed, when it printed the key at all. */
  readonly output?: string;
  readonly verdict: Exclude<KeyVerdict, 'kept'>;
  /** nmcli's message when it refused the value. */
  readonly reason?: string;
}

/** The outcome of {@link checkKeyfileWithNmcli}. */
export interface NmcliCheck {
  /** What nmcli printed, or undefined when it refused the whole file. */
  readonly output?: string;
  /** nmcli's error when it refused the whole file (e.g. a connection type it does not know). */
  readonly rejected?: string;
  /** Keys not printed back verbatim, each with a verdict; empty when every key was kept. */
  readonly findings: readonly KeyFinding[];
  /** Number of input keys compared. */
  readonly keyCount: number;
}

const TYPE_ALIASES: Readonly<Record<string, string>> = { ethernet: '802-3-ethernet', wifi: '802-11-wireless' };
const SECTION_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(KEYFILE_SECTION_ALIASES).map(([dbus, alias]) => [alias, dbus]));
const INDEXED_KEY = /^(address|route|routing-rule)(\d+)(_options)?$/;

const NMCLI_DIRS = ['/usr/bin', '/usr/local/bin', '/bin', '/usr/sbin'];

/** The `nmcli` binary in one of `dirs` (the system binary folders by default), or undefined. */
export function findNmcli(dirs: readonly string[] = NMCLI_DIRS): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, 'nmcli');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function runNmcliOffline(nmcli: string, property: string, value: string, keyfile: string): { ok: true; output: string } | { ok: false; error: string } {
  const result = spawnSync(nmcli, ['--offline', 'connection', 'modify', property, value], { input: keyfile, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw new BackendError('unavailable', `cannot run ${nmcli}: ${result.error.message}`, { cause: result.error });
  if (result.status !== 0) return { ok: false, error: (result.stderr || result.stdout).trim() };
  return { ok: true, output: result.stdout };
}

function stripListEnd(value: string): string {
  return value.endsWith(';') && !value.endsWith('\\;') ? value.slice(0, -1) : value;
}

function normalizeRouteLine(line: string): string {
  const [dest = '', nextHop = '', ...rest] = line.split(',');
  const empty = dest.includes(':') ? '::' : '0.0.0.0';
  return [dest, nextHop === '' ? empty : nextHop, ...rest].join(',');
}

function normalizeOptions(options: string): string {
  return options.split(',').sort().join(',');
}

const RULE_FLAGS = new Set(['not', 'l3mdev']);

function normalizeRuleNumber(text: string): string {
  return text
    .split('/')
    .map((part) => (/^(0x[0-9a-f]+|\d+)$/i.test(part) ? String(Number(part)) : part))
    .join('/');
}

/** A routing rule as sorted `keyword value` pairs: NetworkManager reorders them and prints marks in hex. */
function normalizeRule(rule: string): string {
  const words = rule.trim().split(/\s+/);
  const pairs: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (RULE_FLAGS.has(word)) pairs.push(word);
    else pairs.push(`${word} ${normalizeRuleNumber(words[++i] ?? '')}`);
  }
  return pairs.sort().join(' ');
}

function normalizeSriovVf(value: string): string {
  return value
    .split(' ')
    .map((word) => (word.startsWith('vlans=') ? `vlans=${word.slice(6).split(';').map((v) => v.replace(/\.q$/, '')).join(';')}` : word))
    .sort()
    .join(' ');
}

/**
 * Key/value pairs of a keyfile in a form where two spellings NetworkManager
 * reads the same way compare equal: D-Bus setting names, `type` aliases, list
 * terminators, addresses/routes/rules renumbered from 0 in file order.
 */
function normalizeDocument(doc: KeyfileDocument): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const section of doc) {
    const setting = SECTION_NAMES[section.name] ?? section.name;
    const values = out.get(setting) ?? new Map<string, string>();
    const indexed = new Map<string, { index: number; value: string; options?: string }[]>();
    for (const [key, raw] of section.entries) {
      let value = stripListEnd(raw);
      const match = INDEXED_KEY.exec(key);
      if ((setting === 'ipv4' || setting === 'ipv6') && match?.[1] && match[2] !== undefined) {
        const list = indexed.get(match[1]) ?? [];
        const index = Number(match[2]);
        let entry = list.find((e) => e.index === index);
        if (!entry) {
          entry = { index, value: '' };
          list.push(entry);
        }
        if (match[3]) entry.options = normalizeOptions(value);
        else entry.value = match[1] === 'route' ? normalizeRouteLine(value) : match[1] === 'routing-rule' ? normalizeRule(value) : value;
        indexed.set(match[1], list);
        continue;
      }
      if (setting === 'connection' && key === 'type') value = TYPE_ALIASES[value] ?? value;
      if (setting === 'sriov' && key.startsWith('vf.')) value = normalizeSriovVf(value);
      values.set(key, value);
    }
    for (const [kind, list] of indexed) {
      list.sort((a, b) => a.index - b.index);
      list.forEach((entry, i) => {
        values.set(`${kind}${i}`, entry.value);
        if (entry.options !== undefined) values.set(`${kind}${i}_options`, entry.options);
      });
    }
    out.set(setting, values);
  }
  return out;
}

function toNmcliValue(value: string): string {
  return value.includes(';') ? value.split(';').join(',') : value;
}

/**
 * Feeds a keyfile to `nmcli --offline connection modify` and reports every key
 * that did not come back unchanged, with a verdict: `equivalent` (NetworkManager
 * reads both spellings the same, e.g. a default it leaves out), `lost` (dropped
 * although not a default: NetworkManager did not understand it) or `changed`.
 */
export function checkKeyfileWithNmcli(keyfile: string, nmcli: string): NmcliCheck {
  const input = normalizeDocument(parseKeyfile(keyfile, 'input keyfile'));
  const id = input.get('connection')?.get('id');
  if (id === undefined) throw new BackendError('invalid-state', 'the keyfile has no connection.id');
  const keyCount = [...input.values()].reduce((n, s) => n + s.size, 0);
  const first = runNmcliOffline(nmcli, 'connection.id', id, keyfile);
  if (!first.ok) return { rejected: first.error, findings: [], keyCount };
  const output = normalizeDocument(parseKeyfile(first.output, 'nmcli output'));
  const findings: KeyFinding[] = [];
  for (const [setting, values] of input) {
    for (const [key, value] of values) {
      const printed = output.get(setting)?.get(key);
      if (printed === value) continue;
      const base = { setting, key, input: value, ...(printed === undefined ? {} : { output: printed }) };
      if (INDEXED_KEY.test(key) || key.startsWith('vf.') || key.startsWith('data.')) {
        findings.push({ ...base, verdict: printed === undefined ? 'lost' : 'changed' });
        continue;
      }
      const again = runNmcliOffline(nmcli, `${setting}.${key}`, toNmcliValue(value), first.output);
      if (!again.ok) findings.push({ ...base, verdict: printed === undefined ? 'lost' : 'changed', reason: again.error });
      else if (again.output === first.output) findings.push({ ...base, verdict: 'equivalent' });
      else findings.push({ ...base, verdict: printed === undefined ? 'lost' : 'changed', reason: 'setting the input value on the output changes it' });
    }
  }
  return { output: first.output, findings, keyCount };
}

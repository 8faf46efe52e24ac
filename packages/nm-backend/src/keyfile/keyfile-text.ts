import { BackendError } from '../backend.js';

/** One `[section]` of a keyfile with its `key=value` lines, values unescaped. */
export interface KeyfileSection {
  readonly name: string;
  readonly entries: readonly (readonly [key: string, value: string])[];
}

/** A keyfile as ordered sections, values unescaped: what is written to or read from disk. */
export type KeyfileDocument = readonly KeyfileSection[];

/*
 * GLib's key-file escapes. nmstatectl writes values raw; we escape only what
 * would otherwise change the meaning of the file (line breaks, tabs, a leading
 * space, backslashes), so the output is byte-identical to nmstatectl whenever
 * nmstatectl's output is itself a valid keyfile.
 */
function escapeValue(value: string): string {
  let out = '';
  for (const [i, ch] of [...value].entries()) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === ' ' && i === 0) out += '\\s';
    else out += ch;
  }
  return out;
}

function unescapeValue(raw: string, where: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = raw[++i];
    switch (next) {
      case 's':
        out += ' ';
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '\\':
        out += '\\';
        break;
      case ';':
      case ',':
        // List separators stay escaped: splitting a list is the caller's job.
        out += `\\${next}`;
        break;
      default:
        throw new BackendError('invalid-state', `${where}: invalid escape sequence '\\${next ?? ''}' in keyfile value`);
    }
  }
  return out;
}

/**
 * Prints sections as keyfile text: `[name]`, then `key=value` lines, a blank
 * line between sections and a single newline at the end (nmstatectl's layout).
 */
export function formatKeyfile(document: KeyfileDocument): string {
  const blocks = document.map((section) => [`[${section.name}]`, ...section.entries.map(([k, v]) => `${k}=${escapeValue(v)}`)].join('\n'));
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}

/**
 * Parses keyfile text into ordered sections. Comments (`#`) and blank lines are
 * skipped; a key outside any section, a line without `=`, or a duplicate key
 * is an error naming the line, since NetworkManager would reject the file too.
 */
export function parseKeyfile(text: string, source = 'keyfile'): KeyfileDocument {
  const sections: { name: string; entries: [string, string][] }[] = [];
  const seen = new Map<string, Set<string>>();
  let current: { name: string; entries: [string, string][] } | undefined;
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const where = `${source}:${index + 1}`;
    const line = rawLine.replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      const match = /^\[([^\]]+)\]\s*$/.exec(line);
      if (!match?.[1]) throw new BackendError('invalid-state', `${where}: expected a section header like [connection], got '${rawLine}'`);
      const existing = sections.find((s) => s.name === match[1]);
      current = existing ?? { name: match[1], entries: [] };
      if (!existing) sections.push(current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new BackendError('invalid-state', `${where}: expected 'key=value', got '${rawLine}'`);
    if (!current) throw new BackendError('invalid-state', `${where}: key '${line.slice(0, eq).trim()}' appears before any [section]`);
    const key = line.slice(0, eq).trimEnd();
    const keys = seen.get(current.name) ?? new Set<string>();
    if (keys.has(key)) throw new BackendError('invalid-state', `${where}: duplicate key '${key}' in [${current.name}]`);
    keys.add(key);
    seen.set(current.name, keys);
    current.entries.push([key, unescapeValue(line.slice(eq + 1).replace(/^[ \t]+/, ''), where)]);
  }
  return sections;
}

/** The values of a keyfile as `section → key → value`, for lookups and comparisons. */
export function toKeyfileMap(document: KeyfileDocument): Map<string, Map<string, string>> {
  return new Map(document.map((s) => [s.name, new Map(s.entries.map(([k, v]) => [k, v] as const))]));
}

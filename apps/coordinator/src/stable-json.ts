import { createHash } from 'node:crypto';

/** JSON text with object keys sorted, so equal values always give equal text (and hash). */
export function stringifyStable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : stringifyStable(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stringifyStable(item)}`).join(',')}}`;
}

/** Hex characters of a desired-state hash. */
const DESIRED_HASH_CHARS = 24;

/** The hash that identifies a rendered desired state in records, jobs and reports. */
export function hashStable(value: unknown): { json: string; hash: string } {
  const json = stringifyStable(value);
  return { json, hash: createHash('sha256').update(json).digest('hex').slice(0, DESIRED_HASH_CHARS) };
}

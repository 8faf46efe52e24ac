import { createHash } from 'node:crypto';

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) sorted[key] = canonicalize(field);
    }
    return sorted;
  }
  return value;
}

/**
 * A digest of `value` that ignores key order and `undefined` fields, so two
 * statuses that serialise to the same JSON object compare equal. A digest
 * rather than the JSON itself, because the writer remembers one per object and
 * a NodeNetworkState can be hundreds of kilobytes.
 */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonicalize(value)) ?? 'undefined').digest('base64');
}

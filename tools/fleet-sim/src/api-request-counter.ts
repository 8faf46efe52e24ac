/** Requests the API server counted, by verb, resource and code. */
export interface ApiRequestCounts {
  total: number;
  byVerb: Record<string, number>;
  byResource: Record<string, number>;
  byCode: Record<string, number>;
}

const SAMPLE = /^apiserver_request_total\{([^}]*)\}\s+([0-9.eE+-]+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Sums `apiserver_request_total` of a Prometheus text exposition. */
export function parseApiRequestCounts(metricsText: string): ApiRequestCounts {
  const counts: ApiRequestCounts = { total: 0, byVerb: {}, byResource: {}, byCode: {} };
  for (const line of metricsText.split('\n')) {
    const match = SAMPLE.exec(line.trim());
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[1] ?? '').matchAll(LABEL)) labels[key ?? ''] = value ?? '';
    const value = Number(match[2]);
    const resource = labels.resource === '' || labels.resource === undefined ? `(${labels.subresource || 'non-resource'})` : labels.resource;
    counts.total += value;
    counts.byVerb[labels.verb ?? ''] = (counts.byVerb[labels.verb ?? ''] ?? 0) + value;
    counts.byResource[resource] = (counts.byResource[resource] ?? 0) + value;
    counts.byCode[labels.code ?? ''] = (counts.byCode[labels.code ?? ''] ?? 0) + value;
  }
  return counts;
}

function subtractRecord(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const delta = value - (before[key] ?? 0);
    if (delta !== 0) out[key] = delta;
  }
  return out;
}

/** The requests made between two readings. */
export function subtractApiRequestCounts(after: ApiRequestCounts, before: ApiRequestCounts): ApiRequestCounts {
  return {
    total: after.total - before.total,
    byVerb: subtractRecord(after.byVerb, before.byVerb),
    byResource: subtractRecord(after.byResource, before.byResource),
    byCode: subtractRecord(after.byCode, before.byCode),
  };
}

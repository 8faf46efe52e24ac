import { canonicalizeIp } from '../ip/ip-address.js';
import { cloneJson, isJsonEqual, type JsonObject } from '../json/json-value.js';
import { getObject, type JsonRecord } from '../state/network-state.js';

/** DNS after merging. */
export interface MergedDns {
  /** `dns-resolver.config` as desired (as written); undefined when desired says nothing. */
  readonly desired: JsonObject | undefined;
  /** `dns-resolver.config` of current. */
  readonly current: JsonObject | undefined;
  /** `dns-resolver.config` afterwards: desired replaces current whole. */
  readonly merged: JsonObject | undefined;
  /** Whether the configuration changes. */
  readonly isChanged: boolean;
}

/** DNS config with server addresses canonical and empty lists dropped, for comparison. */
export function normalizeDnsConfig(config: JsonObject | undefined): JsonObject {
  const out: JsonObject = {};
  if (!config) return out;
  for (const [key, value] of Object.entries(config)) {
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = key === 'server' && Array.isArray(value) ? value.map((s) => (typeof s === 'string' ? canonicalizeIpOrName(s) : s)) : cloneJson(value);
  }
  return out;
}

function canonicalizeIpOrName(server: string): string {
  // A server may carry an interface scope (fe80::1%eth0) that the IP parser does not know.
  const [ip = server, scope] = server.split('%');
  try {
    const c = canonicalizeIp(ip, 'DNS server');
    return scope ? `${c}%${scope}` : c;
  } catch {
    return server;
  }
}

/** `dns-resolver.config` replaces the current configuration whole (an empty config purges it). */
export function mergeDns(desiredState: JsonRecord, currentState: JsonRecord): MergedDns {
  const desired = getObject(getObject(desiredState, 'dns-resolver'), 'config');
  const current = getObject(getObject(currentState, 'dns-resolver'), 'config');
  const isChanged = desired !== undefined && !isJsonEqual(normalizeDnsConfig(desired), normalizeDnsConfig(current));
  return { desired, current, merged: desired ?? current, isChanged };
}

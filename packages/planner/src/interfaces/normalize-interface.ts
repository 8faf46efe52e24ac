import { canonicalizeIp, isIpv6LinkLocal } from '../ip/ip-address.js';
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from '../json/json-value.js';
import { getObject, getIfaceType, type InterfaceDoc } from '../state/network-state.js';
import { getInterfaceKind } from './interface-kind.js';

const BOOLEAN_IP_KEYS = ['enabled', 'dhcp', 'autoconf'] as const;

function toBoolean(v: JsonValue | undefined): JsonValue | undefined {
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  return v;
}

function normalizeIpSection(ip: JsonObject, dropLinkLocal: boolean): void {
  for (const key of BOOLEAN_IP_KEYS) if (key in ip) ip[key] = toBoolean(ip[key]) ?? null;
  const addresses = ip['address'];
  if (Array.isArray(addresses)) {
    const out: JsonObject[] = [];
    for (const a of addresses) {
      if (!isJsonObject(a) || typeof a['ip'] !== 'string') continue;
      const ipText = canonicalizeIp(a['ip'], 'interface IP address');
      const prefix = typeof a['prefix-length'] === 'string' ? Number(a['prefix-length']) : a['prefix-length'];
      // Link-local addresses are the kernel's, never configuration (nmstate drops them before diff and verify).
      if (dropLinkLocal && isIpv6LinkLocal(ipText)) continue;
      out.push({ ...a, ip: ipText, 'prefix-length': prefix ?? null });
    }
    ip['address'] = out;
  }
  // nmstate reads any IP section that says something as enabled unless told otherwise.
  if (!('enabled' in ip) && ('dhcp' in ip || 'autoconf' in ip || (Array.isArray(ip['address']) && ip['address'].length > 0))) ip['enabled'] = true;
}

/** Whether {@link normalizeIpSection} would change nothing (the usual case for model-parsed states). */
function isIpSectionCanonical(ip: JsonObject, dropLinkLocal: boolean): boolean {
  for (const key of BOOLEAN_IP_KEYS) if (key in ip && typeof ip[key] !== 'boolean') return false;
  const addresses = ip['address'];
  if (Array.isArray(addresses)) {
    for (const a of addresses) {
      if (!isJsonObject(a) || typeof a['ip'] !== 'string' || typeof a['prefix-length'] !== 'number') return false;
      if (canonicalizeIp(a['ip'], 'interface IP address') !== a['ip']) return false;
      if (dropLinkLocal && isIpv6LinkLocal(a['ip'])) return false;
    }
  }
  return 'enabled' in ip || !('dhcp' in ip || 'autoconf' in ip || (Array.isArray(addresses) && addresses.length > 0));
}

/**
 * An interface in the canonical form the planner compares: IP addresses
 * canonical (and IPv6 link-local removed), boolean strings read as booleans,
 * port lists sorted. Returns a new object that may share unchanged parts with
 * the input (which is never modified).
 */
export function normalizeIface(iface: InterfaceDoc): InterfaceDoc {
  // Copy only what normalizing rewrites: large hosts make whole deep copies the dominant cost.
  const out: InterfaceDoc = { ...iface };
  for (const family of ['ipv4', 'ipv6'] as const) {
    const ip = getObject(out, family);
    if (!ip || isIpSectionCanonical(ip, family === 'ipv6')) continue;
    const copy = cloneJson(ip);
    normalizeIpSection(copy, family === 'ipv6');
    out[family] = copy;
  }
  const kind = getInterfaceKind(getIfaceType(out));
  if (kind.normalize) {
    // Normalizers replace lists at the top of a section, so a shallow copy of each section keeps the input untouched.
    for (const [key, value] of Object.entries(out)) if (isJsonObject(value) && key !== 'ipv4' && key !== 'ipv6') out[key] = { ...value };
    kind.normalize(out);
  }
  return out;
}

/** Whether an IP section is dynamic (DHCP or autoconf), so its addresses are learned, not configured. */
export function isDynamicIp(ip: JsonObject | undefined): boolean {
  return ip !== undefined && ip['enabled'] !== false && (ip['dhcp'] === true || ip['autoconf'] === true);
}

/** Whether an IP section is disabled (`enabled: false`). */
export function isIpDisabled(ip: JsonObject | undefined): boolean {
  return ip !== undefined && ip['enabled'] === false;
}

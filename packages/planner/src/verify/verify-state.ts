import { getInterfaceKind } from '../interfaces/interface-kind.js';
import { isDynamicIp, normalizeIface } from '../interfaces/normalize-interface.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json/json-value.js';
import { compareJson } from '../json/tree-ops.js';
import { assertStateDoc } from '../merge/merge-state.js';
import { normalizeDnsConfig } from '../merge/merge-dns.js';
import { isAbsentEntry, isRouteMatch, normalizeRoute } from '../routes/route-entry.js';
import { isRuleMatch, normalizeRule } from '../routes/route-rule-entry.js';
import { asStateDoc, getIfaceState, getIfaceType, getObject, getSectionList, hasSectionKey, type InterfaceDoc, type StateInput } from '../state/network-state.js';

/**
 * One difference between what was desired and what is there.
 *
 * `path` spells the place in the state document as users write it:
 * `interfaces[name=eth1].ipv4.address`, `routes.config[2]`,
 * `route-rules.config[0]`, `dns-resolver.config.server`, `hostname.config`.
 * Interfaces are addressed by name (names may contain dots, like `eth1.100`);
 * list entries without a name by their index in the desired document.
 */
export interface Mismatch {
  readonly path: string;
  /** The desired value (`absent` for something that should be gone). */
  readonly expected: JsonValue;
  /** What current has there; `null` when it has nothing. */
  readonly actual: JsonValue;
  /** One sentence for a human. */
  readonly message: string;
}

/**
 * Properties never compared, with nmstate's reasons: they are write-only,
 * running-only, or something the backend resolves into another property.
 */
const IGNORED_IFACE_KEYS: ReadonlySet<string> = new Set([
  'profile-name', // a NetworkManager profile id, not a device property
  'identifier', // how the profile finds its device; the device is found by name
  'copy-mac-from', // resolved into mac-address at apply time
  'permanent-mac-address', // hardware fact
  'min-mtu', // hardware fact
  'max-mtu', // hardware fact
  'dispatch', // scripts, not observable state
  'ieee-802-1x', // secrets are never shown back
  'controller-type', // implied by the controller
  'wait-ip', // an apply-time wait, not state
]);

/** Inside any interface: paths below which differences are not reported. */
const IGNORED_IFACE_SUBPATHS: readonly (readonly string[])[] = [
  ['link-aggregation', 'options'], // upstream does not fail on bond option differences (oVirt request)
  ['lldp', 'neighbors'], // learned from the wire
  ['ethtool'], // drivers round or refuse features; upstream verifies them loosely
  ['ipv4', 'dhcp-client-id'], // NetworkManager defaults differ per version
  ['ipv6', 'dhcp-duid'],
  ['ipv6', 'addr-gen-mode'],
];

function formatPath(base: string, rest: readonly (string | number)[]): string {
  return rest.reduce<string>((p, seg) => (typeof seg === 'number' ? `${p}[${seg}]` : seg.startsWith('[') ? `${p}${seg}` : `${p}.${seg}`), base);
}

/** MAC addresses compare without regard to case (kernels print lowercase, users write either). */
function upperCaseMacs(iface: JsonObject): void {
  for (const key of ['mac-address', 'permanent-mac-address'] as const) {
    const v = iface[key];
    if (typeof v === 'string') iface[key] = v.toUpperCase();
  }
}

function isIgnoredSubpath(path: readonly (string | number)[]): boolean {
  return IGNORED_IFACE_SUBPATHS.some((ignored) => ignored.every((seg, i) => path[i] === seg));
}

/** Desired interface prepared for comparison: ignored keys dropped, IP addresses sorted, dynamic addresses skipped. */
function prepareDesiredForVerify(des: InterfaceDoc): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(des)) if (!IGNORED_IFACE_KEYS.has(k)) out[k] = v;
  for (const family of ['ipv4', 'ipv6'] as const) {
    const ip = getObject(out, family);
    if (!ip) continue;
    if (ip['enabled'] === false) {
      out[family] = { enabled: false };
      continue;
    }
    const copy: JsonObject = { ...ip };
    // Addresses of a DHCP/autoconf stack are leases, not configuration.
    if (isDynamicIp(ip)) delete copy['address'];
    else if (Array.isArray(copy['address'])) copy['address'] = sortAddresses(copy['address']);
    out[family] = copy;
  }
  if (out['controller'] === '') delete out['controller'];
  upperCaseMacs(out);
  return out;
}

function sortAddresses(list: JsonValue[]): JsonValue[] {
  const key = (a: JsonValue): string => (isJsonObject(a) ? `${String(a['ip'])}/${String(a['prefix-length'])}` : String(a));
  return [...list].map((a) => (isJsonObject(a) ? { ip: a['ip'] ?? null, 'prefix-length': a['prefix-length'] ?? null } : a)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function prepareCurrentForVerify(cur: InterfaceDoc): JsonObject {
  const out: JsonObject = { ...cur };
  for (const family of ['ipv4', 'ipv6'] as const) {
    const ip = getObject(out, family);
    if (ip && Array.isArray(ip['address'])) out[family] = { ...ip, address: sortAddresses(ip['address']) };
  }
  if (out['controller'] === '') delete out['controller'];
  upperCaseMacs(out);
  return out;
}

/**
 * Compares a desired state with a current one and lists every mismatch
 * (empty when current satisfies desired). Follows nmstate's verification:
 * only what desired says is checked; addresses of dynamic IP stacks, IPv6
 * link-local addresses, bond options and write-only properties are not;
 * a physical interface desired down or absent is not checked; routes and
 * rules are matched as wildcards on the properties desired gives.
 */
export function verifyState(desiredInput: StateInput, currentInput: StateInput): Mismatch[] {
  const desired = asStateDoc(desiredInput);
  const current = asStateDoc(currentInput);
  assertStateDoc(desired, 'desired');
  assertStateDoc(current, 'current');
  const out: Mismatch[] = [];
  // Raw current entries by name; only those desired names get normalized.
  const rawByName = new Map<string, InterfaceDoc>();
  for (const cur of current.interfaces ?? []) {
    const type = getIfaceType(cur);
    if (!getInterfaceKind(type).isUserspace || !rawByName.has(cur.name)) rawByName.set(cur.name, cur);
    if (getInterfaceKind(type).isUserspace) rawByName.set(`${cur.name}\u0000${type}`, cur);
  }
  const currentByName = {
    get: (key: string): InterfaceDoc | undefined => {
      const raw = rawByName.get(key);
      return raw ? normalizeIface(raw) : undefined;
    },
  };

  for (const raw of desired.interfaces ?? []) {
    const des = normalizeIface(raw);
    const state = getIfaceState(des);
    if (state === 'ignore') continue;
    const type = getIfaceType(des);
    const cur = (getInterfaceKind(type).isUserspace ? currentByName.get(`${des.name}\u0000${type}`) : undefined) ?? currentByName.get(des.name);
    const base = `interfaces[name=${des.name}]`;
    const curState = cur ? getIfaceState(cur) : undefined;
    if (state === 'absent') {
      if (cur && getInterfaceKind(type ?? getIfaceType(cur)).isVirtual && curState !== 'absent') {
        out.push({ path: `${base}.state`, expected: 'absent', actual: curState ?? null, message: `Interface ${des.name} should be absent but is still ${curState}` });
      }
      continue;
    }
    if (!cur) {
      if (state === 'up') out.push({ path: base, expected: 'up', actual: null, message: `Interface ${des.name} is not found` });
      continue;
    }
    if (state === 'down') {
      if (curState === 'up' && getInterfaceKind(type ?? getIfaceType(cur)).isVirtual) {
        out.push({ path: `${base}.state`, expected: 'down', actual: curState, message: `Interface ${des.name} should be down but is ${curState}` });
      }
      continue;
    }
    compareJson(prepareDesiredForVerify({ ...des, state }), prepareCurrentForVerify(cur), [], (path, expected, actual) => {
      const head = path[0];
      if (path.length === 0 || (typeof head === 'string' && IGNORED_IFACE_KEYS.has(head)) || isIgnoredSubpath(path)) return;
      const p = formatPath(base, path);
      out.push({ path: p, expected, actual: actual ?? null, message: `${p}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual ?? null)}` });
    });
  }

  // Routes of interfaces left alone are not applied, so not verified either.
  const ignored = new Set<string>();
  for (const cur of current.interfaces ?? []) if (getIfaceState(cur) === 'ignore') ignored.add(cur.name);
  for (const des of desired.interfaces ?? []) {
    if (getIfaceState(des) === 'ignore') ignored.add(des.name);
    else ignored.delete(des.name);
  }
  const desiredRoutes = getSectionList(desired, 'routes', 'config').map(normalizeRoute);
  verifyEntries(out, 'routes', desiredRoutes, getSectionList(current, 'routes', 'config').map(normalizeRoute), isRouteMatch, (r) => typeof r['next-hop-interface'] === 'string' && ignored.has(r['next-hop-interface']));
  verifyEntries(out, 'route-rules', getSectionList(desired, 'route-rules', 'config').map(normalizeRule), getSectionList(current, 'route-rules', 'config').map(normalizeRule), isRuleMatch);

  if (hasSectionKey(desired, 'dns-resolver', 'config')) {
    const des = normalizeDnsConfig(getObject(getObject(desired, 'dns-resolver'), 'config'));
    const cur = normalizeDnsConfig(getObject(getObject(current, 'dns-resolver'), 'config'));
    for (const key of ['server', 'search', 'options'] as const) {
      const e = des[key] ?? [];
      const a = cur[key] ?? [];
      if (JSON.stringify(e) !== JSON.stringify(a)) {
        out.push({ path: `dns-resolver.config.${key}`, expected: e, actual: a, message: `DNS ${key}: expected ${JSON.stringify(e)}, found ${JSON.stringify(a)}` });
      }
    }
  }
  const desHost = getObject(desired, 'hostname');
  if (desHost) {
    const curHost = getObject(current, 'hostname');
    for (const key of ['running', 'config'] as const) {
      if (desHost[key] === undefined) continue;
      if (desHost[key] !== curHost?.[key]) {
        out.push({ path: `hostname.${key}`, expected: desHost[key] ?? null, actual: curHost?.[key] ?? null, message: `Hostname (${key}): expected ${JSON.stringify(desHost[key])}, found ${JSON.stringify(curHost?.[key] ?? null)}` });
      }
    }
  }
  return out;
}

function verifyEntries(
  out: Mismatch[],
  section: 'routes' | 'route-rules',
  desired: readonly JsonObject[],
  current: readonly JsonObject[],
  isMatch: (pattern: JsonObject, entry: JsonObject) => boolean,
  isSkipped: (entry: JsonObject) => boolean = () => false,
): void {
  const what = section === 'routes' ? 'route' : 'route rule';
  // Index current by a cheap identity so matching stays linear on large hosts.
  const index = new Map<string, JsonObject[]>();
  const idOf = (e: JsonObject): string => String(e['destination'] ?? e['ip-from'] ?? e['ip-to'] ?? '');
  for (const c of current) {
    const list = index.get(idOf(c)) ?? [];
    list.push(c);
    index.set(idOf(c), list);
  }
  const candidates = (pattern: JsonObject): readonly JsonObject[] => (idOf(pattern) === '' ? current : index.get(idOf(pattern)) ?? []);
  desired.forEach((entry, i) => {
    if (isSkipped(entry)) return;
    const path = `${section}.config[${i}]`;
    if (isAbsentEntry(entry)) {
      const stillWanted = desired.some((d) => !isAbsentEntry(d) && isMatch(entry, d));
      const found = stillWanted ? undefined : candidates(entry).find((c) => isMatch(entry, c));
      if (found) out.push({ path, expected: 'absent', actual: found, message: `Desired absent ${what} is still found: ${JSON.stringify(found)}` });
    } else if (!candidates(entry).some((c) => isMatch(entry, c))) {
      out.push({ path, expected: entry, actual: null, message: `Desired ${what} not found: ${JSON.stringify(entry)}` });
    }
  });
}


import type { BaseInterface, IpAddress, IpConfig, RouteEntry, RouteRuleEntry } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import { bytesToIpv6, canonicalizeIpv6, ipv4ToNetworkUint32, ipv6ToBytes } from './ip-bytes.js';
import type { NmSetting } from './nm-settings.js';
import { nmValue, type NmValue } from './nm-value.js';
import { toNmRouteRules } from './route-rule-setting.js';
import { isIpv6Text, toNmRoutes } from './route-setting.js';
import type { InterfaceDns } from './settings-input.js';

/** NetworkManager waits forever for DHCP/RA: nmstate never lets a profile give up on its own. */
export const NM_FOREVER_TIMEOUT = 2 ** 31 - 1;
const ADDR_GEN_MODE_EUI64 = 0;
const ADDR_GEN_MODE_STABLE_PRIVACY = 1;
/** `-1` means "NetworkManager's default" for route metrics in nmstate. */
const USE_DEFAULT_METRIC = -1;

/** The IP family of a setting. */
export type IpFamily = 'ipv4' | 'ipv6';

/** Keys of `ipv4`/`ipv6` that nmfleet writes or deliberately clears; other keys of an existing profile survive. */
export const MODELLED_IP_KEYS: readonly string[] = [
  'method',
  'address-data',
  'addresses',
  'route-data',
  'routes',
  'routing-rules',
  'dns',
  'dns-data',
  'dns-search',
  'dns-options',
  'dns-priority',
  'ignore-auto-dns',
  'never-default',
  'ignore-auto-routes',
  'route-table',
  'dhcp-client-id',
  'dhcp-timeout',
  'gateway',
  'may-fail',
  'route-metric',
  'ra-timeout',
  'addr-gen-mode',
  'dhcp-duid',
  'dhcp-iaid',
  'token',
  'dhcp-send-hostname',
  'dhcp-fqdn',
  'dhcp-hostname',
  'forwarding',
];

/** A query-only dynamic address (a lifetime other than `forever`): never written to a profile. */
function isDynamicAddress(address: IpAddress): boolean {
  const lifetime = address['valid-life-time'];
  return lifetime !== undefined && lifetime !== 'forever';
}

/** An address another tool manages (a numeric kernel protocol such as `0x11`): never written either. */
function isForeignAddress(address: IpAddress): boolean {
  return address.protocol !== undefined && address.protocol.startsWith('0x');
}

function isIpv6LinkLocal(ip: string): boolean {
  const bytes = ipv6ToBytes(ip);
  return bytes !== undefined && bytes[0] === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80;
}

/** nmstate's spelling of an IPv6 token: `::0.0.250.193` and `::fac1` are both `::fac1`; empty is `::`. */
export function normalizeIpv6Token(token: string): string {
  if (token === '') return '::';
  const bytes = ipv6ToBytes(token);
  if (!bytes) throw new BackendError('invalid-state', `IPv6 token '${token}' is not a valid IPv6 address`);
  if (bytes.subarray(0, 8).some((b) => b !== 0)) throw new BackendError('invalid-state', `IPv6 token should start with 64 zero bits, got '${token}'`);
  const marked = Uint8Array.from(bytes);
  marked.set([0x20, 0x01, 0x0d, 0xb8], 0);
  return bytesToIpv6(marked).slice('2001:db8'.length);
}

/** Whether the stack gets its configuration from DHCP (IPv4) or DHCPv6/RA (IPv6). */
export function isAutoIp(family: IpFamily, ip: IpConfig): boolean {
  return ip.enabled === true && (ip.dhcp === true || (family === 'ipv6' && ip.autoconf === true));
}

/**
 * nmstate's clean-up of an `ipv4`/`ipv6` section before it is applied: DHCP
 * options only with DHCP (and `auto-dns`/`auto-gateway`/`auto-routes` default
 * to true with it), no addresses on a disabled stack, no dynamic, foreign or
 * (IPv6) link-local addresses, metrics reconciled. Returns a new section.
 */
export function sanitizeIpConfig(family: IpFamily, input: IpConfig, where: string): IpConfig {
  const ip: IpConfig = { ...input };
  const auto = isAutoIp(family, ip);
  if (ip.address) {
    for (const a of ip.address) {
      if (isIpv6Text(a.ip) !== (family === 'ipv6')) throw new BackendError('invalid-state', `${where}.${family}.address: got ${family === 'ipv4' ? 'IPv6' : 'IPv4'} address ${a.ip} in the ${family} section`);
    }
    ip.address = ip.address
      .filter((a) => !isDynamicAddress(a) && !isForeignAddress(a) && !(family === 'ipv6' && isIpv6LinkLocal(a.ip)))
      .map((a) => ({ ip: family === 'ipv6' ? canonicalizeIpv6(a.ip) : a.ip, 'prefix-length': a['prefix-length'] }));
  }
  if (auto) {
    ip['auto-dns'] ??= true;
    ip['auto-routes'] ??= true;
    ip['auto-gateway'] ??= true;
  }
  if (family === 'ipv4' && ip.forwarding === true && ip.enabled !== true) delete ip.forwarding;
  if (ip.enabled !== true) {
    delete ip.dhcp;
    delete ip.autoconf;
    delete ip.address;
    delete ip['prefix-route-metric'];
  }
  if (!isAutoIp(family, ip)) {
    delete ip['auto-dns'];
    delete ip['auto-gateway'];
    delete ip['auto-routes'];
    delete ip['auto-route-table-id'];
    delete ip['dhcp-send-hostname'];
    delete ip['dhcp-custom-hostname'];
    if (family === 'ipv4') {
      delete ip['auto-route-metric'];
      delete ip['dhcp-client-id'];
    }
  }
  if (family === 'ipv6' && ip.autoconf === false) delete ip['auto-route-metric'];
  if (ip['dhcp-send-hostname'] === false) delete ip['dhcp-custom-hostname'];
  if (family === 'ipv6' && ip.token !== undefined) {
    if (ip.autoconf === false && ip.token !== '' && ip.token !== '::') {
      throw new BackendError('invalid-state', `${where}.ipv6.token: token '${ip.token}' cannot be applied with IPv6 autoconf disabled; set it to '' or '::' to remove it`);
    }
    ip.token = normalizeIpv6Token(ip.token);
  }
  if (family === 'ipv4' && ip.enabled === true) {
    const prefixMetric = ip['prefix-route-metric'];
    const autoMetric = ip['auto-route-metric'];
    if (prefixMetric !== undefined && autoMetric !== undefined && prefixMetric !== USE_DEFAULT_METRIC && autoMetric !== USE_DEFAULT_METRIC && prefixMetric !== autoMetric) {
      throw new BackendError('unsupported', `${where}.ipv4: different auto-route-metric (${autoMetric}) and prefix-route-metric (${prefixMetric}) are not supported by NetworkManager`);
    }
    if (prefixMetric === USE_DEFAULT_METRIC && autoMetric !== undefined) ip['prefix-route-metric'] = autoMetric;
    if (autoMetric === USE_DEFAULT_METRIC && prefixMetric !== undefined) ip['auto-route-metric'] = prefixMetric;
  }
  return ip;
}

function dhcpClientIdToNm(clientId: string | undefined): string {
  if (clientId === undefined || clientId === 'll') return 'mac';
  if (clientId === 'iaid+duid') return 'duid';
  return clientId;
}

function addrGenModeToNm(mode: string | undefined): number {
  if (mode === 'stable-privacy') return ADDR_GEN_MODE_STABLE_PRIVACY;
  if (mode === undefined || mode === 'eui64') return ADDR_GEN_MODE_EUI64;
  const n = Number(mode);
  return Number.isInteger(n) ? n : ADDR_GEN_MODE_EUI64;
}

function setOrDelete(setting: NmSetting, key: string, value: NmValue | undefined): void {
  if (value === undefined) delete setting[key];
  else setting[key] = value;
}

function toDnsServers(family: IpFamily, servers: readonly string[]): NmValue {
  if (family === 'ipv4') {
    return nmValue.uint32List(
      servers.map((s) => {
        const v = ipv4ToNetworkUint32(s);
        if (v === undefined) throw new BackendError('invalid-state', `DNS server '${s}' is not an IPv4 address`);
        return v;
      }),
    );
  }
  return nmValue.bytesList(
    servers.map((s) => {
      const bytes = ipv6ToBytes(s);
      if (!bytes) throw new BackendError('invalid-state', `DNS server '${s}' is not an IPv6 address`);
      return bytes;
    }),
  );
}

function applyDns(setting: NmSetting, family: IpFamily, dns: InterfaceDns): void {
  delete setting['dns-data'];
  setOrDelete(setting, 'dns', dns.servers.length > 0 ? toDnsServers(family, dns.servers) : undefined);
  setting['dns-search'] = nmValue.stringList(dns.searches);
  setting['dns-options'] = nmValue.stringList(dns.options);
  setOrDelete(setting, 'dns-priority', dns.priority === undefined ? undefined : nmValue.int32(dns.priority));
}

function applyDhcpOptions(setting: NmSetting, ip: IpConfig): void {
  if (ip['auto-dns'] !== undefined) setting['ignore-auto-dns'] = nmValue.bool(!ip['auto-dns']);
  if (ip['auto-gateway'] !== undefined) setting['never-default'] = nmValue.bool(!ip['auto-gateway']);
  if (ip['auto-routes'] !== undefined) setting['ignore-auto-routes'] = nmValue.bool(!ip['auto-routes']);
  if (ip['auto-route-table-id'] !== undefined) setting['route-table'] = nmValue.uint32(ip['auto-route-table-id']);
}

function listLength(value: NmValue | undefined): number {
  return value?.type === 'aa{sv}' ? value.value.length : 0;
}

/** What one IP setting is built from. */
export interface IpSettingInput {
  readonly family: IpFamily;
  /** The sanitized section, or undefined when the interface does not say. */
  readonly ip: IpConfig | undefined;
  readonly ifaceType: string;
  readonly routes: readonly RouteEntry[] | undefined;
  readonly rules: readonly RouteRuleEntry[] | undefined;
  readonly dns: InterfaceDns | undefined;
  /** The existing profile's setting of this family, which nmstate edits in place. */
  readonly existing: NmSetting | undefined;
}

/**
 * The `ipv4` or `ipv6` setting of a profile, as nmstate generates it: method
 * from enabled/dhcp/autoconf/addresses/routes, static addresses, DHCP options,
 * routes, rules and DNS. Starts from the existing setting, as nmstate does, so
 * what the desired state does not mention stays.
 */
export function toNmIpSetting(input: IpSettingInput): NmSetting {
  const { family, ip } = input;
  const setting: NmSetting = { ...(input.existing ?? {}) };
  delete setting['addresses'];
  delete setting['routes'];
  if (ip === undefined) {
    if (input.existing === undefined) return { method: nmValue.string('disabled') };
    return setting;
  }
  const v6 = family === 'ipv6';
  // Addresses the state leaves out stay as the profile has them (nmstate edits the profile in place).
  const keptAddresses = ip.address === undefined && ip.enabled === true && !isAutoIp(family, ip) ? setting['address-data'] : undefined;
  const addresses = ip.address ?? [];
  const addressCount = keptAddresses?.type === 'aa{sv}' ? keptAddresses.value.length : addresses.length;
  const wantedRoutes = ip.enabled === true && input.routes ? toNmRoutes(input.routes, v6) : undefined;
  const existingRoutes = listLength(setting['route-data']);
  let method: string;
  if (ip.enabled === true) {
    if (!v6) {
      method = ip.dhcp === true ? 'auto' : addressCount > 0 || (wantedRoutes?.length ?? 0) > 0 || existingRoutes > 0 ? 'manual' : 'disabled';
    } else if (ip.dhcp === true) {
      method = ip.autoconf === true ? 'auto' : 'dhcp';
    } else if (ip.autoconf === true) {
      throw new BackendError('unsupported', 'Autoconf without DHCP is not supported yet (IPv6 autoconf needs dhcp: true)');
    } else {
      method = addressCount > 0 || (wantedRoutes?.length ?? 0) > 0 || existingRoutes > 0 ? 'manual' : 'link-local';
    }
  } else {
    // NetworkManager's loopback profile uses `auto` for IPv6: no address binds while the stack is off.
    method = v6 && input.ifaceType === 'loopback' ? 'auto' : 'disabled';
  }
  setting['method'] = nmValue.string(method);
  setting['address-data'] = keptAddresses ?? nmValue.dictList(addresses.map((a) => ({ address: nmValue.string(a.ip), prefix: nmValue.uint32(a['prefix-length']) })));
  if (!v6) {
    setOrDelete(setting, 'forwarding', ip.forwarding === undefined ? undefined : nmValue.int32(ip.forwarding ? 1 : 0));
    if (ip['prefix-route-metric'] !== undefined) setting['route-metric'] = nmValue.int64(ip['prefix-route-metric']);
  } else {
    setting['addr-gen-mode'] = nmValue.int32(addrGenModeToNm(ip['addr-gen-mode']));
  }
  const auto = isAutoIp(family, ip);
  if (auto) {
    setting['dhcp-timeout'] = nmValue.int32(NM_FOREVER_TIMEOUT);
    if (v6) {
      setting['ra-timeout'] = nmValue.int32(NM_FOREVER_TIMEOUT);
      setting['dhcp-duid'] = nmValue.string(ip['dhcp-duid'] ?? 'll');
      setting['dhcp-iaid'] = nmValue.string('mac');
      if (ip.token !== undefined) setOrDelete(setting, 'token', ip.token === '' || ip.token === '::' ? undefined : nmValue.string(ip.token));
    } else {
      setting['dhcp-client-id'] = nmValue.string(dhcpClientIdToNm(ip['dhcp-client-id']));
    }
    if (ip['auto-route-metric'] !== undefined) setting['route-metric'] = nmValue.int64(ip['auto-route-metric']);
    applyDhcpOptions(setting, ip);
    delete setting['gateway'];
    setting['route-data'] = nmValue.dictList([]);
    if (ip['dhcp-send-hostname'] === false) {
      setting['dhcp-send-hostname'] = nmValue.bool(false);
    } else {
      setting['dhcp-send-hostname'] = nmValue.bool(true);
      const custom = ip['dhcp-custom-hostname'];
      if (custom !== undefined) {
        if (custom === '') {
          delete setting['dhcp-hostname'];
          if (!v6) delete setting['dhcp-fqdn'];
        } else if (!v6 && custom.includes('.')) {
          setting['dhcp-fqdn'] = nmValue.string(custom);
          delete setting['dhcp-hostname'];
        } else {
          setting['dhcp-hostname'] = nmValue.string(custom);
          if (!v6) delete setting['dhcp-fqdn'];
        }
      }
    }
  } else if (v6) {
    delete setting['token'];
  }
  if (ip.enabled === true) {
    if (wantedRoutes) {
      setting['route-data'] = nmValue.dictList(wantedRoutes);
      delete setting['gateway'];
    }
  } else {
    setting['route-data'] = nmValue.dictList([]);
    delete setting['gateway'];
  }
  if (input.rules) setting['routing-rules'] = nmValue.dictList(toNmRouteRules(input.rules, v6));
  else setting['routing-rules'] ??= nmValue.dictList([]);
  if (input.dns) applyDns(setting, family, input.dns);
  return setting;
}

/** Sets `may-fail` on both IP settings from `wait-ip`, as nmstate does. */
export function applyWaitIp(base: BaseInterface, ipv4: NmSetting | undefined, ipv6: NmSetting | undefined): void {
  const waitIp = base['wait-ip'];
  if (waitIp === undefined) return;
  const v4MayFail = waitIp === 'ipv6' || waitIp === 'any';
  const v6MayFail = waitIp === 'ipv4' || waitIp === 'any';
  if (ipv4) ipv4['may-fail'] = nmValue.bool(v4MayFail);
  if (ipv6) ipv6['may-fail'] = nmValue.bool(v6MayFail);
}

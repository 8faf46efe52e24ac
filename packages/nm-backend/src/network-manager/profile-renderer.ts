import { BackendError } from '../backend.js';
import { ipv4ToNetworkUint32, ipv6ToBytes } from '../settings/ip-bytes.js';
import type { NmSetting, NmSettings } from '../settings/nm-settings.js';
import { nmValue, type NmDict, type NmValue } from '../settings/nm-value.js';
import { isTree, type InterfaceTree, type Tree } from '../state/state-tree.js';

/** Routes, rules and DNS that live in one interface's profile. */
export interface ProfileContext {
  uuid: string;
  routes: Tree[];
  rules: Tree[];
  dns: { server: string[]; search: string[] } | undefined;
  /** The profile being updated, when there is one. */
  existing?: NmSettings;
  /** Another interface of the merged state (a controller a port needs), by name. */
  getInterface?: (name: string) => InterfaceTree | undefined;
}

/**
 * Turns a merged interface into NetworkManager settings and folds them into an
 * existing profile. The backend depends only on this port; the per-type
 * conversion of `src/settings` plugs in here once it covers the backend's types.
 */
export interface ProfileRenderer {
  toNmSettings(iface: InterfaceTree, context: ProfileContext): NmSettings;
  /** `existing` with every key the renderer owns replaced by `generated` (others kept). */
  mergeNmSettings(existing: NmSettings, generated: NmSettings): NmSettings;
}

const CONNECTION_TYPE: Record<string, string> = {
  ethernet: '802-3-ethernet',
  veth: 'veth',
  'linux-bridge': 'bridge',
  'mac-vlan': 'macvlan',
  'mac-vtap': 'macvlan',
  vxlan: 'vxlan',
  bond: 'bond',
  vlan: 'vlan',
  dummy: 'dummy',
  vrf: 'vrf',
  loopback: 'loopback',
};
/** dns-priority of the family listed first, and of the other (nmstate writes 40 too). */
const PREFERRED_DNS_PRIORITY = 40;
const SECOND_DNS_PRIORITY = 50;
const MACVLAN_MODES: Record<string, number> = { vepa: 1, bridge: 2, private: 3, passthru: 4, source: 5 };
/** Settings that must disappear when the renderer no longer produces them (a port that left its bridge keeps no `bridge-port`). */
const DROPPED_WHEN_NOT_GENERATED = new Set(['bridge-port', 'bond-port', 'ipv4', 'ipv6']);
/** Keys the renderer owns even when it leaves them out: leaving them out means "not set". */
const CLEARED_WHEN_NOT_GENERATED: Record<string, readonly string[]> = {
  connection: ['master', 'slave-type', 'controller', 'port-type'],
};

/** The renderer for what this backend creates: veth, bridges with ports, MAC-VLAN/VTAP, VXLAN, bond, VLAN, dummy, VRF, Ethernet. */
export const builtinProfileRenderer: ProfileRenderer = {
  toNmSettings: renderProfile,
  mergeNmSettings: (existing, generated) => {
    const out: NmSettings = {};
    for (const [name, setting] of Object.entries(existing)) {
      if (name in generated || !DROPPED_WHEN_NOT_GENERATED.has(name)) out[name] = { ...setting };
    }
    for (const [name, setting] of Object.entries(generated)) {
      const merged: NmSetting = { ...(out[name] ?? {}) };
      for (const key of CLEARED_WHEN_NOT_GENERATED[name] ?? []) delete merged[key];
      out[name] = Object.assign(merged, setting);
    }
    return out;
  },
};

function section(iface: Tree, key: string): Tree {
  const value = iface[key];
  return isTree(value) ? value : {};
}

function renderProfile(iface: InterfaceTree, context: ProfileContext): NmSettings {
  const type = iface.type ?? 'unknown';
  const connectionType = CONNECTION_TYPE[type];
  if (connectionType === undefined) {
    throw new BackendError('unsupported', `interface ${iface.name}: type ${type} is not supported by the NetworkManager backend yet`, {
      where: `interfaces.${iface.name}`,
    });
  }
  const connection: NmSetting = {
    id: nmValue.string(iface.name),
    uuid: nmValue.string(context.uuid),
    type: nmValue.string(connectionType),
    'interface-name': nmValue.string(iface.name),
    autoconnect: nmValue.bool(true),
  };
  const settings: NmSettings = { connection };
  const controller = iface['controller'];
  if (typeof controller === 'string') {
    connection['master'] = nmValue.string(controller);
    connection['slave-type'] = nmValue.string('bridge');
    settings['bridge-port'] = {};
  } else {
    settings['ipv4'] = renderIp(section(iface, 'ipv4'), 'ipv4', context);
    settings['ipv6'] = renderIp(section(iface, 'ipv6'), 'ipv6', context);
  }
  const mtu = iface['mtu'];
  if (typeof mtu === 'number' && type === 'ethernet') settings['802-3-ethernet'] = { mtu: nmValue.uint32(mtu) };
  Object.assign(settings, renderTypeSettings(iface, type));
  return settings;
}

function renderTypeSettings(iface: InterfaceTree, type: string): NmSettings {
  switch (type) {
    case 'veth': {
      const peer = section(iface, 'veth')['peer'];
      return { veth: { peer: nmValue.string(String(peer)) } };
    }
    case 'linux-bridge': {
      const stp = section(section(section(iface, 'bridge'), 'options'), 'stp');
      return { bridge: { stp: nmValue.bool(stp['enabled'] === true) } };
    }
    case 'mac-vlan':
    case 'mac-vtap': {
      const conf = section(iface, type);
      const setting: NmSetting = {
        parent: nmValue.string(String(conf['base-iface'])),
        mode: nmValue.uint32(MACVLAN_MODES[String(conf['mode'] ?? 'bridge')] ?? 2),
        tap: nmValue.bool(type === 'mac-vtap'),
      };
      if (typeof conf['promiscuous'] === 'boolean') setting['promiscuous'] = nmValue.bool(conf['promiscuous']);
      return { macvlan: setting };
    }
    case 'vxlan': {
      const conf = section(iface, 'vxlan');
      const setting: NmSetting = { id: nmValue.uint32(Number(conf['id'])) };
      if (typeof conf['base-iface'] === 'string' && conf['base-iface'] !== '') setting['parent'] = nmValue.string(conf['base-iface']);
      if (typeof conf['remote'] === 'string') setting['remote'] = nmValue.string(conf['remote']);
      if (typeof conf['local'] === 'string') setting['local'] = nmValue.string(conf['local']);
      if (typeof conf['destination-port'] === 'number') setting['destination-port'] = nmValue.uint32(conf['destination-port']);
      return { vxlan: setting };
    }
    case 'bond': {
      const conf = section(iface, 'link-aggregation');
      const options: Record<string, string> = { mode: String(conf['mode'] ?? 'balance-rr') };
      for (const [key, value] of Object.entries(section(conf, 'options'))) options[key] = String(value);
      return { bond: { options: nmValue.stringDict(options) } };
    }
    case 'vlan': {
      const conf = section(iface, 'vlan');
      return { vlan: { parent: nmValue.string(String(conf['base-iface'])), id: nmValue.uint32(Number(conf['id'])) } };
    }
    case 'vrf':
      return { vrf: { table: nmValue.uint32(Number(section(iface, 'vrf')['route-table-id'])) } };
    default:
      return {};
  }
}

function splitPrefix(text: string): [string, number] {
  const [ip, prefix] = text.split('/');
  return [ip ?? '', Number(prefix)];
}

function renderIp(ip: Tree, family: 'ipv4' | 'ipv6', context: ProfileContext): NmSetting {
  if (ip['enabled'] !== true) return { method: nmValue.string('disabled') };
  const dynamic = ip['dhcp'] === true || (family === 'ipv6' && ip['autoconf'] === true);
  const addresses = (Array.isArray(ip['address']) ? ip['address'] : []).filter(isTree).filter((a) => !isLinkLocal(String(a['ip'])));
  const setting: NmSetting = {
    method: nmValue.string(dynamic ? (family === 'ipv4' ? 'auto' : ip['autoconf'] === true ? 'auto' : 'dhcp') : addresses.length > 0 ? 'manual' : family === 'ipv4' ? 'disabled' : 'link-local'),
    'address-data': nmValue.dictList(addresses.map((a) => ({ address: nmValue.string(String(a['ip'])), prefix: nmValue.uint32(Number(a['prefix-length'])) }))),
  };
  const isV6 = (text: string): boolean => text.includes(':');
  const routes = context.routes.filter((r) => isV6(String(r['destination'])) === (family === 'ipv6'));
  setting['route-data'] = nmValue.dictList(routes.map(renderRoute));
  const rules = context.rules.filter((r) => ruleFamily(r) === family);
  setting['routing-rules'] = nmValue.dictList(rules.map((r) => renderRule(r, family)));
  const servers = (context.dns?.server ?? []).filter((s) => isV6(s) === (family === 'ipv6'));
  setting['dns'] = family === 'ipv4' ? nmValue.uint32List(servers.map((s) => ipv4ToNetworkUint32(s) ?? 0)) : nmValue.bytesList(servers.map((s) => ipv6ToBytes(s) ?? new Uint8Array(16)));
  setting['dns-search'] = nmValue.stringList(servers.length > 0 || family === 'ipv4' ? (context.dns?.search ?? []) : []);
  if (servers.length > 0) {
    // The family of the first server listed gets the lower (preferred) priority, so the resolver keeps the written order.
    const first = context.dns?.server[0] ?? '';
    setting['dns-priority'] = nmValue.int32(isV6(first) === (family === 'ipv6') ? PREFERRED_DNS_PRIORITY : SECOND_DNS_PRIORITY);
  }
  if (family === 'ipv6') setting['addr-gen-mode'] = nmValue.int32(0);
  return setting;
}

function isLinkLocal(ip: string): boolean {
  return /^fe[89ab]/i.test(ip);
}

function renderRoute(route: Tree): NmDict {
  const [dest, prefix] = splitPrefix(String(route['destination']));
  const out: Record<string, NmValue> = { dest: nmValue.string(dest), prefix: nmValue.uint32(prefix) };
  if (typeof route['next-hop-address'] === 'string' && route['next-hop-address'] !== '') out['next-hop'] = nmValue.string(route['next-hop-address']);
  if (typeof route['metric'] === 'number') out['metric'] = nmValue.uint32(route['metric']);
  if (typeof route['table-id'] === 'number') out['table'] = nmValue.uint32(route['table-id']);
  return out;
}

/** The address family of a rule: its `family`, else that of its addresses, else IPv4. */
export function ruleFamily(rule: Tree): 'ipv4' | 'ipv6' {
  if (rule['family'] === 'ipv6' || rule['family'] === 'ipv4') return rule['family'];
  return String(rule['ip-from'] ?? rule['ip-to'] ?? '').includes(':') ? 'ipv6' : 'ipv4';
}

function renderRule(rule: Tree, family: 'ipv4' | 'ipv6'): NmDict {
  const out: Record<string, NmValue> = { family: nmValue.int32(family === 'ipv4' ? 2 : 10) };
  if (typeof rule['priority'] === 'number') out['priority'] = nmValue.uint32(rule['priority']);
  if (typeof rule['ip-from'] === 'string') {
    const [from, len] = splitPrefix(rule['ip-from']);
    out['from'] = nmValue.string(from);
    out['from-len'] = nmValue.byte(Number.isNaN(len) ? (family === 'ipv4' ? 32 : 128) : len);
  }
  if (typeof rule['ip-to'] === 'string') {
    const [to, len] = splitPrefix(rule['ip-to']);
    out['to'] = nmValue.string(to);
    out['to-len'] = nmValue.byte(Number.isNaN(len) ? (family === 'ipv4' ? 32 : 128) : len);
  }
  if (typeof rule['route-table'] === 'number') out['table'] = nmValue.uint32(rule['route-table']);
  if (typeof rule['fwmark'] === 'number') out['fwmark'] = nmValue.uint32(rule['fwmark']);
  if (typeof rule['fwmask'] === 'number') out['fwmask'] = nmValue.uint32(rule['fwmask']);
  if (typeof rule['iif'] === 'string') out['iifname'] = nmValue.string(rule['iif']);
  return out;
}

import type { InterfaceType } from '@nmfleet/model';
import type { JsonObject, JsonValue } from '../json/json-value.js';
import { getObject, getString } from '../state/network-state.js';

/**
 * What the planner needs to know about one interface type. Generic merge,
 * diff, verify and plan code asks these hooks instead of switching on the
 * type, so a new type is one entry in {@link INTERFACE_KINDS}.
 */
export interface InterfaceKind {
  /** Software-only: deleted (not just deactivated) when `state: absent`. */
  readonly isVirtual: boolean;
  /** Lives in user space (OVS bridge): keyed by name *and* type, has no kernel device. */
  readonly isUserspace?: boolean;
  /** The names of its ports, when it is a controller and the document lists them. */
  readonly getPorts?: (iface: JsonObject) => string[] | undefined;
  /**
   * Replaces its port list, keeping per-port settings of ports that stay:
   * those `iface` lists, over those of `previous` (its current form) when given.
   */
  readonly setPorts?: (iface: JsonObject, ports: readonly string[], previous?: JsonObject) => void;
  /** The interfaces it is stacked on (VLAN base, HSR ports…): they must exist first. */
  readonly getParents?: (iface: JsonObject) => string[];
  /** Its veth peer, created and removed together with it. */
  readonly getPeer?: (iface: JsonObject) => string | undefined;
  /** Exists only as a port of its controller (OVS internal interface): goes away when the controller does. */
  readonly isOwnedByController?: boolean;
  /** Keeps its IP settings when attached as a port (OVS internal interfaces carry the bridge's addresses). */
  readonly keepsIpAsPort?: boolean;
  /** Sections an apply always writes whole (desired merged over current), because the backend cannot change them piecemeal. */
  readonly applyWholeSections?: readonly string[];
  /** Its ports keep their IP settings (VRF); ports of every other controller lose them. */
  readonly portsKeepIp?: boolean;
  /** Puts type-specific lists in canonical order (ports sorted…), in place. */
  readonly normalize?: (iface: JsonObject) => void;
}

function readStringList(v: JsonValue | undefined): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.flatMap((p) => (typeof p === 'string' ? [p] : typeof p === 'object' && p !== null && !Array.isArray(p) && typeof p['name'] === 'string' ? [p['name']] : []));
}

/** A controller whose ports are a list of names under `section.port` (alias `ports`), like bond and VRF. */
function namedPortList(section: string): Pick<InterfaceKind, 'getPorts' | 'setPorts' | 'normalize'> {
  const keyOf = (conf: JsonObject): 'port' | 'ports' => ('ports' in conf && !('port' in conf) ? 'ports' : 'port');
  const canonicalize = (conf: JsonObject): void => {
    // `ports` is an accepted alias; nmstate writes `port`.
    if ('ports' in conf && !('port' in conf)) {
      conf['port'] = conf['ports'] as JsonValue;
      delete conf['ports'];
    }
  };
  return {
    getPorts: (iface) => {
      const conf = getObject(iface, section);
      return conf ? readStringList(conf[keyOf(conf)]) : undefined;
    },
    setPorts: (iface, ports) => {
      const conf = getObject(iface, section) ?? {};
      conf[keyOf(conf)] = [...ports].sort();
      iface[section] = conf;
    },
    normalize: (iface) => {
      const conf = getObject(iface, section);
      if (conf) canonicalize(conf);
      const key = conf ? keyOf(conf) : 'port';
      const list = conf?.[key];
      if (conf && Array.isArray(list)) conf[key] = [...list].sort((a, b) => String(a).localeCompare(String(b)));
    },
  };
}

/** A controller whose ports are objects with a `name` under `bridge.port` (Linux and OVS bridges). */
function bridgePortList(flattenBonds: boolean): Pick<InterfaceKind, 'getPorts' | 'setPorts' | 'normalize'> {
  const entries = (iface: JsonObject): JsonObject[] | undefined => {
    const list = getObject(iface, 'bridge')?.['port'];
    return Array.isArray(list) ? (list.filter((p) => typeof p === 'object' && p !== null && !Array.isArray(p)) as JsonObject[]) : undefined;
  };
  const byName = (a: JsonObject, b: JsonObject): number => String(a['name']).localeCompare(String(b['name']));
  return {
    getPorts: (iface) => {
      const list = entries(iface);
      if (!list) return undefined;
      return list.flatMap((p) => {
        // An OVS bond is a port of the bridge, not an interface: its members are the kernel ports.
        const bondPorts = flattenBonds ? readStringList(getObject(p, 'link-aggregation')?.['port']) : undefined;
        return bondPorts ?? (typeof p['name'] === 'string' ? [p['name']] : []);
      });
    },
    setPorts: (iface, ports, previous) => {
      const bridge = getObject(iface, 'bridge') ?? {};
      const before = new Map(((previous && entries(previous)) ?? []).map((p) => [String(p['name']), p]));
      const now = new Map((entries(iface) ?? []).map((p) => [String(p['name']), p]));
      // A port entry that names only the port keeps the settings the port has (nmstatectl show lists them all).
      bridge['port'] = [...ports].sort().map((name) => ({ ...(before.get(name) ?? {}), ...(now.get(name) ?? { name }) }));
      iface['bridge'] = bridge;
    },
    normalize: (iface) => {
      const list = entries(iface);
      const bridge = getObject(iface, 'bridge');
      if (bridge && list) bridge['port'] = [...list].sort(byName);
    },
  };
}

/** Stacked on one base interface named at `section.base-iface`. */
function baseIface(section: string): Pick<InterfaceKind, 'getParents'> {
  return {
    getParents: (iface) => {
      const base = getString(getObject(iface, section), 'base-iface');
      return base ? [base] : [];
    },
  };
}

/**
 * The per-type hooks, one entry per type the model knows: `satisfies
 * Record<InterfaceType, …>` makes the compiler list what a new type must define.
 */
export const INTERFACE_KINDS = {
  ethernet: { isVirtual: false },
  bond: { isVirtual: true, ...namedPortList('link-aggregation') },
  'linux-bridge': { isVirtual: true, ...bridgePortList(false) },
  'ovs-bridge': { isVirtual: true, isUserspace: true, ...bridgePortList(true) },
  'ovs-interface': { isVirtual: true, isOwnedByController: true, keepsIpAsPort: true },
  vlan: { isVirtual: true, applyWholeSections: ['vlan'], ...baseIface('vlan') },
  vxlan: { isVirtual: true, ...baseIface('vxlan') },
  'mac-vlan': { isVirtual: true, ...baseIface('mac-vlan') },
  'mac-vtap': { isVirtual: true, ...baseIface('mac-vtap') },
  ipvlan: { isVirtual: true, ...baseIface('ipvlan') },
  'ip-tunnel': { isVirtual: true, ...baseIface('ip-tunnel') },
  veth: { isVirtual: true, getPeer: (iface) => getString(getObject(iface, 'veth'), 'peer') },
  vrf: { isVirtual: true, portsKeepIp: true, ...namedPortList('vrf') },
  dummy: { isVirtual: true },
  loopback: { isVirtual: false },
  infiniband: { isVirtual: false, ...baseIface('infiniband') },
  macsec: { isVirtual: true, ...baseIface('macsec') },
  hsr: {
    isVirtual: true,
    // HSR/PRP takes exactly two ports, named port1 and port2.
    getPorts: (iface) => {
      const hsr = getObject(iface, 'hsr');
      if (!hsr) return undefined;
      return [getString(hsr, 'port1'), getString(hsr, 'port2')].filter((p): p is string => p !== undefined);
    },
    setPorts: (iface, ports) => {
      const hsr = getObject(iface, 'hsr') ?? {};
      const before = [getString(hsr, 'port1'), getString(hsr, 'port2')].filter((p) => p !== undefined).sort();
      if (before.join('\u0000') === [...ports].sort().join('\u0000')) return;
      const [port1, port2] = ports;
      if (port1 !== undefined) hsr['port1'] = port1;
      if (port2 !== undefined) hsr['port2'] = port2;
      iface['hsr'] = hsr;
    },
  },
  ipsec: { isVirtual: true },
  xfrm: { isVirtual: true, ...baseIface('xfrm') },
  unknown: { isVirtual: false },
} as const satisfies Record<InterfaceType, InterfaceKind>;

/** The hooks of a type; unknown or missing types get the inert `unknown` entry. */
export function getInterfaceKind(type: string | undefined): InterfaceKind {
  return (type !== undefined && (INTERFACE_KINDS as Record<string, InterfaceKind>)[type]) || INTERFACE_KINDS.unknown;
}

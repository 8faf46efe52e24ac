import type {
  BaseInterface,
  BondPortConfig,
  EthtoolConfig,
  Interface,
  InterfaceOf,
  InterfaceType,
  IpAddress,
  IpConfig,
  LinuxBridgePortConfig,
  OvsBridgePortConfig,
  RouteEntry,
  RouteRuleEntry,
} from '@nmfleet/model';
import { BackendError } from '../backend.js';
import { defaultProfileName, DESCRIPTION_USER_KEY } from './connection-setting.js';
import { glibBytesToPath } from './ieee8021x-setting.js';
import { bytesToIpv6, networkUint32ToIpv4 } from './ip-bytes.js';
import { getInterfaceConverter, NMSTATE_TYPE_BY_CONNECTION_TYPE } from './interface-converters.js';
import { dictNumber, dictString, readBool, readBytes, readDictList, readNumber, readString, readStringDict, readStringList } from './nm-read.js';
import { NM_CONNECTION_TYPE, NM_SETTING, type NmSettings } from './nm-settings.js';
import { fromNmRouteRule } from './route-rule-setting.js';
import { fromNmRoute } from './route-setting.js';
import type { InterfaceDns } from './settings-input.js';
import { readBridgePortConfig } from './types/linux-bridge.js';
import { bytesToMac } from './wired-setting.js';

/** What one profile says about its interface, in the model's terms. */
export interface ProfileState {
  /** The interface (its controller is the profile's `master`: for OVS, the OVS port name). */
  readonly iface: Interface;
  /** Type of the controller, from `slave-type`. */
  readonly controllerType?: InterfaceType;
  /** Routes of the profile, with this interface as next hop. */
  readonly routes: RouteEntry[];
  /** Route rules of the profile. */
  readonly rules: { readonly ipv4: RouteRuleEntry[]; readonly ipv6: RouteRuleEntry[] };
  /** DNS stored in the profile, by family. */
  readonly dns: { readonly ipv4?: InterfaceDns; readonly ipv6?: InterfaceDns };
  /** What the profile carries for its controller's port list (`bond-port`, `bridge-port`). */
  readonly port?: { readonly bond?: BondPortConfig; readonly bridge?: LinuxBridgePortConfig };
}

const CONTROLLER_TYPES: Readonly<Record<string, InterfaceType>> = {
  bond: 'bond',
  bridge: 'linux-bridge',
  'ovs-port': 'ovs-bridge',
  'ovs-bridge': 'ovs-bridge',
  vrf: 'vrf',
  hsr: 'hsr',
};
const MPTCP_FLAG_NAMES: readonly [number, 'signal' | 'subflow' | 'backup' | 'fullmesh'][] = [
  [0x10, 'signal'],
  [0x20, 'subflow'],
  [0x40, 'backup'],
  [0x80, 'fullmesh'],
];
const COALESCE_KEYS = [
  'pkt-rate-high', 'pkt-rate-low', 'rx-frames', 'rx-frames-high', 'rx-frames-low', 'rx-frames-irq', 'tx-frames', 'tx-frames-high', 'tx-frames-low',
  'tx-frames-irq', 'rx-usecs', 'rx-usecs-high', 'rx-usecs-low', 'rx-usecs-irq', 'sample-interval', 'stats-block-usecs', 'tx-usecs',
] as const;
const FEC_NAMES: Readonly<Record<number, 'off' | 'rs' | 'baser' | 'llrs'>> = { 4: 'off', 8: 'rs', 16: 'baser', 32: 'llrs' };

function readAddresses(settings: NmSettings, family: 'ipv4' | 'ipv6'): IpAddress[] {
  return (readDictList(settings, family, 'address-data') ?? []).flatMap((a): IpAddress[] => {
    const ip = dictString(a, 'address');
    const prefix = dictNumber(a, 'prefix');
    return ip === undefined || prefix === undefined ? [] : [{ ip, 'prefix-length': prefix }];
  });
}

function readIpConfig(settings: NmSettings, family: 'ipv4' | 'ipv6'): IpConfig | undefined {
  const method = readString(settings, family, 'method');
  if (method === undefined) return undefined;
  const v6 = family === 'ipv6';
  if (method === 'disabled' || method === 'ignore') {
    // nmstate writes addr-gen-mode only for an IPv6 section the state gives; without it the state said nothing.
    return v6 && readNumber(settings, family, 'addr-gen-mode') === undefined ? undefined : { enabled: false };
  }
  const ip: IpConfig = { enabled: true };
  const auto = method === 'auto' || method === 'dhcp';
  ip.dhcp = auto;
  if (v6) ip.autoconf = method === 'auto';
  const addresses = readAddresses(settings, family);
  if (addresses.length > 0 || !auto) ip.address = addresses;
  if (auto) {
    const flip = (key: string): boolean | undefined => {
      const v = readBool(settings, family, key);
      return v === undefined ? undefined : !v;
    };
    const autoDns = flip('ignore-auto-dns');
    if (autoDns !== undefined) ip['auto-dns'] = autoDns;
    const autoGateway = flip('never-default');
    if (autoGateway !== undefined) ip['auto-gateway'] = autoGateway;
    const autoRoutes = flip('ignore-auto-routes');
    if (autoRoutes !== undefined) ip['auto-routes'] = autoRoutes;
    const table = readNumber(settings, family, 'route-table');
    if (table !== undefined) ip['auto-route-table-id'] = table;
    const metric = readNumber(settings, family, 'route-metric');
    if (metric !== undefined) ip['auto-route-metric'] = metric;
    const sendHostname = readBool(settings, family, 'dhcp-send-hostname');
    if (sendHostname !== undefined) ip['dhcp-send-hostname'] = sendHostname;
    const custom = readString(settings, family, 'dhcp-fqdn') ?? readString(settings, family, 'dhcp-hostname');
    if (custom !== undefined && sendHostname !== false) ip['dhcp-custom-hostname'] = custom;
    if (v6) {
      const duid = readString(settings, family, 'dhcp-duid');
      if (duid !== undefined) ip['dhcp-duid'] = duid;
      const token = readString(settings, family, 'token');
      if (token !== undefined) ip.token = token;
    } else {
      const clientId = readString(settings, family, 'dhcp-client-id');
      if (clientId !== undefined) ip['dhcp-client-id'] = clientId === 'mac' ? 'll' : clientId === 'duid' ? 'iaid+duid' : clientId;
    }
  } else if (!v6) {
    const metric = readNumber(settings, family, 'route-metric');
    if (metric !== undefined) ip['prefix-route-metric'] = metric;
  }
  if (v6) {
    const mode = readNumber(settings, family, 'addr-gen-mode');
    if (mode !== undefined) ip['addr-gen-mode'] = mode === 1 ? 'stable-privacy' : mode === 0 ? 'eui64' : String(mode);
  } else {
    const forwarding = readNumber(settings, family, 'forwarding');
    if (forwarding === 0 || forwarding === 1) ip.forwarding = forwarding === 1;
  }
  return ip;
}

function readDns(settings: NmSettings, family: 'ipv4' | 'ipv6'): InterfaceDns | undefined {
  const setting = settings[family];
  if (!setting) return undefined;
  const raw = setting['dns'];
  const servers = raw?.type === 'au' ? raw.value.map(networkUint32ToIpv4) : raw?.type === 'aay' ? raw.value.map(bytesToIpv6) : (readStringList(settings, family, 'dns-data') ?? []);
  const searches = readStringList(settings, family, 'dns-search') ?? [];
  const options = readStringList(settings, family, 'dns-options') ?? [];
  const priority = readNumber(settings, family, 'dns-priority');
  if (servers.length === 0 && searches.length === 0 && options.length === 0 && priority === undefined) return undefined;
  return priority === undefined ? { servers, searches, options } : { servers, searches, options, priority };
}

function readEthtool(settings: NmSettings): EthtoolConfig | undefined {
  const setting = settings[NM_SETTING.ethtool];
  if (!setting) return undefined;
  const out: EthtoolConfig = {};
  const s = NM_SETTING.ethtool;
  const pause: NonNullable<EthtoolConfig['pause']> = {};
  for (const key of ['rx', 'tx', 'autoneg'] as const) {
    const v = readBool(settings, s, `pause-${key}`);
    if (v !== undefined) pause[key] = v;
  }
  if (Object.keys(pause).length > 0) out.pause = pause;
  const feature: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(setting)) if (key.startsWith('feature-') && value.type === 'b') feature[key.slice('feature-'.length)] = value.value;
  if (Object.keys(feature).length > 0) out.feature = feature;
  const coalesce: NonNullable<EthtoolConfig['coalesce']> = {};
  for (const key of ['adaptive-rx', 'adaptive-tx'] as const) {
    const v = readNumber(settings, s, `coalesce-${key}`);
    if (v !== undefined) coalesce[key] = v !== 0;
  }
  for (const key of COALESCE_KEYS) {
    const v = readNumber(settings, s, `coalesce-${key}`);
    if (v !== undefined) coalesce[key] = v;
  }
  if (Object.keys(coalesce).length > 0) out.coalesce = coalesce;
  const ring: NonNullable<EthtoolConfig['ring']> = {};
  for (const key of ['rx', 'rx-jumbo', 'rx-mini', 'tx'] as const) {
    const v = readNumber(settings, s, `ring-${key}`);
    if (v !== undefined) ring[key] = v;
  }
  if (Object.keys(ring).length > 0) out.ring = ring;
  const fec = readNumber(settings, s, 'fec-mode');
  if (fec !== undefined) out.fec = fec === 2 ? { auto: true } : FEC_NAMES[fec] ? { auto: false, mode: FEC_NAMES[fec] } : {};
  return out;
}

function readBase(settings: NmSettings, type: InterfaceType): BaseInterface {
  const c = NM_SETTING.connection;
  const id = readString(settings, c, 'id');
  const ifaceName = readString(settings, c, 'interface-name');
  // A profile matched by MAC or PCI address has no interface name: nmstate names the interface after the profile.
  const name = ifaceName ?? id;
  if (name === undefined) throw new BackendError('invalid-state', 'the profile has neither connection.interface-name nor connection.id');
  const base: BaseInterface = { name, type, state: readBool(settings, c, 'autoconnect') === false ? 'down' : 'up' };
  if (id !== undefined && id !== defaultProfileName(name, type)) base['profile-name'] = id;
  const description = readStringDict(settings, NM_SETTING.user, 'data')?.[DESCRIPTION_USER_KEY];
  if (description !== undefined) base.description = description;
  const master = readString(settings, c, 'master');
  if (master !== undefined) base.controller = master;
  const w = NM_SETTING.wired;
  const matchMac = readBytes(settings, w, 'mac-address');
  const clonedMac = readBytes(settings, w, 'cloned-mac-address');
  if (matchMac && matchMac.length > 0) {
    base['mac-address'] = bytesToMac(matchMac);
    if (ifaceName === undefined) base.identifier = 'mac-address';
  } else if (clonedMac && clonedMac.length > 0) {
    base['mac-address'] = bytesToMac(clonedMac);
  }
  const pciPath = readStringList(settings, NM_SETTING.match, 'path')?.find((p) => p.startsWith('pci-'));
  if (pciPath !== undefined && ifaceName === undefined) {
    base.identifier = 'pci-address';
    base['pci-address'] = pciPath.slice('pci-'.length);
  }
  const mtu = readNumber(settings, w, 'mtu') ?? (type === 'infiniband' ? readNumber(settings, 'infiniband', 'mtu') : type === 'loopback' ? readNumber(settings, 'loopback', 'mtu') : undefined);
  if (mtu !== undefined && mtu !== 0) base.mtu = mtu;
  const acceptAll = readNumber(settings, w, 'accept-all-mac-addresses');
  if (acceptAll === 0 || acceptAll === 1) base['accept-all-mac-addresses'] = acceptAll === 1;
  for (const family of ['ipv4', 'ipv6'] as const) {
    const ip = readIpConfig(settings, family);
    if (ip) base[family] = ip;
  }
  const v4MayFail = readBool(settings, NM_SETTING.ipv4, 'may-fail');
  const v6MayFail = readBool(settings, NM_SETTING.ipv6, 'may-fail');
  if (v4MayFail !== undefined || v6MayFail !== undefined) {
    base['wait-ip'] = v4MayFail === false && v6MayFail === false ? 'ipv4+ipv6' : v4MayFail === false ? 'ipv4' : v6MayFail === false ? 'ipv6' : 'any';
  }
  const lldp = readNumber(settings, c, 'lldp');
  if (lldp === 0 || lldp === 1) base.lldp = { enabled: lldp === 1 };
  const mptcp = readNumber(settings, c, 'mptcp-flags');
  if (mptcp !== undefined) base.mptcp = { 'address-flags': MPTCP_FLAG_NAMES.filter(([bit]) => (mptcp & bit) !== 0).map(([, flag]) => flag) };
  const x = NM_SETTING.ieee8021x;
  if (settings[x]) {
    const conf: NonNullable<BaseInterface['802.1x']> = {};
    const identity = readString(settings, x, 'identity');
    if (identity !== undefined) conf.identity = identity;
    const eap = readStringList(settings, x, 'eap');
    if (eap !== undefined) conf['eap-methods'] = [...eap];
    for (const key of ['private-key', 'client-cert', 'ca-cert'] as const) {
      const bytes = readBytes(settings, x, key);
      const path = bytes ? glibBytesToPath(bytes) : undefined;
      if (path !== undefined) conf[key] = path;
    }
    for (const key of ['private-key-password', 'password', 'phase2-auth'] as const) {
      const v = readString(settings, x, key);
      if (v !== undefined) conf[key] = v;
    }
    base['802.1x'] = conf;
  }
  const ethtool = readEthtool(settings);
  if (ethtool) base.ethtool = ethtool;
  const externalIds = readStringDict(settings, NM_SETTING.ovsExternalIds, 'data');
  const otherConfig = readStringDict(settings, NM_SETTING.ovsOtherConfig, 'data');
  if (externalIds || otherConfig) {
    base['ovs-db'] = {};
    if (externalIds) base['ovs-db'].external_ids = { ...externalIds };
    if (otherConfig) base['ovs-db'].other_config = { ...otherConfig };
  }
  return base;
}

function readInterfaceType(settings: NmSettings): InterfaceType {
  const connectionType = readString(settings, NM_SETTING.connection, 'type');
  if (connectionType === undefined) throw new BackendError('invalid-state', 'the profile has no connection.type');
  if (connectionType === NM_CONNECTION_TYPE.macvlan) return readBool(settings, 'macvlan', 'tap') === true ? 'mac-vtap' : 'mac-vlan';
  if (connectionType === NM_CONNECTION_TYPE.ovsPort) {
    throw new BackendError('unsupported', 'an ovs-port profile is part of its OVS bridge: read it with readOvsPortProfile()');
  }
  const type = NMSTATE_TYPE_BY_CONNECTION_TYPE[connectionType];
  if (type === undefined) throw new BackendError('unsupported', `NetworkManager connection type '${connectionType}' has no nmstate interface type`);
  return type;
}

/**
 * A profile back in the model's terms, for `show --running-config`: the
 * interface, plus its routes, rules, DNS and the port configuration its
 * controller lists. The inverse of {@link toNmSettings} for everything nmfleet
 * models: rendering the result again gives the same settings.
 */
export function fromNmSettings(settings: NmSettings): ProfileState {
  const type = readInterfaceType(settings);
  const base = readBase(settings, type);
  const iface = getInterfaceConverter(type).readTypeSettings(settings, base);
  const name = iface.name;
  const routes = [NM_SETTING.ipv4, NM_SETTING.ipv6].flatMap((family) => (readDictList(settings, family, 'route-data') ?? []).map((r) => fromNmRoute(r, name)));
  const rules = {
    ipv4: (readDictList(settings, NM_SETTING.ipv4, 'routing-rules') ?? []).map(fromNmRouteRule),
    ipv6: (readDictList(settings, NM_SETTING.ipv6, 'routing-rules') ?? []).map(fromNmRouteRule),
  };
  const dns: { ipv4?: InterfaceDns; ipv6?: InterfaceDns } = {};
  for (const family of ['ipv4', 'ipv6'] as const) {
    const d = readDns(settings, family);
    if (d) dns[family] = d;
  }
  const portType = readString(settings, NM_SETTING.connection, 'slave-type');
  const controllerType = portType === undefined ? undefined : CONTROLLER_TYPES[portType];
  let port: ProfileState['port'];
  if (portType === NM_CONNECTION_TYPE.bond && settings[NM_SETTING.bondPort]) {
    const bond: BondPortConfig = { name };
    const prio = readNumber(settings, NM_SETTING.bondPort, 'prio');
    if (prio !== undefined) bond.priority = prio;
    const queue = readNumber(settings, NM_SETTING.bondPort, 'queue-id');
    if (queue !== undefined) bond['queue-id'] = queue;
    port = { bond };
  } else if (portType === NM_CONNECTION_TYPE.bridge && settings[NM_SETTING.bridgePort]) {
    port = { bridge: readBridgePortConfig(settings, name) };
  }
  return { iface, ...(controllerType ? { controllerType } : {}), routes, rules, dns, ...(port ? { port } : {}) };
}

/** An `ovs-port` profile as the port entry of its bridge: `{ bridge, port }`. */
export function readOvsPortProfile(settings: NmSettings): { bridge: string; port: OvsBridgePortConfig } {
  const c = NM_SETTING.connection;
  const name = readString(settings, c, 'interface-name');
  const bridge = readString(settings, c, 'master');
  if (name === undefined || bridge === undefined) throw new BackendError('invalid-state', 'an ovs-port profile needs connection.interface-name and connection.master');
  const port: OvsBridgePortConfig = { name };
  const s = NM_SETTING.ovsPort;
  const mode = readString(settings, s, 'bond-mode');
  const lacp = readString(settings, s, 'lacp');
  if (mode !== undefined || lacp === 'active') {
    const bondMode = mode === 'active-backup' || mode === 'balance-slb' || mode === 'balance-tcp' ? mode : 'lacp';
    port['link-aggregation'] = { mode: bondMode };
    const up = readNumber(settings, s, 'bond-updelay');
    if (up !== undefined) port['link-aggregation']['bond-updelay'] = up;
    const down = readNumber(settings, s, 'bond-downdelay');
    if (down !== undefined) port['link-aggregation']['bond-downdelay'] = down;
    const externalIds = readStringDict(settings, NM_SETTING.ovsExternalIds, 'data');
    const otherConfig = readStringDict(settings, NM_SETTING.ovsOtherConfig, 'data');
    if (externalIds || otherConfig) {
      port['link-aggregation']['ovs-db'] = {
        ...(externalIds ? { external_ids: { ...externalIds } } : {}),
        ...(otherConfig ? { other_config: { ...otherConfig } } : {}),
      };
    }
  }
  const vlanMode = readString(settings, s, 'vlan-mode');
  const tag = readNumber(settings, s, 'tag');
  const trunks = readDictList(settings, s, 'trunks');
  if (vlanMode !== undefined || tag !== undefined || trunks !== undefined) {
    port.vlan = {};
    if (vlanMode === 'access' || vlanMode === 'trunk') port.vlan.mode = vlanMode;
    if (tag !== undefined) port.vlan.tag = tag;
    if (trunks !== undefined) {
      port.vlan['trunk-tags'] = trunks.map((t) => {
        const start = dictNumber(t, 'start') ?? 0;
        const end = dictNumber(t, 'end') ?? start;
        return start === end ? { id: start } : { 'id-range': { min: start, max: end } };
      });
    }
  }
  return { bridge, port };
}

function isInterfaceOf<T extends InterfaceType>(iface: Interface, type: T): iface is InterfaceOf<T> {
  return iface.type === type;
}

/**
 * Reads a set of profiles (a host's, or a generated set) as interfaces: OVS
 * port profiles become their bridge's port list (system and internal
 * interfaces then name the bridge as controller), bond and bridge ports fill
 * their controller's port list and per-port settings.
 */
export function fromNmProfiles(profiles: readonly NmSettings[]): ProfileState[] {
  const ovsPorts = new Map<string, { bridge: string; port: OvsBridgePortConfig }>();
  const states: ProfileState[] = [];
  for (const profile of profiles) {
    if (readString(profile, NM_SETTING.connection, 'type') === NM_CONNECTION_TYPE.ovsPort) {
      const port = readOvsPortProfile(profile);
      ovsPorts.set(port.port.name, port);
    } else {
      states.push(fromNmSettings(profile));
    }
  }
  const byName = new Map<string, ProfileState>();
  for (const state of states) if (state.iface.type !== 'ovs-bridge') byName.set(state.iface.name, state);
  const bridges = new Map(states.filter((st) => st.iface.type === 'ovs-bridge').map((st) => [st.iface.name, st] as const));
  const result: ProfileState[] = [];
  for (const state of states) {
    const controller = state.iface.controller;
    if (state.controllerType === 'ovs-bridge' && controller !== undefined) {
      const port = ovsPorts.get(controller);
      if (port) {
        const bridge = bridges.get(port.bridge);
        if (bridge && isInterfaceOf(bridge.iface, 'ovs-bridge')) {
          const conf = bridge.iface.bridge ?? {};
          const entries = conf.port ?? [];
          let entry = entries.find((e) => e.name === port.port.name);
          if (!entry) {
            entry = structuredClone(port.port);
            entries.push(entry);
          }
          if (port.port.name !== state.iface.name) {
            const bond = entry['link-aggregation'] ?? {};
            bond.port = [...(bond.port ?? []), { name: state.iface.name }];
            entry['link-aggregation'] = bond;
          }
          (bridge.iface as InterfaceOf<'ovs-bridge'>).bridge = { ...conf, port: entries };
        }
        result.push({ ...state, iface: { ...state.iface, controller: port.bridge } as Interface });
        continue;
      }
    }
    result.push(state);
  }
  for (const state of result) {
    const ctrlName = state.iface.controller;
    const ctrl = ctrlName === undefined ? undefined : byName.get(ctrlName)?.iface;
    if (!ctrl) continue;
    if (isInterfaceOf(ctrl, 'bond')) {
      const conf = ctrl['link-aggregation'] ?? {};
      conf.port = [...(conf.port ?? []), state.iface.name].sort();
      if (state.port?.bond) conf['ports-config'] = [...(conf['ports-config'] ?? []), state.port.bond].sort((a, b) => (a.name < b.name ? -1 : 1));
      ctrl['link-aggregation'] = conf;
    } else if (isInterfaceOf(ctrl, 'linux-bridge')) {
      const conf = ctrl.bridge ?? {};
      conf.port = [...(conf.port ?? []), state.port?.bridge ?? { name: state.iface.name }].sort((a, b) => (a.name < b.name ? -1 : 1));
      ctrl.bridge = conf;
    } else if (isInterfaceOf(ctrl, 'vrf')) {
      const conf = ctrl.vrf ?? {};
      conf.port = [...(conf.port ?? []), state.iface.name].sort();
      ctrl.vrf = conf;
    }
  }
  return result;
}

import type { OvsBridgeConfig, OvsBridgeOptions, OvsBridgePortConfig } from '@nmfleet/model';
import { toNmConnectionSetting } from '../connection-setting.js';
import { defineInterfaceConverter, type CompanionProfile, type InterfaceOf } from '../interface-converter.js';
import { readBool, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE, NM_SETTING, type NmSettings } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';
import { applyOvsDbSettings } from '../ovs-db-setting.js';
import type { SettingsContext } from '../settings-input.js';
import { getTrunkTagRange } from './bridge-vlans.js';

type OvsBridge = InterfaceOf<'ovs-bridge'>;

/** Port entries sorted by name, bond members too (nmstate's order of the OVS port profiles). */
export function getSortedOvsPorts(bridge: OvsBridge): OvsBridgePortConfig[] {
  return [...(bridge.bridge?.port ?? [])]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => {
      const bond = p['link-aggregation'];
      if (!bond?.port) return p;
      return { ...p, 'link-aggregation': { ...bond, port: [...bond.port].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) } };
    });
}

/** The OVS port an interface attaches to: its own name, or the bond port that lists it. */
export function findOvsPortName(bridge: OvsBridge, ifaceName: string): string | undefined {
  for (const port of bridge.bridge?.port ?? []) {
    const bond = port['link-aggregation'];
    if (bond) {
      if (bond.port?.some((p) => p.name === ifaceName)) return port.name;
    } else if (port.name === ifaceName) {
      return ifaceName;
    }
  }
  return undefined;
}

function writeOvsPortSetting(port: OvsBridgePortConfig, settings: NmSettings): void {
  const setting: Record<string, NmValue> = { ...(settings[NM_SETTING.ovsPort] ?? {}) };
  const bond = port['link-aggregation'];
  if (bond) {
    const mode = bond.mode;
    if (mode === 'lacp') {
      setting['lacp'] = nmValue.string('active');
    } else if (mode === 'active-backup' || mode === 'balance-slb') {
      setting['lacp'] = nmValue.string('off');
      setting['bond-mode'] = nmValue.string(mode);
    } else if (mode === 'balance-tcp') {
      setting['lacp'] = nmValue.string('active');
      setting['bond-mode'] = nmValue.string(mode);
    }
    if (bond['bond-downdelay'] !== undefined) setting['bond-downdelay'] = nmValue.uint32(bond['bond-downdelay']);
    if (bond['bond-updelay'] !== undefined) setting['bond-updelay'] = nmValue.uint32(bond['bond-updelay']);
    if (bond['ovs-db']) applyOvsDbSettings(settings, bond['ovs-db']);
  }
  const vlan = port.vlan;
  if (vlan) {
    if (vlan.tag !== undefined) setting['tag'] = nmValue.uint32(vlan.tag);
    if (vlan.mode !== undefined) setting['vlan-mode'] = nmValue.string(vlan.mode);
    if (vlan['trunk-tags'] !== undefined) {
      setting['trunks'] = nmValue.dictList(
        vlan['trunk-tags'].map((t) => {
          const { min, max } = getTrunkTagRange(t);
          return { start: nmValue.uint64(min), end: nmValue.uint64(max) };
        }),
      );
    }
  }
  settings[NM_SETTING.ovsPort] = setting;
}

/**
 * The `ovs-port` profile nmstate creates for each port of an OVS bridge
 * (`<port>-port`), attached to the bridge; system and internal interfaces
 * attach to it.
 */
export function createOvsPortProfile(bridgeName: string, port: OvsBridgePortConfig, ctx: SettingsContext): CompanionProfile {
  const existing = ctx.getExistingProfile?.(port.name, NM_CONNECTION_TYPE.ovsPort);
  const settings: NmSettings = { ...(existing ?? {}) };
  settings[NM_SETTING.connection] = toNmConnectionSetting(
    {
      base: { name: port.name, type: 'ovs-port', state: 'up', controller: bridgeName },
      nmstateType: 'ovs-port',
      connectionType: NM_CONNECTION_TYPE.ovsPort,
      isController: true,
      controllerConnectionType: NM_CONNECTION_TYPE.ovsBridge,
      hasInterfaceName: true,
    },
    ctx,
    existing?.[NM_SETTING.connection],
  );
  writeOvsPortSetting(port, settings);
  return { name: port.name, nmstateType: 'ovs-port', settings };
}

function readOptions(settings: NmSettings): OvsBridgeOptions {
  const s = NM_SETTING.ovsBridge;
  const opts: OvsBridgeOptions = {};
  const stp = readBool(settings, s, 'stp-enable');
  if (stp !== undefined) opts.stp = { enabled: stp };
  const rstp = readBool(settings, s, 'rstp-enable');
  if (rstp !== undefined) opts.rstp = rstp;
  const snooping = readBool(settings, s, 'mcast-snooping-enable');
  if (snooping !== undefined) opts['mcast-snooping-enable'] = snooping;
  const failMode = readString(settings, s, 'fail-mode');
  if (failMode !== undefined) opts['fail-mode'] = failMode;
  const datapath = readString(settings, s, 'datapath-type');
  if (datapath !== undefined) opts.datapath = datapath;
  return opts;
}

/** OVS bridges: the `ovs-bridge` profile (`<name>-br`) plus one `ovs-port` profile per port. */
export const ovsBridgeConverter = defineInterfaceConverter<OvsBridge>({
  connectionType: () => NM_CONNECTION_TYPE.ovsBridge,
  isController: true,
  isUserspace: true,
  hasWiredSetting: true,
  getPorts: (iface) => iface.bridge?.port?.flatMap((p) => (p['link-aggregation'] ? (p['link-aggregation'].port ?? []).map((b) => b.name) : [p.name])),
  // The bridge exists only in the OVS database: no MTU and no IP of its own.
  sanitize: (iface) => {
    const out = { ...iface };
    delete out.mtu;
    delete out.ipv4;
    delete out.ipv6;
    return out;
  },
  writeTypeSettings: (iface, settings) => {
    const setting: Record<string, NmValue> = { ...(settings[NM_SETTING.ovsBridge] ?? {}) };
    const opts = iface.bridge?.options;
    if (opts) {
      const stp = opts.stp?.enabled;
      if (stp === undefined) delete setting['stp-enable'];
      else setting['stp-enable'] = nmValue.bool(stp);
      if (opts.rstp === undefined) delete setting['rstp-enable'];
      else setting['rstp-enable'] = nmValue.bool(opts.rstp);
      if (opts['mcast-snooping-enable'] === undefined) delete setting['mcast-snooping-enable'];
      else setting['mcast-snooping-enable'] = nmValue.bool(opts['mcast-snooping-enable']);
      if (opts['fail-mode'] !== undefined && opts['fail-mode'] !== '') setting['fail-mode'] = nmValue.string(opts['fail-mode']);
      if (opts.datapath !== undefined && opts.datapath !== '') setting['datapath-type'] = nmValue.string(opts.datapath);
    }
    settings[NM_SETTING.ovsBridge] = setting;
  },
  createCompanions: (iface, ctx) => getSortedOvsPorts(iface).map((port) => createOvsPortProfile(iface.name, port, ctx)),
  readTypeSettings: (settings, base) => {
    const conf: OvsBridgeConfig = {};
    const opts = readOptions(settings);
    if (Object.keys(opts).length > 0) conf.options = opts;
    return { ...base, type: 'ovs-bridge', bridge: conf };
  },
});

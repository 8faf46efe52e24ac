import type { BridgeStpOptions, LinuxBridgeConfig, LinuxBridgeOptions, LinuxBridgePortConfig } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readBool, readBytes, readDictList, readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE, NM_SETTING, type NmSettings } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';
import { bytesToMac, macToBytes } from '../wired-setting.js';
import { fromNmBridgeVlanRanges, toNmBridgeVlanRanges } from './bridge-vlans.js';

/** Options whose NetworkManager property is a 64-bit count of centiseconds (the kernel's jiffies at 100 Hz). */
const U64_OPTIONS = [
  'multicast-last-member-interval',
  'multicast-membership-interval',
  'multicast-querier-interval',
  'multicast-query-interval',
  'multicast-query-response-interval',
  'multicast-startup-query-interval',
] as const;
const U32_OPTIONS = [['multicast-last-member-count', 'multicast-last-member-count'], ['multicast-startup-query-count', 'multicast-startup-query-count'], ['hash-max', 'multicast-hash-max'], ['mac-ageing-time', 'ageing-time']] as const;
const BOOL_OPTIONS = ['multicast-querier', 'multicast-query-use-ifaddr', 'multicast-snooping'] as const;
const STP_OPTIONS = [['forward-delay', 'forward-delay'], ['hello-time', 'hello-time'], ['max-age', 'max-age'], ['priority', 'priority']] as const;

function applyBridgeOptions(setting: Record<string, NmValue>, opts: LinuxBridgeOptions, where: string): void {
  if (opts['group-addr'] !== undefined) setting['group-address'] = nmValue.bytes(macToBytes(opts['group-addr'].toUpperCase(), `${where}.group-addr`));
  const fwdMask = opts['group-fwd-mask'] ?? opts['group-forward-mask'];
  if (fwdMask !== undefined) setting['group-forward-mask'] = nmValue.uint32(fwdMask);
  for (const [key, nmKey] of U32_OPTIONS) {
    const v = opts[key];
    if (v !== undefined) setting[nmKey] = nmValue.uint32(v);
  }
  for (const key of U64_OPTIONS) {
    const v = opts[key];
    if (v !== undefined) setting[key] = nmValue.uint64(v);
  }
  for (const key of BOOL_OPTIONS) {
    const v = opts[key];
    if (v !== undefined) setting[key] = nmValue.bool(v);
  }
  if (opts['multicast-router'] !== undefined) setting['multicast-router'] = nmValue.string(opts['multicast-router']);
  if (opts['vlan-protocol'] !== undefined) setting['vlan-protocol'] = nmValue.string(opts['vlan-protocol'] === '802.1ad' ? '802.1ad' : '802.1Q');
  if (opts['vlan-default-pvid'] !== undefined) setting['vlan-default-pvid'] = nmValue.uint32(opts['vlan-default-pvid']);
  const stp = opts.stp;
  if (stp) {
    if (stp.enabled !== undefined) setting['stp'] = nmValue.bool(stp.enabled);
    for (const [key, nmKey] of STP_OPTIONS) {
      const v = stp[key];
      if (v !== undefined) setting[nmKey] = nmValue.uint32(v);
    }
  }
}

/** Whether any port filters VLANs: NetworkManager then turns `vlan-filtering` on. */
function isVlanFilteringEnabled(conf: LinuxBridgeConfig | undefined): boolean {
  return (conf?.port ?? []).some((p) => p.vlan !== undefined && Object.keys(p.vlan).length > 0);
}

function readOptions(settings: NmSettings): LinuxBridgeOptions {
  const s = NM_SETTING.bridge;
  const opts: LinuxBridgeOptions = {};
  const group = readBytes(settings, s, 'group-address');
  if (group) opts['group-addr'] = bytesToMac(group);
  const mask = readNumber(settings, s, 'group-forward-mask');
  if (mask !== undefined) opts['group-forward-mask'] = mask;
  for (const [key, nmKey] of U32_OPTIONS) {
    const v = readNumber(settings, s, nmKey);
    if (v !== undefined) opts[key] = v;
  }
  for (const key of U64_OPTIONS) {
    const v = readNumber(settings, s, key);
    if (v !== undefined) opts[key] = v;
  }
  for (const key of BOOL_OPTIONS) {
    const v = readBool(settings, s, key);
    if (v !== undefined) opts[key] = v;
  }
  const router = readString(settings, s, 'multicast-router');
  if (router === 'auto' || router === 'disabled' || router === 'enabled') opts['multicast-router'] = router;
  const proto = readString(settings, s, 'vlan-protocol');
  if (proto !== undefined) opts['vlan-protocol'] = proto === '802.1ad' ? '802.1ad' : '802.1q';
  const pvid = readNumber(settings, s, 'vlan-default-pvid');
  if (pvid !== undefined) opts['vlan-default-pvid'] = pvid;
  const stp: BridgeStpOptions = {};
  const enabled = readBool(settings, s, 'stp');
  if (enabled !== undefined) stp.enabled = enabled;
  for (const [key, nmKey] of STP_OPTIONS) {
    const v = readNumber(settings, s, nmKey);
    if (v !== undefined) stp[key] = v;
  }
  if (Object.keys(stp).length > 0) opts.stp = stp;
  return opts;
}

/** Linux bridges (`bridge`) and what their ports carry (`bridge-port`). */
export const linuxBridgeConverter = defineInterfaceConverter<InterfaceOf<'linux-bridge'>>({
  connectionType: () => NM_CONNECTION_TYPE.bridge,
  isController: true,
  hasWiredSetting: true,
  getPorts: (iface) => iface.bridge?.port?.map((p) => p.name),
  writeTypeSettings: (iface, settings) => {
    const setting: Record<string, NmValue> = { ...(settings[NM_SETTING.bridge] ?? {}) };
    const conf = iface.bridge;
    if (conf?.options) applyBridgeOptions(setting, conf.options, iface.name);
    if (conf?.port !== undefined) setting['vlan-filtering'] = nmValue.bool(isVlanFilteringEnabled(conf));
    settings[NM_SETTING.bridge] = setting;
  },
  writePortSettings: (bridge, portName, settings) => {
    const conf = bridge.bridge?.port?.find((p) => p.name === portName);
    if (!conf) return;
    const setting: Record<string, NmValue> = { ...(settings[NM_SETTING.bridgePort] ?? {}) };
    if (conf['stp-hairpin-mode'] !== undefined) setting['hairpin-mode'] = nmValue.bool(conf['stp-hairpin-mode']);
    if (conf['stp-path-cost'] !== undefined) setting['path-cost'] = nmValue.uint32(conf['stp-path-cost']);
    if (conf['stp-priority'] !== undefined) setting['priority'] = nmValue.uint32(conf['stp-priority']);
    if (conf.vlan !== undefined) setting['vlans'] = nmValue.dictList(toNmBridgeVlanRanges(conf.vlan));
    settings[NM_SETTING.bridgePort] = setting;
  },
  readTypeSettings: (settings, base) => {
    const conf: LinuxBridgeConfig = {};
    const opts = readOptions(settings);
    if (Object.keys(opts).length > 0) conf.options = opts;
    // nmstate writes vlan-filtering exactly when the state lists the ports (its ports fill the list in).
    if (readBool(settings, NM_SETTING.bridge, 'vlan-filtering') !== undefined) conf.port = [];
    return { ...base, type: 'linux-bridge', bridge: conf };
  },
});

/** A port's `bridge-port` setting back to its entry in the bridge's port list. */
export function readBridgePortConfig(settings: NmSettings, name: string): LinuxBridgePortConfig {
  const s = NM_SETTING.bridgePort;
  const out: LinuxBridgePortConfig = { name };
  const hairpin = readBool(settings, s, 'hairpin-mode');
  if (hairpin !== undefined) out['stp-hairpin-mode'] = hairpin;
  const cost = readNumber(settings, s, 'path-cost');
  if (cost !== undefined) out['stp-path-cost'] = cost;
  const priority = readNumber(settings, s, 'priority');
  if (priority !== undefined) out['stp-priority'] = priority;
  const vlan = fromNmBridgeVlanRanges(readDictList(settings, s, 'vlans') ?? []);
  if (vlan) out.vlan = vlan;
  return out;
}

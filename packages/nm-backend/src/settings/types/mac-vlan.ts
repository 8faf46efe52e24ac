import type { MacVlanMode } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readBool, readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE, type NmSettings } from '../nm-settings.js';
import { nmValue } from '../nm-value.js';

/** NM_SETTING_MACVLAN_MODE_* by nmstate's mode names (shared by MACVLAN and MACVTAP). */
export const MACVLAN_MODES: Readonly<Record<MacVlanMode, number>> = { unknown: 0, vepa: 1, bridge: 2, private: 3, passthru: 4, source: 5 };
const MODE_NAMES = Object.fromEntries(Object.entries(MACVLAN_MODES).map(([k, v]) => [v, k])) as Record<number, MacVlanMode>;

/** The `macvlan` setting; `tap` tells MACVTAP from MACVLAN. nmstate replaces the whole setting. */
export function writeMacvlanSetting(settings: NmSettings, conf: { 'base-iface': string; mode: MacVlanMode; promiscuous?: boolean }, tap: boolean): void {
  const setting = { mode: nmValue.uint32(MACVLAN_MODES[conf.mode]), parent: nmValue.string(conf['base-iface']), tap: nmValue.bool(tap) };
  settings['macvlan'] = conf.promiscuous === undefined ? setting : { ...setting, promiscuous: nmValue.bool(conf.promiscuous) };
}

/** The `macvlan` setting back to nmstate's section. */
export function readMacvlanSetting(settings: NmSettings): { 'base-iface': string; mode: MacVlanMode; promiscuous?: boolean } {
  const out: { 'base-iface': string; mode: MacVlanMode; promiscuous?: boolean } = {
    'base-iface': readString(settings, 'macvlan', 'parent') ?? '',
    mode: MODE_NAMES[readNumber(settings, 'macvlan', 'mode') ?? 0] ?? 'unknown',
  };
  const promiscuous = readBool(settings, 'macvlan', 'promiscuous');
  if (promiscuous !== undefined) out.promiscuous = promiscuous;
  return out;
}

/** MACVLAN interfaces. */
export const macVlanConverter = defineInterfaceConverter<InterfaceOf<'mac-vlan'>>({
  connectionType: () => NM_CONNECTION_TYPE.macvlan,
  isController: false,
  hasWiredSetting: true,
  getParent: (iface) => iface['mac-vlan']?.['base-iface'],
  setParent: (iface, parent) => (iface['mac-vlan'] ? { ...iface, 'mac-vlan': { ...iface['mac-vlan'], 'base-iface': parent } } : iface),
  writeTypeSettings: (iface, settings) => {
    const conf = iface['mac-vlan'];
    if (conf) writeMacvlanSetting(settings, conf, false);
  },
  readTypeSettings: (settings, base) => ({ ...base, type: 'mac-vlan', 'mac-vlan': readMacvlanSetting(settings) }),
});

import type { VxlanConfig } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readBool, readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

/** VXLAN tunnels. */
export const vxlanConverter = defineInterfaceConverter<InterfaceOf<'vxlan'>>({
  connectionType: () => NM_CONNECTION_TYPE.vxlan,
  isController: false,
  hasWiredSetting: true,
  getParent: (iface) => (iface.vxlan?.['base-iface'] ? iface.vxlan['base-iface'] : undefined),
  setParent: (iface, parent) => (iface.vxlan ? { ...iface, vxlan: { ...iface.vxlan, 'base-iface': parent } } : iface),
  writeTypeSettings: (iface, settings) => {
    const conf = iface.vxlan;
    if (!conf) return;
    // nmstate replaces the whole setting.
    const setting: Record<string, NmValue> = { id: nmValue.uint32(conf.id) };
    if (conf['base-iface'] !== undefined && conf['base-iface'] !== '') setting['parent'] = nmValue.string(conf['base-iface']);
    if (conf.learning !== undefined) setting['learning'] = nmValue.bool(conf.learning);
    if (conf.local !== undefined) setting['local'] = nmValue.string(conf.local);
    if (conf.remote !== undefined) setting['remote'] = nmValue.string(conf.remote);
    if (conf['destination-port'] !== undefined) setting['destination-port'] = nmValue.uint32(conf['destination-port']);
    settings['vxlan'] = setting;
  },
  readTypeSettings: (settings, base) => {
    const conf: VxlanConfig = { id: readNumber(settings, 'vxlan', 'id') ?? 0 };
    const parent = readString(settings, 'vxlan', 'parent');
    if (parent !== undefined) conf['base-iface'] = parent;
    const learning = readBool(settings, 'vxlan', 'learning');
    if (learning !== undefined) conf.learning = learning;
    const local = readString(settings, 'vxlan', 'local');
    if (local !== undefined) conf.local = local;
    const remote = readString(settings, 'vxlan', 'remote');
    if (remote !== undefined) conf.remote = remote;
    const port = readNumber(settings, 'vxlan', 'destination-port');
    if (port !== undefined) conf['destination-port'] = port;
    return { ...base, type: 'vxlan', vxlan: conf };
  },
});

import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { readMacvlanSetting, writeMacvlanSetting } from './mac-vlan.js';

/** MACVTAP interfaces: NetworkManager's `macvlan` type with `tap=true`. */
export const macVtapConverter = defineInterfaceConverter<InterfaceOf<'mac-vtap'>>({
  connectionType: () => NM_CONNECTION_TYPE.macvlan,
  isController: false,
  hasWiredSetting: true,
  getParent: (iface) => iface['mac-vtap']?.['base-iface'],
  setParent: (iface, parent) => (iface['mac-vtap'] ? { ...iface, 'mac-vtap': { ...iface['mac-vtap'], 'base-iface': parent } } : iface),
  writeTypeSettings: (iface, settings) => {
    const conf = iface['mac-vtap'];
    if (conf) writeMacvlanSetting(settings, conf, true);
  },
  readTypeSettings: (settings, base) => ({ ...base, type: 'mac-vtap', 'mac-vtap': readMacvlanSetting(settings) }),
});

import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readNumber } from '../nm-read.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { nmValue } from '../nm-value.js';

/** VRF devices: the routing table; ports attach with `slave-type=vrf` and keep their IP. */
export const vrfConverter = defineInterfaceConverter<InterfaceOf<'vrf'>>({
  connectionType: () => NM_CONNECTION_TYPE.vrf,
  isController: true,
  hasWiredSetting: true,
  getPorts: (iface) => iface.vrf?.port,
  // A VRF is a layer 3 device: nmstate ignores a MAC address on it.
  sanitize: (iface) => {
    const out = { ...iface };
    delete out['mac-address'];
    if (out['accept-all-mac-addresses'] === false) delete out['accept-all-mac-addresses'];
    return out;
  },
  writeTypeSettings: (iface, settings) => {
    const conf = iface.vrf;
    if (!conf) return;
    settings['vrf'] = conf['route-table-id'] === undefined ? {} : { table: nmValue.uint32(conf['route-table-id']) };
  },
  readTypeSettings: (settings, base) => {
    const table = readNumber(settings, 'vrf', 'table');
    return { ...base, type: 'vrf', vrf: table === undefined ? {} : { 'route-table-id': table } };
  },
});

import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { nmValue } from '../nm-value.js';

/** The loopback device (NetworkManager ≥ 1.42 manages `lo`): addresses, routes and MTU only. */
export const loopbackConverter = defineInterfaceConverter<InterfaceOf<'loopback'>>({
  connectionType: () => NM_CONNECTION_TYPE.loopback,
  isController: false,
  hasWiredSetting: false,
  writeTypeSettings: (iface, settings) => {
    // nmstatectl gc prints no [loopback] section; an empty one would say the same.
    if (iface.mtu !== undefined) settings['loopback'] = { ...(settings['loopback'] ?? {}), mtu: nmValue.uint32(iface.mtu) };
  },
  readTypeSettings: (_settings, base) => ({ ...base, type: 'loopback' }),
});

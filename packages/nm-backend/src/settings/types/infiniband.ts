import type { InfinibandConfig } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

/** nmstate's "no partition key" value: the interface is the parent itself. */
const NO_PKEY = 0xffff;

/** IP over InfiniBand, optionally a partition (P_Key) of a parent. Layer 3 only: no `802-3-ethernet`. */
export const infinibandConverter = defineInterfaceConverter<InterfaceOf<'infiniband'>>({
  connectionType: () => NM_CONNECTION_TYPE.infiniband,
  isController: false,
  hasWiredSetting: false,
  getParent: (iface) => (iface.infiniband?.['base-iface'] ? iface.infiniband['base-iface'] : undefined),
  writeTypeSettings: (iface, settings) => {
    const setting: Record<string, NmValue> = { ...(settings['infiniband'] ?? {}) };
    const conf = iface.infiniband;
    if (conf) {
      const parent = conf['base-iface'];
      if (parent === undefined || parent === '') delete setting['parent'];
      else setting['parent'] = nmValue.string(parent);
      if (conf.pkey === NO_PKEY) delete setting['p-key'];
      else setting['p-key'] = nmValue.int32(conf.pkey);
      setting['transport-mode'] = nmValue.string(conf.mode);
    }
    if (iface.mtu !== undefined) setting['mtu'] = nmValue.uint32(iface.mtu);
    settings['infiniband'] = setting;
  },
  readTypeSettings: (settings, base) => {
    const mode = readString(settings, 'infiniband', 'transport-mode');
    const conf: InfinibandConfig = { mode: mode === 'connected' ? 'connected' : 'datagram', pkey: readNumber(settings, 'infiniband', 'p-key') ?? NO_PKEY };
    const parent = readString(settings, 'infiniband', 'parent');
    if (parent !== undefined) conf['base-iface'] = parent;
    return { ...base, type: 'infiniband', infiniband: conf };
  },
});

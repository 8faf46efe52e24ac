import type { IpvlanConfig } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readBool, readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

const MODES = { l2: 1, l3: 2, l3s: 3 } as const;
const MODE_NAMES: Readonly<Record<number, 'l2' | 'l3' | 'l3s'>> = { 1: 'l2', 2: 'l3', 3: 'l3s' };

/**
 * IPVLAN interfaces (NetworkManager ≥ 1.52). nmstatectl 2.2.62 leaves the
 * `[ipvlan]` section out of its keyfiles; we write it (NetworkManager needs the parent).
 */
export const ipvlanConverter = defineInterfaceConverter<InterfaceOf<'ipvlan'>>({
  connectionType: () => NM_CONNECTION_TYPE.ipvlan,
  isController: false,
  hasWiredSetting: true,
  writeTypeSettings: (iface, settings) => {
    const setting: Record<string, NmValue> = { ...(settings['ipvlan'] ?? {}) };
    const conf = iface.ipvlan;
    if (conf) {
      if (conf['base-iface'] === undefined) delete setting['parent'];
      else setting['parent'] = nmValue.string(conf['base-iface']);
      setting['mode'] = nmValue.uint32(MODES[conf.mode ?? 'l2']);
      for (const key of ['private', 'vepa'] as const) {
        const v = conf[key];
        if (v === undefined) delete setting[key];
        else setting[key] = nmValue.bool(v);
      }
    }
    settings['ipvlan'] = setting;
  },
  readTypeSettings: (settings, base) => {
    const conf: IpvlanConfig = {};
    const parent = readString(settings, 'ipvlan', 'parent');
    if (parent !== undefined) conf['base-iface'] = parent;
    const mode = MODE_NAMES[readNumber(settings, 'ipvlan', 'mode') ?? 0];
    if (mode) conf.mode = mode;
    const priv = readBool(settings, 'ipvlan', 'private');
    if (priv !== undefined) conf.private = priv;
    const vepa = readBool(settings, 'ipvlan', 'vepa');
    if (vepa !== undefined) conf.vepa = vepa;
    return { ...base, type: 'ipvlan', ipvlan: conf };
  },
});

import type { MacsecConfig } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readBool, readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

const VALIDATION = { disabled: 0, check: 1, strict: 2 } as const;
const OFFLOAD = { off: 0, phy: 1, mac: 2 } as const;
const VALIDATION_NAMES = ['disabled', 'check', 'strict'] as const;
const OFFLOAD_NAMES = ['off', 'phy', 'mac'] as const;

/** MACsec on top of a parent; the CAK is a secret NetworkManager keeps. */
export const macsecConverter = defineInterfaceConverter<InterfaceOf<'macsec'>>({
  connectionType: () => NM_CONNECTION_TYPE.macsec,
  isController: false,
  hasWiredSetting: true,
  getParent: (iface) => iface.macsec?.['base-iface'],
  setParent: (iface, parent) => (iface.macsec ? { ...iface, macsec: { ...iface.macsec, 'base-iface': parent } } : iface),
  writeTypeSettings: (iface, settings) => {
    const setting: Record<string, NmValue> = { ...(settings['macsec'] ?? {}) };
    const conf = iface.macsec;
    if (conf) {
      setting['parent'] = nmValue.string(conf['base-iface']);
      setting['encrypt'] = nmValue.bool(conf.encrypt);
      for (const key of ['mka-cak', 'mka-ckn'] as const) {
        const v = conf[key];
        if (v === undefined) delete setting[key];
        else setting[key] = nmValue.string(v);
      }
      // NetworkManager rejects port 0; nmstate leaves it out.
      if (conf.port > 0) setting['port'] = nmValue.int32(conf.port);
      else delete setting['port'];
      setting['validation'] = nmValue.int32(VALIDATION[conf.validation]);
      setting['send-sci'] = nmValue.bool(conf['send-sci']);
      if (conf.offload !== undefined) setting['offload'] = nmValue.int32(OFFLOAD[conf.offload]);
    }
    settings['macsec'] = setting;
  },
  readTypeSettings: (settings, base) => {
    const conf: MacsecConfig = {
      encrypt: readBool(settings, 'macsec', 'encrypt') ?? true,
      'base-iface': readString(settings, 'macsec', 'parent') ?? '',
      port: readNumber(settings, 'macsec', 'port') ?? 0,
      validation: VALIDATION_NAMES[readNumber(settings, 'macsec', 'validation') ?? 2] ?? 'strict',
      'send-sci': readBool(settings, 'macsec', 'send-sci') ?? true,
    };
    const ckn = readString(settings, 'macsec', 'mka-ckn');
    if (ckn !== undefined) conf['mka-ckn'] = ckn;
    const cak = readString(settings, 'macsec', 'mka-cak');
    if (cak !== undefined) conf['mka-cak'] = cak;
    const offload = readNumber(settings, 'macsec', 'offload');
    const offloadName = offload === undefined ? undefined : OFFLOAD_NAMES[offload];
    if (offloadName !== undefined) conf.offload = offloadName;
    return { ...base, type: 'macsec', macsec: conf };
  },
});

import type { HsrConfig } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readBool, readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

/**
 * HSR/PRP devices. Their two ports are named in the `hsr` setting (ports get
 * no master/slave-type). nmstatectl 2.2.62 leaves the `[hsr]` section out of
 * its keyfiles; we write it, since NetworkManager cannot create the device
 * without its ports.
 */
export const hsrConverter = defineInterfaceConverter<InterfaceOf<'hsr'>>({
  connectionType: () => NM_CONNECTION_TYPE.hsr,
  isController: true,
  hasWiredSetting: true,
  getPorts: (iface) => (iface.hsr ? [iface.hsr.port1, iface.hsr.port2] : undefined),
  writeTypeSettings: (iface, settings) => {
    const setting: Record<string, NmValue> = { ...(settings['hsr'] ?? {}) };
    const conf = iface.hsr;
    if (conf) {
      setting['port1'] = nmValue.string(conf.port1);
      setting['port2'] = nmValue.string(conf.port2);
      if (conf.interlink === undefined) delete setting['interlink'];
      else setting['interlink'] = nmValue.string(conf.interlink);
      if (conf['multicast-spec'] > 0) setting['multicast-spec'] = nmValue.uint32(conf['multicast-spec']);
      else delete setting['multicast-spec'];
      setting['prp'] = nmValue.bool(conf.protocol === 'prp');
      if (conf.protocol === 'hsr-2012') setting['protocol-version'] = nmValue.int32(1);
      else delete setting['protocol-version'];
    }
    settings['hsr'] = setting;
  },
  readTypeSettings: (settings, base) => {
    const prp = readBool(settings, 'hsr', 'prp') === true;
    const conf: HsrConfig = {
      port1: readString(settings, 'hsr', 'port1') ?? '',
      port2: readString(settings, 'hsr', 'port2') ?? '',
      'multicast-spec': readNumber(settings, 'hsr', 'multicast-spec') ?? 0,
      protocol: prp ? 'prp' : readNumber(settings, 'hsr', 'protocol-version') === 1 ? 'hsr-2012' : 'hsr',
    };
    const interlink = readString(settings, 'hsr', 'interlink');
    if (interlink !== undefined) conf.interlink = interlink;
    return { ...base, type: 'hsr', hsr: conf };
  },
});

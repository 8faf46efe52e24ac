import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE, NM_SETTING, type NmSettings } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

type OvsInternal = InterfaceOf<'ovs-interface'>;

/** OVS internal, patch and DPDK interfaces (`ovs-interface` profile `<name>-if`). */
export const ovsInterfaceConverter = defineInterfaceConverter<OvsInternal>({
  connectionType: () => NM_CONNECTION_TYPE.ovsInterface,
  isController: false,
  hasWiredSetting: true,
  // An internal interface is stacked on its bridge: nmstate orders it after the bridge.
  getParent: (iface) => (iface.controller === '' ? undefined : iface.controller),
  writeTypeSettings: (iface, settings: NmSettings) => {
    const setting: Record<string, NmValue> = { ...(settings[NM_SETTING.ovsInterface] ?? {}) };
    let typed = false;
    if (iface.patch !== undefined) {
      setting['type'] = nmValue.string('patch');
      settings[NM_SETTING.ovsPatch] = { peer: nmValue.string(iface.patch.peer) };
      typed = true;
    } else if (iface.dpdk !== undefined && iface.dpdk.devargs !== '') {
      setting['type'] = nmValue.string('dpdk');
      const dpdk: Record<string, NmValue> = { devargs: nmValue.string(iface.dpdk.devargs) };
      if (iface.dpdk['rx-queue'] !== undefined) dpdk['n-rxq'] = nmValue.uint32(iface.dpdk['rx-queue']);
      if (iface.dpdk.n_rxq_desc !== undefined) dpdk['n-rxq-desc'] = nmValue.uint32(iface.dpdk.n_rxq_desc);
      if (iface.dpdk.n_txq_desc !== undefined) dpdk['n-txq-desc'] = nmValue.uint32(iface.dpdk.n_txq_desc);
      if (iface.dpdk['lsc-interrupt'] !== undefined) dpdk['lsc-interrupt'] = nmValue.int32(iface.dpdk['lsc-interrupt'] ? 1 : 0);
      settings[NM_SETTING.ovsDpdk] = dpdk;
      typed = true;
    }
    if (typed) settings[NM_SETTING.ovsInterface] = setting;
    else if (settings[NM_SETTING.ovsInterface] === undefined) settings[NM_SETTING.ovsInterface] = { type: nmValue.string('internal') };
  },
  readTypeSettings: (settings, base) => {
    const iface: OvsInternal = { ...base, type: 'ovs-interface' };
    const kind = readString(settings, NM_SETTING.ovsInterface, 'type');
    const peer = readString(settings, NM_SETTING.ovsPatch, 'peer');
    if (kind === 'patch' && peer !== undefined) iface.patch = { peer };
    const devargs = readString(settings, NM_SETTING.ovsDpdk, 'devargs');
    if (kind === 'dpdk' && devargs !== undefined) {
      iface.dpdk = { devargs };
      const rxq = readNumber(settings, NM_SETTING.ovsDpdk, 'n-rxq');
      if (rxq !== undefined) iface.dpdk['rx-queue'] = rxq;
      const rxqDesc = readNumber(settings, NM_SETTING.ovsDpdk, 'n-rxq-desc');
      if (rxqDesc !== undefined) iface.dpdk.n_rxq_desc = rxqDesc;
      const txqDesc = readNumber(settings, NM_SETTING.ovsDpdk, 'n-txq-desc');
      if (txqDesc !== undefined) iface.dpdk.n_txq_desc = txqDesc;
      const lsc = readNumber(settings, NM_SETTING.ovsDpdk, 'lsc-interrupt');
      if (lsc !== undefined) iface.dpdk['lsc-interrupt'] = lsc !== 0;
    }
    return iface;
  },
});

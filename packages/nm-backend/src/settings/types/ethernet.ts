import type { BaseInterface, EthernetConfig, SrIovConfig, SrIovVfConfig } from '@nmfleet/model';
import { defineInterfaceConverter, type CompanionProfile, type InterfaceOf } from '../interface-converter.js';
import { dictBool, dictNumber, dictString, readDictList, readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE, NM_SETTING, type NmSettings } from '../nm-settings.js';
import { nmValue } from '../nm-value.js';
import { toNmConnectionSetting } from '../connection-setting.js';
import { toNmIpSetting } from '../ip-setting.js';
import type { SettingsContext } from '../settings-input.js';
import { toNmSriovSetting } from '../sriov-setting.js';
import { readWiredConfig } from './wired-read.js';

type EthernetLike = InterfaceOf<'ethernet'> | InterfaceOf<'veth'>;

/** nmstate creates a profile for a veth peer that the desired state does not list, so the pair can come up. */
function createVethPeer(iface: EthernetLike, ctx: SettingsContext): CompanionProfile[] {
  const peer = iface.veth?.peer;
  if (peer === undefined || ctx.getInterface(peer) !== undefined || ctx.isIgnored?.(peer) === true) return [];
  const existing = ctx.getExistingProfile?.(peer, NM_CONNECTION_TYPE.veth) ?? ctx.getExistingProfile?.(peer, NM_CONNECTION_TYPE.ethernet);
  if (existing) return [{ name: peer, nmstateType: 'veth', settings: existing }];
  const base = { name: peer, type: 'veth', state: 'up' as const };
  const connection = toNmConnectionSetting(
    { base, nmstateType: 'veth', connectionType: NM_CONNECTION_TYPE.veth, isController: false, hasInterfaceName: true },
    ctx,
    undefined,
  );
  const ip = (family: 'ipv4' | 'ipv6') =>
    toNmIpSetting({ family, ip: { enabled: false }, ifaceType: 'veth', routes: undefined, rules: undefined, dns: undefined, existing: undefined });
  return [{ name: peer, nmstateType: 'veth', settings: { connection, ipv4: ip('ipv4'), ipv6: ip('ipv6'), veth: { peer: nmValue.string(iface.name) } } }];
}

function writeEthernetSettings(iface: EthernetLike, settings: NmSettings): void {
  if (iface.veth !== undefined) settings['veth'] = { ...(settings['veth'] ?? {}), peer: nmValue.string(iface.veth.peer) };
  const sriov = toNmSriovSetting(iface.ethernet?.['sr-iov'], settings[NM_SETTING.sriov]);
  if (sriov === null) delete settings[NM_SETTING.sriov];
  else if (sriov !== undefined) settings[NM_SETTING.sriov] = sriov;
}

function readSriov(settings: NmSettings): SrIovConfig | undefined {
  if (settings[NM_SETTING.sriov] === undefined) return undefined;
  const out: SrIovConfig = {};
  const total = readNumber(settings, NM_SETTING.sriov, 'total-vfs');
  if (total !== undefined) out['total-vfs'] = total;
  const autoprobe = readNumber(settings, NM_SETTING.sriov, 'autoprobe-drivers');
  if (autoprobe === 0 || autoprobe === 1) out['drivers-autoprobe'] = autoprobe === 1;
  const vfs = readDictList(settings, NM_SETTING.sriov, 'vfs');
  if (vfs) {
    out.vfs = vfs.map((vf) => {
      const conf: SrIovVfConfig = { id: dictNumber(vf, 'index') ?? 0 };
      const mac = dictString(vf, 'mac');
      if (mac !== undefined) conf['mac-address'] = mac;
      const spoof = dictBool(vf, 'spoof-check');
      if (spoof !== undefined) conf['spoof-check'] = spoof;
      const trust = dictBool(vf, 'trust');
      if (trust !== undefined) conf.trust = trust;
      const minRate = dictNumber(vf, 'min-tx-rate');
      if (minRate !== undefined) conf['min-tx-rate'] = minRate;
      const maxRate = dictNumber(vf, 'max-tx-rate');
      if (maxRate !== undefined) conf['max-tx-rate'] = maxRate;
      const vlan = vf['vlans']?.type === 'aa{sv}' ? vf['vlans'].value[0] : undefined;
      if (vlan) {
        conf['vlan-id'] = dictNumber(vlan, 'id') ?? 0;
        conf.qos = dictNumber(vlan, 'qos') ?? 0;
        conf['vlan-proto'] = dictNumber(vlan, 'protocol') === 1 ? '802.1ad' : '802.1q';
      }
      return conf;
    });
  }
  return out;
}

/** Ethernet devices, and veth (a profile of type `veth` with its peer). */
export const ethernetConverter = defineInterfaceConverter<InterfaceOf<'ethernet'>>({
  connectionType: (iface) => (iface.veth !== undefined ? NM_CONNECTION_TYPE.veth : NM_CONNECTION_TYPE.ethernet),
  isController: false,
  hasWiredSetting: true,
  writeTypeSettings: (iface, settings) => writeEthernetSettings(iface, settings),
  createCompanions: (iface, ctx) => createVethPeer(iface, ctx),
  readTypeSettings: (settings, base) => {
    const iface: InterfaceOf<'ethernet'> = { ...base, type: 'ethernet' };
    const ethernet: EthernetConfig = { ...readWiredConfig(settings) };
    const sriov = readSriov(settings);
    if (sriov) ethernet['sr-iov'] = sriov;
    if (Object.keys(ethernet).length > 0) iface.ethernet = ethernet;
    const peer = readString(settings, 'veth', 'peer');
    if (peer !== undefined) iface.veth = { peer };
    return iface;
  },
});

/** `type: veth`: an Ethernet device with a peer. */
export const vethConverter = defineInterfaceConverter<InterfaceOf<'veth'>>({
  connectionType: () => NM_CONNECTION_TYPE.veth,
  isController: false,
  hasWiredSetting: true,
  writeTypeSettings: (iface, settings) => writeEthernetSettings(iface, settings),
  createCompanions: (iface, ctx) => createVethPeer(iface, ctx),
  readTypeSettings: (settings, base: BaseInterface) => {
    const iface: InterfaceOf<'veth'> = { ...base, type: 'veth' };
    const ethernet = readWiredConfig(settings);
    if (Object.keys(ethernet).length > 0) iface.ethernet = ethernet;
    const peer = readString(settings, 'veth', 'peer');
    if (peer !== undefined) iface.veth = { peer };
    return iface;
  },
});

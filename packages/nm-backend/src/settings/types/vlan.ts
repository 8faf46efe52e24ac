import type { VlanConfig, VlanQosMapping } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readNumber, readString, readStringList } from '../nm-read.js';
import { NM_CONNECTION_TYPE, type NmSettings } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

/** NM_VLAN_FLAG_*. */
const VLAN_FLAGS = { reorderHeaders: 1, gvrp: 2, looseBinding: 4, mvrp: 8 } as const;

function toMap(maps: readonly VlanQosMapping[]): string[] {
  return [...maps].sort((a, b) => a.from - b.from || a.to - b.to).map((m) => `${m.from}:${m.to}`);
}

function fromMap(entries: readonly string[] | undefined): VlanQosMapping[] | undefined {
  if (!entries || entries.length === 0) return undefined;
  return entries.flatMap((e) => {
    const [from, to] = e.split(':').map(Number);
    return from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to) ? [] : [{ from, to }];
  });
}

/**
 * The `vlan.flags` bits: the desired registration protocol, reorder-headers
 * and loose-binding replace theirs; bits the state does not mention stay.
 * reorder-headers defaults to on for a new VLAN, as nmstate does.
 */
function computeFlags(conf: VlanConfig, existingFlags: number | undefined): number {
  let flags = existingFlags ?? 0;
  const registration = conf['registration-protocol'];
  if (registration === 'gvrp') flags = (flags & ~VLAN_FLAGS.mvrp) | VLAN_FLAGS.gvrp;
  else if (registration === 'mvrp') flags = (flags & ~VLAN_FLAGS.gvrp) | VLAN_FLAGS.mvrp;
  else if (registration === 'none') flags &= ~(VLAN_FLAGS.gvrp | VLAN_FLAGS.mvrp);
  const reorder = conf['reorder-headers'] ?? (existingFlags === undefined ? true : undefined);
  if (reorder === true) flags |= VLAN_FLAGS.reorderHeaders;
  else if (reorder === false) flags &= ~VLAN_FLAGS.reorderHeaders;
  if (conf['loose-binding'] === true) flags |= VLAN_FLAGS.looseBinding;
  else if (conf['loose-binding'] === false) flags &= ~VLAN_FLAGS.looseBinding;
  return flags;
}

/** 802.1Q/802.1ad VLANs. */
export const vlanConverter = defineInterfaceConverter<InterfaceOf<'vlan'>>({
  connectionType: () => NM_CONNECTION_TYPE.vlan,
  isController: false,
  hasWiredSetting: true,
  getParent: (iface) => iface.vlan?.['base-iface'],
  setParent: (iface, parent) => (iface.vlan ? { ...iface, vlan: { ...iface.vlan, 'base-iface': parent } } : iface),
  writeTypeSettings: (iface, settings: NmSettings) => {
    const conf = iface.vlan;
    if (!conf) return;
    const existing = settings['vlan'];
    const setting: Record<string, NmValue> = { ...(existing ?? {}) };
    setting['id'] = nmValue.uint32(conf.id);
    if (conf['base-iface'] === undefined) delete setting['parent'];
    else setting['parent'] = nmValue.string(conf['base-iface']);
    if (conf.protocol !== undefined) setting['protocol'] = nmValue.string(conf.protocol === '802.1ad' ? '802.1ad' : '802.1Q');
    const existingFlags = existing?.['flags']?.type === 'u' ? existing['flags'].value : undefined;
    setting['flags'] = nmValue.uint32(computeFlags(conf, existingFlags));
    if (conf['ingress-qos-map'] !== undefined) setting['ingress-priority-map'] = nmValue.stringList(toMap(conf['ingress-qos-map']));
    else setting['ingress-priority-map'] ??= nmValue.stringList([]);
    if (conf['egress-qos-map'] !== undefined) setting['egress-priority-map'] = nmValue.stringList(toMap(conf['egress-qos-map']));
    else setting['egress-priority-map'] ??= nmValue.stringList([]);
    settings['vlan'] = setting;
  },
  readTypeSettings: (settings, base) => {
    const conf: VlanConfig = { id: readNumber(settings, 'vlan', 'id') ?? 0 };
    const parent = readString(settings, 'vlan', 'parent');
    if (parent !== undefined) conf['base-iface'] = parent;
    const protocol = readString(settings, 'vlan', 'protocol');
    if (protocol !== undefined) conf.protocol = protocol === '802.1ad' ? '802.1ad' : '802.1q';
    const flags = readNumber(settings, 'vlan', 'flags') ?? VLAN_FLAGS.reorderHeaders;
    conf['reorder-headers'] = (flags & VLAN_FLAGS.reorderHeaders) !== 0;
    conf['loose-binding'] = (flags & VLAN_FLAGS.looseBinding) !== 0;
    conf['registration-protocol'] = flags & VLAN_FLAGS.gvrp ? 'gvrp' : flags & VLAN_FLAGS.mvrp ? 'mvrp' : 'none';
    const ingress = fromMap(readStringList(settings, 'vlan', 'ingress-priority-map'));
    if (ingress) conf['ingress-qos-map'] = ingress;
    const egress = fromMap(readStringList(settings, 'vlan', 'egress-priority-map'));
    if (egress) conf['egress-qos-map'] = egress;
    return { ...base, type: 'vlan', vlan: conf };
  },
});

import type { SrIovConfig } from '@nmfleet/model';
import type { NmSetting } from './nm-settings.js';
import { nmValue, type NmDict, type NmValue } from './nm-value.js';

const NM_TERNARY = { true: 1, false: 0 } as const;
const VLAN_PROTOCOL = { '802.1q': 0, '802.1ad': 1 } as const;

/**
 * The `sriov` setting of a physical function, or `null` to remove it
 * (`total-vfs: 0`); undefined keeps the existing one. VFs are matched by
 * position with the existing VFs, whose other attributes stay.
 */
export function toNmSriovSetting(conf: SrIovConfig | undefined, existing: NmSetting | undefined): NmSetting | null | undefined {
  if (conf === undefined) return existing;
  if (conf['total-vfs'] === 0) return null;
  const setting: NmSetting = { ...(existing ?? {}) };
  if (conf['total-vfs'] !== undefined) setting['total-vfs'] = nmValue.uint32(conf['total-vfs']);
  if (conf['drivers-autoprobe'] !== undefined) setting['autoprobe-drivers'] = nmValue.int32(conf['drivers-autoprobe'] ? NM_TERNARY.true : NM_TERNARY.false);
  if (conf.vfs !== undefined) {
    const existingVfs = existing?.['vfs']?.type === 'aa{sv}' ? existing['vfs'].value : [];
    // nmstate orders VFs by id and writes MAC addresses in upper case.
    const sorted = [...conf.vfs].sort((a, b) => a.id - b.id);
    const vfs: NmDict[] = sorted.map((vf, i) => {
      const out: Record<string, NmValue> = { ...(existingVfs[i] ?? {}) };
      out['index'] = nmValue.uint32(vf.id);
      if (vf['mac-address'] !== undefined) out['mac'] = nmValue.string(vf['mac-address'].toUpperCase());
      if (vf['spoof-check'] !== undefined) out['spoof-check'] = nmValue.bool(vf['spoof-check']);
      if (vf.trust !== undefined) out['trust'] = nmValue.bool(vf.trust);
      if (vf['min-tx-rate'] !== undefined) out['min-tx-rate'] = nmValue.uint32(vf['min-tx-rate']);
      if (vf['max-tx-rate'] !== undefined) out['max-tx-rate'] = nmValue.uint32(vf['max-tx-rate']);
      if (vf['vlan-id'] !== undefined) {
        out['vlans'] = nmValue.dictList([
          { id: nmValue.uint32(vf['vlan-id']), qos: nmValue.uint32(vf.qos ?? 0), protocol: nmValue.uint32(VLAN_PROTOCOL[vf['vlan-proto'] ?? '802.1q']) },
        ]);
      }
      return out;
    });
    setting['vfs'] = nmValue.dictList(vfs);
  }
  return setting;
}

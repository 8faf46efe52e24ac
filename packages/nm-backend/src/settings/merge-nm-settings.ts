import { MODELLED_CONNECTION_KEYS } from './connection-setting.js';
import { isModelledEthtoolKey } from './ethtool-setting.js';
import { MODELLED_IEEE8021X_KEYS } from './ieee8021x-setting.js';
import { MODELLED_IP_KEYS } from './ip-setting.js';
import { cloneNmSettings, NM_SETTING, type NmSetting, type NmSettings } from './nm-settings.js';
import { MODELLED_WIRED_KEYS } from './wired-setting.js';

type KeyTest = (key: string) => boolean;

const keys =
  (...list: string[]): KeyTest =>
  (key) =>
    list.includes(key);

/**
 * The properties nmfleet writes, per setting. A key listed here is
 * nmfleet's to set or to leave out; any other key of an existing profile
 * survives an update. A setting listed here that the generated profile lacks
 * was removed on purpose (a port lost its IP settings, a bond port its
 * controller) and goes; settings not listed (`proxy`, `tc`, …) stay.
 */
const MODELLED_SETTINGS: Readonly<Record<string, KeyTest>> = {
  [NM_SETTING.connection]: keys(...MODELLED_CONNECTION_KEYS),
  [NM_SETTING.ipv4]: keys(...MODELLED_IP_KEYS),
  [NM_SETTING.ipv6]: keys(...MODELLED_IP_KEYS),
  [NM_SETTING.wired]: keys(...MODELLED_WIRED_KEYS),
  [NM_SETTING.ieee8021x]: keys(...MODELLED_IEEE8021X_KEYS),
  [NM_SETTING.ethtool]: isModelledEthtoolKey,
  [NM_SETTING.user]: keys('data'),
  [NM_SETTING.match]: keys('path'),
  [NM_SETTING.sriov]: keys('total-vfs', 'autoprobe-drivers', 'vfs'),
  [NM_SETTING.bond]: keys('options'),
  [NM_SETTING.bondPort]: keys('prio', 'queue-id'),
  [NM_SETTING.bridge]: keys(
    'stp', 'ageing-time', 'forward-delay', 'group-address', 'group-forward-mask', 'hello-time', 'max-age', 'multicast-hash-max',
    'multicast-last-member-count', 'multicast-last-member-interval', 'multicast-membership-interval', 'multicast-querier',
    'multicast-querier-interval', 'multicast-query-interval', 'multicast-query-response-interval', 'multicast-query-use-ifaddr',
    'multicast-router', 'multicast-snooping', 'multicast-startup-query-count', 'multicast-startup-query-interval', 'priority',
    'vlan-default-pvid', 'vlan-filtering', 'vlan-protocol',
  ),
  [NM_SETTING.bridgePort]: keys('hairpin-mode', 'path-cost', 'priority', 'vlans'),
  [NM_SETTING.ovsBridge]: keys('stp-enable', 'rstp-enable', 'mcast-snooping-enable', 'fail-mode', 'datapath-type'),
  [NM_SETTING.ovsPort]: keys('bond-mode', 'bond-updelay', 'bond-downdelay', 'lacp', 'tag', 'vlan-mode', 'trunks'),
  [NM_SETTING.ovsInterface]: keys('type'),
  [NM_SETTING.ovsPatch]: keys('peer'),
  [NM_SETTING.ovsDpdk]: keys('devargs', 'n-rxq', 'n-rxq-desc', 'n-txq-desc', 'lsc-interrupt'),
  [NM_SETTING.ovsExternalIds]: keys('data'),
  [NM_SETTING.ovsOtherConfig]: keys('data'),
  vlan: keys('id', 'parent', 'protocol', 'flags', 'ingress-priority-map', 'egress-priority-map'),
  vxlan: keys('id', 'parent', 'learning', 'local', 'remote', 'destination-port'),
  veth: keys('peer'),
  macvlan: keys('mode', 'parent', 'promiscuous', 'tap'),
  vrf: keys('table'),
  infiniband: keys('parent', 'p-key', 'transport-mode', 'mtu'),
  loopback: keys('mtu'),
  macsec: keys('parent', 'encrypt', 'mka-cak', 'mka-ckn', 'port', 'validation', 'send-sci', 'offload'),
  hsr: keys('port1', 'port2', 'interlink', 'multicast-spec', 'prp', 'protocol-version'),
  ipvlan: keys('parent', 'mode', 'private', 'vepa'),
  'ip-tunnel': keys('mode', 'parent', 'local', 'remote', 'ttl', 'tos', 'path-mtu-discovery', 'encapsulation-limit', 'flow-label', 'fwmark', 'flags'),
  vpn: keys('data', 'service-type', 'secrets'),
};

/** Whether nmfleet writes `setting.key` (so an existing value of it does not survive an update). */
export function isModelledKey(setting: string, key: string): boolean {
  return MODELLED_SETTINGS[setting]?.(key) === true;
}

/**
 * An update of an existing profile that keeps everything nmfleet does not
 * model: for each setting `generated` has, the existing keys nmfleet does not
 * write stay and the modelled ones come from `generated`; settings nmfleet
 * never writes stay whole; settings nmfleet writes but `generated` lacks are
 * removed (they were dropped on purpose).
 *
 * `generated` must be the complete profile: render it with
 * `toNmSettings(input, { existing })` from the same existing profile.
 */
export function mergeNmSettings(existing: NmSettings, generated: NmSettings): NmSettings {
  const result = cloneNmSettings(generated);
  for (const [name, setting] of Object.entries(existing)) {
    const isModelled = MODELLED_SETTINGS[name];
    const target = result[name];
    if (isModelled === undefined) {
      // A setting nmfleet never writes: generated can only hold it because it started from existing.
      result[name] = { ...setting, ...(target ?? {}) };
      continue;
    }
    if (target === undefined) continue;
    const kept: NmSetting = {};
    for (const [key, value] of Object.entries(setting)) {
      if (!isModelled(key) && !(key in target)) kept[key] = value;
    }
    result[name] = { ...kept, ...target };
  }
  return result;
}

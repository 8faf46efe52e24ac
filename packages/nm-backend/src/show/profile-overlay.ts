import type { Interface, IpConfig } from '@nmfleet/model';
import type { ProfileState } from '../settings/from-nm-settings.js';
import { HIDDEN_PASSWORD } from '../settings/ieee8021x-setting.js';
import { readBool, readNumber, readString } from '../settings/nm-read.js';
import { NM_SETTING, type NmSettings } from '../settings/nm-settings.js';
import { isTree, type InterfaceTree, type Tree } from '../state/state-tree.js';

/*
 * What NetworkManager's profile adds to the kernel's view of an interface, as
 * `nmstatectl show` prints it: how each IP stack is configured, the DHCP and
 * route-metric options, wait-ip, LLDP, 802.1x, configured ethtool settings,
 * OVS database entries, and the type options the kernel does not report.
 * The profile is read by `fromNmSettings` (src/settings); this file only
 * decides which of its facts `show` takes and the defaults nmstate prints.
 */

/** NetworkManager's "use the default" route metric, which nmstate prints as is. */
const DEFAULT_ROUTE_METRIC = -1;
/** Keys the profile's interface brings over as they are. */
const PROFILE_KEYS = ['profile-name', 'description', '802.1x', 'ethtool', 'ovs-db', 'dispatch'] as const;
/** Type sections the kernel does not report in full: the profile's view is taken where the kernel has none. */
const PROFILE_TYPE_SECTIONS = ['ethernet', 'infiniband', 'ipsec', 'macsec', 'hsr', 'ipvlan', 'ip-tunnel', 'ovs-bridge', 'patch', 'dpdk', 'xfrm'] as const;
/** Secrets, by section, that `show` hides unless asked for them. */
const SECRET_KEYS: readonly (readonly [string, string])[] = [
  ['802.1x', 'password'],
  ['802.1x', 'private-key-password'],
  ['macsec', 'mka-cak'],
  ['ipsec', 'psk'],
];

/** `wait-ip` from the IP settings' `may-fail`, as nmstate reads it (both missing: nothing to say). */
function readWaitIp(settings: NmSettings): string | undefined {
  const has4 = settings[NM_SETTING.ipv4] !== undefined;
  const has6 = settings[NM_SETTING.ipv6] !== undefined;
  if (!has4 && !has6) return undefined;
  const v4MayFail = readBool(settings, NM_SETTING.ipv4, 'may-fail') !== false;
  const v6MayFail = readBool(settings, NM_SETTING.ipv6, 'may-fail') !== false;
  if (has4 && has6) return !v4MayFail && !v6MayFail ? 'ipv4+ipv6' : !v4MayFail ? 'ipv4' : !v6MayFail ? 'ipv6' : 'any';
  return has4 ? (v4MayFail ? 'any' : 'ipv4') : v6MayFail ? 'any' : 'ipv6';
}

/**
 * One IP stack: enabled and the options from the profile, addresses and
 * forwarding as the kernel has them. A stack the profile switches off shows
 * only that (IPv4 keeps nmstate's DHCP and metric defaults).
 */
function overlayIp(kernel: Tree, configured: IpConfig | undefined, settings: NmSettings, family: 'ipv4' | 'ipv6'): Tree {
  const method = readString(settings, family, 'method');
  if (method === undefined) return kernel;
  const enabled = method !== 'disabled' && !(family === 'ipv6' && method === 'ignore');
  const metric = readNumber(settings, family, 'route-metric') ?? DEFAULT_ROUTE_METRIC;
  const out: Tree = { ...(configured ?? {}), enabled };
  if (!enabled) {
    if (family === 'ipv6') return { enabled: false };
    return { enabled: false, dhcp: false, 'auto-route-metric': metric, ...(kernel['forwarding'] !== undefined ? { forwarding: kernel['forwarding'] } : {}), 'prefix-route-metric': metric };
  }
  out['dhcp'] = method === 'auto' || method === 'dhcp';
  if (family === 'ipv6') out['autoconf'] = method === 'auto';
  const addresses = kernel['address'];
  if (Array.isArray(addresses)) out['address'] = addresses;
  else delete out['address'];
  out['auto-route-metric'] = metric;
  if (family === 'ipv4') {
    if (kernel['forwarding'] !== undefined) out['forwarding'] = kernel['forwarding'];
    out['prefix-route-metric'] = metric;
  } else if (out['addr-gen-mode'] === undefined) {
    // NetworkManager leaves the default out of the profile; its default is stable-privacy.
    out['addr-gen-mode'] = 'stable-privacy';
  }
  return out;
}

/** Replaces the secrets of an interface with nmstate's placeholder. */
export function hideSecrets(iface: Tree): void {
  for (const [section, key] of SECRET_KEYS) {
    const conf = iface[section];
    if (isTree(conf) && conf[key] !== undefined) iface[section] = { ...conf, [key]: HIDDEN_PASSWORD };
  }
}

/**
 * The kernel's view of an interface with its profile's configuration laid
 * over it. Secrets in the profile are hidden unless `showSecrets`.
 */
export function overlayProfile(kernel: InterfaceTree, profile: ProfileState, settings: NmSettings, showSecrets: boolean): InterfaceTree {
  const configured = profile.iface as Interface & Tree;
  const out: InterfaceTree = { ...kernel };
  out['identifier'] = configured.identifier ?? 'name';
  for (const key of PROFILE_KEYS) if (configured[key] !== undefined) out[key] = configured[key];
  const waitIp = readWaitIp(settings);
  if (waitIp !== undefined) out['wait-ip'] = waitIp;
  for (const family of ['ipv4', 'ipv6'] as const) {
    const kernelIp = isTree(kernel[family]) ? kernel[family] : { enabled: false };
    out[family] = overlayIp(kernelIp, configured[family], settings, family);
  }
  const ipOn = [out['ipv4'], out['ipv6']].some((ip) => isTree(ip) && ip['enabled'] === true);
  if (ipOn) out['mptcp'] = configured.mptcp ?? { 'address-flags': [] };
  out['lldp'] = { enabled: configured.lldp?.enabled === true };
  for (const section of PROFILE_TYPE_SECTIONS) if (out[section] === undefined && configured[section as keyof typeof configured] !== undefined) out[section] = configured[section as keyof typeof configured];
  const bond = configured['link-aggregation' as keyof typeof configured];
  if (isTree(bond) && isTree(out['link-aggregation'])) {
    // The kernel knows the ports; the options are the profile's (this kernel cannot even build a bond).
    out['link-aggregation'] = { ...bond, ...out['link-aggregation'], ...(isTree(bond['options']) ? { options: bond['options'] } : {}) };
  }
  if (!showSecrets) hideSecrets(out);
  return out;
}

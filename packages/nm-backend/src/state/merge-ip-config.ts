import type { IpConfig } from '@nmfleet/model';

function isAutoIp(ip: IpConfig, v6: boolean): boolean {
  return ip.enabled === true && (ip.dhcp === true || (v6 && ip.autoconf === true));
}

/**
 * The IP section an apply writes when the desired one leaves things out
 * (nmstate's special merge of `for_apply`): `enabled`, `dhcp` and `autoconf`
 * come from current, and a stack switched from dynamic to static without
 * naming addresses keeps the addresses it had, now static. Everything else
 * stays as desired (a key left out is left to the existing profile).
 */
export function mergeIpConfig(desired: IpConfig, current: IpConfig, family: 'ipv4' | 'ipv6'): IpConfig {
  const v6 = family === 'ipv6';
  const out = { ...desired };
  if (out.enabled === undefined && current.enabled !== undefined) out.enabled = current.enabled;
  if (out.dhcp === undefined && out.enabled === true && current.dhcp !== undefined) out.dhcp = current.dhcp;
  if (v6 && out.autoconf === undefined && out.enabled === true && current.autoconf !== undefined) out.autoconf = current.autoconf;
  const addressesAllDynamic = (out.address ?? []).every((a) => a['valid-life-time'] !== undefined && a['valid-life-time'] !== 'forever');
  if (isAutoIp(current, v6) && current.address !== undefined && out.enabled === true && !isAutoIp(out, v6) && addressesAllDynamic) {
    out.address = current.address.map((a) => ({ ip: a.ip, 'prefix-length': a['prefix-length'] }));
  }
  return out;
}

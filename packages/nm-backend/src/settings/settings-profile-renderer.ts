import type { Interface, RouteEntry, RouteRuleEntry } from '@nmfleet/model';
import type { ProfileContext, ProfileRenderer } from '../network-manager/profile-renderer.js';
import type { InterfaceTree } from '../state/state-tree.js';
import { mergeNmSettings } from './merge-nm-settings.js';
import type { NmSettings } from './nm-settings.js';
import type { InterfaceDns } from './settings-input.js';
import { toNmSettings } from './to-nm-settings.js';

/** dns-priority of the family of the first server, and of the other one (nmstate's values). */
const PREFERRED_DNS_PRIORITY = 40;
const SECOND_DNS_PRIORITY = 50;
const NO_DNS: InterfaceDns = { servers: [], searches: [], options: [] };

function isIpv6Text(text: unknown): boolean {
  return typeof text === 'string' && text.includes(':');
}

/** Whether a rule is IPv6: by its addresses, else by its `family`. */
function isIpv6Rule(rule: RouteRuleEntry): boolean {
  if (rule['ip-from'] !== undefined || rule['ip-to'] !== undefined) return isIpv6Text(rule['ip-from'] ?? rule['ip-to']);
  return rule.family === 'ipv6';
}

/**
 * The DNS one profile holds, by family, as nmstate stores it: the servers of
 * each family in their IP setting, the search list in the family of the first
 * server, which also gets the better priority. A profile holding none gets
 * empty DNS in both families (any it had is removed).
 */
function splitDns(dns: ProfileContext['dns']): { ipv4: InterfaceDns; ipv6: InterfaceDns } {
  if (!dns) return { ipv4: NO_DNS, ipv6: NO_DNS };
  const preferred = dns.server[0] !== undefined && isIpv6Text(dns.server[0]) ? 'ipv6' : 'ipv4';
  const forFamily = (family: 'ipv4' | 'ipv6'): InterfaceDns => {
    const servers = dns.server.filter((s) => isIpv6Text(s) === (family === 'ipv6'));
    if (family === preferred) return { servers, searches: dns.search, options: [], priority: PREFERRED_DNS_PRIORITY };
    return servers.length > 0 ? { servers, searches: [], options: [], priority: SECOND_DNS_PRIORITY } : NO_DNS;
  };
  return { ipv4: forFamily('ipv4'), ipv6: forFamily('ipv6') };
}

/**
 * The per-type conversion of `src/settings` behind the D-Bus backend's
 * `ProfileRenderer` port: pass it as `createNetworkManagerBackend({ renderer:
 * settingsProfileRenderer })`. It writes a profile as `nmstatectl gc` would
 * (every interface type of the model, nmstate's defaults) and, on update,
 * replaces only the keys `src/settings` models. Profiles of companions
 * (OVS ports, a veth peer the state does not list) are not written: the
 * backend writes one profile per interface of the merged state.
 *
 * The port hands over only the merged interface, which holds what `show`
 * reported for keys the desired state left out: the MAC address and MTU of
 * the device are written into the profile (`cloned-mac-address`, `mtu`),
 * where nmstate writes only what was desired.
 */
export const settingsProfileRenderer: ProfileRenderer = {
  toNmSettings(iface: InterfaceTree, context: ProfileContext): NmSettings {
    const rules = context.rules as unknown as RouteRuleEntry[];
    const [own] = toNmSettings(
      {
        // The merged interface is complete: no controller means none (nmstate's `controller: ""` detaches).
        iface: { ...(iface as unknown as Interface), controller: typeof iface['controller'] === 'string' ? iface['controller'] : '' },
        routes: context.routes as unknown as RouteEntry[],
        rules: { ipv4: rules.filter((r) => !isIpv6Rule(r)), ipv6: rules.filter(isIpv6Rule) },
        dns: splitDns(context.dns),
      },
      {
        getInterface: (name) => context.getInterface?.(name) as unknown as Interface | undefined,
        ...(context.existing ? { existing: context.existing } : {}),
        createUuid: () => context.uuid,
      },
    );
    return own as NmSettings;
  },
  mergeNmSettings,
};

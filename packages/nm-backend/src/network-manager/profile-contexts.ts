import type { NetworkState } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import { isTree, viewState, type InterfaceTree, type Tree } from '../state/state-tree.js';
import { ruleFamily, type ProfileContext } from './profile-renderer.js';

/** Routes, rules and DNS of each interface's profile (NetworkManager keeps them per profile). */
export type ProfileContexts = Map<string, Omit<ProfileContext, 'uuid'>>;

function isIpEnabled(iface: InterfaceTree, family: 'ipv4' | 'ipv6'): boolean {
  const ip = iface[family];
  return isTree(ip) && ip['enabled'] === true && typeof iface['controller'] !== 'string';
}

function isStaticIp(iface: InterfaceTree, family: 'ipv4' | 'ipv6'): boolean {
  const ip = iface[family];
  return isIpEnabled(iface, family) && isTree(ip) && ip['dhcp'] !== true && ip['autoconf'] !== true;
}

/**
 * Decides which profile carries each state-wide setting, as nmstate does:
 * a route goes to its next-hop interface; a rule to the interface whose routes
 * use the rule's table, else to the first interface (by name) with that IP
 * family enabled; DNS to the interface holding the default route, else to the
 * first interface with static addresses of the servers' families.
 */
export function assignProfileContexts(merged: NetworkState | Tree): ProfileContexts {
  const view = viewState(merged);
  const present = view.interfaces.filter((i) => i.state !== 'absent' && i.state !== 'ignore').sort((a, b) => a.name.localeCompare(b.name));
  const contexts: ProfileContexts = new Map(present.map((i) => [i.name, { routes: [], rules: [], dns: undefined }]));
  const routes = (view.routes?.config ?? []).filter((r) => r['state'] !== 'absent');
  for (const route of routes) contexts.get(String(route['next-hop-interface']))?.routes.push(route);

  for (const rule of (view.routeRules?.config ?? []).filter((r) => r['state'] !== 'absent')) {
    const family = ruleFamily(rule);
    const byTable = routes.find((r) => r['table-id'] === rule['route-table'] && String(r['destination']).includes(':') === (family === 'ipv6'));
    const holder = byTable ? String(byTable['next-hop-interface']) : present.find((i) => isIpEnabled(i, family))?.name;
    if (holder !== undefined) contexts.get(holder)?.rules.push(rule);
  }

  const dns = view.dnsResolver?.config;
  const servers = Array.isArray(dns?.['server']) ? (dns['server'] as unknown[]).map(String) : [];
  const search = Array.isArray(dns?.['search']) ? (dns['search'] as unknown[]).map(String) : [];
  if (servers.length > 0 || search.length > 0) {
    const families = new Set(servers.map((s) => (s.includes(':') ? 'ipv6' : 'ipv4') as 'ipv4' | 'ipv6'));
    if (families.size === 0) families.add('ipv4');
    const isDefault = (r: Tree): boolean => r['destination'] === '0.0.0.0/0' || r['destination'] === '::/0';
    const gateway = routes.find(isDefault)?.['next-hop-interface'];
    const fits = (i: InterfaceTree): boolean => [...families].every((f) => isStaticIp(i, f));
    const holder = present.find((i) => i.name === gateway && fits(i)) ?? present.find(fits);
    const context = holder && contexts.get(holder.name);
    if (!context) {
      throw new BackendError(
        'invalid-state',
        `no interface can hold the DNS configuration: expected one with static ${[...families].join(' and ')} addresses (as nmstate requires)`,
        { where: 'dns-resolver.config' },
      );
    }
    context.dns = { server: servers, search };
  }
  return contexts;
}

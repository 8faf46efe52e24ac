import { ensureStack, markChanged, type PlacedInterfaces, type PlacedRoutes } from './placed-interface.js';

/**
 * Puts each route-changed interface's routes in its profile (nmstate's
 * `store_route_config`): the interface counts as changed and gets the IP
 * stacks it needs, and its profile carries exactly the routes via it.
 */
export function storeRoutes(routes: PlacedRoutes, ifaces: PlacedInterfaces): void {
  for (const name of routes.changedInterfaces) {
    const iface = ifaces.kernel.get(name);
    if (!iface) continue;
    markChanged(iface);
    ensureStack(iface, 'ipv4');
    ensureStack(iface, 'ipv6');
    iface.routes = [...(routes.byInterface.get(name) ?? [])];
  }
}

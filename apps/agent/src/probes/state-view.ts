import { isInSubnet } from './ip-prefix.js';

/** The main routing table: upstream looks for the default gateway there. */
const MAIN_ROUTE_TABLE_ID = 254;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function child(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

/** A default route of a state, as upstream's probes read it. */
export interface DefaultGateway {
  family: 4 | 6;
  nextHop: string;
  nextHopInterface: string | undefined;
}

/** The default gateways of `routes.running` in the main table (IPv4 first). */
export function findDefaultGateways(state: unknown): DefaultGateway[] {
  const routes = list(child(child(state, 'routes'), 'running'));
  const found: DefaultGateway[] = [];
  for (const destination of ['0.0.0.0/0', '::/0'] as const) {
    const route = routes.find(
      (r) => child(r, 'destination') === destination && Number(child(r, 'table-id') ?? MAIN_ROUTE_TABLE_ID) === MAIN_ROUTE_TABLE_ID,
    );
    const nextHop = child(route, 'next-hop-address');
    if (typeof nextHop === 'string') {
      const iface = child(route, 'next-hop-interface');
      found.push({ family: destination === '::/0' ? 6 : 4, nextHop, nextHopInterface: typeof iface === 'string' ? iface : undefined });
    }
  }
  return found;
}

/** Whether an up interface (the given one, when named) has an address in the same subnet as `address`. */
export function isOnLink(state: unknown, address: string, interfaceName?: string): boolean {
  for (const iface of list(child(state, 'interfaces'))) {
    if (child(iface, 'state') !== 'up') continue;
    if (interfaceName !== undefined && child(iface, 'name') !== interfaceName) continue;
    for (const family of ['ipv4', 'ipv6']) {
      const ip = child(iface, family);
      if (child(ip, 'enabled') === false) continue;
      for (const entry of list(child(ip, 'address'))) {
        const own = child(entry, 'ip');
        const prefix = Number(child(entry, 'prefix-length'));
        if (typeof own === 'string' && isInSubnet(address, own, prefix)) return true;
      }
    }
  }
  return false;
}

/** The name servers the host uses (`dns-resolver.running.server`). */
export function findRunningNameServers(state: unknown): string[] {
  return list(child(child(child(state, 'dns-resolver'), 'running'), 'server')).filter((s): s is string => typeof s === 'string');
}

/** Whether an up interface takes its name servers from DHCP (dhcp on, auto-dns not off). */
export function hasDhcpNameServers(state: unknown): boolean {
  return list(child(state, 'interfaces')).some((iface) => {
    if (child(iface, 'state') !== 'up') return false;
    return ['ipv4', 'ipv6'].some((family) => {
      const ip = child(iface, family);
      return child(ip, 'enabled') !== false && child(ip, 'dhcp') === true && child(ip, 'auto-dns') !== false;
    });
  });
}

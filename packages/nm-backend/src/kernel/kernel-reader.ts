import { BackendError } from '../backend.js';
import type { HostCommands } from './host-commands.js';

/** One address of a link, as `ip -json addr` reports it. */
export interface KernelAddress {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  scope?: string;
  /** Seconds; 4294967295 means forever. */
  valid_life_time?: number;
  preferred_life_time?: number;
}

/** One link with its details and addresses (`ip -d -json addr show`). */
export interface KernelLink {
  ifname: string;
  flags: string[];
  mtu: number;
  min_mtu?: number;
  max_mtu?: number;
  address?: string;
  link_type?: string;
  /** Peer (veth) or lower device (macvlan, vlan). */
  link?: string;
  master?: string;
  linkinfo?: {
    info_kind?: string;
    info_data?: Record<string, unknown>;
    info_slave_kind?: string;
    info_slave_data?: Record<string, unknown>;
  };
  addr_info?: KernelAddress[];
}

/** One route (`ip -json route show table all`). */
export interface KernelRoute {
  type?: string;
  dst: string;
  gateway?: string;
  dev?: string;
  table?: string;
  protocol?: string;
  metric?: number;
  /** Router preference: the kernel reports it for every IPv6 route and for no IPv4 one. */
  pref?: string;
}

/** Per-interface IP settings of the kernel (`ip -json netconf show`). */
interface KernelNetconf {
  family: string;
  interface?: string;
  forwarding?: boolean;
}

/** What the kernel says about links, addresses, routes and IP forwarding. */
export interface KernelFacts {
  links: KernelLink[];
  routes: { family: 'inet' | 'inet6'; route: KernelRoute }[];
  /** IPv4 forwarding by interface name. */
  ipv4Forwarding: ReadonlyMap<string, boolean>;
}

function parseJsonList<T>(text: string | undefined): T[] {
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? [] : (JSON.parse(trimmed) as T[]);
}

/** The commands of the batch, one JSON document each on its own line of output. */
const BATCH = ['addr show', 'route show table all', 'netconf show'];

function isIpv6Route(route: KernelRoute): boolean {
  return route.pref !== undefined || route.dst.includes(':') || (route.gateway ?? '').includes(':');
}

/**
 * Reads links with details and addresses, the routes of every table (both
 * families: no family given) and IP forwarding in one `ip -batch` run: each
 * `ip` process costs more than what it prints.
 */
export async function readKernelFacts(commands: HostCommands): Promise<KernelFacts> {
  const batch = await commands.run('ip', ['-json', '-d', '-batch', '-'], `${BATCH.join('\n')}\n`);
  const lines = batch.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== BATCH.length) {
    throw new BackendError('unavailable', `\`ip -batch\` printed ${lines.length} documents for ${BATCH.length} commands (${BATCH.join('; ')})`, { where: 'kernel' });
  }
  const [links, routes, netconf] = lines;
  const ipv4Forwarding = new Map<string, boolean>();
  for (const entry of parseJsonList<KernelNetconf>(netconf)) {
    if (entry.family === 'inet' && entry.interface !== undefined && entry.forwarding !== undefined) ipv4Forwarding.set(entry.interface, entry.forwarding);
  }
  return {
    links: parseJsonList<KernelLink>(links),
    routes: parseJsonList<KernelRoute>(routes).map((route) => ({ family: isIpv6Route(route) ? ('inet6' as const) : ('inet' as const), route })),
    ipv4Forwarding,
  };
}

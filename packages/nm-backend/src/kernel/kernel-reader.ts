import type { HostCommands } from './host-commands.js';

/** One address of a link, as `ip -json addr` reports it. */
export interface KernelAddress {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  scope?: string;
}

/** One link with its addresses (`ip -d -json addr show`). */
export interface KernelLink {
  ifname: string;
  flags: string[];
  mtu: number;
  address?: string;
  link_type?: string;
  /** Peer (veth) or lower device (macvlan). */
  link?: string;
  master?: string;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown>; info_slave_kind?: string };
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
}

/** What the kernel says about links, addresses and routes. */
export interface KernelFacts {
  links: KernelLink[];
  routes: { family: 'inet' | 'inet6'; route: KernelRoute }[];
}

function parseJsonList<T>(text: string): T[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : (JSON.parse(trimmed) as T[]);
}

/** Reads links with addresses and the routes of every table, IPv4 and IPv6, in three parallel `ip` calls. */
export async function readKernelFacts(commands: HostCommands): Promise<KernelFacts> {
  const [links, v4, v6] = await Promise.all([
    commands.run('ip', ['-d', '-json', 'addr', 'show']),
    commands.run('ip', ['-4', '-json', 'route', 'show', 'table', 'all']),
    commands.run('ip', ['-6', '-json', 'route', 'show', 'table', 'all']),
  ]);
  return {
    links: parseJsonList<KernelLink>(links),
    routes: [
      ...parseJsonList<KernelRoute>(v4).map((route) => ({ family: 'inet' as const, route })),
      ...parseJsonList<KernelRoute>(v6).map((route) => ({ family: 'inet6' as const, route })),
    ],
  };
}

import type { KernelAddress, KernelLink } from '../kernel/kernel-reader.js';
import type { InterfaceTree, Tree } from '../state/state-tree.js';

/*
 * What the kernel says about one link, in nmstate's terms: the facts
 * NetworkManager does not keep (MAC address, MTU range, promiscuity,
 * addresses as they are, IP forwarding, bridge and port options as the
 * kernel runs them). Profiles add what was configured (see profile-overlay).
 */

/** The kernel's "forever" address lifetime. */
const FOREVER_SECONDS = 4294967295;

/** `linkinfo.info_kind` → nmstate type. */
const TYPE_BY_KIND: Readonly<Record<string, string>> = {
  veth: 'veth',
  bridge: 'linux-bridge',
  bond: 'bond',
  vlan: 'vlan',
  vxlan: 'vxlan',
  macvlan: 'mac-vlan',
  macvtap: 'mac-vtap',
  ipvlan: 'ipvlan',
  vrf: 'vrf',
  dummy: 'dummy',
  hsr: 'hsr',
  macsec: 'macsec',
};
const MULTICAST_ROUTER: Readonly<Record<number, string>> = { 0: 'disabled', 1: 'auto', 2: 'enabled' };

/** The nmstate type of a link. */
export function toInterfaceType(link: KernelLink): string {
  if (link.link_type === 'loopback') return 'loopback';
  const kind = link.linkinfo?.info_kind;
  if (kind === undefined) return link.link_type === 'ether' ? 'ethernet' : 'unknown';
  return TYPE_BY_KIND[kind] ?? 'unknown';
}

/** Whether an address goes away by itself (DHCP, SLAAC): `show --running-config` leaves those out. */
export function isDynamicAddress(address: KernelAddress): boolean {
  return address.valid_life_time !== undefined && address.valid_life_time !== FOREVER_SECONDS;
}

function toLifetime(seconds: number | undefined): string {
  return seconds === undefined || seconds === FOREVER_SECONDS ? 'forever' : `${seconds}sec`;
}

/** The addresses of one family as nmstate lists them; dynamic ones carry their lifetimes. */
export function toIpAddresses(addresses: readonly KernelAddress[]): Tree[] {
  return addresses.map((a) => {
    const out: Tree = { ip: a.local, 'prefix-length': a.prefixlen };
    if (isDynamicAddress(a)) {
      out['valid-life-time'] = toLifetime(a.valid_life_time);
      out['preferred-life-time'] = toLifetime(a.preferred_life_time);
    }
    return out;
  });
}

function num(data: Record<string, unknown>, key: string): number | undefined {
  const v = data[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

function flag(data: Record<string, unknown>, key: string): boolean | undefined {
  const v = data[key];
  return typeof v === 'number' ? v !== 0 : typeof v === 'boolean' ? v : undefined;
}

/** Sets `key` only when the kernel reported a value. */
function put(target: Tree, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

/** Bridge options as nmstate reports them: the kernel's centiseconds for timers, seconds for STP and ageing. */
function toBridgeOptions(data: Record<string, unknown>): Tree {
  const options: Tree = {};
  const centiseconds = (key: string): number | undefined => {
    // `ip -json` prints the running timers in seconds with two decimals.
    const seconds = num(data, key);
    return seconds === undefined ? undefined : Math.round(seconds * 100);
  };
  const seconds = (key: string): number | undefined => {
    const value = num(data, key);
    return value === undefined ? undefined : Math.round(value / 100);
  };
  put(options, 'gc-timer', centiseconds('gc_timer'));
  const groupAddress = data['group_addr'];
  if (typeof groupAddress === 'string') options['group-addr'] = groupAddress.toUpperCase();
  const forwardMask = data['group_fwd_mask'] === undefined ? undefined : Number.parseInt(String(data['group_fwd_mask']), 16);
  if (forwardMask !== undefined && !Number.isNaN(forwardMask)) {
    options['group-forward-mask'] = forwardMask;
    options['group-fwd-mask'] = forwardMask;
  }
  put(options, 'hash-max', num(data, 'mcast_hash_max'));
  put(options, 'hello-timer', centiseconds('hello_timer'));
  put(options, 'mac-ageing-time', seconds('ageing_time'));
  put(options, 'multicast-last-member-count', num(data, 'mcast_last_member_cnt'));
  put(options, 'multicast-last-member-interval', num(data, 'mcast_last_member_intvl'));
  put(options, 'multicast-membership-interval', num(data, 'mcast_membership_intvl'));
  put(options, 'multicast-querier', flag(data, 'mcast_querier'));
  put(options, 'multicast-querier-interval', num(data, 'mcast_querier_intvl'));
  put(options, 'multicast-query-interval', num(data, 'mcast_query_intvl'));
  put(options, 'multicast-query-response-interval', num(data, 'mcast_query_response_intvl'));
  put(options, 'multicast-query-use-ifaddr', flag(data, 'mcast_query_use_ifaddr'));
  const router = num(data, 'mcast_router');
  if (router !== undefined) options['multicast-router'] = MULTICAST_ROUTER[router] ?? String(router);
  put(options, 'multicast-snooping', flag(data, 'mcast_snooping'));
  put(options, 'multicast-startup-query-count', num(data, 'mcast_startup_query_cnt'));
  put(options, 'multicast-startup-query-interval', num(data, 'mcast_startup_query_intvl'));
  const stp: Tree = { enabled: (num(data, 'stp_state') ?? 0) !== 0 };
  put(stp, 'forward-delay', seconds('forward_delay'));
  put(stp, 'hello-time', seconds('hello_time'));
  put(stp, 'max-age', seconds('max_age'));
  put(stp, 'priority', num(data, 'priority'));
  options['stp'] = stp;
  if (flag(data, 'vlan_filtering') === true) {
    const protocol = data['vlan_protocol'];
    if (typeof protocol === 'string') options['vlan-protocol'] = protocol.toLowerCase();
    put(options, 'vlan-default-pvid', num(data, 'vlan_default_pvid'));
  }
  return options;
}

/** A bridge port's entry as the kernel runs it. */
function toBridgePort(port: KernelLink): Tree {
  const data = port.linkinfo?.info_slave_data ?? {};
  const entry: Tree = { name: port.ifname };
  put(entry, 'stp-hairpin-mode', flag(data, 'hairpin'));
  put(entry, 'stp-path-cost', num(data, 'cost'));
  put(entry, 'stp-priority', num(data, 'priority'));
  return entry;
}

/** What {@link describeKernelLink} needs besides the link. */
export interface KernelContext {
  /** The ports of each controller, by controller name. */
  readonly portsOf: ReadonlyMap<string, readonly KernelLink[]>;
  /** IPv4 forwarding of the link, when the kernel reported it. */
  readonly ipv4Forwarding: boolean | undefined;
}

/**
 * The link as the kernel runs it. IP sections say whether the stack has
 * addresses (ports have none); NetworkManager's profile, when there is one,
 * says how it is configured.
 */
export function describeKernelLink(link: KernelLink, context: KernelContext): InterfaceTree {
  const type = toInterfaceType(link);
  const iface: InterfaceTree = { name: link.ifname, type, state: link.flags.includes('UP') ? 'up' : 'down' };
  if (link.address !== undefined) iface['mac-address'] = link.address.toUpperCase();
  iface['mtu'] = link.mtu;
  // Loopback reports a range of 0 to 0: nmstate leaves it out.
  if (link.max_mtu !== undefined && link.max_mtu > 0) {
    put(iface, 'min-mtu', link.min_mtu);
    iface['max-mtu'] = link.max_mtu;
  }
  if (link.master !== undefined) iface['controller'] = link.master;
  const addresses = link.addr_info ?? [];
  const isPort = link.master !== undefined;
  for (const [family, kernelFamily] of [
    ['ipv4', 'inet'],
    ['ipv6', 'inet6'],
  ] as const) {
    const own = addresses.filter((a) => a.family === kernelFamily);
    const ip: Tree = { enabled: !isPort && own.length > 0 };
    if (ip['enabled'] === true) ip['address'] = toIpAddresses(own);
    if (family === 'ipv4') put(ip, 'forwarding', context.ipv4Forwarding);
    iface[family] = ip;
  }
  iface['accept-all-mac-addresses'] = link.flags.includes('PROMISC');
  const data = link.linkinfo?.info_data ?? {};
  const ports = context.portsOf.get(link.ifname) ?? [];
  switch (type) {
    case 'veth':
      if (link.link !== undefined) iface['veth'] = { peer: link.link };
      break;
    case 'linux-bridge':
      iface['bridge'] = { options: toBridgeOptions(data), port: [...ports].sort((a, b) => (a.ifname < b.ifname ? -1 : 1)).map(toBridgePort) };
      break;
    case 'bond': {
      const conf: Tree = { port: ports.map((p) => p.ifname).sort() };
      put(conf, 'mode', data['mode']);
      iface['link-aggregation'] = conf;
      break;
    }
    case 'vrf':
      iface['vrf'] = { port: ports.map((p) => p.ifname).sort(), 'route-table-id': num(data, 'table') };
      break;
    case 'vlan': {
      const vlan: Tree = { 'base-iface': link.link, id: num(data, 'id') };
      const protocol = data['protocol'];
      if (typeof protocol === 'string') vlan['protocol'] = protocol.toLowerCase();
      iface['vlan'] = vlan;
      break;
    }
    case 'mac-vlan':
    case 'mac-vtap':
      iface[type] = { 'base-iface': link.link, mode: data['mode'], promiscuous: !String(data['flags'] ?? '').includes('nopromisc') };
      break;
    case 'vxlan': {
      const vxlan: Tree = { id: data['id'], 'destination-port': data['port'] };
      if (data['link'] !== undefined) vxlan['base-iface'] = data['link'];
      if (data['remote'] !== undefined || data['group'] !== undefined) vxlan['remote'] = data['remote'] ?? data['group'];
      if (data['local'] !== undefined) vxlan['local'] = data['local'];
      if (typeof data['learning'] === 'boolean') vxlan['learning'] = data['learning'];
      iface['vxlan'] = vxlan;
      break;
    }
  }
  return iface;
}

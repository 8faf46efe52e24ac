import { list, optional, required, struct } from '../schema/shape.js';
import { boolOrString, enumOf, intOrString, str, uintOrString } from '../schema/scalars.js';
import { ipAddress } from '../schema/network-scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** Bond modes; numbers 0..6 and `lacp` are accepted as their kernel aliases. */
export type BondMode =
  | 'balance-rr'
  | 'active-backup'
  | 'balance-xor'
  | 'broadcast'
  | '802.3ad'
  | 'balance-tlb'
  | 'balance-alb'
  | 'unknown';

/** Kernel bonding options (names as in `/sys/class/net/BOND/bonding/`). */
export interface BondOptions {
  ad_actor_sys_prio?: number;
  ad_actor_system?: string;
  ad_select?: 'stable' | 'bandwidth' | 'count';
  ad_user_port_key?: number;
  all_slaves_active?: 'dropped' | 'delivered';
  arp_all_targets?: 'any' | 'all';
  /** Milliseconds. */
  arp_interval?: number;
  /** Comma-separated IPv4 addresses. */
  arp_ip_target?: string;
  arp_validate?: 'none' | 'active' | 'backup' | 'all' | 'filter' | 'filter_active' | 'filter_backup';
  /** Milliseconds. */
  downdelay?: number;
  fail_over_mac?: 'none' | 'active' | 'follow';
  lacp_rate?: 'slow' | 'fast';
  /** Seconds. */
  lp_interval?: number;
  /** Milliseconds. */
  miimon?: number;
  min_links?: number;
  num_grat_arp?: number;
  num_unsol_na?: number;
  packets_per_slave?: number;
  primary?: string;
  primary_reselect?: 'always' | 'better' | 'failure';
  resend_igmp?: number;
  tlb_dynamic_lb?: boolean;
  /** Milliseconds. */
  updelay?: number;
  use_carrier?: boolean;
  xmit_hash_policy?: 'layer2' | 'layer3+4' | 'layer2+3' | 'encap2+3' | 'encap3+4' | 'vlan+srcmac';
  /** Also read from `balance-slb`. */
  balance_slb?: boolean;
  arp_missed_max?: number;
  lacp_active?: boolean;
  /** IPv6 targets for NS monitoring, canonical text. */
  ns_ip6_target?: string[];
}

/** Per-port settings of a bond. */
export interface BondPortConfig {
  name: string;
  priority?: number;
  'queue-id'?: number;
}

/** The `link-aggregation` section (also read from `bond`). */
export interface BondConfig {
  mode?: BondMode;
  options?: BondOptions;
  /** Port names (also read from `ports`). */
  port?: string[];
  'ports-config'?: BondPortConfig[];
}

/** A Linux bond (`type: bond`). */
export interface BondInterface extends BaseInterface {
  type: 'bond';
  'link-aggregation'?: BondConfig;
}

/** Builds a lenient enum whose variants also accept their kernel number (`"1"` or `1`). */
function numberedEnum<T extends string>(...variants: T[]) {
  const spellings: Record<string, T> = {};
  variants.forEach((variant, index) => {
    spellings[variant] = variant;
    spellings[String(index)] = variant;
  });
  return enumOf(spellings, { lenient: true });
}

const bondMode = enumOf<BondMode>(
  {
    'balance-rr': 'balance-rr',
    '0': 'balance-rr',
    'active-backup': 'active-backup',
    '1': 'active-backup',
    'balance-xor': 'balance-xor',
    '2': 'balance-xor',
    broadcast: 'broadcast',
    '3': 'broadcast',
    '802.3ad': '802.3ad',
    lacp: '802.3ad',
    '4': '802.3ad',
    'balance-tlb': 'balance-tlb',
    '5': 'balance-tlb',
    'balance-alb': 'balance-alb',
    '6': 'balance-alb',
    unknown: 'unknown',
  },
  { lenient: true },
);

const u32 = () => optional(uintOrString(32));

export const bondOptions = struct<BondOptions>(
  {
    ad_actor_sys_prio: optional(uintOrString(16)),
    ad_actor_system: optional(str),
    ad_select: optional(numberedEnum('stable', 'bandwidth', 'count')),
    ad_user_port_key: optional(uintOrString(16)),
    all_slaves_active: optional(numberedEnum('dropped', 'delivered')),
    arp_all_targets: optional(numberedEnum('any', 'all')),
    arp_interval: u32(),
    arp_ip_target: optional(str),
    arp_validate: optional(
      numberedEnum('none', 'active', 'backup', 'all', 'filter', 'filter_active', 'filter_backup'),
    ),
    downdelay: u32(),
    fail_over_mac: optional(numberedEnum('none', 'active', 'follow')),
    lacp_rate: optional(numberedEnum('slow', 'fast')),
    lp_interval: u32(),
    miimon: u32(),
    min_links: u32(),
    num_grat_arp: optional(uintOrString(8)),
    num_unsol_na: optional(uintOrString(8)),
    packets_per_slave: u32(),
    primary: optional(str),
    primary_reselect: optional(numberedEnum('always', 'better', 'failure')),
    resend_igmp: u32(),
    tlb_dynamic_lb: optional(boolOrString),
    updelay: u32(),
    use_carrier: optional(boolOrString),
    xmit_hash_policy: optional(numberedEnum('layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac')),
    balance_slb: optional(boolOrString, { aliases: ['balance-slb'] }),
    arp_missed_max: optional(uintOrString(8)),
    lacp_active: optional(boolOrString),
    ns_ip6_target: optional(list(ipAddress(6))),
  },
  { name: 'options', unknownKeys: 'deny' },
);

// nmstate's BondPortConfig does not deny unknown keys.
const bondPortConfig = struct<BondPortConfig>(
  { name: required(str), priority: optional(intOrString(32)), 'queue-id': optional(uintOrString(16)) },
  { name: 'ports-config', unknownKeys: 'ignore' },
);

export const bondConfig = struct<BondConfig>(
  {
    mode: optional(bondMode),
    options: optional(bondOptions),
    port: optional(list(str), { aliases: ['ports'] }),
    'ports-config': optional(list(bondPortConfig)),
  },
  { name: 'link-aggregation', unknownKeys: 'deny' },
);

export const bondType = defineInterfaceType<BondInterface>({
  type: 'bond',
  summary: 'A Linux bond aggregating ports in one of seven modes.',
  example: `- name: bond0
  type: bond
  state: up
  link-aggregation:
    mode: active-backup
    options:
      miimon: 140
    port:
    - eth1
    - eth2`,
  fields: { 'link-aggregation': optional(bondConfig, { aliases: ['bond'] }) },
  macOctets: 6,
  userspace: false,
  controller: true,
  nmstateOrder: 0,
});

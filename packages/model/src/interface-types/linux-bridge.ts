import { custom, list, optional, required, struct } from '../schema/shape.js';
import { bool, boolOrString, str, uint, uintOrString } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';
import { bridgePortVlanConfig } from './bridge-port-vlan.js';
import type { BridgePortVlanConfig } from './bridge-port-vlan.js';
import { vlanProtocol } from './ethernet.js';

/** Spanning tree settings (Linux bridge; OVS bridges use the same keys). Times are seconds. */
export interface BridgeStpOptions {
  enabled?: boolean;
  'forward-delay'?: number;
  'hello-time'?: number;
  'max-age'?: number;
  priority?: number;
}

/** Options of a Linux bridge (times in centiseconds unless noted, as the kernel reports them). */
export interface LinuxBridgeOptions {
  /** Query only. */
  'gc-timer'?: number;
  'group-addr'?: string;
  'group-forward-mask'?: number;
  'group-fwd-mask'?: number;
  'hash-max'?: number;
  /** Query only. */
  'hello-timer'?: number;
  /** Seconds. */
  'mac-ageing-time'?: number;
  'multicast-last-member-count'?: number;
  'multicast-last-member-interval'?: number;
  'multicast-membership-interval'?: number;
  'multicast-querier'?: boolean;
  'multicast-querier-interval'?: number;
  'multicast-query-interval'?: number;
  'multicast-query-response-interval'?: number;
  'multicast-query-use-ifaddr'?: boolean;
  'multicast-router'?: 'auto' | 'disabled' | 'enabled';
  'multicast-snooping'?: boolean;
  'multicast-startup-query-count'?: number;
  'multicast-startup-query-interval'?: number;
  stp?: BridgeStpOptions;
  'vlan-protocol'?: '802.1q' | '802.1ad';
  'vlan-default-pvid'?: number;
}

/** One port of a Linux bridge. */
export interface LinuxBridgePortConfig {
  name: string;
  'stp-hairpin-mode'?: boolean;
  'stp-path-cost'?: number;
  'stp-priority'?: number;
  vlan?: BridgePortVlanConfig;
}

/** The `bridge` section of a Linux bridge. */
export interface LinuxBridgeConfig {
  /** Keep ports not listed here instead of detaching them. */
  'allow-extra-ports'?: boolean;
  options?: LinuxBridgeOptions;
  /** Also read from `ports`. */
  port?: LinuxBridgePortConfig[];
}

/** A Linux bridge (`type: linux-bridge`). */
export interface LinuxBridgeInterface extends BaseInterface {
  type: 'linux-bridge';
  bridge?: LinuxBridgeConfig;
}

export const bridgeStpOptions = struct<BridgeStpOptions>(
  {
    enabled: optional(boolOrString),
    'forward-delay': optional(uintOrString(8)),
    'hello-time': optional(uintOrString(8)),
    'max-age': optional(uintOrString(8)),
    priority: optional(uintOrString(16)),
  },
  { name: 'stp', unknownKeys: 'deny' },
);

const MULTICAST_ROUTER_EXPECTED = 'one of auto, disabled, enabled (or 1, 0, 2)';
const MULTICAST_ROUTER_BY_NUMBER = ['disabled', 'auto', 'enabled'] as const;

// nmstate reads names in any case and the kernel's numbers, but not numbers in strings.
const multicastRouter = custom<'auto' | 'disabled' | 'enabled'>(
  MULTICAST_ROUTER_EXPECTED,
  (value, ctx) => {
    if (typeof value === 'string') {
      const lower = value.toLowerCase();
      if (lower === 'auto' || lower === 'disabled' || lower === 'enabled') return lower;
    } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2) {
      return MULTICAST_ROUTER_BY_NUMBER[value] as 'auto' | 'disabled' | 'enabled';
    }
    return ctx.mismatch(value, MULTICAST_ROUTER_EXPECTED);
  },
  { nullIsAbsent: false },
);

const u32 = () => optional(uintOrString(32));
const u64 = () => optional(uintOrString(64));

const linuxBridgeOptions = struct<LinuxBridgeOptions>(
  {
    'gc-timer': optional(uint(64)),
    'group-addr': optional(str),
    'group-forward-mask': optional(uintOrString(16)),
    'group-fwd-mask': optional(uintOrString(16)),
    'hash-max': u32(),
    'hello-timer': optional(uint(64)),
    'mac-ageing-time': u32(),
    'multicast-last-member-count': u32(),
    'multicast-last-member-interval': u64(),
    'multicast-membership-interval': u64(),
    'multicast-querier': optional(boolOrString),
    'multicast-querier-interval': u64(),
    'multicast-query-interval': u64(),
    'multicast-query-response-interval': u64(),
    'multicast-query-use-ifaddr': optional(boolOrString),
    'multicast-router': optional(multicastRouter),
    'multicast-snooping': optional(boolOrString),
    'multicast-startup-query-count': u32(),
    'multicast-startup-query-interval': u64(),
    stp: optional(bridgeStpOptions),
    'vlan-protocol': optional(vlanProtocol),
    'vlan-default-pvid': optional(uint(16, { min: 0, max: 4094, reason: 'for a VLAN id (4095 is reserved)' })),
  },
  { name: 'options', unknownKeys: 'deny' },
);

const linuxBridgePort = struct<LinuxBridgePortConfig>(
  {
    name: required(str),
    'stp-hairpin-mode': optional(boolOrString),
    'stp-path-cost': u32(),
    'stp-priority': optional(uintOrString(16)),
    vlan: optional(bridgePortVlanConfig),
  },
  { name: 'port', unknownKeys: 'deny' },
);

const linuxBridgeConfig = struct<LinuxBridgeConfig>(
  {
    'allow-extra-ports': optional(bool),
    options: optional(linuxBridgeOptions),
    port: optional(list(linuxBridgePort), { aliases: ['ports'] }),
  },
  { name: 'bridge', unknownKeys: 'deny' },
);

export const linuxBridgeType = defineInterfaceType<LinuxBridgeInterface>({
  type: 'linux-bridge',
  summary: 'A Linux kernel bridge, with STP and per-port VLAN filtering.',
  example: `- name: br0
  type: linux-bridge
  state: up
  bridge:
    options:
      stp:
        enabled: false
    port:
    - name: eth1`,
  fields: { bridge: optional(linuxBridgeConfig) },
  macOctets: 6,
  userspace: false,
  controller: true,
  nmstateOrder: 1,
});

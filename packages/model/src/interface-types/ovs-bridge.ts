import { custom, list, optional, required, struct } from '../schema/shape.js';
import { isMapping } from '../schema/validation-context.js';
import { BOOLEAN_WORDS, bool, boolOrString, enumOf, names, str, uintOrString } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';
import { bridgePortVlanConfig } from './bridge-port-vlan.js';
import type { BridgePortVlanConfig } from './bridge-port-vlan.js';
import { bridgeStpOptions } from './linux-bridge.js';
import type { BridgeStpOptions } from './linux-bridge.js';
import { ovsDbInterfaceConfig } from '../interface-settings/ovs-db.js';
import type { OvsDbInterfaceConfig } from '../interface-settings/ovs-db.js';

/** Options of an OVS bridge. */
export interface OvsBridgeOptions {
  /** `stp: true` is read as `stp: {enabled: true}`. */
  stp?: BridgeStpOptions;
  rstp?: boolean;
  'mcast-snooping-enable'?: boolean;
  /** `secure`, `standalone` or `''`. */
  'fail-mode'?: string;
  /** `netdev` for DPDK. */
  datapath?: string;
}

/** A member of an OVS bond. */
export interface OvsBridgeBondPortConfig {
  name: string;
}

/** An OVS bond port of a bridge. */
export interface OvsBridgeBondConfig {
  mode?: 'active-backup' | 'balance-slb' | 'balance-tcp' | 'lacp';
  /** Also read from `ports`. */
  port?: OvsBridgeBondPortConfig[];
  /** Milliseconds. */
  'bond-downdelay'?: number;
  /** Milliseconds. */
  'bond-updelay'?: number;
  'ovs-db'?: OvsDbInterfaceConfig;
}

/** One port of an OVS bridge: a system or internal interface, or a bond. */
export interface OvsBridgePortConfig {
  name: string;
  /** Also read from `bond`. */
  'link-aggregation'?: OvsBridgeBondConfig;
  vlan?: BridgePortVlanConfig;
}

/** The `bridge` section of an OVS bridge. */
export interface OvsBridgeConfig {
  'allow-extra-patch-ports'?: boolean;
  'allow-extra-ports'?: boolean;
  options?: OvsBridgeOptions;
  /** Also read from `ports`. */
  port?: OvsBridgePortConfig[];
}

/** An OpenvSwitch bridge (`type: ovs-bridge`), a user-space interface. */
export interface OvsBridgeInterface extends BaseInterface {
  type: 'ovs-bridge';
  bridge?: OvsBridgeConfig;
}

const STP_EXPECTED = 'a boolean or a mapping like {enabled: true}';

/**
 * nmstate's `ovs_stp_deserializer`. Upstream reads the strings "false", "no", "off", "0"
 * and "n" as *enabled* (a bug in 2.2); we read them as disabled, as their words say.
 */
const ovsStp = custom<BridgeStpOptions>(
  STP_EXPECTED,
  (value, ctx) => {
    if (typeof value === 'boolean') return { enabled: value };
    if (typeof value === 'string') {
      const word = BOOLEAN_WORDS[value.toLowerCase()];
      if (word !== undefined) return { enabled: word };
      return ctx.mismatch(value, STP_EXPECTED);
    }
    if (isMapping(value)) return bridgeStpOptions.validate(value, ctx);
    return ctx.mismatch(value, STP_EXPECTED);
  },
  { nullIsAbsent: false, canonical: (value) => bridgeStpOptions.canonical(value) },
);

const ovsBridgeOptions = struct<OvsBridgeOptions>(
  {
    stp: optional(ovsStp),
    rstp: optional(boolOrString),
    'mcast-snooping-enable': optional(boolOrString),
    'fail-mode': optional(str),
    datapath: optional(str),
  },
  { name: 'options', unknownKeys: 'deny' },
);

// nmstate's OvsBridgeBondPortConfig does not deny unknown keys.
const ovsBondPort = struct<OvsBridgeBondPortConfig>({ name: required(str) }, { name: 'port', unknownKeys: 'ignore' });

const ovsBondConfig = struct<OvsBridgeBondConfig>(
  {
    mode: optional(enumOf(names('active-backup', 'balance-slb', 'balance-tcp', 'lacp'))),
    port: optional(list(ovsBondPort), { aliases: ['ports'] }),
    'bond-downdelay': optional(uintOrString(32)),
    'bond-updelay': optional(uintOrString(32)),
    'ovs-db': optional(ovsDbInterfaceConfig),
  },
  { name: 'link-aggregation', unknownKeys: 'deny' },
);

const ovsBridgePort = struct<OvsBridgePortConfig>(
  {
    name: required(str),
    'link-aggregation': optional(ovsBondConfig, { aliases: ['bond'] }),
    vlan: optional(bridgePortVlanConfig),
  },
  { name: 'port', unknownKeys: 'deny' },
);

const ovsBridgeConfig = struct<OvsBridgeConfig>(
  {
    'allow-extra-patch-ports': optional(bool),
    'allow-extra-ports': optional(bool),
    options: optional(ovsBridgeOptions),
    port: optional(list(ovsBridgePort), { aliases: ['ports'] }),
  },
  { name: 'bridge', unknownKeys: 'deny' },
);

export const ovsBridgeType = defineInterfaceType<OvsBridgeInterface>({
  type: 'ovs-bridge',
  summary: 'An OpenvSwitch bridge, with OVS bonds, patch ports and VLAN access/trunk ports.',
  example: `- name: ovs-br0
  type: ovs-bridge
  state: up
  bridge:
    options:
      stp: false
    port:
    - name: eth1
    - name: ovs0`,
  fields: { bridge: optional(ovsBridgeConfig) },
  macOctets: 6,
  userspace: true,
  controller: true,
  nmstateOrder: 9,
});


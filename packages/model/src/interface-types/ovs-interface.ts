import { optional, required, struct } from '../schema/shape.js';
import { bool, str, uint } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The peer of an OVS patch port. */
export interface OvsPatchConfig {
  peer: string;
}

/** A DPDK port. */
export interface OvsDpdkConfig {
  devargs: string;
  /** Number of receive queues (also read from `n_rxq`). */
  'rx-queue'?: number;
  n_rxq_desc?: number;
  n_txq_desc?: number;
  /** Also read from `dpdk-lsc-interrupt`. */
  'lsc-interrupt'?: boolean;
}

/** An OVS internal interface (`type: ovs-interface`), optionally a patch or DPDK port. */
export interface OvsInterface extends BaseInterface {
  type: 'ovs-interface';
  patch?: OvsPatchConfig;
  dpdk?: OvsDpdkConfig;
}

const ovsPatchConfig = struct<OvsPatchConfig>({ peer: required(str) }, { name: 'patch', unknownKeys: 'deny' });

const ovsDpdkConfig = struct<OvsDpdkConfig>(
  {
    devargs: required(str),
    'rx-queue': optional(uint(32), { aliases: ['n_rxq'] }),
    n_rxq_desc: optional(uint(32)),
    n_txq_desc: optional(uint(32)),
    'lsc-interrupt': optional(bool, { aliases: ['dpdk-lsc-interrupt'] }),
  },
  { name: 'dpdk', unknownKeys: 'deny' },
);

export const ovsInterfaceType = defineInterfaceType<OvsInterface>({
  type: 'ovs-interface',
  summary: 'An OpenvSwitch internal interface; also a patch port (patch) or a DPDK port (dpdk).',
  example: `- name: ovs0
  type: ovs-interface
  state: up
  dpdk:
    devargs: 0000:18:00.2
    rx-queue: 10`,
  fields: { patch: optional(ovsPatchConfig), dpdk: optional(ovsDpdkConfig) },
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 10,
});

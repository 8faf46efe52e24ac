import { optional, required, struct } from '../schema/shape.js';
import { enumOf, names, str, uintOrString, withHexOutput } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The `infiniband` section. */
export interface InfinibandConfig {
  mode: 'datagram' | 'connected';
  /** The parent of a partition (pkey) interface; omitted when empty. */
  'base-iface'?: string;
  /** Partition key; printed as 4-digit hex (`'0x80ff'`), `0xffff` for the default partition. */
  pkey: number;
}

/** An IP-over-InfiniBand device (`type: infiniband`). */
export interface InfinibandInterface extends BaseInterface {
  type: 'infiniband';
  infiniband?: InfinibandConfig;
}

const infinibandConfig = struct<InfinibandConfig>(
  {
    mode: required(enumOf(names<'datagram' | 'connected'>('datagram', 'connected'))),
    'base-iface': optional(str, { skipIf: (name) => name === '' }),
    // nmstate requires the key (its field has a custom reader and no default).
    pkey: required(withHexOutput(uintOrString(16), 4)),
  },
  { name: 'infiniband', unknownKeys: 'deny' },
);

export const infinibandType = defineInterfaceType<InfinibandInterface>({
  type: 'infiniband',
  summary: 'An IP-over-InfiniBand device or partition (20-octet MAC addresses).',
  example: `- name: mlx5_ib0.80ff
  type: infiniband
  state: up
  infiniband:
    base-iface: mlx5_ib0
    mode: datagram
    pkey: '0x80ff'`,
  fields: { infiniband: optional(infinibandConfig) },
  macOctets: 20,
  userspace: false,
  controller: false,
  nmstateOrder: 15,
});

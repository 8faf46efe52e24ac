import { list, optional, required, struct } from './schema/shape.js';
import { enumOf, names, scalarText } from './schema/scalars.js';

/** Maps an OVN localnet to an OVS bridge; `state: absent` removes the mapping. */
export interface OvnBridgeMapping {
  localnet: string;
  state?: 'present' | 'absent';
  bridge?: string;
}

/** The `ovn` section. */
export interface OvnConfiguration {
  'bridge-mappings'?: OvnBridgeMapping[];
}

// nmstate's OvnBridgeMapping does not deny unknown keys.
const bridgeMapping = struct<OvnBridgeMapping>(
  {
    localnet: required(scalarText),
    state: optional(enumOf(names<'present' | 'absent'>('present', 'absent'))),
    bridge: optional(scalarText),
  },
  {
    name: 'bridge-mappings',
    unknownKeys: 'ignore',
  },
);

export const ovnShape = struct<OvnConfiguration>(
  { 'bridge-mappings': optional(list(bridgeMapping)) },
  { name: 'ovn', unknownKeys: 'deny', nullIsAbsent: false },
);

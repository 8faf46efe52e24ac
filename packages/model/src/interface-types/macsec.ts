import { optional, required, struct } from '../schema/shape.js';
import { bool, enumOf, names, str, uint } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The `macsec` section (IEEE 802.1AE). */
export interface MacsecConfig {
  encrypt: boolean;
  'base-iface': string;
  /** MKA connectivity association key (32 or 64 hex digits). */
  'mka-cak'?: string;
  /** MKA connectivity association key name (up to 64 hex digits). */
  'mka-ckn'?: string;
  port: number;
  validation: 'disabled' | 'check' | 'strict';
  'send-sci': boolean;
  offload?: 'off' | 'phy' | 'mac';
}

/** A MACsec device (`type: macsec`). */
export interface MacsecInterface extends BaseInterface {
  type: 'macsec';
  macsec?: MacsecConfig;
}

const macsecConfig = struct<MacsecConfig>(
  {
    encrypt: required(bool),
    'base-iface': required(str),
    'mka-cak': optional(str),
    'mka-ckn': optional(str),
    port: required(uint(32)),
    validation: required(enumOf(names('disabled', 'check', 'strict'))),
    'send-sci': required(bool),
    offload: optional(enumOf(names('off', 'phy', 'mac'))),
  },
  { name: 'macsec', unknownKeys: 'deny' },
);

export const macsecType = defineInterfaceType<MacsecInterface>({
  type: 'macsec',
  summary: 'A MACsec (802.1AE) device on top of a base interface.',
  example: `- name: macsec0
  type: macsec
  state: up
  macsec:
    encrypt: true
    base-iface: eth1
    mka-cak: 50b71a8ef0bd5751ea76de6d6c98c03a
    mka-ckn: f2b4297d39da7330910a74abc0449feb45b5c0b9fc23df1430e1898fcf1c4550
    port: 0
    validation: strict
    send-sci: true`,
  fields: { macsec: optional(macsecConfig) },
  macOctets: 6,
  userspace: false,
  controller: false,
  nmstateOrder: 17,
});

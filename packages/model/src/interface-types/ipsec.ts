import { custom, optional, required, struct } from '../schema/shape.js';
import { bool, enumOf, names, str, uintOrString } from '../schema/scalars.js';
import { defineInterfaceType } from '../interface-type-spec.js';
import type { BaseInterface } from '../base-interface.js';

/** The `libreswan` section of an IPsec connection (keys as in `ipsec.conf`). */
export interface LibreswanConfig {
  /** Use NetworkManager's defaults; `true` unless set (and then always printed). */
  'nm-auto-defaults': boolean;
  right: string;
  rightid?: string;
  rightrsasigkey?: string;
  rightcert?: string;
  left?: string;
  leftid?: string;
  leftrsasigkey?: string;
  leftcert?: string;
  ikev2?: string;
  psk?: string;
  ikelifetime?: string;
  salifetime?: string;
  ike?: string;
  esp?: string;
  /** Seconds. */
  dpddelay?: number;
  /** Seconds. */
  dpdtimeout?: number;
  dpdaction?: string;
  /** `yes`, `no` or an XFRM interface id. */
  'ipsec-interface'?: string;
  authby?: string;
  rightsubnet?: string;
  rightsubnets?: string;
  leftsubnet?: string;
  leftsubnets?: string;
  leftmodecfgclient?: boolean;
  type?: 'tunnel' | 'transport';
  hostaddrfamily?: 'ipv4' | 'ipv6';
  clientaddrfamily?: 'ipv4' | 'ipv6';
  'require-id-on-certificate'?: boolean;
  leftsendcert?: string;
  rightca?: string;
  leftprotoport?: string;
  rightprotoport?: string;
}

/** A Libreswan IPsec connection (`type: ipsec`), a user-space interface. */
export interface IpsecInterface extends BaseInterface {
  type: 'ipsec';
  libreswan?: LibreswanConfig;
}

const IPSEC_INTERFACE_EXPECTED = 'yes, no, or an unsigned integer';

// nmstate's `parse_ipsec_iface`: numbers become their text; strings must be yes/no/a u32.
const ipsecInterface = custom<string>(
  IPSEC_INTERFACE_EXPECTED,
  (value, ctx) => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
    if (typeof value === 'string') {
      if (value === 'yes' || value === 'no') return value;
      if (/^\+?[0-9]+$/.test(value) && Number(value) <= 0xffffffff) return value;
    }
    return ctx.mismatch(value, IPSEC_INTERFACE_EXPECTED);
  },
  { nullIsAbsent: false },
);

const addressFamily = enumOf(names<'ipv4' | 'ipv6'>('ipv4', 'ipv6'));

const libreswanConfig = struct<LibreswanConfig>(
  {
    'nm-auto-defaults': optional(bool, { defaultValue: true }),
    right: required(str),
    rightid: optional(str),
    rightrsasigkey: optional(str),
    rightcert: optional(str),
    left: optional(str),
    leftid: optional(str),
    leftrsasigkey: optional(str),
    leftcert: optional(str),
    ikev2: optional(str),
    psk: optional(str),
    ikelifetime: optional(str),
    salifetime: optional(str),
    ike: optional(str),
    esp: optional(str),
    dpddelay: optional(uintOrString(64)),
    dpdtimeout: optional(uintOrString(64)),
    dpdaction: optional(str),
    'ipsec-interface': optional(ipsecInterface),
    authby: optional(str),
    rightsubnet: optional(str),
    rightsubnets: optional(str),
    leftsubnet: optional(str),
    leftsubnets: optional(str),
    leftmodecfgclient: optional(bool),
    type: optional(enumOf(names<'tunnel' | 'transport'>('tunnel', 'transport'))),
    hostaddrfamily: optional(addressFamily),
    clientaddrfamily: optional(addressFamily),
    'require-id-on-certificate': optional(bool),
    leftsendcert: optional(str),
    rightca: optional(str),
    leftprotoport: optional(str),
    rightprotoport: optional(str),
  },
  { name: 'libreswan', unknownKeys: 'deny' },
);

export const ipsecType = defineInterfaceType<IpsecInterface>({
  type: 'ipsec',
  summary: 'A Libreswan IPsec connection managed through NetworkManager.',
  example: `- name: hosta_conn
  type: ipsec
  ipv4:
    enabled: true
    dhcp: true
  libreswan:
    right: 192.0.2.252
    rightid: srv-id.example.org
    left: 192.0.2.251
    leftid: cli-id.example.org
    psk: psk_password
    ikev2: insist`,
  fields: { libreswan: optional(libreswanConfig) },
  macOctets: 'any',
  userspace: true,
  controller: false,
  nmstateOrder: 18,
});

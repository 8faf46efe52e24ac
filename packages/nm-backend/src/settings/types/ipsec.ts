import type { LibreswanConfig } from '@nmfleet/model';
import { HIDDEN_PASSWORD } from '../ieee8021x-setting.js';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readStringDict } from '../nm-read.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

/** The NetworkManager VPN plugin for libreswan. */
export const LIBRESWAN_SERVICE_TYPE = 'org.freedesktop.NetworkManager.libreswan';

const STRING_KEYS = [
  'rightid', 'rightrsasigkey', 'rightcert', 'left', 'leftid', 'leftrsasigkey', 'leftcert', 'ikev2', 'ikelifetime', 'salifetime', 'ike', 'esp', 'dpdaction',
  'ipsec-interface', 'authby', 'rightsubnet', 'rightsubnets', 'leftsubnet', 'leftsubnets', 'leftsendcert', 'rightca', 'leftprotoport', 'rightprotoport',
] as const;
const YES_NO = (v: boolean): string => (v ? 'yes' : 'no');

function toVpnData(conf: LibreswanConfig): Record<string, string> {
  const data: Record<string, string> = {};
  if (conf['nm-auto-defaults'] === false) data['nm-auto-defaults'] = 'no';
  data['right'] = conf.right;
  for (const key of STRING_KEYS) {
    const v = conf[key];
    if (v !== undefined) data[key] = v;
  }
  if (conf.dpddelay !== undefined) data['dpddelay'] = String(conf.dpddelay);
  if (conf.dpdtimeout !== undefined) data['dpdtimeout'] = String(conf.dpdtimeout);
  if (conf.leftmodecfgclient !== undefined) data['leftmodecfgclient'] = YES_NO(conf.leftmodecfgclient);
  if (conf.type !== undefined) data['type'] = conf.type;
  if (conf.clientaddrfamily !== undefined) data['clientaddrfamily'] = conf.clientaddrfamily;
  if (conf.hostaddrfamily !== undefined) data['hostaddrfamily'] = conf.hostaddrfamily;
  if (conf['require-id-on-certificate'] !== undefined) data['require-id-on-certificate'] = YES_NO(conf['require-id-on-certificate']);
  return data;
}

/** IPsec connections (libreswan VPN profiles); no interface name. */
export const ipsecConverter = defineInterfaceConverter<InterfaceOf<'ipsec'>>({
  connectionType: () => NM_CONNECTION_TYPE.vpn,
  isController: false,
  isUserspace: true,
  hasWiredSetting: true,
  hasInterfaceName: false,
  // nmstate reads IPv4 `dhcp: false` without addresses on an IPsec connection as IPv4 disabled.
  sanitize: (iface) => {
    const ipv4 = iface.ipv4;
    if (ipv4?.dhcp !== false || ipv4.enabled !== true) return iface;
    const { dhcp: _dhcp, ...rest } = ipv4;
    return { ...iface, ipv4: { ...rest, enabled: false } };
  },
  writeTypeSettings: (iface, settings) => {
    const conf = iface.libreswan;
    if (!conf) return;
    const existingSecrets = settings['vpn']?.['secrets'];
    const setting: Record<string, NmValue> = {
      data: nmValue.stringDict(toVpnData(conf)),
      'service-type': nmValue.string(LIBRESWAN_SERVICE_TYPE),
    };
    if (conf.psk === HIDDEN_PASSWORD) {
      if (existingSecrets !== undefined) setting['secrets'] = existingSecrets;
    } else if (conf.psk !== undefined) {
      setting['secrets'] = nmValue.stringDict({ pskvalue: conf.psk });
    }
    settings['vpn'] = setting;
  },
  readTypeSettings: (settings, base) => {
    const data = readStringDict(settings, 'vpn', 'data') ?? {};
    const conf: Record<string, unknown> = { 'nm-auto-defaults': data['nm-auto-defaults'] !== 'no', right: data['right'] ?? '' };
    for (const key of STRING_KEYS) if (data[key] !== undefined) conf[key] = data[key];
    for (const key of ['dpddelay', 'dpdtimeout'] as const) if (data[key] !== undefined && /^\d+$/.test(data[key])) conf[key] = Number(data[key]);
    for (const key of ['leftmodecfgclient', 'require-id-on-certificate'] as const) if (data[key] !== undefined) conf[key] = data[key] === 'yes';
    for (const key of ['type', 'clientaddrfamily', 'hostaddrfamily'] as const) if (data[key] !== undefined) conf[key] = data[key];
    const psk = readStringDict(settings, 'vpn', 'secrets')?.['pskvalue'];
    if (psk !== undefined) conf['psk'] = psk;
    return { ...base, type: 'ipsec', libreswan: conf as unknown as LibreswanConfig };
  },
});

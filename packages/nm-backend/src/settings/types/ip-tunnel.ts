import type { Ip6TunnelFlag, IpTunnelConfig } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readBool, readNumber, readString } from '../nm-read.js';
import { NM_CONNECTION_TYPE } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

/** NM_IP_TUNNEL_MODE_*. */
const MODES: Readonly<Record<string, number>> = { ipip: 1, sit: 3, ip6ip6: 6, ipip6: 7 };
const MODE_NAMES: Readonly<Record<number, IpTunnelConfig['mode']>> = { 1: 'ipip', 3: 'sit', 6: 'ip6ip6', 7: 'ipip6' };
/** NM_IP_TUNNEL_FLAG_* (the `cap-*` kernel flags have no NetworkManager equivalent). */
const FLAGS: Partial<Readonly<Record<Ip6TunnelFlag, number>>> = {
  'ign-encap-limit': 0x1,
  'use-orig-tclass': 0x2,
  'use-orig-flowlabel': 0x4,
  'mip6-dev': 0x8,
  'rcv-dscp-copy': 0x10,
  'use-orig-fw-mark': 0x20,
  'allow-local-remote': 0x40,
};

/**
 * IPIP/SIT/IP6IP6 tunnels (`ip-tunnel`). nmstatectl 2.2.62 leaves the
 * `[ip-tunnel]` section out of its keyfiles; we write it.
 */
export const ipTunnelConverter = defineInterfaceConverter<InterfaceOf<'ip-tunnel'>>({
  connectionType: () => NM_CONNECTION_TYPE.ipTunnel,
  isController: false,
  hasWiredSetting: true,
  writeTypeSettings: (iface, settings) => {
    const setting: Record<string, NmValue> = { ...(settings['ip-tunnel'] ?? {}) };
    const conf = iface['ip-tunnel'];
    if (conf) {
      const assign = (key: string, value: NmValue | undefined): void => {
        if (value === undefined) delete setting[key];
        else setting[key] = value;
      };
      const mode = conf.mode === undefined ? undefined : (MODES[conf.mode] ?? 0);
      assign('mode', mode === undefined ? undefined : nmValue.uint32(mode));
      assign('parent', conf['base-iface'] === undefined ? undefined : nmValue.string(conf['base-iface']));
      assign('local', conf.local === undefined ? undefined : nmValue.string(conf.local));
      assign('remote', conf.remote === undefined ? undefined : nmValue.string(conf.remote));
      assign('ttl', conf.ttl === undefined ? undefined : nmValue.uint32(conf.ttl));
      assign('tos', conf.tos === undefined ? undefined : nmValue.uint32(conf.tos));
      assign('path-mtu-discovery', conf['pmtu-disc'] === undefined ? undefined : nmValue.bool(conf['pmtu-disc']));
      assign('encapsulation-limit', conf['encap-limit'] === undefined ? undefined : nmValue.uint32(conf['encap-limit']));
      assign('flow-label', conf['flow-label'] === undefined ? undefined : nmValue.uint32(conf['flow-label']));
      assign('fwmark', conf.fwmark === undefined ? undefined : nmValue.uint32(conf.fwmark));
      const v6 = conf.mode === 'ip6ip6' || conf.mode === 'ipip6';
      const flags = v6 ? (conf['ip6tun-flags'] ?? []).reduce((acc, f) => acc | (FLAGS[f] ?? 0), 0) : 0;
      setting['flags'] = nmValue.uint32(flags);
    }
    settings['ip-tunnel'] = setting;
  },
  readTypeSettings: (settings, base) => {
    const conf: IpTunnelConfig = {};
    const mode = MODE_NAMES[readNumber(settings, 'ip-tunnel', 'mode') ?? 0];
    if (mode) conf.mode = mode;
    const parent = readString(settings, 'ip-tunnel', 'parent');
    if (parent !== undefined) conf['base-iface'] = parent;
    for (const key of ['local', 'remote'] as const) {
      const v = readString(settings, 'ip-tunnel', key);
      if (v !== undefined) conf[key] = v;
    }
    for (const [key, nmKey] of [['ttl', 'ttl'], ['tos', 'tos'], ['encap-limit', 'encapsulation-limit'], ['flow-label', 'flow-label'], ['fwmark', 'fwmark']] as const) {
      const v = readNumber(settings, 'ip-tunnel', nmKey);
      if (v !== undefined) conf[key] = v;
    }
    const pmtu = readBool(settings, 'ip-tunnel', 'path-mtu-discovery');
    if (pmtu !== undefined) conf['pmtu-disc'] = pmtu;
    const flags = readNumber(settings, 'ip-tunnel', 'flags') ?? 0;
    const names = (Object.entries(FLAGS) as [Ip6TunnelFlag, number][]).filter(([, bit]) => (flags & bit) !== 0).map(([name]) => name);
    if (names.length > 0) conf['ip6tun-flags'] = names;
    return { ...base, type: 'ip-tunnel', 'ip-tunnel': conf };
  },
});

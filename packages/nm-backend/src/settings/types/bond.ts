import type { BondConfig, BondOptions } from '@nmfleet/model';
import { defineInterfaceConverter, type InterfaceOf } from '../interface-converter.js';
import { readStringDict } from '../nm-read.js';
import { NM_CONNECTION_TYPE, NM_SETTING, type NmSettings } from '../nm-settings.js';
import { nmValue, type NmValue } from '../nm-value.js';

/** The kernel's default `arp_missed_max`: nmstate leaves it out of a new profile. */
const DEFAULT_ARP_MISSED_MAX = 2;
/** Option keys of `bond.options`, in no particular order: NetworkManager keeps a map. */
type OptionValues = Record<string, string>;

const boolToDigit = (v: boolean): string => (v ? '1' : '0');

/** nmstate's bond options as NetworkManager `bond.options` values. */
function applyOptions(options: OptionValues, opts: BondOptions): void {
  const set = (key: string, value: string | number | undefined): void => {
    if (value !== undefined) options[key] = String(value);
  };
  set('ad_actor_sys_prio', opts.ad_actor_sys_prio);
  set('ad_actor_system', opts.ad_actor_system?.toUpperCase());
  set('ad_select', opts.ad_select);
  set('ad_user_port_key', opts.ad_user_port_key);
  if (opts.all_slaves_active !== undefined) options['all_slaves_active'] = opts.all_slaves_active === 'delivered' ? '1' : '0';
  set('arp_all_targets', opts.arp_all_targets);
  if (opts.arp_interval !== undefined) {
    // Turning ARP monitoring off must also drop its targets, or the kernel rejects the options.
    if (opts.arp_interval === 0) {
      options['arp_ip_target'] = '';
      options['ns_ip6_target'] = '';
    }
    options['arp_interval'] = String(opts.arp_interval);
  }
  set('arp_ip_target', opts.arp_ip_target);
  set('arp_validate', opts.arp_validate);
  set('downdelay', opts.downdelay);
  set('fail_over_mac', opts.fail_over_mac);
  set('lacp_rate', opts.lacp_rate);
  set('lp_interval', opts.lp_interval);
  set('miimon', opts.miimon);
  set('min_links', opts.min_links);
  set('num_grat_arp', opts.num_grat_arp);
  set('num_unsol_na', opts.num_unsol_na);
  set('packets_per_slave', opts.packets_per_slave);
  set('primary', opts.primary);
  set('primary_reselect', opts.primary_reselect);
  set('resend_igmp', opts.resend_igmp);
  if (opts.tlb_dynamic_lb !== undefined) options['tlb_dynamic_lb'] = boolToDigit(opts.tlb_dynamic_lb);
  set('updelay', opts.updelay);
  if (opts.use_carrier !== undefined) options['use_carrier'] = boolToDigit(opts.use_carrier);
  set('xmit_hash_policy', opts.xmit_hash_policy);
  if (opts.balance_slb !== undefined) options['balance-slb'] = boolToDigit(opts.balance_slb);
  if (opts.arp_missed_max !== undefined && ('arp_missed_max' in options || opts.arp_missed_max !== DEFAULT_ARP_MISSED_MAX)) {
    options['arp_missed_max'] = String(opts.arp_missed_max);
  }
  if (opts.lacp_active !== undefined) options['lacp_active'] = boolToDigit(opts.lacp_active);
  if (opts.ns_ip6_target !== undefined && opts.ns_ip6_target.length > 0) options['ns_ip6_target'] = opts.ns_ip6_target.join(',');
  for (const [k, v] of Object.entries(options)) if (v === '') delete options[k];
}

const NUMERIC_OPTIONS = new Set([
  'ad_actor_sys_prio', 'ad_user_port_key', 'arp_interval', 'downdelay', 'lp_interval', 'miimon', 'min_links', 'num_grat_arp', 'num_unsol_na',
  'packets_per_slave', 'resend_igmp', 'updelay', 'arp_missed_max',
]);
const BOOLEAN_OPTIONS = new Set(['tlb_dynamic_lb', 'use_carrier', 'balance-slb', 'lacp_active']);

function readOptions(options: Readonly<Record<string, string>>): BondOptions | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'mode') continue;
    const name = key === 'balance-slb' ? 'balance_slb' : key;
    if (NUMERIC_OPTIONS.has(key) && /^\d+$/.test(value)) out[name] = Number(value);
    else if (BOOLEAN_OPTIONS.has(key)) out[name] = value === '1';
    else if (key === 'all_slaves_active') out[name] = value === '1' ? 'delivered' : 'dropped';
    else if (key === 'ns_ip6_target') out[name] = value.split(',').filter((v) => v !== '');
    else out[name] = value;
  }
  return Object.keys(out).length > 0 ? (out as BondOptions) : undefined;
}

/** Whether the desired options are the explicit empty set `options: {}` (nmstate resets them to the mode's defaults). */
function isOptionsReset(conf: BondConfig | undefined): boolean {
  return conf?.options !== undefined && Object.keys(conf.options).length === 0;
}

/** Linux bonds (`bond.options` holds mode and options as strings). */
export const bondConverter = defineInterfaceConverter<InterfaceOf<'bond'>>({
  connectionType: () => NM_CONNECTION_TYPE.bond,
  isController: true,
  hasWiredSetting: true,
  getPorts: (iface) => {
    const conf = iface['link-aggregation'];
    return conf?.port ?? conf?.['ports-config']?.map((p) => p.name);
  },
  writeTypeSettings: (iface, settings) => {
    const conf = iface['link-aggregation'];
    const existing = readStringDict(settings, NM_SETTING.bond, 'options') ?? {};
    let options: OptionValues = { ...existing };
    if (isOptionsReset(conf)) options = options['mode'] === undefined ? {} : { mode: options['mode'] };
    if (conf?.mode !== undefined) {
      // Options of another mode do not carry over: the kernel refuses many of them.
      if (options['mode'] !== conf.mode) options = {};
      options['mode'] = conf.mode;
    }
    if (conf?.options) applyOptions(options, conf.options);
    const setting: Record<string, NmValue> = { ...(settings[NM_SETTING.bond] ?? {}) };
    setting['options'] = nmValue.stringDict(options);
    settings[NM_SETTING.bond] = setting;
  },
  writePortSettings: (bond, portName, settings, existing) => {
    const conf = bond['link-aggregation']?.['ports-config']?.find((p) => p.name === portName);
    if (!conf) return;
    const hadPortSetting = existing?.[NM_SETTING.bondPort] !== undefined;
    if ((conf.priority ?? 0) === 0 && (conf['queue-id'] ?? 0) === 0 && !hadPortSetting) return;
    const setting: Record<string, NmValue> = { ...(settings[NM_SETTING.bondPort] ?? {}) };
    if (conf.priority !== undefined && (setting['prio'] !== undefined || conf.priority !== 0)) setting['prio'] = nmValue.int32(conf.priority);
    if (conf['queue-id'] !== undefined) setting['queue-id'] = nmValue.uint32(conf['queue-id']);
    settings[NM_SETTING.bondPort] = setting;
  },
  readTypeSettings: (settings: NmSettings, base) => {
    const options = readStringDict(settings, NM_SETTING.bond, 'options') ?? {};
    const conf: BondConfig = {};
    const mode = options['mode'];
    if (mode !== undefined) conf.mode = mode as BondConfig['mode'];
    const opts = readOptions(options);
    if (opts) conf.options = opts;
    return { ...base, type: 'bond', 'link-aggregation': conf };
  },
});

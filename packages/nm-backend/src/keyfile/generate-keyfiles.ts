import type { Interface, NetworkState, RouteEntry, RouteRuleEntry } from '@nmfleet/model';
import { getInterfaceConverter } from '../settings/interface-converters.js';
import { getConnectionId, getConnectionInterfaceName, NM_SETTING, type NmSettings } from '../settings/nm-settings.js';
import { nmValue } from '../settings/nm-value.js';
import { createStableProfileUuid } from '../settings/profile-uuid.js';
import type { SettingsContext } from '../settings/settings-input.js';
import { toNmSettings } from '../settings/to-nm-settings.js';
import { storeDns, type DnsConfig } from '../placement/dns-placement.js';
import { toSettingsInput } from '../placement/placed-interface.js';
import { storeRoutes } from '../placement/route-placement.js';
import { storeRules } from '../placement/rule-placement.js';
import type { KeyfileEntry } from './gc-output.js';
import { getParent, listGcInterfaces, prepareGcInterfaces, type GcInterface, type GcInterfaces } from './gc-interfaces.js';
import { mergeGcRoutes, mergeGcRules } from './gc-routes.js';
import { renderKeyfile } from './keyfile-writer.js';

/** One keyfile of {@link generateKeyfiles}: its name, text, and the profile it holds. */
export interface GeneratedKeyfile extends KeyfileEntry {
  /** The profile as NetworkManager settings. */
  readonly settings: NmSettings;
  /** The interface it configures. */
  readonly interfaceName: string;
}

/** What {@link generateKeyfiles} produces. */
export interface GeneratedKeyfiles {
  /** In nmstatectl's order: by activation priority (controllers before ports), then interface name. */
  readonly files: readonly GeneratedKeyfile[];
  /** What nmstatectl would log as warnings (assumed types, ignored settings). */
  readonly warnings: readonly string[];
}

interface StateSections {
  readonly routes?: { readonly config?: readonly RouteEntry[] };
  readonly 'route-rules'?: { readonly config?: readonly RouteRuleEntry[] };
  readonly 'dns-resolver'?: { readonly config?: DnsConfig };
  readonly hostname?: { readonly config?: string };
}

/** nmstate refers to a parent found by MAC address or PCI address by its profile UUID, which gc can predict. */
function useUuidForParentsNotFoundByName(ifaces: GcInterfaces): void {
  for (const iface of ifaces.kernel.values()) {
    const apply = iface.forApply;
    if (!apply) continue;
    const parentName = getParent(apply);
    const parent = parentName === undefined ? undefined : ifaces.kernel.get(parentName);
    const identifier = parent?.merged.identifier;
    if (!parent || identifier === undefined || identifier === 'name') continue;
    const converter = getInterfaceConverter(apply.type);
    if (converter.setParent) iface.forApply = converter.setParent(apply, createStableProfileUuid(parent.name, parent.merged.type));
  }
}

/** Profiles are generated in nmstate's activation order: by priority, then name. */
function orderForProfiles(ifaces: GcInterfaces): GcInterface[] {
  const changed = listGcInterfaces(ifaces).filter((i) => i.forApply !== undefined);
  changed.sort((a, b) => (a.merged.name < b.merged.name ? -1 : a.merged.name > b.merged.name ? 1 : 0));
  return changed.sort((a, b) => a.upPriority - b.upPriority);
}

/** Without an existing profile, nmstate keeps the current IP settings the desired state does not mention. */
function preserveCurrentIp(iface: GcInterface): Interface {
  const apply = iface.forApply as Interface;
  const out = { ...apply };
  for (const family of ['ipv4', 'ipv6'] as const) {
    const current = iface.current?.[family];
    if (out[family] === undefined && current !== undefined) {
      out[family] = { ...current, ...(current.address ? { address: current.address.filter((a) => !(a.protocol ?? '').startsWith('0x')) } : {}) };
    }
  }
  return out;
}

/**
 * NetworkManager keyfiles for a desired state, as `nmstatectl gc` generates
 * them: the state is taken as the whole truth about the interfaces it names
 * (on a host with only a loopback device), profiles get nmstate's names and
 * stable UUIDs, down interfaces do not autoconnect. Throws `BackendError`
 * (`invalid-state`, `unsupported`) with nmstate's message for a state nmstate
 * refuses.
 */
export function generateKeyfiles(state: NetworkState): GeneratedKeyfiles {
  const sections = state as unknown as StateSections;
  const ifaces = prepareGcInterfaces((state.interfaces ?? []) as readonly Interface[]);
  const warnings = [...ifaces.warnings];
  if (sections.hostname?.config !== undefined) {
    warnings.push('Cannot store hostname configuration to keyfile of NetworkManager, please edit /etc/hostname manually');
  }
  const routes = mergeGcRoutes(sections.routes?.config, ifaces);
  const rules = mergeGcRules(sections['route-rules']?.config);
  storeRoutes(routes, ifaces);
  storeRules(rules, routes, ifaces);
  storeDns(sections['dns-resolver']?.config, ifaces);
  useUuidForParentsNotFoundByName(ifaces);

  const ignored = new Set(ifaces.ignored.map((i) => i.name));
  const ctx: SettingsContext = {
    getInterface: (name, type) => {
      const found = type !== undefined && (type === 'ovs-bridge' || type === 'ipsec') ? ifaces.user.get(`${name}\u0000${type}`) : (ifaces.kernel.get(name) ?? [...ifaces.user.values()].find((i) => i.name === name));
      return found?.forApply !== undefined ? found.merged : undefined;
    },
    isIgnored: (name) => ignored.has(name),
    createUuid: createStableProfileUuid,
  };

  const files: GeneratedKeyfile[] = [];
  for (const iface of orderForProfiles(ifaces)) {
    if (iface.merged.type === 'unknown' || iface.merged.state === 'absent') continue;
    const apply = preserveCurrentIp(iface);
    const profiles = toNmSettings({ ...toSettingsInput(iface, apply), upPriority: iface.upPriority }, ctx);
    for (const settings of profiles) {
      // A keyfile cannot be deactivated: a down interface's profiles must not come up on their own.
      if (apply.state === 'down') {
        const conn = settings[NM_SETTING.connection];
        if (conn) conn['autoconnect'] = nmValue.bool(false);
      }
      const id = getConnectionId(settings);
      if (id === undefined) continue;
      files.push({ fileName: `${id}.nmconnection`, content: renderKeyfile(settings), settings, interfaceName: getConnectionInterfaceName(settings) ?? iface.name });
    }
  }
  return { files, warnings };
}

import type { BaseInterface, MptcpConfig } from '@nmfleet/model';
import { BackendError } from '../backend.js';
import { NM_SETTING, type NmSetting, type NmSettings } from './nm-settings.js';
import { nmValue } from './nm-value.js';
import { createRandomProfileUuid } from './profile-uuid.js';
import type { SettingsContext } from './settings-input.js';

/** `connection.autoconnect-slaves`: NetworkManager's tri-state. */
const AUTOCONNECT_PORTS = { yes: 1, no: 0, default: -1 } as const;
/** NM_MPTCP_FLAGS_*. */
const MPTCP_FLAGS = { disabled: 0x01, alsoWithoutDefaultRoute: 0x08, signal: 0x10, subflow: 0x20, backup: 0x40, fullmesh: 0x80 } as const;
/** `user.data` key that holds the interface description. */
export const DESCRIPTION_USER_KEY = 'nmstate.interface.description';

/** Keys of `connection` that nmfleet writes; the rest of an existing profile's `connection` survives. */
export const MODELLED_CONNECTION_KEYS: readonly string[] = [
  'id',
  'uuid',
  'type',
  'interface-name',
  'master',
  'slave-type',
  'autoconnect',
  'autoconnect-slaves',
  'lldp',
  'mptcp-flags',
];

/** What `connection` is built from. */
export interface ConnectionSettingInput {
  /** The interface (its name, `profile-name`, `identifier`, `controller`, `lldp`, `mptcp`). */
  readonly base: BaseInterface;
  /** nmstate type name, used for the profile name suffix and the stable UUID (`ethernet`, `ovs-port`…). */
  readonly nmstateType: string;
  /** NetworkManager `connection.type`. */
  readonly connectionType: string;
  /** Whether other profiles attach to this one (bond, bridges, VRF, HSR, OVS ports). */
  readonly isController: boolean;
  /** NetworkManager `connection.type` of the controller, when attached to one. */
  readonly controllerConnectionType?: string;
  /** Whether the interface name belongs in `interface-name` (not for IPsec connections). */
  readonly hasInterfaceName: boolean;
}

/** The default profile name nmstate gives an interface: OVS types carry a suffix, since they share names. */
export function defaultProfileName(name: string, nmstateType: string): string {
  if (nmstateType === 'ovs-bridge') return `${name}-br`;
  if (nmstateType === 'ovs-port') return `${name}-port`;
  if (nmstateType === 'ovs-interface') return `${name}-if`;
  return name;
}

function toMptcpFlags(conf: MptcpConfig): number | undefined {
  const flags = conf['address-flags'];
  if (flags === undefined) return undefined;
  if (flags.length === 0) return MPTCP_FLAGS.disabled;
  let value = 0;
  for (const flag of flags) value |= MPTCP_FLAGS[flag];
  return value | MPTCP_FLAGS.alsoWithoutDefaultRoute;
}

/**
 * The `connection` setting as nmstate writes it. An existing profile keeps its
 * UUID and its name (unless `profile-name` asks for another); a new one is
 * named `<name>` (`<name>-br`/`-port`/`-if` for OVS) with a UUID from
 * `ctx.createUuid`.
 */
export function toNmConnectionSetting(input: ConnectionSettingInput, ctx: SettingsContext, existing: NmSetting | undefined): NmSetting {
  const { base } = input;
  const setting: NmSetting = { ...(existing ?? {}) };
  if (existing?.['id'] === undefined || existing['uuid'] === undefined) {
    setting['id'] = nmValue.string(base['profile-name'] ?? defaultProfileName(base.name, input.nmstateType));
    setting['uuid'] = nmValue.string((ctx.createUuid ?? (() => createRandomProfileUuid()))(base.name, input.nmstateType));
    setting['type'] = nmValue.string(input.connectionType);
  } else if (base['profile-name'] !== undefined) {
    setting['id'] = nmValue.string(base['profile-name']);
  }
  const byName = (base.identifier ?? 'name') === 'name';
  if (input.hasInterfaceName && byName) setting['interface-name'] = nmValue.string(base.name);
  else delete setting['interface-name'];
  setting['autoconnect'] = nmValue.bool(true);
  setting['autoconnect-slaves'] = nmValue.int32(input.isController ? AUTOCONNECT_PORTS.yes : AUTOCONNECT_PORTS.default);
  const controller = base.controller;
  if (controller !== undefined) {
    // HSR ports are named in the hsr setting, not attached with master/slave-type.
    if (controller === '' || input.controllerConnectionType === 'hsr') {
      delete setting['master'];
      delete setting['slave-type'];
    } else if (input.controllerConnectionType !== undefined) {
      setting['master'] = nmValue.string(controller);
      setting['slave-type'] = nmValue.string(input.controllerConnectionType);
    }
  }
  if (base.lldp !== undefined) setting['lldp'] = nmValue.int32(base.lldp.enabled ? 1 : 0);
  if (base.mptcp !== undefined) {
    const flags = toMptcpFlags(base.mptcp);
    if (flags !== undefined) setting['mptcp-flags'] = nmValue.uint32(flags);
  }
  return setting;
}

/**
 * `match` for interfaces found by PCI address (`identifier: pci-address`),
 * which also drops `interface-name`; removed for the other identifiers.
 * Undefined when the interface says nothing about its identifier.
 */
export function applyMatchSetting(settings: NmSettings, base: BaseInterface): void {
  if (base.identifier === 'pci-address') {
    const pci = base['pci-address'];
    if (pci === undefined) return;
    settings[NM_SETTING.match] = { path: nmValue.stringList([`pci-${pci}`]) };
    delete settings[NM_SETTING.connection]?.['interface-name'];
  } else if (base.identifier !== undefined) {
    delete settings[NM_SETTING.match];
  }
}

/** `user.data` with the interface description (an empty description clears it). */
export function toNmUserSetting(base: BaseInterface): NmSetting | undefined {
  const description = base.description;
  if (description === undefined) return undefined;
  return { data: nmValue.stringDict(description === '' ? {} : { [DESCRIPTION_USER_KEY]: description }) };
}

/** Fails when a profile lacks what every profile needs. */
export function assertConnectionSetting(settings: NmSettings, where: string): void {
  const conn = settings[NM_SETTING.connection];
  for (const key of ['id', 'uuid', 'type'] as const) {
    if (conn?.[key]?.type !== 's') throw new BackendError('invalid-state', `${where}: the profile has no connection.${key}`);
  }
}

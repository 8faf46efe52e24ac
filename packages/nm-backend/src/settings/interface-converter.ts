import type { BaseInterface, Interface, InterfaceOf } from '@nmfleet/model';
import type { NmSettings } from './nm-settings.js';
import type { SettingsContext, SettingsInput } from './settings-input.js';

export type { InterfaceOf };

/** A companion profile: one NetworkManager needs beside the interface's own (an OVS port, a veth peer). */
export interface CompanionProfile {
  /** The interface the profile configures. */
  readonly name: string;
  /** nmstate type name (`ovs-port`, `veth`), for the profile name and the stable UUID. */
  readonly nmstateType: string;
  readonly settings: NmSettings;
}

/**
 * What nm-backend knows about converting one interface type to and from
 * NetworkManager settings. One file per type exports one of these; the
 * registry is checked against the model's `InterfaceType`, so a new type is
 * one file and one registry line.
 */
export interface InterfaceConverter<T extends Interface = Interface> {
  /** NetworkManager `connection.type` of a profile for this interface. */
  readonly connectionType: (iface: T) => string;
  /** Other interfaces attach to it (bond, bridges, VRF, HSR): `autoconnect-slaves` is on. */
  readonly isController: boolean;
  /** Lives in user space (OVS bridge, IPsec): found by name and type, not name alone. */
  readonly isUserspace?: boolean;
  /** Layer-3-only types (InfiniBand, loopback) get no `802-3-ethernet` setting. */
  readonly hasWiredSetting: boolean;
  /** The profile names the interface in `interface-name` (IPsec connections do not). */
  readonly hasInterfaceName?: boolean;
  /** Names of its ports when the interface lists them; undefined when it does not say. */
  readonly getPorts?: (iface: T) => string[] | undefined;
  /**
   * The interface it is stacked on, as nmstate orders activation (VLAN,
   * VXLAN, MACVLAN/MACVTAP, InfiniBand and MACsec parents; an OVS internal
   * interface's bridge).
   */
  readonly getParent?: (iface: T) => string | undefined;
  /** Points the interface at another parent (nmstate refers to a parent found by MAC by its profile UUID). */
  readonly setParent?: (iface: T, parent: string) => T;
  /**
   * nmstate's per-type clean-up before settings are written (an OVS bridge
   * holds no IP or MTU, a VRF no MAC address…). Returns a new interface.
   */
  readonly sanitize?: (iface: T) => T;
  /** Writes the type's own settings (`bond`, `vlan`…) into `settings`, starting from what `existing` holds. */
  readonly writeTypeSettings?: (iface: T, settings: NmSettings, ctx: SettingsContext, input: SettingsInput) => void;
  /** Writes what a port of this controller carries (`bond-port`, `bridge-port`). */
  readonly writePortSettings?: (controller: T, portName: string, settings: NmSettings, existing: NmSettings | undefined) => void;
  /** Profiles NetworkManager needs besides the interface's own. */
  readonly createCompanions?: (iface: T, ctx: SettingsContext, input: SettingsInput) => CompanionProfile[];
  /** The type-specific part of the interface back from a profile (for `show --running-config`). */
  readonly readTypeSettings: (settings: NmSettings, base: BaseInterface) => T;
}

/** Defines a converter; the type parameter ties its functions to the interface shape. */
export function defineInterfaceConverter<T extends Interface>(converter: InterfaceConverter<T>): InterfaceConverter<T> {
  return converter;
}

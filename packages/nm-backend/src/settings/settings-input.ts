import type { Interface, InterfaceType, RouteEntry, RouteRuleEntry } from '@nmfleet/model';
import type { NmSettings } from './nm-settings.js';

/** DNS client configuration stored in one IP setting of a profile. */
export interface InterfaceDns {
  readonly servers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
  /** `ipv4.dns-priority` / `ipv6.dns-priority`: lower wins (nmstate uses 40, 50 for the other family). */
  readonly priority?: number;
}

/**
 * One interface to render as NetworkManager settings: the interface as it
 * should end up (a desired interface merged over current, e.g. a planner
 * `MergedInterface.merged`), plus what nmstate derives from the rest of the
 * state and stores in the profile.
 */
export interface SettingsInput {
  /** The interface; its `type` selects the converter. */
  readonly iface: Interface;
  /**
   * Type of its controller when `iface.controller` is set; looked up with
   * {@link SettingsContext.getInterface} when omitted.
   */
  readonly controllerType?: InterfaceType;
  /**
   * Routes whose next hop is this interface (blackhole-type routes belong to
   * `lo`). Undefined leaves the route settings of an existing profile alone;
   * an empty list removes them.
   */
  readonly routes?: readonly RouteEntry[];
  /** Route rules stored in this profile, by family; undefined leaves existing rules alone. */
  readonly rules?: { readonly ipv4?: readonly RouteRuleEntry[]; readonly ipv6?: readonly RouteRuleEntry[] };
  /** DNS stored in this profile, by family; undefined leaves existing DNS alone. */
  readonly dns?: { readonly ipv4?: InterfaceDns; readonly ipv6?: InterfaceDns };
  /**
   * The `up` priority nmstate activates by (0 for interfaces without a
   * controller, the controller's plus one for ports). Not stored; gc orders by it.
   */
  readonly upPriority?: number;
}

/** What a converter may ask about the rest of the state. */
export interface SettingsContext {
  /**
   * Another interface applied together with this one, by name (and type, for
   * OVS bridges sharing a name with their internal interface): a controller
   * whose port settings a port needs, a veth peer that gets its own profile.
   */
  readonly getInterface: (name: string, type?: InterfaceType) => Interface | undefined;
  /** Whether an interface is left alone (`state: ignore`): a veth peer that is gets no profile. Default: none is. */
  readonly isIgnored?: (name: string) => boolean;
  /** The existing profile being updated: its UUID, and its name unless `profile-name` is desired, are kept. */
  readonly existing?: NmSettings;
  /**
   * UUID of a new profile from the interface name and nmstate type name.
   * Default: random (v4). `gc` passes nmstate's stable name-based UUID.
   */
  readonly createUuid?: (interfaceName: string, type: string) => string;
  /**
   * The existing profile of a companion (an OVS port profile or a veth peer
   * profile) by name and NetworkManager connection type, so updates keep its UUID.
   */
  readonly getExistingProfile?: (interfaceName: string, connectionType: string) => NmSettings | undefined;
}

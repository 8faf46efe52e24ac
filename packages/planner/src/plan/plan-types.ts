import type { JsonObject } from '../json/json-value.js';
import type { InterfaceDoc, StateDoc } from '../state/network-state.js';

/**
 * What one plan operation does. Interface operations act on a NetworkManager
 * profile (the persistent settings) or on the device:
 *
 * - `create-profile`: write a new profile from `merged` (the interface did not exist).
 * - `modify-profile`: rewrite the existing profile from `merged`.
 * - `activate`: bring the profile up (creating the device for virtual types, attaching a port to its controller).
 * - `deactivate`: take it down (the device of a virtual type goes away with it).
 * - `delete-profile`: remove the profile.
 * - `delete-device`: remove a software device that outlived its profile.
 *
 * State-wide operations carry their payload:
 *
 * - `routes`: the routes of one interface (`interface`, `lo` for blackhole-type routes) to add and remove.
 * - `route-rules`: the rules to write (`state: absent` entries remove), priorities already assigned.
 * - `dns`: the whole resolver configuration to set.
 * - `hostname`: the hostname (`running` and/or `config`) to set.
 */
export type PlanOperationKind =
  | 'create-profile'
  | 'modify-profile'
  | 'activate'
  | 'deactivate'
  | 'delete-profile'
  | 'delete-device'
  | 'routes'
  | 'route-rules'
  | 'dns'
  | 'hostname';

/**
 * One step of a {@link Plan}. The contract backends rely on (nm-backend and
 * the simulated host execute it):
 *
 * - operations are listed in an order that satisfies every `dependsOn`;
 * - `dependsOn` holds indices of earlier operations that must succeed first
 *   (ascending); an executor may run operations whose dependencies are done
 *   in parallel;
 * - `interface` / `type` name the interface of interface and `routes` operations;
 * - `merged` is the full merged interface the profile must end up as (every
 *   interface operation carries it, so no backend merges again);
 * - the same inputs give byte-identical JSON.
 */
export interface PlanOperation {
  readonly kind: PlanOperationKind;
  /** Interface name (interface and `routes` operations). */
  readonly interface?: string;
  /** Interface type (interface operations). */
  readonly type?: string;
  /** The whole interface as it should end up (interface operations). */
  readonly merged?: InterfaceDoc;
  /** `routes`: routes to add (sorted in nmstate's order). */
  readonly add?: readonly JsonObject[];
  /** `routes`: routes to remove, as `state: absent` entries. */
  readonly remove?: readonly JsonObject[];
  /** `route-rules`: the rules to apply, absent ones first as upstream applies them. */
  readonly rules?: readonly JsonObject[];
  /** `dns`: the resolver configuration (`server`, `search`, `options`). */
  readonly dns?: JsonObject;
  /** `hostname`: the hostname settings. */
  readonly hostname?: JsonObject;
  /** Indices of the operations that must finish before this one, ascending. */
  readonly dependsOn: readonly number[];
}

/** An ordered, deterministic plan from current to desired. */
export interface Plan {
  /** The merged state the plan leads to; interfaces that go away are listed with `state: absent`. */
  readonly merged: StateDoc;
  /** Operations in an order that respects every dependency. */
  readonly operations: readonly PlanOperation[];
}

import type { NetworkState } from '@nmfleet/model';
import type { InterfaceTree } from '../state/state-tree.js';

/**
 * What a backend asks of the planner. Both backends (NetworkManager and the
 * simulated host) go through these three functions, so they merge, order and
 * verify identically; only the execution of each operation differs.
 */
export interface StatePlanner {
  /** Merges `desired` over `current` and orders the operations that get there. Throws on contradictions. */
  planChanges(desired: NetworkState, current: NetworkState): StatePlan;
  /** Where `current` does not (yet) show `desired`; empty when it does. */
  verifyState(desired: NetworkState, current: NetworkState): StateMismatch[];
}

/** Kinds of plan operation, as the planner emits them. */
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

/** One step of a plan. */
export interface PlanOperation {
  kind: PlanOperationKind;
  /** The interface this operation concerns (interface operations only). */
  interface?: string;
  /** Its type. */
  type?: string;
  /** The full merged interface, so a backend can render settings without merging again. */
  merged?: InterfaceTree;
  /** Indices of operations that must finish first. */
  dependsOn: number[];
}

/** An ordered plan: every operation comes after those it depends on. */
export interface StatePlan {
  /** The merged state the plan leads to (interfaces to remove appear with `state: absent`). */
  merged: NetworkState;
  operations: PlanOperation[];
}

/** One difference found by verification. */
export interface StateMismatch {
  /** YAML path users recognise, e.g. `interfaces.eth1.ipv4.address`. */
  path: string;
  expected: unknown;
  actual: unknown;
  message: string;
}

import type { NetworkState } from '@nmfleet/model';
import type { Plan } from '@nmfleet/planner';

/**
 * What a backend asks of the planner. Both backends (NetworkManager and the
 * simulated host) go through these two functions, so they merge, order and
 * verify identically; only the execution of each operation differs.
 */
export interface StatePlanner {
  /** Merges `desired` over `current` and orders the operations that get there. Throws on contradictions. */
  planChanges(desired: NetworkState, current: NetworkState): Plan;
  /** Where `current` does not (yet) show `desired`; empty when it does. */
  verifyState(desired: NetworkState, current: NetworkState): StateMismatch[];
}

/** One difference found by verification. */
export interface StateMismatch {
  /** YAML path users recognise, e.g. `interfaces[name=eth1].ipv4.address`. */
  path: string;
  expected: unknown;
  actual: unknown;
  message: string;
}

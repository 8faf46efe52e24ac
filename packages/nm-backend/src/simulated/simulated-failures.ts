import type { NetworkState } from '@nmfleet/model';

/** One apply call on a simulated host, as failure predicates see it. */
export interface SimulatedApplyCall {
  /** The host's name. */
  node: string;
  /** 1-based count of apply calls on this host. */
  callNumber: number;
  desired: NetworkState;
}

/** Where an injected failure strikes. */
export type FailurePhase = 'mid-plan' | 'verification';

/**
 * Failures a simulated host injects. Types listed in `unsupportedTypes` fail the
 * way this kernel fails them under NetworkManager (the profile is stored, the
 * activation fails); the other triggers fail whole apply calls at `phase`.
 */
export interface SimulatedFailures {
  /** Interface types whose activation fails, e.g. `['bond', 'vlan', 'dummy', 'vrf']` to mimic this kernel. Default: none. */
  unsupportedTypes?: readonly string[];
  /** Fail the n-th apply call (1-based), or every call for which the predicate returns true. Default: none. */
  failOnCall?: number | ((call: SimulatedApplyCall) => boolean);
  /** Fail every apply on this host (a broken node). Default: false. */
  failAllApplies?: boolean;
  /** Where the failures of `failOnCall`/`failAllApplies` strike: half-way through the plan, or in verification. Default: `'mid-plan'`. */
  phase?: FailurePhase;
}

/** Whether the triggers in `failures` select this call. */
export function isFailureInjected(failures: SimulatedFailures, call: SimulatedApplyCall): boolean {
  if (failures.failAllApplies) return true;
  const trigger = failures.failOnCall;
  if (typeof trigger === 'number') return trigger === call.callNumber;
  return trigger?.(call) ?? false;
}

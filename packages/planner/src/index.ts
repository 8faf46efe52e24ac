/**
 * @nmfleet/planner — pure planning over nmstate state documents: merge desired
 * over current, diff, revert, verify, the ordered plan backends execute,
 * nmpolicy evaluation, and the rollout arithmetic the coordinator uses.
 * No I/O, no clock, no randomness: same input, same output.
 */
export { PlannerError, isPlannerError } from './errors.js';
export type { PlannerErrorKind, PolicyErrorLocation } from './errors.js';
export { cloneJson, isJsonEqual } from './json/json-value.js';
export type { JsonObject, JsonValue } from './json/json-value.js';
export type { InterfaceDoc, StateDoc, StateInput, InterfaceStateValue } from './state/network-state.js';
export { INTERFACE_KINDS, getInterfaceKind } from './interfaces/interface-kind.js';
export type { InterfaceKind } from './interfaces/interface-kind.js';
export { mergeStates, mergeState, toStateDoc } from './merge/merge-state.js';
export type { MergedState } from './merge/merge-state.js';
export type { MergedInterface, MergedInterfaces } from './merge/merge-interfaces.js';
export type { MergedRoutes } from './merge/merge-routes.js';
export type { MergedRules } from './merge/merge-rules.js';
export type { MergedDns } from './merge/merge-dns.js';
export type { MergedHostname } from './merge/merge-hostname.js';
export { diffStates, diffMerged } from './diff/diff-state.js';
export { revertStates, revertMerged } from './revert/revert-state.js';
export { evaluatePolicy, parseNetworkPolicy } from './policy/network-policy.js';
export { parseCaptureCommand } from './policy/capture-command.js';
export type { CaptureAction, CaptureCommand } from './policy/capture-command.js';
export type { CaptureToken } from './policy/capture-token.js';
export type { EvaluatePolicyOptions, NetworkPolicyDoc, PolicyResult } from './policy/network-policy.js';
export { verifyState } from './verify/verify-state.js';
export type { Mismatch } from './verify/verify-state.js';
export { planState, planMerged } from './plan/plan-state.js';
export type { Plan, PlanOperation, PlanOperationKind } from './plan/plan-types.js';
export { selectNodes } from './fleet/select-nodes.js';
export type { NodeLabels } from './fleet/select-nodes.js';
export { resolveMaxUnavailable, DEFAULT_MAX_UNAVAILABLE } from './fleet/max-unavailable.js';
export { orderPoliciesOnNode } from './fleet/order-policies.js';
export { findPolicyConflicts } from './fleet/policy-conflicts.js';
export type { FindPolicyConflictsOptions, PolicyConflict } from './fleet/policy-conflicts.js';

import { TelemetryError } from './errors.js';

/**
 * The bounded value sets of every `nmfleet_*` label. Each set is closed: a
 * recording function refuses a value outside it, so no label can grow with the
 * number of nodes or policies. Callers use these constants instead of string
 * literals.
 */

/** Condition types of a NodeNetworkConfigurationPolicy, as upstream (`api/shared`). */
export const POLICY_CONDITION_TYPES = ['Available', 'Degraded', 'Progressing'] as const;
/** One of {@link POLICY_CONDITION_TYPES}. */
export type PolicyConditionType = (typeof POLICY_CONDITION_TYPES)[number];

/**
 * States a policy is counted in by `nmfleet_policies`: upstream's condition
 * types plus `Pending`, a policy no condition is `True` on yet (upstream does
 * not count those at all).
 */
export const POLICY_STATES = [...POLICY_CONDITION_TYPES, 'Pending'] as const;
/** One of {@link POLICY_STATES}. */
export type PolicyState = (typeof POLICY_STATES)[number];

/** Condition types of a NodeNetworkConfigurationEnactment, in upstream's order. */
export const ENACTMENT_STATES = ['Available', 'Failing', 'Progressing', 'Pending', 'Aborted'] as const;
/** One of {@link ENACTMENT_STATES}. */
export type EnactmentState = (typeof ENACTMENT_STATES)[number];

/** BullMQ job states counted over every node queue. */
export const QUEUE_JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
/** One of {@link QUEUE_JOB_STATES}. */
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/**
 * How one apply ended on a node:
 * - `success`: applied, verified, probes passed, committed;
 * - `rolled-back`: applied, then verification or a probe failed and the checkpoint was rolled back;
 * - `failed`: the apply itself failed (NetworkManager refused it, it timed out, the agent died).
 */
export const APPLY_OUTCOMES = ['success', 'rolled-back', 'failed'] as const;
/** One of {@link APPLY_OUTCOMES}. */
export type ApplyOutcome = (typeof APPLY_OUTCOMES)[number];

/** How the agent finished one job: an {@link ApplyOutcome}, or `skipped` (superseded or already final). */
export const AGENT_JOB_OUTCOMES = [...APPLY_OUTCOMES, 'skipped'] as const;
/** One of {@link AGENT_JOB_OUTCOMES}. */
export type AgentJobOutcome = (typeof AGENT_JOB_OUTCOMES)[number];

/** Phases of one job on the agent, timed separately. */
export const AGENT_PHASES = ['checkpoint', 'apply', 'verify', 'probe', 'commit', 'rollback', 'report'] as const;
/** One of {@link AGENT_PHASES}. */
export type AgentPhase = (typeof AGENT_PHASES)[number];

/** The connectivity probes run after an apply (only those that passed before it). */
export const PROBE_KINDS = ['gateway', 'dns', 'api-server', 'redis'] as const;
/** One of {@link PROBE_KINDS}. */
export type ProbeKind = (typeof PROBE_KINDS)[number];

/**
 * Why a checkpoint was rolled back:
 * - `verify-failed`: the state read back differs from the desired state;
 * - `probe-failed`: a probe that passed before the change fails after it;
 * - `apply-error`: NetworkManager reported an error while applying;
 * - `timeout`: the checkpoint's rollback timeout expired before commit;
 * - `stale-checkpoint`: a checkpoint left by a crashed agent, rolled back at start-up.
 */
export const ROLLBACK_REASONS = ['verify-failed', 'probe-failed', 'apply-error', 'timeout', 'stale-checkpoint'] as const;
/** One of {@link ROLLBACK_REASONS}. */
export type RollbackReason = (typeof ROLLBACK_REASONS)[number];

/** Kubernetes API verbs as the API server's metrics name them (`apply`: server-side apply), plus `other`. */
export const KUBE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'apply', 'delete', 'other'] as const;
/** One of {@link KUBE_VERBS}. */
export type KubeVerb = (typeof KUBE_VERBS)[number];

/** The resources the coordinator talks to, plus `other`. Subresources count as their resource. */
export const KUBE_RESOURCES = [
  'nodenetworkconfigurationpolicies',
  'nodenetworkconfigurationenactments',
  'nodenetworkstates',
  'nodes',
  'leases',
  'other',
] as const;
/** One of {@link KUBE_RESOURCES}. */
export type KubeResource = (typeof KUBE_RESOURCES)[number];

/**
 * Response codes: the ones a controller acts on individually (404 not found,
 * 409 conflict, 410 watch expired, 422 invalid, 429 throttled) stay exact, the
 * rest collapse into their class; `error` is a request that got no response
 * (connection refused, reset, timeout), `other` a code outside 200–599.
 */
export const KUBE_CODES = ['2xx', '404', '409', '410', '422', '429', '4xx', '5xx', 'error', 'other'] as const;
/** One of {@link KUBE_CODES}. */
export type KubeCode = (typeof KUBE_CODES)[number];

/** The objects whose status goes through the status writer, plus `other`. */
export const STATUS_WRITE_RESOURCES = [
  'nodenetworkconfigurationpolicies',
  'nodenetworkconfigurationenactments',
  'nodenetworkstates',
  'other',
] as const;
/** One of {@link STATUS_WRITE_RESOURCES}. */
export type StatusWriteResource = (typeof STATUS_WRITE_RESOURCES)[number];

/**
 * How one write of the status writer ended (`@nmfleet/kube`'s `WriteOutcome`):
 * - `written`: the status (or a newer one of the same object) is on the server;
 * - `unchanged`: equal to the status last written, so nothing was sent;
 * - `not-found`: the object does not exist (a status write never creates one);
 * - `failed`: rejected for good (invalid, forbidden, attempts spent);
 * - `discarded`: dropped unsent at shutdown.
 */
export const STATUS_WRITE_OUTCOMES = ['written', 'unchanged', 'not-found', 'failed', 'discarded'] as const;
/** One of {@link STATUS_WRITE_OUTCOMES}. */
export type StatusWriteOutcome = (typeof STATUS_WRITE_OUTCOMES)[number];

/** The coordinator's reconcilers: NNCP keys, Node keys, and the agents' report stream. */
export const CONTROLLER_NAMES = ['policy', 'node', 'report'] as const;
/** One of {@link CONTROLLER_NAMES}. */
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

/** How one reconcile ended, as controller-runtime counts them. */
export const RECONCILE_RESULTS = ['success', 'requeue', 'error'] as const;
/** One of {@link RECONCILE_RESULTS}. */
export type ReconcileResult = (typeof RECONCILE_RESULTS)[number];

/** IP stacks of `kubernetes_nmstate_routes`, as upstream. */
export const ROUTE_IP_STACKS = ['ipv4', 'ipv6'] as const;
/** One of {@link ROUTE_IP_STACKS}. */
export type RouteIpStack = (typeof ROUTE_IP_STACKS)[number];

/** Route types of `kubernetes_nmstate_routes`: `static` when also in `routes.config`, as upstream. */
export const ROUTE_TYPES = ['static', 'dynamic'] as const;
/** One of {@link ROUTE_TYPES}. */
export type RouteType = (typeof ROUTE_TYPES)[number];

/**
 * Returns `value` when it belongs to `allowed`; otherwise throws a
 * `TelemetryError` of kind `invalid-label-value` naming the label and the set.
 */
export function assertLabelValue<T extends string>(label: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new TelemetryError(
    'invalid-label-value',
    `label "${label}" got ${JSON.stringify(value)}; expected one of ${allowed.map((v) => `"${v}"`).join(', ')}`,
  );
}

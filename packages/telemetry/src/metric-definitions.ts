import {
  AGENT_JOB_OUTCOMES,
  AGENT_PHASES,
  APPLY_OUTCOMES,
  CONTROLLER_NAMES,
  ENACTMENT_STATES,
  KUBE_CODES,
  KUBE_RESOURCES,
  KUBE_VERBS,
  POLICY_CONDITION_TYPES,
  POLICY_STATES,
  PROBE_KINDS,
  QUEUE_JOB_STATES,
  RECONCILE_RESULTS,
  ROLLBACK_REASONS,
  ROUTE_IP_STACKS,
  ROUTE_TYPES,
  STATUS_WRITE_OUTCOMES,
  STATUS_WRITE_RESOURCES,
} from './label-values.js';

/** The Prometheus metric types nmfleet defines. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/**
 * One label of a metric: its name and either its closed value set or, for
 * upstream's per-node gauges only, a description of the open set (`node name`).
 */
export interface LabelDefinition {
  readonly name: string;
  readonly values: readonly string[] | { readonly open: string };
}

/** Everything about one metric: what `/metrics` shows and what docs/metrics.md lists. */
export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly LabelDefinition[];
  /** Histogram bucket upper bounds in seconds, ascending; only for histograms. */
  readonly buckets?: readonly number[];
}

/** Apply durations reported by agents: 10 ms to 10 min. */
export const APPLY_DURATION_BUCKETS_SECONDS = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
] as const;
/** One phase of a job on an agent (a checkpoint can take a millisecond, an apply minutes): 1 ms to 10 min. */
export const AGENT_PHASE_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
] as const;
/** Kubernetes request round trips: 1 ms to 30 s. */
export const KUBE_REQUEST_DURATION_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
] as const;
/** Time a status waits in the writer, or until its write completes: 1 ms to 5 min (a 429 pause can be long). */
export const STATUS_WRITE_BUCKETS_SECONDS = [
  0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
] as const;
/** One reconcile: 0.5 ms to 10 s. */
export const RECONCILE_DURATION_BUCKETS_SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;
/** From an agent's report to the coordinator handling it: 1 ms to 5 min. */
export const REPORT_LAG_BUCKETS_SECONDS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
] as const;

const open = (description: string) => ({ open: description }) as const;

/**
 * Metrics of the coordinator: ours (`nmfleet_*`) and upstream's five gauges
 * with upstream's names and labels. Keyed by the handle name used in code.
 */
export const COORDINATOR_METRIC_DEFINITIONS = {
  policies: {
    name: 'nmfleet_policies',
    type: 'gauge',
    help: 'NodeNetworkConfigurationPolicies by the condition that is True on them (Pending: none yet).',
    labels: [{ name: 'state', values: POLICY_STATES }],
  },
  enactments: {
    name: 'nmfleet_enactments',
    type: 'gauge',
    help: 'NodeNetworkConfigurationEnactments of current policy generations by the condition that is True on them.',
    labels: [{ name: 'state', values: ENACTMENT_STATES }],
  },
  queueJobs: {
    name: 'nmfleet_queue_jobs',
    type: 'gauge',
    help: 'Jobs in the node queues by BullMQ state, summed over every node.',
    labels: [{ name: 'state', values: QUEUE_JOB_STATES }],
  },
  queueOldestWaitingJobAge: {
    name: 'nmfleet_queue_oldest_waiting_job_age_seconds',
    type: 'gauge',
    help: 'Age of the oldest job waiting in any node queue; 0 when none waits.',
    labels: [],
  },
  applyDuration: {
    name: 'nmfleet_apply_duration_seconds',
    type: 'histogram',
    help: 'Duration of one apply on a node (checkpoint to commit or rollback), from the agents\' reports, by outcome.',
    labels: [{ name: 'outcome', values: APPLY_OUTCOMES }],
    buckets: APPLY_DURATION_BUCKETS_SECONDS,
  },
  probeFailures: {
    name: 'nmfleet_probe_failures_total',
    type: 'counter',
    help: 'Probes that passed before a change and failed after it, from the agents\' reports, by probe kind.',
    labels: [{ name: 'probe', values: PROBE_KINDS }],
  },
  rollbacks: {
    name: 'nmfleet_rollbacks_total',
    type: 'counter',
    help: 'Checkpoints rolled back on nodes, from the agents\' reports, by reason.',
    labels: [{ name: 'reason', values: ROLLBACK_REASONS }],
  },
  kubeRequests: {
    name: 'nmfleet_kube_requests_total',
    type: 'counter',
    help: 'Requests the coordinator made to the Kubernetes API by verb, resource and response code.',
    labels: [
      { name: 'verb', values: KUBE_VERBS },
      { name: 'resource', values: KUBE_RESOURCES },
      { name: 'code', values: KUBE_CODES },
    ],
  },
  kubeRequestDuration: {
    name: 'nmfleet_kube_request_duration_seconds',
    type: 'histogram',
    help: 'Duration of Kubernetes API requests until the answer (for watches: until the stream opened), by verb.',
    labels: [{ name: 'verb', values: KUBE_VERBS }],
    buckets: KUBE_REQUEST_DURATION_BUCKETS_SECONDS,
  },
  statusWrites: {
    name: 'nmfleet_status_writes_total',
    type: 'counter',
    help: 'Completed writes of the status writer by resource and outcome.',
    labels: [
      { name: 'resource', values: STATUS_WRITE_RESOURCES },
      { name: 'outcome', values: STATUS_WRITE_OUTCOMES },
    ],
  },
  statusWritesCoalesced: {
    name: 'nmfleet_status_writes_coalesced_total',
    type: 'counter',
    help: 'Statuses replaced by a newer status of the same object before they were sent, by resource.',
    labels: [{ name: 'resource', values: STATUS_WRITE_RESOURCES }],
  },
  statusWriteWait: {
    name: 'nmfleet_status_write_wait_seconds',
    type: 'histogram',
    help: 'Time a write spent queued, rate limited or backing off before its last request was sent, by resource.',
    labels: [{ name: 'resource', values: STATUS_WRITE_RESOURCES }],
    buckets: STATUS_WRITE_BUCKETS_SECONDS,
  },
  statusWriteLatency: {
    name: 'nmfleet_status_write_latency_seconds',
    type: 'histogram',
    help: 'Time from handing a status to the writer until its write completed, by resource.',
    labels: [{ name: 'resource', values: STATUS_WRITE_RESOURCES }],
    buckets: STATUS_WRITE_BUCKETS_SECONDS,
  },
  statusWritesPending: {
    name: 'nmfleet_status_writes_pending',
    type: 'gauge',
    help: 'Objects with a status write queued, backing off or in flight (at most one write per object).',
    labels: [],
  },
  statusWriterThrottles: {
    name: 'nmfleet_status_writer_throttles_total',
    type: 'counter',
    help: 'Times the API server answered 429 and the status writer paused every write.',
    labels: [],
  },
  statusWriterThrottledSeconds: {
    name: 'nmfleet_status_writer_throttled_seconds_total',
    type: 'counter',
    help: 'Seconds of pause the API server asked for with Retry-After on 429 answers.',
    labels: [],
  },
  leader: {
    name: 'nmfleet_leader_status',
    type: 'gauge',
    help: '1 while this coordinator holds the leader Lease, else 0.',
    labels: [],
  },
  reconciles: {
    name: 'nmfleet_reconcile_total',
    type: 'counter',
    help: 'Reconciles by controller and result.',
    labels: [
      { name: 'controller', values: CONTROLLER_NAMES },
      { name: 'result', values: RECONCILE_RESULTS },
    ],
  },
  reconcileErrors: {
    name: 'nmfleet_reconcile_errors_total',
    type: 'counter',
    help: 'Reconciles that ended in an error, by controller.',
    labels: [{ name: 'controller', values: CONTROLLER_NAMES }],
  },
  reconcileDuration: {
    name: 'nmfleet_reconcile_duration_seconds',
    type: 'histogram',
    help: 'Duration of one reconcile by controller.',
    labels: [{ name: 'controller', values: CONTROLLER_NAMES }],
    buckets: RECONCILE_DURATION_BUCKETS_SECONDS,
  },
  reportLag: {
    name: 'nmfleet_report_processing_lag_seconds',
    type: 'histogram',
    help: 'Time from an agent writing a report until the coordinator handled it.',
    labels: [],
    buckets: REPORT_LAG_BUCKETS_SECONDS,
  },
  collectErrors: {
    name: 'nmfleet_metrics_collect_errors_total',
    type: 'counter',
    help: 'Scrapes on which a collect hook failed (the previous values were served).',
    labels: [],
  },
  upstreamPoliciesStatus: {
    name: 'kubernetes_nmstate_policies_status',
    type: 'gauge',
    help: 'Number of NodeNetworkConfigurationPolicies labeled by the condition type that is True on them',
    labels: [{ name: 'status', values: POLICY_CONDITION_TYPES }],
  },
  upstreamEnactmentsStatus: {
    name: 'kubernetes_nmstate_enactments_status',
    type: 'gauge',
    help: 'Number of NodeNetworkConfigurationEnactments labeled by node and the condition type that is True on them',
    labels: [
      { name: 'node', values: open('node name') },
      { name: 'status', values: ENACTMENT_STATES },
    ],
  },
  upstreamFeaturesApplied: {
    name: 'kubernetes_nmstate_features_applied',
    type: 'gauge',
    help: 'Number of nmstate features applied labeled by its name',
    labels: [{ name: 'name', values: open('nmstate feature name') }],
  },
  upstreamNetworkInterfaces: {
    name: 'kubernetes_nmstate_network_interfaces',
    type: 'gauge',
    help: 'Number of network interfaces labeled by its type',
    labels: [
      { name: 'type', values: open('nmstate interface type') },
      { name: 'node', values: open('node name') },
    ],
  },
  upstreamRoutes: {
    name: 'kubernetes_nmstate_routes',
    type: 'gauge',
    help: 'Number of network routes labeled by node, IP stack and type (static/dynamic)',
    labels: [
      { name: 'node', values: open('node name') },
      { name: 'ip_stack', values: ROUTE_IP_STACKS },
      { name: 'type', values: ROUTE_TYPES },
    ],
  },
} as const satisfies Record<string, MetricDefinition>;

/** Metrics of an agent process (one or many simulated nodes): never labelled by node. */
export const AGENT_METRIC_DEFINITIONS = {
  agentJobs: {
    name: 'nmfleet_agent_jobs_total',
    type: 'counter',
    help: 'Jobs this agent finished, by outcome.',
    labels: [{ name: 'outcome', values: AGENT_JOB_OUTCOMES }],
  },
  agentApplyDuration: {
    name: 'nmfleet_agent_apply_duration_seconds',
    type: 'histogram',
    help: 'Duration of one apply on this agent (checkpoint to commit or rollback), by outcome.',
    labels: [{ name: 'outcome', values: APPLY_OUTCOMES }],
    buckets: APPLY_DURATION_BUCKETS_SECONDS,
  },
  agentPhaseDuration: {
    name: 'nmfleet_agent_phase_duration_seconds',
    type: 'histogram',
    help: 'Duration of each phase of a job on this agent.',
    labels: [{ name: 'phase', values: AGENT_PHASES }],
    buckets: AGENT_PHASE_BUCKETS_SECONDS,
  },
  agentProbeFailures: {
    name: 'nmfleet_agent_probe_failures_total',
    type: 'counter',
    help: 'Probes that passed before a change and failed after it on this agent, by probe kind.',
    labels: [{ name: 'probe', values: PROBE_KINDS }],
  },
  agentRollbacks: {
    name: 'nmfleet_agent_rollbacks_total',
    type: 'counter',
    help: 'Checkpoints this agent rolled back, by reason.',
    labels: [{ name: 'reason', values: ROLLBACK_REASONS }],
  },
} as const satisfies Record<string, MetricDefinition>;

type MetricNamesOf<T extends Record<string, MetricDefinition>> = { readonly [K in keyof T]: T[K]['name'] };

function collectNames<T extends Record<string, MetricDefinition>>(definitions: T): MetricNamesOf<T> {
  return Object.fromEntries(Object.entries(definitions).map(([key, def]) => [key, def.name])) as MetricNamesOf<T>;
}

/**
 * The name of every metric, by handle name (`METRIC_NAMES.kubeRequests` is
 * `nmfleet_kube_requests_total`), for dashboards, alerts and benchmarks.
 */
export const METRIC_NAMES = {
  ...collectNames(COORDINATOR_METRIC_DEFINITIONS),
  ...collectNames(AGENT_METRIC_DEFINITIONS),
} as const;

/** Every definition, coordinator first, in the order docs/metrics.md lists them. */
export const ALL_METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  ...Object.values(COORDINATOR_METRIC_DEFINITIONS),
  ...Object.values(AGENT_METRIC_DEFINITIONS),
];

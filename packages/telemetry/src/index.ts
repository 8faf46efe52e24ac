export { TelemetryError, isTelemetryError } from './errors.js';
export type { TelemetryErrorKind } from './errors.js';

export {
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
export type {
  AgentJobOutcome,
  AgentPhase,
  ApplyOutcome,
  ControllerName,
  EnactmentState,
  KubeCode,
  KubeResource,
  KubeVerb,
  PolicyConditionType,
  PolicyState,
  ProbeKind,
  QueueJobState,
  ReconcileResult,
  RollbackReason,
  RouteIpStack,
  RouteType,
  StatusWriteOutcome,
  StatusWriteResource,
} from './label-values.js';

export {
  classifyKubeCode,
  normaliseKubeResource,
  normaliseKubeVerb,
  normaliseStatusWriteResource,
} from './kube-request-labels.js';

export {
  AGENT_METRIC_DEFINITIONS,
  AGENT_PHASE_BUCKETS_SECONDS,
  ALL_METRIC_DEFINITIONS,
  APPLY_DURATION_BUCKETS_SECONDS,
  COORDINATOR_METRIC_DEFINITIONS,
  KUBE_REQUEST_DURATION_BUCKETS_SECONDS,
  METRIC_NAMES,
  RECONCILE_DURATION_BUCKETS_SECONDS,
  REPORT_LAG_BUCKETS_SECONDS,
  STATUS_WRITE_BUCKETS_SECONDS,
} from './metric-definitions.js';
export type { LabelDefinition, MetricDefinition, MetricType } from './metric-definitions.js';

export { createMetricsRegistry } from './metrics-registry.js';
export type { MetricsRegistryOptions } from './metrics-registry.js';
export type { Registry } from 'prom-client';

export { createCoordinatorMetrics } from './coordinator-metrics.js';
export type {
  ApplyObservation,
  CoordinatorMetrics,
  CoordinatorMetricsOptions,
  EnactmentStateRecord,
  KubeRequestEvent,
  PolicyStateRecord,
  ProbeFailureEvent,
  ReconcileEvent,
  RollbackEvent,
  StatusWriteEvent,
  StatusWriterMetricsHooks,
} from './coordinator-metrics.js';
export type { CollectHook } from './collect-hooks.js';

export { createAgentMetrics } from './agent-metrics.js';
export type { AgentJobEvent, AgentMetrics, AgentPhaseEvent } from './agent-metrics.js';

export { countNetworkState } from './network-state-counts.js';
export type { NetworkStateCounts } from './network-state-counts.js';

export { startTelemetryServer } from './telemetry-server.js';
export type { HealthCheck, HealthCheckResult, TelemetryServer, TelemetryServerOptions } from './telemetry-server.js';

export { LOG_LEVELS, LOG_THRESHOLDS, parseLogThreshold } from './log-level.js';
export type { LogLevel, LogThreshold } from './log-level.js';
export { createLogger } from './logger.js';
export type { LogDestination, LogFields, LogFormat, Logger, LoggerOptions } from './logger.js';
export { serialiseError, toJsonValue } from './log-value.js';
export type { JsonValue } from './log-value.js';
export { runMain, stopOnSignals } from './service-lifecycle.js';

import type { Registry } from 'prom-client';
import { createCollectHooks, type CollectHook } from './collect-hooks.js';
import { TelemetryError } from './errors.js';
import {
  classifyKubeCode,
  normaliseKubeResource,
  normaliseKubeVerb,
  normaliseStatusWriteResource,
} from './kube-request-labels.js';
import {
  APPLY_OUTCOMES,
  CONTROLLER_NAMES,
  ENACTMENT_STATES,
  POLICY_CONDITION_TYPES,
  POLICY_STATES,
  PROBE_KINDS,
  QUEUE_JOB_STATES,
  RECONCILE_RESULTS,
  ROLLBACK_REASONS,
  ROUTE_IP_STACKS,
  ROUTE_TYPES,
  STATUS_WRITE_OUTCOMES,
  assertLabelValue,
  type ApplyOutcome,
  type ControllerName,
  type EnactmentState,
  type PolicyState,
  type ProbeKind,
  type QueueJobState,
  type ReconcileResult,
  type RollbackReason,
  type StatusWriteOutcome,
} from './label-values.js';
import { COORDINATOR_METRIC_DEFINITIONS } from './metric-definitions.js';
import { registerMetric } from './metric-factory.js';
import { assertNonEmptyLabel, assertNonNegative } from './metric-values.js';
import type { NetworkStateCounts } from './network-state-counts.js';

/** Options of {@link createCoordinatorMetrics}. */
export interface CoordinatorMetricsOptions {
  /**
   * Hears about a collect hook that threw. The scrape still succeeds with the
   * previous values and `nmfleet_metrics_collect_errors_total` goes up.
   * Default: nothing beyond the counter.
   */
  readonly onCollectError?: (error: unknown) => void;
}

/** One policy as the policy gauges count it. */
export interface PolicyStateRecord {
  /** The policy's name; not a label, only for the caller's convenience. */
  readonly name?: string;
  /** The condition that is True on the policy; `undefined` when none is (counted as `Pending`). */
  readonly state: PolicyState | undefined;
}

/** One enactment as the enactment gauges count it. */
export interface EnactmentStateRecord {
  /** The node it belongs to (a label of upstream's per-node gauge only). */
  readonly node: string;
  /** The policy it belongs to; never a label. */
  readonly policy?: string;
  /** The condition that is True on the enactment; `undefined` when none is (not counted, as upstream). */
  readonly state: EnactmentState | undefined;
}

/** One apply reported by an agent. `node` and `policy` are accepted and never become labels. */
export interface ApplyObservation {
  readonly outcome: ApplyOutcome;
  /** Checkpoint to commit or rollback, in seconds (measured on the node). */
  readonly durationSeconds: number;
  readonly node?: string;
  readonly policy?: string;
}

/** A probe that passed before a change and failed after it. */
export interface ProbeFailureEvent {
  readonly probe: ProbeKind;
  readonly node?: string;
  readonly policy?: string;
}

/** A rolled-back checkpoint. */
export interface RollbackEvent {
  readonly reason: RollbackReason;
  readonly node?: string;
  readonly policy?: string;
}

/**
 * One Kubernetes request, in the shape of `@nmfleet/kube`'s `onRequest` hook.
 * Verb, resource and code are normalised to their bounded sets (unknown ones
 * count as `other`).
 */
export interface KubeRequestEvent {
  readonly verb: string;
  /** Plural resource; a subresource suffix (`…/status`) is ignored. */
  readonly resource: string;
  /** HTTP status; `0` or `undefined` when no answer came. */
  readonly code: number | undefined;
  /** Until the answer (watches: until the stream opened), in seconds; not observed when absent. */
  readonly durationSeconds?: number;
}

/**
 * One completed write of the status writer, in the shape of `@nmfleet/kube`'s
 * `onWriteCompleted` hook. The resource is normalised (`other` when unknown).
 */
export interface StatusWriteEvent {
  readonly resource: string;
  readonly outcome: StatusWriteOutcome;
  /** Time queued, rate limited or backing off before the last request, in seconds. */
  readonly waitSeconds?: number;
  /** From the first submission to completion, in seconds. */
  readonly latencySeconds?: number;
  /** Submissions merged into this write; all but one were coalesced. Default 1. */
  readonly submissions?: number;
}

/**
 * The status writer's metrics hooks, shaped like `@nmfleet/kube`'s
 * `StatusWriterHooks`, so `hooks: metrics.statusWriterHooks` wires them.
 */
export interface StatusWriterMetricsHooks {
  onWriteCompleted(event: StatusWriteEvent): void;
  onThrottled(event: { readonly retryAfterSeconds: number }): void;
  onPendingChange(pending: number): void;
}

/** One finished reconcile. */
export interface ReconcileEvent {
  readonly controller: ControllerName;
  readonly result: ReconcileResult;
  /** How long it ran, in seconds; not observed when absent. */
  readonly durationSeconds?: number;
}

/**
 * The coordinator's metrics on one registry. Every function takes domain
 * values (node and policy names included, where the caller has them) and
 * decides itself what becomes a label, so no `nmfleet_*` series depends on
 * the number of nodes or policies. Bad values throw a `TelemetryError`
 * before anything changes.
 */
export interface CoordinatorMetrics {
  /** The registry these metrics live on. */
  readonly registry: Registry;
  /**
   * Replaces the policy counts with those of `policies` (all policies, one
   * record each): `nmfleet_policies` and upstream's `kubernetes_nmstate_policies_status`.
   */
  setPolicyStates(policies: Iterable<PolicyStateRecord>): void;
  /**
   * Replaces the enactment counts with those of `enactments` (all enactments
   * of current generations): `nmfleet_enactments` and upstream's per-node
   * `kubernetes_nmstate_enactments_status` (series of nodes no longer present are removed).
   */
  setEnactmentStates(enactments: Iterable<EnactmentStateRecord>): void;
  /** Sets the job counts summed over every node queue; missing states are 0. */
  setQueueJobs(counts: Partial<Readonly<Record<QueueJobState, number>>>): void;
  /** Sets the age of the oldest waiting job; `undefined` when nothing waits. */
  setOldestWaitingJobAge(seconds: number | undefined): void;
  /** Observes one apply duration from an agent's report. */
  observeApply(observation: ApplyObservation): void;
  /** Counts one probe failure from an agent's report. */
  recordProbeFailure(event: ProbeFailureEvent): void;
  /** Counts one rollback from an agent's report. */
  recordRollback(event: RollbackEvent): void;
  /** Counts and times one Kubernetes request; pass it as the kube client's `onRequest` hook. */
  recordKubeRequest(event: KubeRequestEvent): void;
  /** Counts one completed status write and observes its wait and latency. */
  recordStatusWrite(event: StatusWriteEvent): void;
  /** Sets how many objects have a status write queued, backing off or in flight. */
  setPendingStatusWrites(count: number): void;
  /** Counts one 429 pause of the status writer and the seconds it asked for. */
  recordStatusWriterThrottle(event: { readonly retryAfterSeconds: number }): void;
  /** The three functions above as the status writer's hooks. */
  readonly statusWriterHooks: StatusWriterMetricsHooks;
  /** Sets whether this coordinator leads. */
  setLeader(isLeader: boolean): void;
  /** Counts one reconcile (and its error), and observes its duration when given. */
  recordReconcile(event: ReconcileEvent): void;
  /**
   * Observes the lag from an agent writing a report to its handling. A
   * negative lag (clocks of two machines disagree) counts as 0.
   */
  observeReportLag(seconds: number): void;
  /** Replaces the set of nmstate features applied anywhere (duplicates allowed). */
  setFeaturesApplied(features: Iterable<string>): void;
  /** Sets one node's interface and route counts (see `countNetworkState`). */
  setNodeNetworkState(node: string, counts: NetworkStateCounts): void;
  /** Removes one node's interface and route series (its NodeNetworkState is gone). */
  deleteNodeNetworkState(node: string): void;
  /**
   * Adds a hook that runs once before each scrape, e.g. to read queue depths
   * or record counts and call the setters above. Returns a function that removes it.
   */
  onCollect(hook: CollectHook): () => void;
}

/**
 * Creates every coordinator metric on `registry` (never prom-client's global
 * registry), each closed label combination pre-set to zero.
 *
 * @throws TelemetryError `already-registered` when `registry` already holds them.
 */
export function createCoordinatorMetrics(
  registry: Registry,
  options: CoordinatorMetricsOptions = {},
): CoordinatorMetrics {
  const defs = COORDINATOR_METRIC_DEFINITIONS;
  const hooks = createCollectHooks((error) => {
    collectErrors.inc();
    options.onCollectError?.(error);
  });
  const collect = () => hooks.runOnce();

  const policies = registerMetric(registry, defs.policies, collect);
  const enactments = registerMetric(registry, defs.enactments, collect);
  const queueJobs = registerMetric(registry, defs.queueJobs, collect);
  const queueOldestWaitingJobAge = registerMetric(registry, defs.queueOldestWaitingJobAge, collect);
  const applyDuration = registerMetric(registry, defs.applyDuration, collect);
  const probeFailures = registerMetric(registry, defs.probeFailures, collect);
  const rollbacks = registerMetric(registry, defs.rollbacks, collect);
  const kubeRequests = registerMetric(registry, defs.kubeRequests, collect);
  const kubeRequestDuration = registerMetric(registry, defs.kubeRequestDuration, collect);
  const statusWrites = registerMetric(registry, defs.statusWrites, collect);
  const statusWritesCoalesced = registerMetric(registry, defs.statusWritesCoalesced, collect);
  const statusWriteWait = registerMetric(registry, defs.statusWriteWait, collect);
  const statusWriteLatency = registerMetric(registry, defs.statusWriteLatency, collect);
  const statusWritesPending = registerMetric(registry, defs.statusWritesPending, collect);
  const statusWriterThrottles = registerMetric(registry, defs.statusWriterThrottles, collect);
  const statusWriterThrottledSeconds = registerMetric(registry, defs.statusWriterThrottledSeconds, collect);
  const leader = registerMetric(registry, defs.leader, collect);
  const reconciles = registerMetric(registry, defs.reconciles, collect);
  const reconcileErrors = registerMetric(registry, defs.reconcileErrors, collect);
  const reconcileDuration = registerMetric(registry, defs.reconcileDuration, collect);
  const reportLag = registerMetric(registry, defs.reportLag, collect);
  const collectErrors = registerMetric(registry, defs.collectErrors, collect);
  const upstreamPolicies = registerMetric(registry, defs.upstreamPoliciesStatus, collect);
  const upstreamEnactments = registerMetric(registry, defs.upstreamEnactmentsStatus, collect);
  const upstreamFeatures = registerMetric(registry, defs.upstreamFeaturesApplied, collect);
  const upstreamInterfaces = registerMetric(registry, defs.upstreamNetworkInterfaces, collect);
  const upstreamRoutes = registerMetric(registry, defs.upstreamRoutes, collect);

  // What each open-labelled upstream gauge currently shows, so that series
  // of vanished nodes, features or interface types can be removed.
  let enactmentNodes = new Set<string>();
  let features = new Set<string>();
  const interfaceTypesByNode = new Map<string, Set<string>>();
  const routeKeysByNode = new Map<string, Set<string>>();

  function removeNodeNetworkSeries(node: string): void {
    for (const type of interfaceTypesByNode.get(node) ?? []) upstreamInterfaces.remove({ type, node });
    for (const key of routeKeysByNode.get(node) ?? []) {
      const [ipStack = '', type = ''] = key.split('/');
      upstreamRoutes.remove({ node, ip_stack: ipStack, type });
    }
    interfaceTypesByNode.delete(node);
    routeKeysByNode.delete(node);
  }

  function recordStatusWrite(event: StatusWriteEvent): void {
    if (typeof event.resource !== 'string') {
      throw new TelemetryError('invalid-label-value', 'a status write needs a string resource');
    }
    const resource = normaliseStatusWriteResource(event.resource);
    const outcome = assertLabelValue('outcome', event.outcome, STATUS_WRITE_OUTCOMES);
    const wait = event.waitSeconds === undefined ? undefined : assertNonNegative(event.waitSeconds, 'status write wait');
    const latency =
      event.latencySeconds === undefined ? undefined : assertNonNegative(event.latencySeconds, 'status write latency');
    const submissions = assertNonNegative(event.submissions ?? 1, 'submissions');
    statusWrites.inc({ resource, outcome });
    if (submissions > 1) statusWritesCoalesced.inc({ resource }, submissions - 1);
    if (wait !== undefined) statusWriteWait.observe({ resource }, wait);
    if (latency !== undefined) statusWriteLatency.observe({ resource }, latency);
  }

  function setPendingStatusWrites(count: number): void {
    statusWritesPending.set(assertNonNegative(count, 'pending status writes'));
  }

  function recordStatusWriterThrottle(event: { readonly retryAfterSeconds: number }): void {
    const seconds = assertNonNegative(event.retryAfterSeconds, 'Retry-After');
    statusWriterThrottles.inc();
    statusWriterThrottledSeconds.inc(seconds);
  }

  return {
    registry,

    setPolicyStates(records) {
      const counts = new Map<PolicyState, number>(POLICY_STATES.map((state) => [state, 0]));
      for (const record of records) {
        const state =
          record.state === undefined ? 'Pending' : assertLabelValue('state', record.state, POLICY_STATES);
        counts.set(state, (counts.get(state) ?? 0) + 1);
      }
      for (const [state, count] of counts) policies.set({ state }, count);
      for (const status of POLICY_CONDITION_TYPES) upstreamPolicies.set({ status }, counts.get(status) ?? 0);
    },

    setEnactmentStates(records) {
      const totals = new Map<EnactmentState, number>(ENACTMENT_STATES.map((state) => [state, 0]));
      const byNode = new Map<string, Map<EnactmentState, number>>();
      for (const record of records) {
        const node = assertNonEmptyLabel(record.node, 'node');
        const perNode = byNode.get(node) ?? new Map<EnactmentState, number>();
        byNode.set(node, perNode);
        if (record.state === undefined) continue;
        const state = assertLabelValue('state', record.state, ENACTMENT_STATES);
        totals.set(state, (totals.get(state) ?? 0) + 1);
        perNode.set(state, (perNode.get(state) ?? 0) + 1);
      }
      for (const [state, count] of totals) enactments.set({ state }, count);
      for (const [node, perNode] of byNode) {
        for (const status of ENACTMENT_STATES) upstreamEnactments.set({ node, status }, perNode.get(status) ?? 0);
      }
      for (const node of enactmentNodes) {
        if (byNode.has(node)) continue;
        for (const status of ENACTMENT_STATES) upstreamEnactments.remove({ node, status });
      }
      enactmentNodes = new Set(byNode.keys());
    },

    setQueueJobs(counts) {
      for (const state of Object.keys(counts)) assertLabelValue('state', state, QUEUE_JOB_STATES);
      const values = QUEUE_JOB_STATES.map((state) => assertNonNegative(counts[state] ?? 0, `jobs in state ${state}`));
      QUEUE_JOB_STATES.forEach((state, index) => queueJobs.set({ state }, values[index] ?? 0));
    },

    setOldestWaitingJobAge(seconds) {
      queueOldestWaitingJobAge.set(seconds === undefined ? 0 : assertNonNegative(seconds, 'oldest waiting job age'));
    },

    observeApply(observation) {
      const outcome = assertLabelValue('outcome', observation.outcome, APPLY_OUTCOMES);
      applyDuration.observe({ outcome }, assertNonNegative(observation.durationSeconds, 'apply duration'));
    },

    recordProbeFailure(event) {
      probeFailures.inc({ probe: assertLabelValue('probe', event.probe, PROBE_KINDS) });
    },

    recordRollback(event) {
      rollbacks.inc({ reason: assertLabelValue('reason', event.reason, ROLLBACK_REASONS) });
    },

    recordKubeRequest(event) {
      if (typeof event.verb !== 'string' || typeof event.resource !== 'string') {
        throw new TelemetryError('invalid-label-value', 'a Kubernetes request needs a string verb and resource');
      }
      const verb = normaliseKubeVerb(event.verb);
      const duration =
        event.durationSeconds === undefined ? undefined : assertNonNegative(event.durationSeconds, 'request duration');
      kubeRequests.inc({ verb, resource: normaliseKubeResource(event.resource), code: classifyKubeCode(event.code) });
      if (duration !== undefined) kubeRequestDuration.observe({ verb }, duration);
    },

    recordStatusWrite,
    setPendingStatusWrites,
    recordStatusWriterThrottle,
    statusWriterHooks: {
      onWriteCompleted: recordStatusWrite,
      onThrottled: recordStatusWriterThrottle,
      onPendingChange: setPendingStatusWrites,
    },

    setLeader(isLeader) {
      leader.set(isLeader ? 1 : 0);
    },

    recordReconcile(event) {
      const controller = assertLabelValue('controller', event.controller, CONTROLLER_NAMES);
      const result = assertLabelValue('result', event.result, RECONCILE_RESULTS);
      const duration =
        event.durationSeconds === undefined ? undefined : assertNonNegative(event.durationSeconds, 'reconcile duration');
      reconciles.inc({ controller, result });
      if (result === 'error') reconcileErrors.inc({ controller });
      if (duration !== undefined) reconcileDuration.observe({ controller }, duration);
    },

    observeReportLag(seconds) {
      if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
        throw new TelemetryError('invalid-value', `report lag must be a finite number, got ${String(seconds)}`);
      }
      reportLag.observe(Math.max(0, seconds));
    },

    setFeaturesApplied(names) {
      const next = new Set<string>();
      for (const name of names) next.add(assertNonEmptyLabel(name, 'name'));
      for (const name of next) upstreamFeatures.set({ name }, 1);
      for (const name of features) if (!next.has(name)) upstreamFeatures.remove({ name });
      features = next;
    },

    setNodeNetworkState(node, counts) {
      assertNonEmptyLabel(node, 'node');
      const interfaceEntries = Object.entries(counts.interfacesByType).map(
        ([type, count]) => [assertNonEmptyLabel(type, 'type'), assertNonNegative(count, `${type} interfaces`)] as const,
      );
      const routeEntries = ROUTE_IP_STACKS.flatMap((ipStack) =>
        ROUTE_TYPES.map(
          (type) => [ipStack, type, assertNonNegative(counts.routes[ipStack][type], `${ipStack} ${type} routes`)] as const,
        ),
      );
      removeNodeNetworkSeries(node);
      // Only present keys get a series, as upstream: a node without IPv6
      // routes shows no ipv6 series rather than a zero.
      const types = new Set<string>();
      for (const [type, count] of interfaceEntries) {
        if (count === 0) continue;
        upstreamInterfaces.set({ type, node }, count);
        types.add(type);
      }
      const routeKeys = new Set<string>();
      for (const [ipStack, type, count] of routeEntries) {
        if (count === 0) continue;
        upstreamRoutes.set({ node, ip_stack: ipStack, type }, count);
        routeKeys.add(`${ipStack}/${type}`);
      }
      interfaceTypesByNode.set(node, types);
      routeKeysByNode.set(node, routeKeys);
    },

    deleteNodeNetworkState(node) {
      removeNodeNetworkSeries(assertNonEmptyLabel(node, 'node'));
    },

    onCollect(hook) {
      return hooks.add(hook);
    },
  };
}

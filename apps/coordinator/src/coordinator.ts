import {
  Informer,
  LeaderElector,
  StatusWriter,
  createKubeClient,
  loadKubeConfig,
  type Node,
  type NodeNetworkConfigurationPolicy,
} from '@nmfleet/kube';
import { QueueError, createKeyLayout, createRedisConnection } from '@nmfleet/queue';
import { createCoordinatorMetrics, createMetricsRegistry, startTelemetryServer, type CoordinatorMetrics, type Logger } from '@nmfleet/telemetry';
import type { CoordinatorConfig } from './config.js';
import { LeaderSession } from './leader-session.js';
import { NodeDirectory, isNodeReady } from './node-directory.js';
import { sleepUnlessAborted } from './retry.js';

/** How long a leader that steps down keeps sending pending status writes, in milliseconds. */
export const STATUS_FLUSH_GRACE_MS = 10_000;

/** A running coordinator process. */
export interface RunningCoordinator {
  /** Base URL of `/metrics`, `/healthz`, `/readyz`. */
  readonly metricsUrl: string;
  /** Stops leading (releasing the Lease), flushes pending status writes, closes connections. */
  stop(): Promise<void>;
}

function clearRolloutMetrics(metrics: CoordinatorMetrics): void {
  metrics.setPolicyStates([]);
  metrics.setEnactmentStates([]);
  metrics.setQueueJobs({});
  metrics.setOldestWaitingJobAge(undefined);
  metrics.setFeaturesApplied([]);
}

function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const left = Object.entries(a ?? {});
  return left.length === Object.keys(b ?? {}).length && left.every(([key, value]) => b?.[key] === value);
}

/**
 * Starts the coordinator: informers on policies and nodes (running on every replica,
 * so a standby takes over with a warm cache), the status writer, and the Lease
 * election; only the leader runs a {@link LeaderSession}. A new leader rebuilds from
 * Redis and carries on. Neither an unreachable Redis nor API server stops the
 * process: informers, Redis commands and the work queue wait and retry.
 */
export async function startCoordinator(config: CoordinatorConfig, logger: Logger): Promise<RunningCoordinator> {
  const registry = createMetricsRegistry();
  const metrics = createCoordinatorMetrics(registry, { onCollectError: (error) => logger.warn('metrics collection failed', { error }) });
  const kubeConfig = loadKubeConfig(config.kubeconfigPath);
  const client = createKubeClient({ kubeConfig, onRequest: (event) => metrics.recordKubeRequest(event) });
  const kubeLogger = logger.child({ component: 'kube' });
  const policies = new Informer<NodeNetworkConfigurationPolicy>(client.policies, { logger: kubeLogger });
  const nodeInformer = new Informer<Node>(client.nodes, { logger: kubeLogger });
  const nodes = new NodeDirectory(nodeInformer);
  let session: LeaderSession | undefined;

  policies.addHandlers({
    onAdd: (policy) => session?.enqueue(`policy/${policy.metadata?.name ?? ''}`),
    onUpdate: (previous, policy) => {
      // Status-only updates (our own writes) change neither generation nor uid.
      const changed =
        previous.metadata?.generation !== policy.metadata?.generation ||
        previous.metadata?.uid !== policy.metadata?.uid ||
        policy.metadata?.deletionTimestamp !== undefined;
      if (changed) session?.enqueue(`policy/${policy.metadata?.name ?? ''}`);
    },
    onDelete: (policy) => session?.enqueue(`policy/${policy.metadata?.name ?? ''}`),
  });
  nodeInformer.addHandlers({
    onAdd: (node) => session?.enqueue(`node/${node.metadata?.name ?? ''}`),
    onUpdate: (previous, node) => {
      if (!sameLabels(previous.metadata?.labels, node.metadata?.labels) || isNodeReady(previous) !== isNodeReady(node)) {
        session?.enqueue(`node/${node.metadata?.name ?? ''}`);
      }
    },
    onDelete: (node) => session?.enqueue(`node/${node.metadata?.name ?? ''}`),
  });
  policies.start();
  nodeInformer.start();

  const redis = createRedisConnection(config.redisUrl, {
    connectionName: `nmfleet-coordinator:${config.identity}`,
    onError: (error) => logger.warn('redis connection error', { error: error.message }),
  });
  const blockingRedis = redis.duplicate();
  blockingRedis.on('error', () => undefined);
  const keys = createKeyLayout(config.keyPrefix);

  const telemetry = await startTelemetryServer({
    host: config.metricsHost,
    port: config.metricsPort,
    registry,
    isReady: async () => {
      if (!policies.hasSynced() || !nodeInformer.hasSynced()) return { ok: false, reason: 'informers not synced' };
      // The command connection queues commands while Redis is away; a ping answered now is what "reachable" means.
      if (redis.status !== 'ready') return { ok: false, reason: `redis ${redis.status}` };
      await redis.ping();
      return true;
    },
  });
  metrics.onCollect(async () => {
    // A standby shows no rollout counts: only the leader's records are the truth.
    if (session === undefined) clearRolloutMetrics(metrics);
    else await session.collectMetrics(metrics);
  });
  logger.info('coordinator started', { identity: config.identity, metrics: telemetry.url, keyPrefix: config.keyPrefix });

  const stopping = new AbortController();
  const elector = new LeaderElector({
    client,
    namespace: config.leaseNamespace,
    name: config.leaseName,
    identity: config.identity,
    leaseDurationMs: config.leaseDurationMs,
    renewDeadlineMs: config.renewDeadlineMs,
    retryPeriodMs: config.retryPeriodMs,
    logger: kubeLogger,
    onStartedLeading: async (signal) => {
      await Promise.all([policies.waitForSync(), nodeInformer.waitForSync()]);
      metrics.setLeader(true);
      const leadership = new AbortController();
      let fenced = false;
      signal.addEventListener('abort', () => leadership.abort(), { once: true });
      // One writer per term: a deposed leader's unsent statuses must not land after its successor's.
      const writer = new StatusWriter({ qps: config.statusQps, burst: config.statusBurst, hooks: metrics.statusWriterHooks, logger: kubeLogger });
      const createSession = () =>
        new LeaderSession({
          redis,
          blockingRedis,
          keys,
          client,
          writer,
          policies,
          nodes,
          identity: config.identity,
          logger,
          metrics,
          sweepIntervalMs: config.sweepIntervalMs,
          onFenced: (error: QueueError) => {
            logger.error('a newer leader holds the fencing epoch; stepping down', { error: error.message });
            fenced = true;
            leadership.abort();
          },
        });
      try {
        // A session that fails on a bug starts over (rebuilding from Redis) while this term lasts.
        while (!leadership.signal.aborted) {
          session = createSession();
          try {
            await session.run(leadership.signal);
            break;
          } catch (error) {
            if (leadership.signal.aborted) break;
            if (error instanceof QueueError && error.kind === 'fenced') {
              logger.error('a newer leader holds the fencing epoch; stepping down', { error: error.message });
              fenced = true;
              leadership.abort();
              break;
            }
            logger.error('leader session failed; starting it over', { error });
            await sleepUnlessAborted(1000, leadership.signal);
          }
        }
      } finally {
        session = undefined;
        // A graceful hand-over sends what is pending before the Lease is released (for a while:
        // an unreachable API server must not hold the Lease forever); a lost term drops it.
        const discard = fenced || !stopping.signal.aborted;
        const flushed = await Promise.race([
          writer.close({ discardPending: discard }).then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STATUS_FLUSH_GRACE_MS).unref()),
        ]);
        if (!flushed) {
          logger.warn('status writes still pending at hand-over; dropping them', { pending: writer.pendingCount });
          await writer.close({ discardPending: true });
        }
        metrics.setLeader(false);
      }
    },
    onNewLeader: (identity) => logger.info('leader observed', { leader: identity }),
  });
  const electing = elector.run(stopping.signal);

  return {
    metricsUrl: telemetry.url,
    stop: async () => {
      stopping.abort();
      await electing;
      await Promise.all([policies.stop(), nodeInformer.stop()]);
      blockingRedis.disconnect();
      await redis.quit();
      await telemetry.close();
    },
  };
}

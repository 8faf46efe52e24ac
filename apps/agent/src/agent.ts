import type { NetworkBackend } from '@nmfleet/nm-backend';
import {
  AgentLedger,
  createNodeWorker,
  type EnactmentJob,
  type KeyLayout,
  type NodeWorker,
  type createRedisConnection,
} from '@nmfleet/queue';
import type { AgentMetrics, Logger } from '@nmfleet/telemetry';
import { createEnactmentProcessor, rollBackStaleCheckpoints, type EnactmentProcessorOptions } from './enactment-processor.js';
import { NodeStateTracker } from './node-state-tracker.js';
import type { Probe } from './probes/probe.js';

/** The shared command connection of the process (`createRedisConnection` from `@nmfleet/queue`). */
export type RedisConnection = ReturnType<typeof createRedisConnection>;

/** One node this agent process serves. */
export interface AgentNode {
  name: string;
  backend: NetworkBackend;
  probes: readonly Probe[];
  /**
   * Called after each job with the node's state as JSON when the job changed it (the state
   * it reported), e.g. to persist a simulated host's state.
   */
  afterJob?: (stateJson: string | undefined) => Promise<void>;
}

/** Options of {@link startAgent}. */
export interface StartAgentOptions {
  connection: RedisConnection;
  keys: KeyLayout;
  nodes: readonly AgentNode[];
  logger: Logger;
  metrics?: AgentMetrics;
  /** BullMQ lock and stall settings (see `createNodeWorker`). Defaults: BullMQ's through `@nmfleet/queue`. */
  worker?: { lockDurationMs?: number; stalledIntervalMs?: number; maxStalledCount?: number };
  /** Probe and checkpoint settings (see `createEnactmentProcessor`). */
  processor?: Pick<EnactmentProcessorOptions, 'rollbackTimeoutSeconds' | 'probeTimeoutMs' | 'probeRetryWindowMs' | 'probeRetryIntervalMs'>;
  /** Told which job a node starts applying. */
  onJobStart?: (node: string, job: EnactmentJob) => void;
}

/** A running agent process. */
export interface RunningAgent {
  /** Stops taking jobs, waits for running ones, closes the backends. */
  close(): Promise<void>;
}

/**
 * Starts serving nodes: for each, roll back stale checkpoints, report the node's
 * state when it differs from the stored one, then consume the node's queue. The
 * agent writes nothing but reports: it needs no Kubernetes permission.
 */
export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const ledger = new AgentLedger({ connection: options.connection, keys: options.keys });
  const workers: NodeWorker[] = [];
  for (const node of options.nodes) {
    const log = options.logger.child({ node: node.name });
    await rollBackStaleCheckpoints(node.backend, log, options.metrics);
    const tracker = new NodeStateTracker(node.backend, await ledger.readStoredStateHash(node.name));
    const state = await tracker.capture();
    if (state.json !== undefined) {
      await ledger.publishStateReport({ kind: 'state', node: node.name, at: Date.now(), stateHash: state.hash, state: undefined }, state.json);
    }
    const process = createEnactmentProcessor({
      node: node.name,
      backend: node.backend,
      ledger,
      probes: node.probes,
      state: tracker,
      logger: options.logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...options.processor,
      onJobStart: (job) => options.onJobStart?.(node.name, job),
    });
    workers.push(
      createNodeWorker({
        connection: options.connection,
        keys: options.keys,
        node: node.name,
        ...options.worker,
        process: async (job) => {
          let stateJson: string | undefined;
          try {
            stateJson = (await process(job)).stateJson;
          } finally {
            await node.afterJob?.(stateJson);
          }
        },
        onJobFailed: (job, error) => {
          // BullMQ gave up on the job without our report (it threw, or stalled too often): report it failing.
          log.error('job failed outside the processor', { jobId: job.id, error });
          void ledger
            .publishEnactmentReport({
              kind: 'enactment',
              node: node.name,
              policy: job.data.policy,
              generation: job.data.generation,
              jobId: job.id,
              outcome: 'failing',
              attempt: job.attemptsStarted,
              startedAt: Date.now(),
              endedAt: Date.now(),
              error: `the agent could not finish the job: ${error.message}`,
              errorKind: 'agent-error',
            })
            .catch((publishError: unknown) => log.error('could not report a failed job', { jobId: job.id, error: publishError }));
        },
        onError: (error) => log.warn('worker error', { error }),
      }),
    );
  }
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  options.logger.info('agent serving nodes', { nodes: options.nodes.length });
  return {
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(options.nodes.map((node) => node.backend.close()));
    },
  };
}

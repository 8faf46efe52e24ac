import { createSimulatedHost, type SimulatedFailures } from '@nmfleet/nm-backend';
import type { EnactmentJob } from '@nmfleet/queue';
import type { AgentNode } from '../agent.js';
import { answersOnSimulatedHost, createDnsProbe } from '../probes/dns-probe.js';
import { createGatewayProbe, reachSimulatedGateway } from '../probes/gateway-probe.js';
import type { Probe } from '../probes/probe.js';
import type { ApplyTimeline } from './apply-timeline.js';
import { StateJournal } from './state-journal.js';
import { buildTypicalNodeState } from './typical-node-state.js';

type InitialState = NonNullable<Parameters<typeof createSimulatedHost>[0]['initialState']>;

/** Options of {@link createSimulatedFleet}. */
export interface SimulatedFleetOptions {
  /** Node names, in the order their typical addresses are numbered. */
  nodes: readonly string[];
  /** Latency of every apply, in milliseconds. Default: 0. */
  applyLatencyMs?: number;
  /** Probability that an apply fails (0–1), drawn per apply from a seeded generator. Default: 0. */
  failRate?: number;
  /** Nodes on which every apply fails. Default: none. */
  failNodes?: readonly string[];
  /** Seed of the failure draws. Default: 1. */
  seed?: number;
  /** The state every host starts with. Default: {@link buildTypicalNodeState} per node. */
  initialState?: InitialState;
  /** States of particular nodes, taking precedence over `initialState`. */
  nodeStates?: Readonly<Record<string, InitialState>>;
  /** Apply latencies of particular nodes, in milliseconds, taking precedence over `applyLatencyMs`. */
  nodeLatenciesMs?: Readonly<Record<string, number>>;
  /** Folder where each host's state is journaled after each job and loaded at start (survives an agent restart; see {@link StateJournal}). */
  stateDir?: string;
  /** Receives one entry per finished apply. */
  timeline?: ApplyTimeline;
  /** Probes every simulated node shares (API server, Redis): real ones, shared by {@link shareProbe}. */
  sharedProbes?: readonly Probe[];
}

/** A simulated fleet: the nodes for `startAgent`, and a hook telling it which job a node runs. */
export interface SimulatedFleet {
  nodes: AgentNode[];
  onJobStart: (node: string, job: EnactmentJob) => void;
}

/** mulberry32: small, seeded, good enough to draw failures reproducibly. */
function createRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Builds simulated hosts for a fleet in one process: each starts as a typical node
 * (or the given state, or what it saved before a restart), applies with the given
 * latency and injected failures, and has gateway and DNS probes that read its own
 * simulated state, plus the shared real probes.
 */
export function createSimulatedFleet(options: SimulatedFleetOptions): SimulatedFleet {
  const random = createRandom(options.seed ?? 1);
  const failRate = options.failRate ?? 0;
  const failNodes = new Set(options.failNodes ?? []);
  const currentJob = new Map<string, EnactmentJob>();
  const nodes = options.nodes.map((name, index): AgentNode => {
    const journal = options.stateDir === undefined ? undefined : new StateJournal(options.stateDir, name);
    const saved = journal?.load() as InitialState | undefined;
    const failures: SimulatedFailures = failNodes.has(name)
      ? { failAllApplies: true }
      : failRate > 0
        ? { failOnCall: () => random() < failRate }
        : {};
    const host = createSimulatedHost({
      name,
      initialState: saved ?? options.nodeStates?.[name] ?? options.initialState ?? buildTypicalNodeState(index),
      applyLatencyMs: options.nodeLatenciesMs?.[name] ?? options.applyLatencyMs ?? 0,
      failures,
      onApplyEnd: (event) => {
        const job = currentJob.get(name);
        options.timeline?.record({
          node: name,
          ...(job ? { policy: job.data.policy, generation: job.data.generation } : {}),
          startedAt: event.startedAt,
          endedAt: event.endedAt ?? event.startedAt,
          outcome: event.outcome ?? 'failure',
        });
      },
    });
    const probes: Probe[] = [
      createGatewayProbe({ reach: reachSimulatedGateway }),
      createDnsProbe({ answers: answersOnSimulatedHost }),
      ...(options.sharedProbes ?? []),
    ];
    const node: AgentNode = { name, backend: host, probes };
    if (journal !== undefined) {
      node.backend = {
        ...host,
        close: async () => {
          await host.close();
          journal.close();
        },
      };
      // The state a job reported is the host's state as show() renders it: no second rendering.
      node.afterJob = async (stateJson) => {
        if (stateJson !== undefined) journal.append(stateJson);
      };
    }
    return node;
  });
  return { nodes, onJobStart: (node, job) => currentJob.set(node, job) };
}

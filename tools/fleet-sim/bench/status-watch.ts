import {
  Informer,
  findCondition,
  formatEnactmentName,
  type KubeClient,
  type KubeObject,
  type NodeNetworkConfigurationEnactment,
  type NodeNetworkConfigurationPolicy,
  type NodeNetworkState,
} from '@nmfleet/kube';

/** JSON with object keys sorted, as the API server returns free-form objects. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** What the API must show for the rollout to count as visible: objects, and the state each node reported last. */
export interface ExpectedStatuses {
  policies: readonly string[];
  /** Policy → its matching nodes (one enactment each). */
  matching: ReadonlyMap<string, readonly string[]>;
  nodes: readonly string[];
}

/** How much of the expected statuses the API shows. */
export interface StatusProgress {
  policiesAvailable: number;
  enactmentsAvailable: number;
  statesCurrent: number;
  /** When the last of the expected statuses appeared (milliseconds since the epoch), once all have. */
  completeAt: number | undefined;
}

/**
 * The benchmark's own watches on policies, enactments and NodeNetworkStates: it
 * notes when each object last changed, as the API server announced it, so "the API
 * shows every status" is measured from the API and not from the coordinator's belief.
 */
export class StatusWatch {
  private readonly policies: Informer<NodeNetworkConfigurationPolicy>;
  private readonly enactments: Informer<NodeNetworkConfigurationEnactment>;
  private readonly states: Informer<NodeNetworkState>;
  private readonly changedAt = new Map<string, number>();
  /** Nodes whose NodeNetworkState or reported state changed since they were last compared. */
  private readonly statesToCompare = new Set<string>();
  /** Canonical JSON of each node's reported state, and whether the API shows it. */
  private readonly reported = new Map<string, string>();
  private readonly stateCurrent = new Map<string, boolean>();

  constructor(client: KubeClient) {
    this.policies = new Informer(client.policies);
    this.enactments = new Informer(client.enactments);
    this.states = new Informer(client.states);
    this.track('policy', this.policies);
    this.track('enactment', this.enactments);
    this.track('state', this.states);
  }

  async start(): Promise<void> {
    this.policies.start();
    this.enactments.start();
    this.states.start();
    await Promise.all([this.policies.waitForSync(), this.enactments.waitForSync(), this.states.waitForSync()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.policies.stop(), this.enactments.stop(), this.states.stop()]);
  }

  /** Notes the states nodes reported last (from Redis): what their NodeNetworkStates must show. */
  noteReportedStates(states: ReadonlyMap<string, unknown>): void {
    for (const [node, state] of states) {
      if (state === undefined) continue;
      const json = canonicalJson(state);
      if (this.reported.get(node) === json) continue;
      this.reported.set(node, json);
      this.statesToCompare.add(node);
    }
  }

  /** Forgets the reported states noted so far (the rollout is about to change them all). */
  forgetReportedStates(): void {
    this.reported.clear();
    this.stateCurrent.clear();
    this.statesToCompare.clear();
  }

  /** Nodes whose NodeNetworkState does not show their reported state (yet). */
  listStatesNotCurrent(nodes: readonly string[]): string[] {
    return nodes.filter((node) => this.stateCurrent.get(node) !== true);
  }

  /**
   * Checks what the API shows against what is expected: every policy Available with
   * all its nodes configured, every enactment Available, and every NodeNetworkState
   * equal to the state its node reported last (see {@link noteReportedStates}).
   */
  check(expected: ExpectedStatuses): StatusProgress {
    let latest = 0;
    let complete = true;
    const seen = (key: string): void => {
      latest = Math.max(latest, this.changedAt.get(key) ?? Number.POSITIVE_INFINITY);
    };
    let policiesAvailable = 0;
    for (const name of expected.policies) {
      const condition = findCondition(this.policies.get(name)?.status?.conditions, 'Available');
      const nodes = expected.matching.get(name)?.length ?? 0;
      if (condition?.status === 'True' && condition.message === `${nodes}/${nodes} nodes successfully configured`) {
        policiesAvailable += 1;
        seen(`policy/${name}`);
      } else complete = false;
    }
    let enactmentsAvailable = 0;
    for (const [policy, nodes] of expected.matching) {
      for (const node of nodes) {
        const name = formatEnactmentName(node, policy);
        if (findCondition(this.enactments.get(name)?.status?.conditions, 'Available')?.status === 'True') {
          enactmentsAvailable += 1;
          seen(`enactment/${name}`);
        } else complete = false;
      }
    }
    for (const node of this.statesToCompare) {
      const shown = this.states.get(node)?.status?.currentState;
      const reported = this.reported.get(node);
      this.stateCurrent.set(node, shown !== undefined && reported !== undefined && canonicalJson(shown) === reported);
    }
    this.statesToCompare.clear();
    let statesCurrent = 0;
    for (const node of expected.nodes) {
      if (this.stateCurrent.get(node) === true) {
        statesCurrent += 1;
        seen(`state/${node}`);
      } else complete = false;
    }
    return { policiesAvailable, enactmentsAvailable, statesCurrent, completeAt: complete && Number.isFinite(latest) ? latest : undefined };
  }

  private track<T extends KubeObject>(kind: string, informer: Informer<T>): void {
    const note = (object: T) => {
      const name = object.metadata?.name ?? '';
      this.changedAt.set(`${kind}/${name}`, Date.now());
      if (kind === 'state') this.statesToCompare.add(name);
    };
    informer.addHandlers({ onAdd: note, onUpdate: (_previous, object) => note(object) });
  }
}

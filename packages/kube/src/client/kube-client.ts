import type { KubeConfig } from '@kubernetes/client-node';
import {
  ENACTMENT_RESOURCE,
  formatResourcePath,
  LEASE_RESOURCE,
  NODE_RESOURCE,
  POLICY_RESOURCE,
  STATE_RESOURCE,
  type ResourceDescriptor,
} from '../api/api-resources.js';
import type { Lease, Node } from '../api/core-types.js';
import type { NodeNetworkConfigurationEnactment } from '../api/node-network-configuration-enactment.js';
import type { NodeNetworkConfigurationPolicy } from '../api/node-network-configuration-policy.js';
import type { NodeNetworkState } from '../api/node-network-state.js';
import type { KubeObject } from '../api/object-meta.js';
import { systemClock, type Clock } from '../time/clock.js';
import { createHttpTransport, type HttpTransportOptions } from './http-transport.js';
import { createKubeErrorFromResponse, isKubeError } from './kube-error.js';
import { ResourceClient } from './resource-client.js';
import type { KubeRequest, KubeResponse, KubeTransport, WatchHandlers, WatchRequest } from './transport.js';

/** The verb of a request, as the API server's audit log and metrics name it. */
export type KubeVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'apply' | 'delete';

/** One finished request, for metrics: count by verb, resource and code. */
export interface RequestEvent {
  verb: KubeVerb;
  /** Plural resource name (`nodenetworkenactments`, `leases`). */
  resource: string;
  subresource?: string;
  /** HTTP status; 0 when no answer came (network error). */
  code: number;
  /** Until the answer (for watches: until the stream opened). */
  durationSeconds: number;
}

/** Options of {@link KubeClient}. */
export interface KubeClientOptions {
  /** How requests reach the API server; see {@link createKubeClient} for a real one. */
  transport: KubeTransport;
  /** Called once per request, after it finished; must not throw (errors are swallowed). */
  onRequest?: (event: RequestEvent) => void;
  /** Measures request durations. Default: the system clock. */
  clock?: Clock;
}

/** What a request is about, for the request hook and error messages. */
export interface RequestLabel {
  verb: KubeVerb;
  resource: string;
  subresource?: string;
}

/**
 * A small typed client for the kinds this project uses: the three nmstate.io
 * kinds, Nodes and Leases. Every request goes through one place, which reports
 * it to `onRequest` and turns failures into `KubeError`s.
 */
export class KubeClient {
  /** NodeNetworkConfigurationPolicies through v1. */
  readonly policies: ResourceClient<NodeNetworkConfigurationPolicy>;
  /** NodeNetworkConfigurationEnactments (v1beta1). */
  readonly enactments: ResourceClient<NodeNetworkConfigurationEnactment>;
  /** NodeNetworkStates (v1beta1). */
  readonly states: ResourceClient<NodeNetworkState>;
  /** core/v1 Nodes. */
  readonly nodes: ResourceClient<Node>;
  readonly clock: Clock;
  private readonly transport: KubeTransport;
  private readonly onRequest: ((event: RequestEvent) => void) | undefined;

  constructor(options: KubeClientOptions) {
    this.transport = options.transport;
    this.onRequest = options.onRequest;
    this.clock = options.clock ?? systemClock;
    this.policies = this.resource(POLICY_RESOURCE);
    this.enactments = this.resource(ENACTMENT_RESOURCE);
    this.states = this.resource(STATE_RESOURCE);
    this.nodes = this.resource(NODE_RESOURCE);
  }

  /** Leases in `namespace`. */
  leases(namespace: string): ResourceClient<Lease> {
    return this.resource<Lease>(LEASE_RESOURCE, namespace);
  }

  /** A client for any kind; `namespace` for namespaced kinds. */
  resource<T extends KubeObject>(descriptor: ResourceDescriptor, namespace?: string): ResourceClient<T> {
    return new ResourceClient<T>(this, descriptor, namespace);
  }

  /**
   * Sends `request` and returns the answer when it is 2xx; otherwise throws the
   * matching `KubeError`. Every request of this package passes here.
   */
  async send(label: RequestLabel, request: KubeRequest): Promise<KubeResponse> {
    const started = this.clock.now();
    let response: KubeResponse;
    try {
      response = await this.transport.request(request);
    } catch (error) {
      this.report(label, 0, started);
      throw error;
    }
    this.report(label, response.status, started);
    if (response.status < 200 || response.status >= 300) {
      throw createKubeErrorFromResponse(`${request.method} ${request.path}`, response.status, response.headers, response.body);
    }
    return response;
  }

  /** Streams a watch of `resource`, reporting its establishment (or refusal) to the request hook. */
  async watch(resource: ResourceDescriptor, request: WatchRequest, handlers: WatchHandlers): Promise<void> {
    const label: RequestLabel = { verb: 'watch', resource: resource.plural };
    const started = this.clock.now();
    let reported = false;
    try {
      await this.transport.watch(request, {
        onOpen: () => {
          reported = true;
          this.report(label, 200, started);
          handlers.onOpen();
        },
        onEvent: handlers.onEvent,
      });
    } catch (error) {
      if (!reported) this.report(label, isKubeError(error) ? (error.statusCode ?? 0) : 0, started);
      throw error;
    }
  }

  /** The path of `resource` (see {@link formatResourcePath}). */
  formatPath(resource: ResourceDescriptor, options: { namespace?: string; name?: string; subresource?: string } = {}): string {
    return formatResourcePath(resource, options);
  }

  private report(label: RequestLabel, code: number, startedMs: number): void {
    if (this.onRequest === undefined) return;
    const event: RequestEvent = {
      verb: label.verb,
      resource: label.resource,
      code,
      durationSeconds: Math.max(0, (this.clock.now() - startedMs) / 1000),
    };
    if (label.subresource !== undefined) event.subresource = label.subresource;
    try {
      this.onRequest(event);
    } catch {
      // A metrics hook must never fail a request.
    }
  }
}

/** Options of {@link createKubeClient}. */
export interface CreateKubeClientOptions extends HttpTransportOptions {
  /** Server, credentials and TLS (e.g. `kc.loadFromDefault()` or `kc.loadFromFile(path)`). */
  kubeConfig: KubeConfig;
  onRequest?: (event: RequestEvent) => void;
  clock?: Clock;
}

/** A {@link KubeClient} talking to the API server of `kubeConfig`'s current context. */
export function createKubeClient(options: CreateKubeClientOptions): KubeClient {
  const transportOptions: HttpTransportOptions = {};
  if (options.maxSockets !== undefined) transportOptions.maxSockets = options.maxSockets;
  const clientOptions: KubeClientOptions = { transport: createHttpTransport(options.kubeConfig, transportOptions) };
  if (options.onRequest !== undefined) clientOptions.onRequest = options.onRequest;
  if (options.clock !== undefined) clientOptions.clock = options.clock;
  return new KubeClient(clientOptions);
}

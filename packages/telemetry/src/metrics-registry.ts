import { Registry, collectDefaultMetrics } from 'prom-client';

/** Options of {@link createMetricsRegistry}. */
export interface MetricsRegistryOptions {
  /**
   * Also collect prom-client's process and Node.js metrics (`process_*`,
   * `nodejs_*`: CPU, resident memory, event-loop lag, heap, GC) on this
   * registry. Default `true`.
   */
  readonly processMetrics?: boolean;
  /** Labels added to every series of this registry, e.g. `{ component: 'coordinator' }`. Default none. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
}

/**
 * Creates a fresh registry. Each coordinator or agent in a process gets its
 * own, never prom-client's global one, so tests and several instances in one
 * process do not collide.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels({ ...options.defaultLabels });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

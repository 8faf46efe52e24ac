import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { TelemetryError } from './errors.js';
import type { MetricDefinition } from './metric-definitions.js';

/** A prom-client metric of any of the three types, with string label names. */
export type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

/** The prom-client class each definition type maps to. */
export type MetricFor<D extends MetricDefinition> = D['type'] extends 'counter'
  ? Counter<string>
  : D['type'] extends 'gauge'
    ? Gauge<string>
    : Histogram<string>;

/**
 * Creates the prom-client metric for `definition` on `registry` and sets
 * every combination of its closed label values to zero, as controller-runtime
 * does, so `rate()` and `increase()` see the first event. Metrics with an open
 * label (upstream's per-node gauges) start empty.
 *
 * `collect` runs before each read of the metric (prom-client's hook).
 */
export function registerMetric<D extends MetricDefinition>(
  registry: Registry,
  definition: D,
  collect?: () => void | Promise<void>,
): MetricFor<D> {
  if (registry.getSingleMetric(definition.name) !== undefined) {
    throw new TelemetryError(
      'already-registered',
      `metric ${definition.name} is already registered on this registry; create one set of metrics per registry`,
    );
  }
  const configuration = {
    name: definition.name,
    help: definition.help,
    labelNames: definition.labels.map((label) => label.name),
    registers: [registry],
    ...(collect ? { collect } : {}),
  };
  let metric: AnyMetric;
  switch (definition.type) {
    case 'counter':
      metric = new Counter(configuration);
      break;
    case 'gauge':
      metric = new Gauge(configuration);
      break;
    case 'histogram':
      metric = new Histogram({ ...configuration, buckets: [...(definition.buckets ?? [])] });
      break;
  }
  for (const labels of enumerateClosedLabelSets(definition)) zeroSeries(metric, labels);
  return metric as MetricFor<D>;
}

/** Sets the series with `labels` to zero without changing any other series. */
export function zeroSeries(metric: AnyMetric, labels: Record<string, string>): void {
  if (metric instanceof Histogram) metric.zero(labels);
  else if (metric instanceof Counter) metric.inc(labels, 0);
  else metric.set(labels, 0);
}

/**
 * Every combination of the closed label values of `definition` (one empty
 * set for a metric without labels); none when a label is open.
 */
export function enumerateClosedLabelSets(definition: MetricDefinition): Record<string, string>[] {
  let sets: Record<string, string>[] = [{}];
  for (const label of definition.labels) {
    const values = label.values;
    if (!Array.isArray(values)) return [];
    sets = sets.flatMap((set) => (values as readonly string[]).map((value) => ({ ...set, [label.name]: value })));
  }
  return sets;
}

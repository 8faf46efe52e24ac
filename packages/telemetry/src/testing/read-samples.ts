import type { Registry } from 'prom-client';
import { parsePrometheusText, type MetricSample } from './prometheus-text.js';

/**
 * Scrapes `registry` as Prometheus would (collect hooks run, text format
 * rendered) and returns every sample.
 */
export async function readSamples(registry: Registry): Promise<MetricSample[]> {
  return parsePrometheusText(await registry.metrics());
}

/** Whether `sample` has exactly `labels` (no more, no fewer). */
export function hasLabels(sample: MetricSample, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(sample.labels);
  return keys.length === Object.keys(labels).length && keys.every((key) => sample.labels[key] === labels[key]);
}

/**
 * The value of the sample `name` with exactly `labels` in `samples`, or
 * `undefined` when there is no such series.
 */
export function findSampleValue(
  samples: readonly MetricSample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  return samples.find((sample) => sample.name === name && hasLabels(sample, labels))?.value;
}

export { parsePrometheusText } from './prometheus-text.js';
export type { MetricSample } from './prometheus-text.js';
export { findSampleValue, hasLabels, readSamples } from './read-samples.js';

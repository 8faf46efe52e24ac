export { DEFAULT_DEMO_LATENCY_MS, DEFAULT_DEMO_NODES, MIN_DEMO_NODES, DEFAULT_DEMO_TIMEOUT_SECONDS, DEMO_USAGE, DemoUsageError, parseDemoOptions } from './demo-options.js';
export type { DemoOptions } from './demo-options.js';
export { PLAIN_LINE_INTERVAL_MS, ProgressDisplay, describeProgress, renderBar, renderProgressTable, sumProgress } from './progress-view.js';
export type { ProgressOutput, ProgressTotals } from './progress-view.js';
export { DEMO_QUERIES, runDemo } from './run-demo.js';
export type { DemoIo } from './run-demo.js';

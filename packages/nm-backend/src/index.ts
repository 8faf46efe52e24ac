export { BackendError } from './backend.js';
export type {
  ApplyOptions,
  ApplyProgressEvent,
  ApplyResult,
  BackendErrorKind,
  CheckpointInfo,
  NetworkBackend,
  ShowOptions,
} from './backend.js';
export { DEFAULT_ROLLBACK_TIMEOUT_SECONDS, VERIFY_RETRY_COUNT, VERIFY_RETRY_INTERVAL_MS } from './apply/apply-pipeline.js';
export type { StateMismatch, StatePlanner } from './apply/planner-port.js';
export { createSimulatedHost } from './simulated/simulated-host.js';
export type { SimulatedApplyEvent, SimulatedHost, SimulatedHostOptions, SimulatedHostSnapshot } from './simulated/simulated-host.js';
export { systemClock } from './simulated/simulated-clock.js';
export type { SimulatedClock } from './simulated/simulated-clock.js';
export type { FailurePhase, SimulatedApplyCall, SimulatedFailures } from './simulated/simulated-failures.js';

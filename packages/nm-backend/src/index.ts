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
export {
  DEFAULT_ROLLBACK_TIMEOUT_SECONDS,
  EXECUTION_ROLLBACK_TIMEOUT_SECONDS,
  VERIFY_RETRY_COUNT,
  VERIFY_RETRY_INTERVAL_MS,
} from './apply/apply-pipeline.js';
export type { StateMismatch, StatePlanner } from './apply/planner-port.js';
export { createNetworkManagerBackend, ROLLBACK_SETTLE_TIMEOUT_MS } from './network-manager/network-manager-backend.js';
export type { NetworkManagerBackendOptions } from './network-manager/network-manager-backend.js';
export type { ProfileContext, ProfileRenderer } from './network-manager/profile-renderer.js';
export { createHostCommands, HOST_COMMAND_TIMEOUT_MS } from './kernel/host-commands.js';
export type { HostCommands, HostCommandsOptions } from './kernel/host-commands.js';
export { createSimulatedHost } from './simulated/simulated-host.js';
export type { SimulatedApplyEvent, SimulatedHost, SimulatedHostOptions, SimulatedHostSnapshot } from './simulated/simulated-host.js';
export { systemClock } from './simulated/simulated-clock.js';
export type { SimulatedClock } from './simulated/simulated-clock.js';
export type { FailurePhase, SimulatedApplyCall, SimulatedFailures } from './simulated/simulated-failures.js';

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
export { createHostCommands, HOST_COMMAND_TIMEOUT_MS } from './kernel/host-commands.js';
export type { HostCommands, HostCommandsOptions } from './kernel/host-commands.js';
export { createSimulatedHost } from './simulated/simulated-host.js';
export type { SimulatedApplyEvent, SimulatedApplyRecord, SimulatedHost, SimulatedHostOptions, SimulatedHostSnapshot } from './simulated/simulated-host.js';
export { systemClock } from './simulated/simulated-clock.js';
export type { SimulatedClock } from './simulated/simulated-clock.js';
export type { FailurePhase, SimulatedApplyCall, SimulatedFailures } from './simulated/simulated-failures.js';
export { nmValue, areNmValuesEqual, toPlainValue } from './settings/nm-value.js';
export type { NmDict, NmSignature, NmValue } from './settings/nm-value.js';
export {
  areNmSettingsEqual,
  cloneNmSettings,
  getConnectionId,
  getConnectionInterfaceName,
  getConnectionType,
  getConnectionUuid,
  NM_CONNECTION_TYPE,
  NM_SETTING,
} from './settings/nm-settings.js';
export type { NmSetting, NmSettings } from './settings/nm-settings.js';
export type { InterfaceDns, SettingsContext, SettingsInput } from './settings/settings-input.js';
export { toNmSettings } from './settings/to-nm-settings.js';
export { fromNmProfiles, fromNmSettings, readOvsPortProfile } from './settings/from-nm-settings.js';
export type { ProfileState } from './settings/from-nm-settings.js';
export { isModelledKey, mergeNmSettings } from './settings/merge-nm-settings.js';
export { getInterfaceConverter, INTERFACE_CONVERTERS } from './settings/interface-converters.js';
export type { CompanionProfile, InterfaceConverter } from './settings/interface-converter.js';
export { createRandomProfileUuid, createStableProfileUuid } from './settings/profile-uuid.js';
export { generateKeyfiles } from './keyfile/generate-keyfiles.js';
export type { GeneratedKeyfile, GeneratedKeyfiles } from './keyfile/generate-keyfiles.js';
export { formatGcOutput } from './keyfile/gc-output.js';
export type { KeyfileEntry } from './keyfile/gc-output.js';
export { renderKeyfile, toKeyfileDocument } from './keyfile/keyfile-writer.js';
export { formatKeyfile, parseKeyfile } from './keyfile/keyfile-text.js';
export type { KeyfileDocument, KeyfileSection } from './keyfile/keyfile-text.js';
export { KEYFILE_MODE, toKeyfileName, writeKeyfiles } from './keyfile/write-keyfiles.js';

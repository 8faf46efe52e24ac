export { ensureSystemPackages, SYSTEM_PACKAGES } from './system-packages.js';
export type { EnsureSystemPackagesOptions, SystemPackagesResult } from './system-packages.js';
export { ensureKubeBinaries } from './kube-binaries.js';
export type { EnsureKubeBinariesOptions, KubeBinaries } from './kube-binaries.js';
export { ensureNmstatectl, findCachedNmstatectl } from './nmstatectl.js';
export type { EnsureNmstatectlOptions } from './nmstatectl.js';
export { NMSTATECTL_VERSION, hashGoSum, kubeBinariesDir, nmstatectlPath, resolveCacheRoot } from './cache-paths.js';
export { startControlPlane } from './control-plane.js';
export type { ControlPlane, StartControlPlaneOptions, StaticTokenUser } from './control-plane.js';
export { pingRedis, startRedis } from './redis.js';
export type { RedisHandle, StartRedisOptions } from './redis.js';
export { startPrometheus } from './prometheus.js';
export type { PrometheusHandle, PrometheusSample, StartPrometheusOptions } from './prometheus.js';
export { execInNamespace, startNetworkManager } from './network-manager.js';
export type {
  ExecInNamespaceOptions,
  NetworkManagerInstance,
  NetworkManagerLogLevel,
  StartNetworkManagerOptions,
} from './network-manager.js';
export { SUITE_LABEL, isolatedKubeScope, isolatedNetnsName, isolatedRedisPrefix } from './isolation.js';
export type { KubeScope } from './isolation.js';
export { releaseScopeRecord, sweepAbandonedLeases } from './service-scope.js';
export type { RecordedProcess, ScopeRecord } from './service-scope.js';
export { pollUntil } from './poll-until.js';
export type { PollUntilOptions } from './poll-until.js';
export { TestenvError, isTestenvError } from './errors.js';
export type { TestenvErrorKind, TestenvErrorOptions } from './errors.js';
export { createStderrLogger, silentLogger } from './logger.js';
export type { LogFields, TestenvLogger } from './logger.js';
export type { CommandResult } from './run-command.js';
export type { ProcessIdentity } from './process-identity.js';

// nmstate.io API types, CRD manifests, condition transitions, and the Kubernetes
// client layer (typed client, informers, leader election, status writer).

export {
  CRD_RESOURCE,
  ENACTMENT_RESOURCE,
  LEASE_RESOURCE,
  NODE_RESOURCE,
  POLICY_RESOURCE,
  POLICY_RESOURCE_V1BETA1,
  STATE_RESOURCE,
  formatApiVersion,
  formatResourcePath,
} from './api/api-resources.js';
export type { ResourceDescriptor } from './api/api-resources.js';
export { findCondition, formatKubeTime, isConditionTrue, setConditions } from './api/condition.js';
export type { Condition, ConditionStatus, ConditionUpdate } from './api/condition.js';
export type { Lease, LeaseSpec, Node } from './api/core-types.js';
export type { NetworkState } from './api/network-state.js';
export {
  ENACTMENT_CONDITION_TYPES,
  ENACTMENT_NODE_LABEL,
  ENACTMENT_POLICY_LABEL,
  EnactmentConditionReason,
  buildEnactment,
  formatEnactmentName,
} from './api/node-network-configuration-enactment.js';
export type {
  EnactmentCapturedState,
  EnactmentConditionType,
  EnactmentMetaInfo,
  EnactmentOwner,
  NodeNetworkConfigurationEnactment,
  NodeNetworkConfigurationEnactmentStatus,
} from './api/node-network-configuration-enactment.js';
export {
  DEFAULT_MAX_UNAVAILABLE,
  POLICY_CONDITION_TYPES,
  PolicyConditionReason,
} from './api/node-network-configuration-policy.js';
export type {
  NodeNetworkConfigurationPolicy,
  NodeNetworkConfigurationPolicySpec,
  NodeNetworkConfigurationPolicyStatus,
  PolicyConditionType,
} from './api/node-network-configuration-policy.js';
export { STATE_CONDITION_TYPES, StateConditionReason } from './api/node-network-state.js';
export type { NodeNetworkState, NodeNetworkStateStatus, StateConditionType } from './api/node-network-state.js';
export type { KubeList, KubeObject, ObjectMeta, OwnerReference } from './api/object-meta.js';

export {
  ENACTMENT_MESSAGES,
  formatAbortedMessage,
  formatApplyFailureMessage,
  formatGenerateFailureMessage,
  formatRetryingMessage,
  hasEnactmentFailed,
  initializeEnactmentConditions,
  isEnactmentAvailable,
  isEnactmentProgressing,
  notifyAborted,
  notifyFailing,
  notifyFinalizing,
  notifyGenerateFailure,
  notifyPending,
  notifyProgressing,
  notifyRetrying,
  notifySuccess,
} from './conditions/enactment-conditions.js';
export {
  computePolicyConditions,
  countEnactmentConditions,
  setPolicyFailedToConfigure,
  setPolicyNotMatching,
  setPolicyProgressing,
  setPolicyStatusUnknown,
  setPolicySuccess,
} from './conditions/policy-conditions.js';
export type { EnactmentConditionCounts, PolicyConditionInput } from './conditions/policy-conditions.js';
export { STATE_RETRIEVED_MESSAGE, notifyStateFailing, notifyStateRetrieved } from './conditions/state-conditions.js';

export { compareCrds } from './crd/crd-compatibility.js';
export type { CrdComparison } from './crd/crd-compatibility.js';
export { formatCrdFileName, renderCrdYaml, renderNmstateCrdManifests } from './crd/crd-manifests.js';
export type { CrdManifest } from './crd/crd-manifests.js';
export { installNmstateCrds } from './crd/install-crds.js';
export type { InstallCrdsOptions } from './crd/install-crds.js';
export { NMSTATE_GROUP, buildNmstateCrds } from './crd/nmstate-crds.js';
export type { CrdVersion, CustomResourceDefinition, PrinterColumn } from './crd/nmstate-crds.js';
export type { JsonSchemaProps, ValidationRule } from './crd/schema-builder.js';

export { createHttpTransport } from './client/http-transport.js';
export type { HttpTransportOptions } from './client/http-transport.js';
export { KubeClient, createKubeClient } from './client/kube-client.js';
export { loadKubeConfig } from './client/load-kube-config.js';
export type { CreateKubeClientOptions, KubeClientOptions, KubeVerb, RequestEvent, RequestLabel } from './client/kube-client.js';
export { KubeError, isKubeError } from './client/kube-error.js';
export type { KubeErrorDetails, KubeErrorKind } from './client/kube-error.js';
export { APPLY_PATCH_CONTENT_TYPE, MERGE_PATCH_CONTENT_TYPE, ResourceClient } from './client/resource-client.js';
export type { ApplyOptions, DeleteOptions, ListOptions, ListPage, WatchOptions } from './client/resource-client.js';
export type {
  HttpMethod,
  KubeRequest,
  KubeResponse,
  KubeTransport,
  QueryParams,
  WatchEvent,
  WatchHandlers,
  WatchRequest,
} from './client/transport.js';

export { Informer, formatObjectKey } from './informer/informer.js';
export type { InformerHandlers, InformerOptions, InformerStats } from './informer/informer.js';

export {
  DEFAULT_LEASE_DURATION_MS,
  DEFAULT_RENEW_DEADLINE_MS,
  DEFAULT_RETRY_PERIOD_MS,
  LeaderElector,
  formatMicroTime,
} from './leader/leader-elector.js';
export type { LeaderElectorOptions } from './leader/leader-elector.js';

export {
  DEFAULT_FIELD_MANAGER,
  DEFAULT_RETRY_AFTER_S,
  DEFAULT_STATUS_BURST,
  DEFAULT_STATUS_QPS,
  StatusWriter,
} from './status/status-writer.js';
export type {
  StatusRenderer,
  StatusWriterHooks,
  StatusWriterOptions,
  WriteCallback,
  WriteCompletedEvent,
  WriteOutcome,
  WriteResult,
} from './status/status-writer.js';
export { TokenBucket } from './status/token-bucket.js';
export type { TokenBucketOptions } from './status/token-bucket.js';

export { describeError, silentLogger } from './logger.js';
export type { LogFields, Logger } from './logger.js';
export { sleep, systemClock } from './time/clock.js';
export type { Clock, TimerHandle } from './time/clock.js';

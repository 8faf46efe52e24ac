/**
 * An nmstate network state document (`interfaces`, `routes`, `dns-resolver`, …)
 * as it travels inside NNCP `spec.desiredState`, NNCE `status.desiredState` and
 * NNS `status.currentState`.
 *
 * The CRDs keep these fields `x-kubernetes-preserve-unknown-fields`, as upstream
 * does, so the API server accepts any object; the coordinator validates the
 * content with `@nmfleet/model` and reports problems in status. The type is an
 * open JSON object until `@nmfleet/model` exports its `NetworkState`, which this
 * alias will then name.
 */
export type NetworkState = { [key: string]: unknown };

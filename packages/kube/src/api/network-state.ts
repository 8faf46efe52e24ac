import type { NetworkState as ModelNetworkState } from '@nmfleet/model';

/**
 * An nmstate network state document (`interfaces`, `routes`, `dns-resolver`, …)
 * as it travels inside NNCP `spec.desiredState`, NNCE `status.desiredState` and
 * NNS `status.currentState`: the model's `NetworkState`.
 *
 * The CRDs keep these fields `x-kubernetes-preserve-unknown-fields`, as upstream
 * does, so the API server stores whatever a user wrote. A policy read from the
 * API server therefore carries unvalidated input under this type: the
 * coordinator parses it with `@nmfleet/model` before use and reports problems in
 * status. What the coordinator writes (NNCE, NNS) is validated.
 */
export type NetworkState = ModelNetworkState;

import type { Condition } from '../api/condition.js';
import type {
  EnactmentCapturedState,
  EnactmentMetaInfo,
  NodeNetworkConfigurationEnactment,
  NodeNetworkConfigurationEnactmentStatus,
} from '../api/node-network-configuration-enactment.js';
import type {
  NodeNetworkConfigurationPolicy,
  NodeNetworkConfigurationPolicySpec,
  NodeNetworkConfigurationPolicyStatus,
} from '../api/node-network-configuration-policy.js';
import type { NodeNetworkState, NodeNetworkStateStatus } from '../api/node-network-state.js';
import type { NetworkState } from '../api/network-state.js';
import type { ObjectMeta } from '../api/object-meta.js';
import {
  describeArray,
  describeDateTime,
  describeInteger,
  describeIntOrString,
  describeMap,
  describeObject,
  describeOpaqueObject,
  describeOpenObject,
  describeString,
  type Schema,
} from './schema-builder.js';

const apiVersionSchema = describeString({
  description: 'The versioned schema of this representation of the object (group/version).',
});
const kindSchema = describeString({ description: 'The REST resource this object represents, in CamelCase.' });
const metadataSchema = describeOpaqueObject<ObjectMeta>();

const conditionSchema: Schema<Condition> = describeObject<Condition>(
  {
    type: describeString(),
    status: describeString<Condition['status']>(),
    reason: describeString(),
    message: describeString(),
    lastHeartbeatTime: describeDateTime(),
    lastTransitionTime: describeDateTime(),
  },
  { required: ['status', 'type'] },
);
const conditionsSchema = describeArray(conditionSchema);

/** NodeNetworkConfigurationPolicy, identical in v1 and v1beta1. */
export const policySchema: Schema<NodeNetworkConfigurationPolicy> = describeObject<NodeNetworkConfigurationPolicy>(
  {
    apiVersion: apiVersionSchema,
    kind: kindSchema,
    metadata: metadataSchema,
    spec: describeObject<NodeNetworkConfigurationPolicySpec>(
      {
        nodeSelector: describeMap(describeString(), {
          description:
            'Node labels that must all match, by equality, for the policy to apply to a node. ' +
            'matchLabels and matchExpressions are not supported.',
          maxProperties: 256,
          validations: [
            {
              rule: 'self.all(k, !format.qualifiedName().validate(k).hasValue())',
              message: 'nodeSelector keys must be valid qualified names',
            },
          ],
        }),
        capture: describeMap(describeString(), {
          description: 'Named nmpolicy capture expressions that desiredState can reference.',
        }),
        desiredState: describeOpenObject<NetworkState>({
          description: 'The nmstate state to apply; validated by the controller, which reports problems in status.',
        }),
        maxUnavailable: describeIntOrString({
          description: 'How many nodes (a number, or a percentage such as "25%") may apply the policy at once. Default "50%".',
        }),
      },
      { description: 'The desired network configuration and the nodes it applies to.' },
    ),
    status: describeObject<NodeNetworkConfigurationPolicyStatus>(
      {
        conditions: conditionsSchema,
        unavailableNodeCount: describeInteger({
          description: 'Nodes that may be unavailable while processing the policy.',
        }),
        lastUnavailableNodeCountUpdate: describeDateTime({ description: 'When unavailableNodeCount was last updated.' }),
        unavailableNodeCountMap: describeMap(describeInteger(), {
          description: 'Nodes that may be unavailable while processing the policy, per policy generation.',
        }),
      },
      { description: 'The observed state of the policy.' },
    ),
  },
  { description: 'A network configuration to apply to the nodes a selector matches.' },
);

const metaInfoSchema = describeObject<EnactmentMetaInfo>({ version: describeString(), time: describeDateTime() });

/** NodeNetworkConfigurationEnactment v1beta1. */
export const enactmentSchema: Schema<NodeNetworkConfigurationEnactment> = describeObject<NodeNetworkConfigurationEnactment>(
  {
    apiVersion: apiVersionSchema,
    kind: kindSchema,
    metadata: metadataSchema,
    status: describeObject<NodeNetworkConfigurationEnactmentStatus>(
      {
        desiredState: describeOpenObject<NetworkState>({
          description: "The desired state rendered for the enactment's node from the policy's desiredState.",
        }),
        desiredStateMetaInfo: metaInfoSchema,
        capturedStates: describeMap(
          describeObject<EnactmentCapturedState>({ state: describeOpenObject<NetworkState>(), metaInfo: metaInfoSchema }),
          { description: "The policy's captures resolved against this node's state." },
        ),
        policyGeneration: describeInteger({
          format: 'int64',
          description: 'The policy generation that the conditions describe.',
        }),
        conditions: conditionsSchema,
        features: describeArray(describeString()),
        retryCount: describeMap(describeInteger()),
      },
      { description: 'The outcome of one policy on one node.' },
    ),
  },
  {
    description: 'The progress and outcome of one NodeNetworkConfigurationPolicy on one node.',
    preserveUnknownFields: true,
  },
);

/** NodeNetworkState v1beta1. */
export const stateSchema: Schema<NodeNetworkState> = describeObject<NodeNetworkState>(
  {
    apiVersion: apiVersionSchema,
    kind: kindSchema,
    metadata: metadataSchema,
    status: describeObject<NodeNetworkStateStatus>(
      {
        currentState: describeOpenObject<NetworkState>(),
        lastSuccessfulUpdateTime: describeDateTime(),
        conditions: conditionsSchema,
        handlerNetworkManagerVersion: describeString(),
        handlerNmstateVersion: describeString(),
        hostNetworkManagerVersion: describeString(),
      },
      { description: "The node's current network state as last reported." },
    ),
  },
  { description: 'The network state of one node.' },
);

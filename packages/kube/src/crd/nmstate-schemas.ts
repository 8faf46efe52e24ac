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
  arraySchema,
  dateTimeSchema,
  integerSchema,
  intOrStringSchema,
  mapSchema,
  objectSchema,
  opaqueObjectSchema,
  openObjectSchema,
  stringSchema,
  type Schema,
} from './schema-builder.js';

const apiVersionSchema = stringSchema({
  description: 'The versioned schema of this representation of the object (group/version).',
});
const kindSchema = stringSchema({ description: 'The REST resource this object represents, in CamelCase.' });
const metadataSchema = opaqueObjectSchema<ObjectMeta>();

const conditionSchema: Schema<Condition> = objectSchema<Condition>(
  {
    type: stringSchema(),
    status: stringSchema<Condition['status']>(),
    reason: stringSchema(),
    message: stringSchema(),
    lastHeartbeatTime: dateTimeSchema(),
    lastTransitionTime: dateTimeSchema(),
  },
  { required: ['status', 'type'] },
);
const conditionsSchema = arraySchema(conditionSchema);

/** NodeNetworkConfigurationPolicy, identical in v1 and v1beta1. */
export const policySchema: Schema<NodeNetworkConfigurationPolicy> = objectSchema<NodeNetworkConfigurationPolicy>(
  {
    apiVersion: apiVersionSchema,
    kind: kindSchema,
    metadata: metadataSchema,
    spec: objectSchema<NodeNetworkConfigurationPolicySpec>(
      {
        nodeSelector: mapSchema(stringSchema(), {
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
        capture: mapSchema(stringSchema(), {
          description: 'Named nmpolicy capture expressions that desiredState can reference.',
        }),
        desiredState: openObjectSchema<NetworkState>({
          description: 'The nmstate state to apply; validated by the controller, which reports problems in status.',
        }),
        maxUnavailable: intOrStringSchema({
          description: 'How many nodes (a number, or a percentage such as "25%") may apply the policy at once. Default "50%".',
        }),
      },
      { description: 'The desired network configuration and the nodes it applies to.' },
    ),
    status: objectSchema<NodeNetworkConfigurationPolicyStatus>(
      {
        conditions: conditionsSchema,
        unavailableNodeCount: integerSchema({
          description: 'Nodes that may be unavailable while processing the policy.',
        }),
        lastUnavailableNodeCountUpdate: dateTimeSchema({ description: 'When unavailableNodeCount was last updated.' }),
        unavailableNodeCountMap: mapSchema(integerSchema(), {
          description: 'Nodes that may be unavailable while processing the policy, per policy generation.',
        }),
      },
      { description: 'The observed state of the policy.' },
    ),
  },
  { description: 'A network configuration to apply to the nodes a selector matches.' },
);

const metaInfoSchema = objectSchema<EnactmentMetaInfo>({ version: stringSchema(), time: dateTimeSchema() });

/** NodeNetworkConfigurationEnactment v1beta1. */
export const enactmentSchema: Schema<NodeNetworkConfigurationEnactment> = objectSchema<NodeNetworkConfigurationEnactment>(
  {
    apiVersion: apiVersionSchema,
    kind: kindSchema,
    metadata: metadataSchema,
    status: objectSchema<NodeNetworkConfigurationEnactmentStatus>(
      {
        desiredState: openObjectSchema<NetworkState>({
          description: "The desired state rendered for the enactment's node from the policy's desiredState.",
        }),
        desiredStateMetaInfo: metaInfoSchema,
        capturedStates: mapSchema(
          objectSchema<EnactmentCapturedState>({ state: openObjectSchema<NetworkState>(), metaInfo: metaInfoSchema }),
          { description: "The policy's captures resolved against this node's state." },
        ),
        policyGeneration: integerSchema({
          format: 'int64',
          description: 'The policy generation that the conditions describe.',
        }),
        conditions: conditionsSchema,
        features: arraySchema(stringSchema()),
        retryCount: mapSchema(integerSchema()),
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
export const stateSchema: Schema<NodeNetworkState> = objectSchema<NodeNetworkState>(
  {
    apiVersion: apiVersionSchema,
    kind: kindSchema,
    metadata: metadataSchema,
    status: objectSchema<NodeNetworkStateStatus>(
      {
        currentState: openObjectSchema<NetworkState>(),
        lastSuccessfulUpdateTime: dateTimeSchema(),
        conditions: conditionsSchema,
        handlerNetworkManagerVersion: stringSchema(),
        handlerNmstateVersion: stringSchema(),
        hostNetworkManagerVersion: stringSchema(),
      },
      { description: "The node's current network state as last reported." },
    ),
  },
  { description: 'The network state of one node.' },
);

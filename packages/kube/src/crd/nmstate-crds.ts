import { enactmentSchema, policySchema, stateSchema } from './nmstate-schemas.js';
import type { JsonSchemaProps } from './schema-builder.js';

/** A column of `kubectl get` (additionalPrinterColumns). */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
}

/** One served version of a CRD. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  additionalPrinterColumns?: PrinterColumn[];
  schema: { openAPIV3Schema: JsonSchemaProps };
  subresources?: { status?: Record<string, never> };
}

/** An apiextensions.k8s.io/v1 CustomResourceDefinition. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[] };
    scope: 'Cluster' | 'Namespaced';
    versions: CrdVersion[];
  };
}

/** The API group of every kind here. */
export const NMSTATE_GROUP = 'nmstate.io';

const statusColumn: PrinterColumn = {
  name: 'Status',
  type: 'string',
  jsonPath: '.status.conditions[?(@.status=="True")].type',
  description: 'Status',
};
const reasonColumn: PrinterColumn = {
  name: 'Reason',
  type: 'string',
  jsonPath: '.status.conditions[?(@.status=="True")].reason',
  description: 'Reason',
};
const statusAgeColumn: PrinterColumn = {
  name: 'Status Age',
  type: 'date',
  jsonPath: '.status.conditions[?(@.status=="True")].lastTransitionTime',
  description: 'Status Age',
};

function buildClusterCrd(
  kind: string,
  plural: string,
  shortName: string,
  versions: CrdVersion[],
): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${NMSTATE_GROUP}` },
    spec: {
      group: NMSTATE_GROUP,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames: [shortName] },
      scope: 'Cluster',
      versions,
    },
  };
}

/**
 * The three nmstate.io CRDs, built from the TypeScript types through their
 * schemas: NodeNetworkConfigurationPolicy (v1 storage, v1beta1 served and
 * deprecated), NodeNetworkConfigurationEnactment v1beta1, NodeNetworkState v1beta1.
 */
export function buildNmstateCrds(): CustomResourceDefinition[] {
  const buildPolicyVersion = (name: string, storage: boolean): CrdVersion => {
    const version: CrdVersion = {
      name,
      served: true,
      storage,
      additionalPrinterColumns: [statusColumn, reasonColumn],
      schema: { openAPIV3Schema: policySchema.props },
      subresources: { status: {} },
    };
    if (!storage) version.deprecated = true;
    return version;
  };
  return [
    buildClusterCrd('NodeNetworkConfigurationEnactment', 'nodenetworkconfigurationenactments', 'nnce', [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        additionalPrinterColumns: [statusColumn, statusAgeColumn, reasonColumn],
        schema: { openAPIV3Schema: enactmentSchema.props },
        subresources: { status: {} },
      },
    ]),
    buildClusterCrd('NodeNetworkConfigurationPolicy', 'nodenetworkconfigurationpolicies', 'nncp', [
      buildPolicyVersion('v1', true),
      buildPolicyVersion('v1beta1', false),
    ]),
    buildClusterCrd('NodeNetworkState', 'nodenetworkstates', 'nns', [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: stateSchema.props },
        subresources: { status: {} },
      },
    ]),
  ];
}

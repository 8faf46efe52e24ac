/** Where a kind lives in the API: enough to build its REST paths. */
export interface ResourceDescriptor {
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  /** Lower-case plural, the path segment (`nodenetworkconfigurationpolicies`). */
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** NodeNetworkConfigurationPolicy through its storage version, v1. */
export const POLICY_RESOURCE: ResourceDescriptor = {
  group: 'nmstate.io',
  version: 'v1',
  plural: 'nodenetworkconfigurationpolicies',
  kind: 'NodeNetworkConfigurationPolicy',
  namespaced: false,
};

/** NodeNetworkConfigurationPolicy through the deprecated but served v1beta1. */
export const POLICY_RESOURCE_V1BETA1: ResourceDescriptor = { ...POLICY_RESOURCE, version: 'v1beta1' };

/** NodeNetworkConfigurationEnactment, v1beta1. */
export const ENACTMENT_RESOURCE: ResourceDescriptor = {
  group: 'nmstate.io',
  version: 'v1beta1',
  plural: 'nodenetworkconfigurationenactments',
  kind: 'NodeNetworkConfigurationEnactment',
  namespaced: false,
};

/** NodeNetworkState, v1beta1. */
export const STATE_RESOURCE: ResourceDescriptor = {
  group: 'nmstate.io',
  version: 'v1beta1',
  plural: 'nodenetworkstates',
  kind: 'NodeNetworkState',
  namespaced: false,
};

/** core/v1 Node. */
export const NODE_RESOURCE: ResourceDescriptor = { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false };

/** coordination.k8s.io/v1 Lease. */
export const LEASE_RESOURCE: ResourceDescriptor = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  kind: 'Lease',
  namespaced: true,
};

/** apiextensions.k8s.io/v1 CustomResourceDefinition. */
export const CRD_RESOURCE: ResourceDescriptor = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
};

/** `group/version`, or just `version` for the core group: the `apiVersion` of an object. */
export function formatApiVersion(resource: ResourceDescriptor): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/**
 * The REST path of a collection, or of one object when `name` is given, and
 * of its subresource when `subresource` is given.
 */
export function formatResourcePath(
  resource: ResourceDescriptor,
  options: { namespace?: string; name?: string; subresource?: string } = {},
): string {
  const prefix = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope = resource.namespaced && options.namespace !== undefined ? `/namespaces/${encodeURIComponent(options.namespace)}` : '';
  let path = `${prefix}${scope}/${resource.plural}`;
  if (options.name !== undefined) path += `/${encodeURIComponent(options.name)}`;
  if (options.subresource !== undefined) path += `/${options.subresource}`;
  return path;
}

import {
  KUBE_RESOURCES,
  KUBE_VERBS,
  STATUS_WRITE_RESOURCES,
  type KubeCode,
  type KubeResource,
  type KubeVerb,
  type StatusWriteResource,
} from './label-values.js';

// HTTP methods map to the verb they always mean; GET is left as `get` because
// list and watch are told apart by the client, not by the method.
const VERB_BY_METHOD: Readonly<Record<string, KubeVerb>> = {
  post: 'create',
  put: 'update',
};

// Kinds and singular names a client hook may pass instead of the plural resource.
const RESOURCE_BY_NAME: Readonly<Record<string, KubeResource>> = {
  nodenetworkconfigurationpolicy: 'nodenetworkconfigurationpolicies',
  nncp: 'nodenetworkconfigurationpolicies',
  nodenetworkconfigurationenactment: 'nodenetworkconfigurationenactments',
  nnce: 'nodenetworkconfigurationenactments',
  nodenetworkstate: 'nodenetworkstates',
  nns: 'nodenetworkstates',
  node: 'nodes',
  lease: 'leases',
};

// Codes a controller reacts to one by one; the rest only matter by class.
const EXACT_CODES = new Set([404, 409, 410, 422, 429]);

/**
 * Maps a verb as a Kubernetes client reports it (`list`, `LIST`, `POST`…) to
 * the bounded `verb` label; anything unknown becomes `other`.
 */
export function normaliseKubeVerb(verb: string): KubeVerb {
  const lower = verb.toLowerCase();
  if ((KUBE_VERBS as readonly string[]).includes(lower)) return lower as KubeVerb;
  return VERB_BY_METHOD[lower] ?? 'other';
}

/**
 * Maps a resource (`nodenetworkconfigurationpolicies`,
 * `nodenetworkconfigurationpolicies/status`, `NodeNetworkState`, `nnce`…) to
 * the bounded `resource` label; anything unknown becomes `other`.
 */
export function normaliseKubeResource(resource: string): KubeResource {
  const base = resource.toLowerCase().split('/')[0] ?? '';
  // A fully qualified name (`leases.coordination.k8s.io`) counts as its resource.
  const name = base.split('.')[0] ?? '';
  if ((KUBE_RESOURCES as readonly string[]).includes(name) && name !== 'other') return name as KubeResource;
  return RESOURCE_BY_NAME[name] ?? 'other';
}

/** Maps a resource the status writer names to the bounded `resource` label of its metrics. */
export function normaliseStatusWriteResource(resource: string): StatusWriteResource {
  const normalised = normaliseKubeResource(resource);
  return (STATUS_WRITE_RESOURCES as readonly string[]).includes(normalised) ? (normalised as StatusWriteResource) : 'other';
}

/**
 * Maps an HTTP status code to the bounded `code` label; `undefined` (no
 * response at all) becomes `error`.
 */
export function classifyKubeCode(code: number | undefined): KubeCode {
  if (code === undefined || !Number.isInteger(code) || code === 0) return 'error';
  if (EXACT_CODES.has(code)) return String(code) as KubeCode;
  if (code >= 200 && code < 300) return '2xx';
  if (code >= 400 && code < 500) return '4xx';
  if (code >= 500 && code < 600) return '5xx';
  return 'other';
}

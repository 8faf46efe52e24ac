import { KubeConfig } from '@kubernetes/client-node';
import { KubeError } from './kube-error.js';

/**
 * Loads the kubeconfig a process talks to the API server with: the file at `path`
 * when given (what `KUBECONFIG` names), else the in-cluster service account. Apps hand
 * the result to {@link createKubeClient} and never import `@kubernetes/client-node`.
 *
 * @throws KubeError `invalid-argument` when the file cannot be read or names no cluster,
 *   or when no path is given outside a cluster.
 */
export function loadKubeConfig(path?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    if (path !== undefined) kubeConfig.loadFromFile(path);
    else kubeConfig.loadFromCluster();
  } catch (error) {
    const source = path === undefined ? 'the in-cluster service account' : `kubeconfig ${path}`;
    throw new KubeError('invalid-argument', `cannot load ${source}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined || server === '' || /\/\/(undefined)?(:undefined)?$/.test(server)) {
    throw new KubeError(
      'invalid-argument',
      path === undefined
        ? 'no API server: not running in a cluster (no service host) and no kubeconfig given: expected KUBECONFIG'
        : `kubeconfig ${path} names no API server: expected a current context whose cluster has a server`,
    );
  }
  return kubeConfig;
}

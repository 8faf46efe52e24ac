/** What the simulator takes from its environment. Only this file reads `process.env`. */
export interface SimulatorEnvironment {
  /** `KUBECONFIG`: use this cluster instead of starting kube-apiserver. */
  kubeconfigPath?: string;
  /** `REDIS_URL`: use this Redis instead of starting one. */
  redisUrl?: string;
}

/** Reads `KUBECONFIG` and `REDIS_URL`. */
export function readSimulatorEnvironment(env: NodeJS.ProcessEnv = process.env): SimulatorEnvironment {
  const result: SimulatorEnvironment = {};
  if (env.KUBECONFIG) result.kubeconfigPath = env.KUBECONFIG;
  if (env.REDIS_URL) result.redisUrl = env.REDIS_URL;
  return result;
}

/** The environment a child process of the simulator inherits (the coordinator and agents). */
export function inheritedEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env };
}

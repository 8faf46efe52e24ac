import type { NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import { loadPolicies } from './policy-files.js';
import { Simulation, type SimulationOptions, type SimulationSummary } from './simulation.js';

/** Options of {@link runSimulation}: a fleet, and the policies to roll out. */
export interface RunSimulationOptions extends SimulationOptions {
  /** NNCP manifests of this folder. */
  policiesDir?: string;
  /** Or these policies. */
  policies?: NodeNetworkConfigurationPolicy[];
  /** How long policies may take to settle, in milliseconds. Default: 300 000. */
  settleTimeoutMs?: number;
}

/**
 * Runs one simulation from start to end: fleet up, policies applied, every policy
 * settled (as the API shows it), summary taken, everything stopped.
 */
export async function runSimulation(options: RunSimulationOptions): Promise<SimulationSummary> {
  const policies = options.policies ?? (options.policiesDir !== undefined ? loadPolicies(options.policiesDir) : []);
  if (policies.length === 0) throw new Error('no policies to roll out: expected --policies DIR with NodeNetworkConfigurationPolicy manifests');
  const simulation = await Simulation.start(options);
  try {
    await simulation.mark();
    options.log?.('applying policies', { policies: policies.length });
    await simulation.applyPolicies(policies);
    await simulation.waitUntilSettled({ ...(options.settleTimeoutMs !== undefined ? { timeoutMs: options.settleTimeoutMs } : {}) });
    return await simulation.summary();
  } finally {
    await simulation.stop();
  }
}

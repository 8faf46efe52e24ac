import type { AgentNode } from './agent.js';
import type { Probe } from './probes/probe.js';

/**
 * The node this machine is, served through NetworkManager. Its gateway and DNS
 * probes ping and resolve for real.
 */
export async function createRealNode(name: string, sharedProbes: readonly Probe[]): Promise<AgentNode> {
  void name;
  void sharedProbes;
  throw new Error('the NetworkManager backend is not exported by @nmfleet/nm-backend yet: run with --simulated');
}

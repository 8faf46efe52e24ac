import { createNetworkManagerBackend } from '@nmfleet/nm-backend';
import type { AgentNode } from './agent.js';
import { answersByResolving, createDnsProbe } from './probes/dns-probe.js';
import { createGatewayProbe, reachGatewayByPing } from './probes/gateway-probe.js';
import type { Probe } from './probes/probe.js';

/** Where the node's NetworkManager is. */
export interface RealNodeOptions {
  /** D-Bus address of NetworkManager's bus. Default: nm-backend's (the system bus, or `DBUS_SYSTEM_BUS_ADDRESS`). */
  busAddress?: string;
  /** Network namespace whose kernel state is read. Default: the agent's own. */
  namespace?: string;
  /** Probes besides gateway and DNS (API server, Redis). */
  sharedProbes?: readonly Probe[];
}

/**
 * The node this machine is, served through NetworkManager. Its gateway probe pings the
 * default gateway (a host without `ping` never selects it) and its DNS probe resolves
 * through the running name servers.
 */
export async function createRealNode(name: string, options: RealNodeOptions = {}): Promise<AgentNode> {
  const backend = await createNetworkManagerBackend({
    ...(options.busAddress !== undefined ? { busAddress: options.busAddress } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  });
  return {
    name,
    backend,
    probes: [
      createGatewayProbe({ reach: reachGatewayByPing }),
      createDnsProbe({ answers: answersByResolving() }),
      ...(options.sharedProbes ?? []),
    ],
  };
}

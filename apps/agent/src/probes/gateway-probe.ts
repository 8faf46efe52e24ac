import { spawn } from 'node:child_process';
import type { Probe } from './probe.js';
import { findDefaultGateways, isOnLink, type DefaultGateway } from './state-view.js';

/** How the gateway is reached once found: a real ping, or a check against a simulated state. */
export type ReachGateway = (gateway: DefaultGateway, state: unknown, signal: AbortSignal) => Promise<boolean>;

/** Options of {@link createGatewayProbe}. */
export interface GatewayProbeOptions {
  reach: ReachGateway;
}

/**
 * Default gateway reachable: every default route of the main table (IPv4 and IPv6,
 * as upstream's ping4/ping6) must answer. A host without a default route fails it,
 * so the probe is not selected there.
 */
export function createGatewayProbe(options: GatewayProbeOptions): Probe {
  return {
    kind: 'gateway',
    check: async ({ signal, readState }) => {
      const state = await readState();
      const gateways = findDefaultGateways(state);
      if (gateways.length === 0) return false;
      for (const gateway of gateways) {
        if (!(await options.reach(gateway, state, signal))) return false;
      }
      return true;
    },
  };
}

/** On a simulated host the gateway answers when an up interface is on its subnet. */
export const reachSimulatedGateway: ReachGateway = async (gateway, state) => isOnLink(state, gateway.nextHop, gateway.nextHopInterface);

/** On a real host: one `ping` through the route's interface (upstream's probe). */
export const reachGatewayByPing: ReachGateway = (gateway, _state, signal) =>
  new Promise((resolve) => {
    const args = ['-c', '1', '-W', '1'];
    if (gateway.nextHopInterface !== undefined) args.push('-I', gateway.nextHopInterface);
    args.push(gateway.nextHop);
    const child = spawn('ping', args, { stdio: 'ignore', signal });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });

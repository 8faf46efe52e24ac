import { Resolver } from 'node:dns/promises';
import type { Probe } from './probe.js';
import { findDefaultGateways, findRunningNameServers, hasDhcpNameServers, isOnLink } from './state-view.js';

/** The name upstream's DNS probe resolves by default (its NS records). */
export const DNS_PROBE_NAME = 'root-servers.net';

/** Options of {@link createDnsProbe}. */
export interface DnsProbeOptions {
  /** Whether one name server answers, given the state it was read from. */
  answers: (server: string, state: unknown, signal: AbortSignal) => Promise<boolean>;
}

/** DNS answers: one of the running name servers resolves. No name server fails the probe. */
export function createDnsProbe(options: DnsProbeOptions): Probe {
  return {
    kind: 'dns',
    check: async ({ signal, readState }) => {
      const state = await readState();
      const servers = findRunningNameServers(state);
      for (const server of servers) {
        if (await options.answers(server, state, signal)) return true;
      }
      // A host whose name servers come from DHCP has them even when none is configured.
      return servers.length === 0 && (await options.answers('', state, signal));
    },
  };
}

/**
 * On a simulated host a name server answers when it is on link or a default gateway
 * that is on link can forward to it; with no configured server, DHCP-provided ones
 * answer when an up interface takes DNS from DHCP.
 */
export async function answersOnSimulatedHost(server: string, state: unknown): Promise<boolean> {
  if (server === '') return hasDhcpNameServers(state);
  if (isOnLink(state, server)) return true;
  const family = server.includes(':') ? 6 : 4;
  return findDefaultGateways(state).some((gw) => gw.family === family && isOnLink(state, gw.nextHop, gw.nextHopInterface));
}

/** On a real host: resolve the probe name through that very server. */
export function answersByResolving(name: string = DNS_PROBE_NAME): DnsProbeOptions['answers'] {
  return async (server, _state, signal) => {
    if (server === '') return false;
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([server]);
    signal.addEventListener('abort', () => resolver.cancel(), { once: true });
    try {
      if (name === DNS_PROBE_NAME) await resolver.resolveNs(name);
      else await resolver.resolve(name);
      return true;
    } catch {
      return false;
    }
  };
}

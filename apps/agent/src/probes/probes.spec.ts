import { describe, expect, it } from 'vitest';
import { buildTypicalNodeState } from '../simulated/typical-node-state.js';
import { answersOnSimulatedHost, createDnsProbe } from './dns-probe.js';
import { createGatewayProbe, reachSimulatedGateway } from './gateway-probe.js';
import { runProbe, shareProbe, type Probe } from './probe.js';

/** A typical node as `show` prints it: the simulated host reports running = config. */
function shown(typical: object): Record<string, unknown> {
  const state = typical as Record<string, unknown>;
  const routes = state.routes as { config: unknown[] };
  const dns = state['dns-resolver'] as { config: unknown };
  return { ...state, routes: { running: routes.config, config: routes.config }, 'dns-resolver': { running: dns.config, config: dns.config } };
}

const probesFor = (state: unknown) => {
  const gateway = createGatewayProbe({ reach: reachSimulatedGateway });
  const dns = createDnsProbe({ answers: answersOnSimulatedHost });
  const readState = async () => state;
  return {
    gateway: { kind: gateway.kind, check: () => runProbe(gateway, 1000, readState) } as Probe,
    dns: { kind: dns.kind, check: () => runProbe(dns, 1000, readState) } as Probe,
  };
};

describe('simulated gateway and DNS probes', () => {
  it('pass on a typical node', async () => {
    const { gateway, dns } = probesFor(shown(buildTypicalNodeState(3)));
    expect(await runProbe(gateway)).toBe(true);
    expect(await runProbe(dns)).toBe(true);
  });

  it('fail once eth0 leaves the gateway’s subnet', async () => {
    const state = shown(buildTypicalNodeState(3));
    const eth0 = (state.interfaces as { ipv4: { address: { ip: string }[] } }[])[0];
    if (eth0?.ipv4.address[0]) eth0.ipv4.address[0].ip = '198.51.100.3';
    const { gateway, dns } = probesFor(state);
    expect(await runProbe(gateway)).toBe(false);
    expect(await runProbe(dns)).toBe(false);
  });

  it('fail without a default route; DNS from DHCP still answers', async () => {
    const state = shown({ ...buildTypicalNodeState(0), routes: { config: [] }, 'dns-resolver': { config: {} } });
    const interfaces = state.interfaces as { name: string; ipv4: Record<string, unknown> }[];
    const eth1 = interfaces.find((i) => i.name === 'eth1');
    if (eth1) eth1.ipv4 = { enabled: true, dhcp: true };
    const { gateway, dns } = probesFor(state);
    expect(await runProbe(gateway)).toBe(false);
    expect(await runProbe(dns)).toBe(true);
  });
});

describe('runProbe and shareProbe', () => {
  it('fails a probe that throws or outlives its deadline', async () => {
    const throwing: Probe = { kind: 'redis', check: async () => Promise.reject(new Error('down')) };
    const hanging: Probe = { kind: 'redis', check: () => new Promise(() => {}) };
    expect(await runProbe(throwing)).toBe(false);
    expect(await runProbe(hanging, 20)).toBe(false);
  });

  it('shares one answer for the TTL', async () => {
    let calls = 0;
    let time = 0;
    const probe = shareProbe({ kind: 'api-server', check: async () => (calls += 1) > 0 }, 100, () => time);
    await runProbe(probe);
    await runProbe(probe);
    time = 150;
    await runProbe(probe);
    expect(calls).toBe(2);
  });
});

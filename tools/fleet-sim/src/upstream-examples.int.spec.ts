import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAppliesPerEnactment } from './apply-timeline.js';
import { Simulation, type SimulationSummary } from './simulation.js';
import { buildUpstreamFleet } from './upstream-fleet.js';

interface Table {
  columnDefinitions: { name: string }[];
  rows: { cells: unknown[] }[];
}

let simulation: Simulation;
let summary: SimulationSummary;

async function readTable(path: string): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const response = await simulation.client.send(
    { verb: 'list', resource: 'table' },
    { method: 'GET', path, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
  );
  const table = response.body as Table;
  const columns = table.columnDefinitions.map((c) => c.name);
  return { columns, rows: table.rows.map((row) => Object.fromEntries(columns.map((name, i) => [name, row.cells[i]]))) };
}

beforeAll(async () => {
  const fleet = buildUpstreamFleet();
  simulation = await Simulation.start({ nodeSpecs: fleet.nodes, latencyMs: 30, statusQps: 200, statusBurst: 200 });
  await simulation.mark();
  await simulation.applyPolicies(fleet.policies);
  await simulation.waitUntilSettled({ timeoutMs: 180_000 });
  summary = await simulation.summary();
  console.log(
    `[upstream examples] ${summary.nodes} nodes x ${summary.policies.length} policies: settled in ${summary.wallSeconds}s, ` +
      `${summary.applies.total} applies, ${summary.apiRequests.total} API requests (simulator ${summary.apiRequests.simulator}) ${JSON.stringify(summary.apiRequests.byVerb)}`,
  );
});

afterAll(async () => {
  await simulation?.stop();
});

describe('50 nodes × 20 upstream policies', () => {
  it('ends with every policy Available on every matching node', () => {
    expect(summary.nodes).toBe(50);
    expect(summary.policies).toHaveLength(20);
    for (const policy of summary.policies) {
      expect({ name: policy.name, status: policy.status, reason: policy.reason }).toEqual({
        name: policy.name,
        status: 'Available',
        reason: 'SuccessfullyConfigured',
      });
      expect(policy.nodes.matching, policy.name).toBeGreaterThan(0);
      expect(policy.nodes.available, policy.name).toBe(policy.nodes.matching);
      expect(policy.message, policy.name).toBe(`${policy.nodes.matching}/${policy.nodes.matching} nodes successfully configured`);
      expect(policy.maxInProgress, policy.name).toBeLessThanOrEqual(policy.maxUnavailable);
    }
  });

  it('applied each policy once per matching node', () => {
    const applies = countAppliesPerEnactment(simulation.timeline());
    const expected = summary.policies.reduce((sum, policy) => sum + policy.nodes.matching, 0);
    expect(applies.size).toBe(expected);
    expect([...applies.values()].every((count) => count === 1)).toBe(true);
  });

  it('renders captures per node: the bridge on the default gateway interface keeps each node’s own address', () => {
    const enactments = simulation.listEnactments().filter((e) => e.metadata?.labels?.['nmstate.io/policy'] === 'bridge-on-default-gw');
    expect(enactments.length).toBeGreaterThan(1);
    const addresses = enactments.map((e) => {
      const br1 = (e.status?.desiredState?.interfaces ?? []).find((i) => i.name === 'br1') as { ipv4?: { address?: { ip: string }[] } } | undefined;
      return br1?.ipv4?.address?.[0]?.ip;
    });
    expect(addresses.every((ip) => typeof ip === 'string' && ip.startsWith('192.0.2.'))).toBe(true);
    expect(new Set(addresses).size).toBe(enactments.length);
    expect(enactments.every((e) => e.status?.capturedStates?.['base-iface'] !== undefined)).toBe(true);
  });

  it('shows upstream’s Status and Reason columns in the table view of NNCPs and NNCEs', async () => {
    const policies = await readTable('/apis/nmstate.io/v1/nodenetworkconfigurationpolicies');
    expect(policies.columns).toEqual(expect.arrayContaining(['Name', 'Status', 'Reason']));
    expect(policies.rows).toHaveLength(20);
    for (const row of policies.rows) expect([row.Name, row.Status, row.Reason]).toEqual([row.Name, 'Available', 'SuccessfullyConfigured']);

    const enactments = await readTable('/apis/nmstate.io/v1beta1/nodenetworkconfigurationenactments');
    expect(enactments.columns).toEqual(expect.arrayContaining(['Name', 'Status', 'Status Age', 'Reason']));
    const expected = summary.policies.reduce((sum, policy) => sum + policy.nodes.matching, 0);
    expect(enactments.rows).toHaveLength(expected);
    for (const row of enactments.rows) expect([row.Name, row.Status, row.Reason]).toEqual([row.Name, 'Available', 'SuccessfullyConfigured']);
    expect(enactments.rows.map((row) => row.Name)).toContain('sim-node-000.dhcp');
  });

  it('reports every node’s state as its NodeNetworkState', async () => {
    const states = await simulation.client.states.listAll();
    expect(states.items.map((s) => s.metadata?.name).sort()).toEqual(simulation.nodes.map((n) => n.name).sort());
    const bond = states.items.find((s) => s.metadata?.name === simulation.nodes.find((n) => n.labels['nmfleet.io/group'] === 'bond')?.name);
    expect((bond?.status?.currentState?.interfaces ?? []).map((i) => i.name)).toContain('bond0.102');
    expect(bond?.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });
});

import type { NodeNetworkConfigurationEnactment, NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import { describe, expect, it } from 'vitest';
import { parseApiRequestCounts, subtractApiRequestCounts } from './api-request-counter.js';
import { generateNodes } from './fleet-nodes.js';
import { isPolicySettled, viewPolicies } from './policy-view.js';

const nodes = generateNodes(4);

function policy(name: string, conditionType: string | undefined, message = ''): NodeNetworkConfigurationPolicy {
  return {
    metadata: { name, generation: 2 },
    spec: { maxUnavailable: '50%' },
    status: conditionType ? { conditions: [{ type: conditionType, status: 'True', reason: 'R', message }] } : {},
  };
}

function enactment(node: string, policyName: string, type: string, generation = 2): NodeNetworkConfigurationEnactment {
  return {
    metadata: { name: `${node}.${policyName}`, labels: { 'nmstate.io/policy': policyName } },
    status: { policyGeneration: generation, conditions: [{ type, status: 'True' }] },
  };
}

describe('viewPolicies and isPolicySettled', () => {
  it('settles only when every matching node’s enactment of the current generation is final', () => {
    const all = nodes.map((n) => enactment(n.name, 'p', 'Available'));
    const [settled] = viewPolicies([policy('p', 'Available')], all, nodes);
    expect(settled).toMatchObject({ status: 'Available', maxUnavailable: 2, nodes: { matching: 4, available: 4 } });
    expect(settled && isPolicySettled(settled)).toBe(true);

    const stale = [...all.slice(0, 3), enactment(nodes[3]?.name ?? '', 'p', 'Available', 1)];
    const [behind] = viewPolicies([policy('p', 'Available')], stale, nodes);
    expect(behind && isPolicySettled(behind)).toBe(false);

    const [progressing] = viewPolicies([policy('p', 'Progressing')], all, nodes);
    expect(progressing && isPolicySettled(progressing)).toBe(false);
  });

  it('treats a Degraded policy without enactment counts as refused (settled), and one with counts by its enactments', () => {
    const [refused] = viewPolicies([policy('p', 'Degraded', 'invalid desiredState: …')], [], nodes);
    expect(refused && isPolicySettled(refused)).toBe(true);
    const [degraded] = viewPolicies([policy('p', 'Degraded', '1/4 nodes failed to configure')], [enactment('sim-node-000', 'p', 'Failing')], nodes);
    expect(degraded && isPolicySettled(degraded)).toBe(false);
  });
});

describe('parseApiRequestCounts', () => {
  it('sums apiserver_request_total by verb, resource and code, and subtracts readings', () => {
    const before = parseApiRequestCounts(
      ['# TYPE apiserver_request_total counter', 'apiserver_request_total{code="201",component="apiserver",group="nmstate.io",resource="nodenetworkconfigurationenactments",verb="POST"} 3'].join('\n'),
    );
    const after = parseApiRequestCounts(
      [
        'apiserver_request_total{code="201",component="apiserver",group="nmstate.io",resource="nodenetworkconfigurationenactments",verb="POST"} 10',
        'apiserver_request_total{code="200",component="apiserver",group="",resource="",subresource="/readyz",verb="GET"} 2',
        'apiserver_request_duration_seconds_count{verb="GET"} 99',
      ].join('\n'),
    );
    expect(subtractApiRequestCounts(after, before)).toEqual({
      total: 9,
      byVerb: { POST: 7, GET: 2 },
      byResource: { nodenetworkconfigurationenactments: 7, '(/readyz)': 2 },
      byCode: { '201': 7, '200': 2 },
    });
  });
});

import type { NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import { HOSTNAME_LABEL, WORKER_LABEL, type NodeSpec } from '../fleet-nodes.js';

/** The label the suites' own policies select on. */
export const SUITE_GROUP_LABEL = 'nmfleet.io/suite-group';

/** `count` nodes per group, labelled with their group. */
export function buildGroupedNodes(groups: Record<string, number>): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  for (const [group, count] of Object.entries(groups)) {
    for (let i = 0; i < count; i += 1) {
      const name = `sim-node-${String(nodes.length).padStart(3, '0')}`;
      nodes.push({ name, labels: { [HOSTNAME_LABEL]: name, [WORKER_LABEL]: '', [SUITE_GROUP_LABEL]: group } });
    }
  }
  return nodes;
}

/** A policy that sets eth1's MTU on the nodes of one group. */
export function buildMtuPolicy(
  name: string,
  group: string,
  mtu: number,
  maxUnavailable?: number | string,
): NodeNetworkConfigurationPolicy {
  return {
    apiVersion: 'nmstate.io/v1',
    kind: 'NodeNetworkConfigurationPolicy',
    metadata: { name },
    spec: {
      nodeSelector: { [SUITE_GROUP_LABEL]: group },
      ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
      desiredState: { interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up', mtu }] } as never,
    },
  };
}

import { findCondition, type NodeNetworkConfigurationEnactment, type NodeNetworkConfigurationPolicy } from '@nmfleet/kube';
import { resolveMaxUnavailable, selectNodes } from '@nmfleet/planner';
import type { NodeSpec } from './fleet-nodes.js';

/** Enactment counts of a policy's current generation, as the API shows them. */
export interface PolicyNodeCounts {
  matching: number;
  available: number;
  failing: number;
  aborted: number;
  pending: number;
  progressing: number;
}

/** One policy as users see it through the API. */
export interface PolicyView {
  name: string;
  generation: number;
  /** The condition that is True (`Available`, `Degraded`, `Progressing`, `Ignored`), or `Pending` when none is. */
  status: string;
  reason: string;
  message: string;
  nodes: PolicyNodeCounts;
  /** maxUnavailable resolved against the matching nodes. */
  maxUnavailable: number;
}

const POLICY_CONDITIONS = ['Available', 'Degraded', 'Progressing', 'Ignored'] as const;
const ENACTMENT_CONDITIONS = ['Available', 'Failing', 'Aborted', 'Pending', 'Progressing'] as const;

/** Builds the view of every policy from the API's objects and the registered nodes. */
export function viewPolicies(
  policies: readonly NodeNetworkConfigurationPolicy[],
  enactments: readonly NodeNetworkConfigurationEnactment[],
  nodes: readonly NodeSpec[],
): PolicyView[] {
  const byPolicy = new Map<string, NodeNetworkConfigurationEnactment[]>();
  for (const enactment of enactments) {
    const policy = enactment.metadata?.labels?.['nmstate.io/policy'];
    if (policy === undefined) continue;
    const list = byPolicy.get(policy) ?? [];
    list.push(enactment);
    byPolicy.set(policy, list);
  }
  return policies
    .map((policy): PolicyView => {
      const name = policy.metadata?.name ?? '';
      const generation = policy.metadata?.generation ?? 1;
      const conditions = policy.status?.conditions;
      const trueType = POLICY_CONDITIONS.find((type) => findCondition(conditions, type)?.status === 'True');
      const condition = trueType === undefined ? undefined : findCondition(conditions, trueType);
      const matching = selectNodes(policy.spec?.nodeSelector, nodes).length;
      let maxUnavailable = 0;
      try {
        maxUnavailable = resolveMaxUnavailable(policy.spec?.maxUnavailable, matching);
      } catch {
        maxUnavailable = 0;
      }
      const counts: PolicyNodeCounts = { matching, available: 0, failing: 0, aborted: 0, pending: 0, progressing: 0 };
      for (const enactment of byPolicy.get(name) ?? []) {
        if (enactment.status?.policyGeneration !== generation) continue;
        const phase = ENACTMENT_CONDITIONS.find((type) => findCondition(enactment.status?.conditions, type)?.status === 'True');
        if (phase === 'Available') counts.available += 1;
        else if (phase === 'Failing') counts.failing += 1;
        else if (phase === 'Aborted') counts.aborted += 1;
        else if (phase === 'Progressing') counts.progressing += 1;
        else counts.pending += 1;
      }
      return {
        name,
        generation,
        status: trueType ?? 'Pending',
        reason: condition?.reason ?? '',
        message: condition?.message ?? '',
        nodes: counts,
        maxUnavailable,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Whether a policy has settled as users see it: Ignored with no matching node;
 * refused (Degraded without any enactment count in its message: an invalid spec);
 * or Available/Degraded with every matching node's enactment of the current
 * generation final (Available, Failing or Aborted).
 */
export function isPolicySettled(view: PolicyView): boolean {
  if (view.status === 'Ignored') return view.nodes.matching === 0;
  if (view.status === 'Degraded' && !/nodes failed to configure/.test(view.message)) return true;
  if (view.status !== 'Available' && view.status !== 'Degraded') return false;
  const { matching, available, failing, aborted } = view.nodes;
  return available + failing + aborted === matching;
}

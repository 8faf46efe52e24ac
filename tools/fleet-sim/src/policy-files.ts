import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { NodeNetworkConfigurationPolicy } from '@nmfleet/kube';

const POLICY_KIND = 'NodeNetworkConfigurationPolicy';

/** The NodeNetworkConfigurationPolicy documents of every `*.yaml`/`*.yml`/`*.json` file in `dir` (other kinds are skipped). */
export function loadPolicies(dir: string): NodeNetworkConfigurationPolicy[] {
  const files = readdirSync(dir)
    .filter((file) => /\.(ya?ml|json)$/.test(file))
    .sort();
  const policies: NodeNetworkConfigurationPolicy[] = [];
  for (const file of files) {
    const path = join(dir, file);
    let documents: unknown[];
    try {
      documents = loadAll(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`${path}: not YAML: ${(error as Error).message}`);
    }
    for (const document of documents) {
      if ((document as { kind?: unknown } | null)?.kind !== POLICY_KIND) continue;
      const policy = document as NodeNetworkConfigurationPolicy;
      if (typeof policy.metadata?.name !== 'string') throw new Error(`${path}: a ${POLICY_KIND} without metadata.name`);
      policies.push(policy);
    }
  }
  const names = new Set<string>();
  for (const policy of policies) {
    const name = policy.metadata?.name ?? '';
    if (names.has(name)) throw new Error(`${dir}: two policies are named ${name}`);
    names.add(name);
  }
  return policies;
}

/** A policy as the simulator creates it: only what a user writes (no status, no server fields). */
export function toManifest(policy: NodeNetworkConfigurationPolicy): NodeNetworkConfigurationPolicy {
  return {
    apiVersion: policy.apiVersion ?? 'nmstate.io/v1',
    kind: POLICY_KIND,
    metadata: { name: policy.metadata?.name ?? '', ...(policy.metadata?.labels ? { labels: policy.metadata.labels } : {}) },
    spec: policy.spec,
  };
}

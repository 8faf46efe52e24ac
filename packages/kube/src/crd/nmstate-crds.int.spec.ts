import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startControlPlane, type ControlPlane } from '@nmfleet/testenv';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_RESOURCE_V1BETA1 } from '../api/api-resources.js';
import type { NodeNetworkConfigurationPolicy } from '../api/node-network-configuration-policy.js';
import { createKubeClient, type KubeClient } from '../client/kube-client.js';
import { installNmstateCrds } from './install-crds.js';

const EXAMPLES = fileURLToPath(new URL('../../../../testdata/upstream/kubernetes-nmstate/examples/', import.meta.url));

function loadUpstreamPolicies(): { file: string; policy: NodeNetworkConfigurationPolicy }[] {
  return readdirSync(EXAMPLES)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      (yaml.loadAll(readFileSync(`${EXAMPLES}${file}`, 'utf8')) as NodeNetworkConfigurationPolicy[])
        .filter((doc) => doc?.kind === 'NodeNetworkConfigurationPolicy')
        .map((policy) => ({ file, policy })),
    );
}

describe('generated CRDs on a real kube-apiserver', () => {
  let plane: ControlPlane;
  let client: KubeClient;

  beforeAll(async () => {
    plane = await startControlPlane();
    client = createKubeClient({ kubeConfig: plane.kubeConfig() });
    await installNmstateCrds(client);
  });

  afterAll(async () => {
    await plane?.stop();
  });

  const policies = loadUpstreamPolicies();

  it('finds the upstream example policies', () => {
    expect(policies.length).toBeGreaterThanOrEqual(19);
  });

  it.each(policies.map((p) => [p.file, p.policy] as const))(
    '%s: created through v1, read back unchanged through v1beta1',
    async (_file, policy) => {
      const created = await client.policies.create(policy);
      expect(created.metadata?.generation).toBe(1);
      const name = policy.metadata?.name as string;
      const readBack = await client.resource<NodeNetworkConfigurationPolicy>(POLICY_RESOURCE_V1BETA1).get(name);
      expect(readBack.apiVersion).toBe('nmstate.io/v1beta1');
      expect(readBack.spec).toEqual(policy.spec);
    },
  );

  it('rejects node selector keys that are not qualified names, as upstream does', async () => {
    await expect(
      client.policies.create({ metadata: { name: 'bad-selector' }, spec: { nodeSelector: { 'not a key!': 'x' }, desiredState: { interfaces: [] } } }),
    ).rejects.toMatchObject({ kind: 'invalid', message: expect.stringContaining('nodeSelector keys must be valid qualified names') });
  });

  it('keeps maxUnavailable as given, number or percentage', async () => {
    await client.policies.create({ metadata: { name: 'max-number' }, spec: { maxUnavailable: 3, desiredState: { interfaces: [] } } });
    await client.policies.create({ metadata: { name: 'max-percent' }, spec: { maxUnavailable: '25%', desiredState: { interfaces: [] } } });
    expect((await client.policies.get('max-number')).spec.maxUnavailable).toBe(3);
    expect((await client.policies.get('max-percent')).spec.maxUnavailable).toBe('25%');
  });

  it('serves short names and printer columns from the CRD', async () => {
    const response = await client.send(
      { verb: 'list', resource: 'nodenetworkconfigurationpolicies' },
      {
        method: 'GET',
        path: '/apis/nmstate.io/v1/nodenetworkconfigurationpolicies',
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      },
    );
    const table = response.body as { columnDefinitions: { name: string; type: string }[] };
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Status', 'Reason']);
    const discovery = await client.send(
      { verb: 'get', resource: 'apis' },
      { method: 'GET', path: '/apis/nmstate.io/v1beta1' },
    );
    const resources = (discovery.body as { resources: { name: string; shortNames?: string[] }[] }).resources;
    expect(resources.filter((r) => !r.name.includes('/')).map((r) => [r.name, r.shortNames])).toEqual(
      expect.arrayContaining([
        ['nodenetworkconfigurationpolicies', ['nncp']],
        ['nodenetworkconfigurationenactments', ['nnce']],
        ['nodenetworkstates', ['nns']],
      ]),
    );
  });
});

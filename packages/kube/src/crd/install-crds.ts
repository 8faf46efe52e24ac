import { CRD_RESOURCE } from '../api/api-resources.js';
import type { KubeObject } from '../api/object-meta.js';
import type { KubeClient } from '../client/kube-client.js';
import { KubeError } from '../client/kube-error.js';
import { sleep } from '../time/clock.js';
import { buildNmstateCrds, type CustomResourceDefinition } from './nmstate-crds.js';

/** Options of {@link installNmstateCrds}. */
export interface InstallCrdsOptions {
  /** Field manager of the apply. Default `nmfleet-crd-installer`. */
  fieldManager?: string;
  /** How long to wait for the API server to serve the kinds. Default 60 000 ms. */
  timeoutMs?: number;
  /** Interval between readiness checks. Default 200 ms. */
  pollIntervalMs?: number;
}

type CrdObject = KubeObject & {
  status?: { conditions?: { type: string; status: string; message?: string }[] };
};

/**
 * Applies the nmstate.io CRDs (server-side apply, so it also upgrades them)
 * and waits until each is Established, i.e. its kinds can be used.
 */
export async function installNmstateCrds(client: KubeClient, options: InstallCrdsOptions = {}): Promise<CustomResourceDefinition[]> {
  const crds = buildNmstateCrds();
  const resource = client.resource<CrdObject>(CRD_RESOURCE);
  const fieldManager = options.fieldManager ?? 'nmfleet-crd-installer';
  for (const crd of crds) {
    await resource.apply(crd as unknown as CrdObject, { fieldManager, force: true });
  }
  const deadline = client.clock.now() + (options.timeoutMs ?? 60_000);
  for (const crd of crds) {
    for (;;) {
      const current = await resource.get(crd.metadata.name);
      const established = current.status?.conditions?.find((c) => c.type === 'Established');
      if (established?.status === 'True') break;
      if (client.clock.now() >= deadline) {
        throw new KubeError('unavailable', `CRD ${crd.metadata.name} was not Established in time: ${established?.message ?? 'no condition yet'}`);
      }
      await sleep(client.clock, options.pollIntervalMs ?? 200);
    }
  }
  return crds;
}

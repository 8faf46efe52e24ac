import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compareCrds } from './crd-compatibility.js';
import { buildNmstateCrds, type CustomResourceDefinition } from './nmstate-crds.js';

const upstreamDir = fileURLToPath(new URL('../../../../testdata/upstream/kubernetes-nmstate/crds/', import.meta.url));

/**
 * What our CRDs accept beyond upstream's. Each entry is an optional addition
 * that an upstream manifest never needs; keep this list in step with
 * docs/adr/0004-status-writing.md.
 */
const DOCUMENTED_ADDITIONS: string[] = [];

function readUpstream(plural: string): CustomResourceDefinition {
  return yaml.load(readFileSync(`${upstreamDir}nmstate.io_${plural}.yaml`, 'utf8')) as CustomResourceDefinition;
}

function findOurs(plural: string): CustomResourceDefinition {
  const crd = buildNmstateCrds().find((c) => c.spec.names.plural === plural);
  if (crd === undefined) throw new Error(`no CRD for ${plural}`);
  return crd;
}

const PLURALS = ['nodenetworkconfigurationpolicies', 'nodenetworkconfigurationenactments', 'nodenetworkstates'];

describe('our CRDs against upstream kubernetes-nmstate', () => {
  it.each(PLURALS)('%s: every upstream field, version, column and subresource is here, compatibly', (plural) => {
    const comparison = compareCrds(readUpstream(plural), findOurs(plural));
    expect(comparison.incompatibilities).toEqual([]);
    expect(comparison.additions.filter((a) => !DOCUMENTED_ADDITIONS.includes(a))).toEqual([]);
  });

  it('covers every upstream nmstate.io kind this project serves, and no other', () => {
    expect(buildNmstateCrds().map((c) => c.spec.names.plural).sort()).toEqual([...PLURALS].sort());
  });
});

describe('compareCrds', () => {
  const upstream = readUpstream('nodenetworkconfigurationpolicies');
  const mutate = (change: (crd: CustomResourceDefinition) => void): CustomResourceDefinition => {
    const copy = structuredClone(findOurs('nodenetworkconfigurationpolicies'));
    change(copy);
    return copy;
  };
  const schemaOf = (crd: CustomResourceDefinition, version = 0) => {
    const v = crd.spec.versions[version];
    if (v === undefined) throw new Error('no such version');
    return v.schema.openAPIV3Schema;
  };

  it('reports a missing field', () => {
    const ours = mutate((crd) => delete schemaOf(crd).properties?.spec?.properties?.capture);
    expect(compareCrds(upstream, ours).incompatibilities).toContainEqual(expect.stringContaining('.spec.capture: missing'));
  });

  it('reports a changed type', () => {
    const ours = mutate((crd) => {
      const status = schemaOf(crd).properties?.status?.properties;
      if (status?.unavailableNodeCount) status.unavailableNodeCount = { type: 'string' };
    });
    expect(compareCrds(upstream, ours).incompatibilities).toContainEqual(
      expect.stringContaining('.status.unavailableNodeCount: type string, upstream integer'),
    );
  });

  it('reports a new requirement, a printer column change, a storage flip and a pruned state', () => {
    const ours = mutate((crd) => {
      const spec = schemaOf(crd).properties?.spec;
      if (spec) spec.required = ['desiredState'];
      const desired = spec?.properties?.desiredState;
      if (desired) delete desired['x-kubernetes-preserve-unknown-fields'];
      const v1 = crd.spec.versions[0];
      if (v1) {
        v1.additionalPrinterColumns = v1.additionalPrinterColumns?.slice(0, 1);
        v1.storage = false;
      }
    });
    const { incompatibilities } = compareCrds(upstream, ours);
    expect(incompatibilities).toContainEqual(expect.stringContaining('requires desiredState'));
    expect(incompatibilities).toContainEqual(expect.stringContaining('printer columns'));
    expect(incompatibilities).toContainEqual(expect.stringContaining('storage=false'));
    expect(incompatibilities).toContainEqual(expect.stringContaining('prunes unknown fields'));
  });

  it('lists an added optional field as an addition, not an incompatibility', () => {
    const ours = mutate((crd) => {
      const status = schemaOf(crd).properties?.status;
      if (status?.properties) status.properties.observedGeneration = { type: 'integer' };
    });
    const comparison = compareCrds(upstream, ours);
    expect(comparison.incompatibilities).toEqual([]);
    // v1 and v1beta1 share one schema object, so the change shows in both.
    expect(comparison.additions).toEqual([
      'nodenetworkconfigurationpolicies.nmstate.io v1 .status.observedGeneration',
      'nodenetworkconfigurationpolicies.nmstate.io v1beta1 .status.observedGeneration',
    ]);
  });
});

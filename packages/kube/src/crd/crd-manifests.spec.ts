import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderNmstateCrdManifests } from './crd-manifests.js';

const crdDir = fileURLToPath(new URL('../../../../deploy/crds/', import.meta.url));

describe('deploy/crds', () => {
  const manifests = renderNmstateCrdManifests();

  it.each(manifests.map((m) => [m.fileName, m] as const))(
    '%s is what the generator prints (run `npm run generate:crds` after changing the types)',
    (fileName, manifest) => {
      expect(readFileSync(`${crdDir}${fileName}`, 'utf8')).toBe(manifest.yaml);
    },
  );

  it('holds no manifest the generator does not produce', () => {
    const files = readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(manifests.map((m) => m.fileName).sort());
  });
});

import yaml from 'js-yaml';
import { buildNmstateCrds, type CustomResourceDefinition } from './nmstate-crds.js';

/** A CRD manifest file: its name under `deploy/crds/` and its YAML text. */
export interface CrdManifest {
  fileName: string;
  crd: CustomResourceDefinition;
  yaml: string;
}

/** File name of a CRD, as upstream names them: `<group>_<plural>.yaml`. */
export function formatCrdFileName(crd: CustomResourceDefinition): string {
  return `${crd.spec.group}_${crd.spec.names.plural}.yaml`;
}

/** Serialises a CRD the way controller-gen does: a document marker, keys sorted, no line folding. */
export function renderCrdYaml(crd: CustomResourceDefinition): string {
  return `---\n${yaml.dump(crd, { sortKeys: true, lineWidth: -1, noRefs: true, noArrayIndent: true })}`;
}

/** Every manifest of `deploy/crds/`, in file-name order. */
export function renderNmstateCrdManifests(): CrdManifest[] {
  return buildNmstateCrds()
    .map((crd) => ({ fileName: formatCrdFileName(crd), crd, yaml: renderCrdYaml(crd) }))
    .sort((a, b) => a.fileName.localeCompare(b.fileName));
}

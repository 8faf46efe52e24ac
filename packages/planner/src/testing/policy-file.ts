/* Test support for specs that read nmpolicy files; not exported from the package. */
import { loadYaml } from '@nmfleet/model';

/**
 * The `capture` section of an nmpolicy file (top level) or NNCP manifest (under
 * `spec`), read with the model's YAML loader, which resolves scalars as nmstate's
 * serde_yaml does. (The model parses the `desiredState`.)
 */
export function readCaptureSection(text: string): Record<string, string> {
  const document = loadYaml(text) as { capture?: unknown; spec?: { capture?: unknown } } | null;
  const capture = document?.capture ?? document?.spec?.capture ?? {};
  if (typeof capture !== 'object' || capture === null || Array.isArray(capture)) {
    throw new Error('capture must be a mapping of names to expressions');
  }
  return Object.fromEntries(
    Object.entries(capture).map(([name, expression]) => {
      if (typeof expression !== 'string') throw new Error(`capture.${name} must be a string expression`);
      return [name, expression];
    }),
  );
}

/**
 * The upstream corpora the model is checked against: nmstate's examples (with the
 * `current.yml`/`expected.yml` states of its nmpolicy cases) and the `desiredState` of
 * every kubernetes-nmstate NodeNetworkConfigurationPolicy example.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

/** The repository root, found from this file (never through /work/shared). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const UPSTREAM = join(REPO_ROOT, 'testdata', 'upstream');

/** One state document of a corpus. */
export interface CorpusDocument {
  /** Path relative to the repository root, for messages. */
  name: string;
  /** Absolute path of the file holding it. */
  file: string;
  text: string;
  /** Where the state sits in the file (`['spec', 'desiredState']` for NNCPs). */
  documentPath: string[];
  /** Whether the state uses nmpolicy capture references (the NNCP has a `capture` section). */
  templates: boolean;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

function document(file: string, documentPath: string[] = [], templates = false): CorpusDocument {
  return { name: relative(REPO_ROOT, file), file, text: readFileSync(file, 'utf8'), documentPath, templates };
}

/** nmstate `examples/*.yml` and `examples/policy/<case>/{current,expected}.yml`. */
export function nmstateExamples(): CorpusDocument[] {
  return listFiles(join(UPSTREAM, 'nmstate', 'examples'))
    .filter((file) => file.endsWith('.yml') && !file.endsWith('policy.yml'))
    .map((file) => document(file));
}

/** nmstate's gen_diff cases: `current.yml`, `desired.yml` and the expected `diff.yml`, all states. */
export function nmstateGenDiff(): CorpusDocument[] {
  return listFiles(join(UPSTREAM, 'nmstate', 'gen-diff'))
    .filter((file) => file.endsWith('.yml'))
    .map((file) => document(file));
}

/** nmstate `examples/policy/<case>/policy.yml`: the `desiredState` of each nmpolicy. */
export function nmstatePolicies(): CorpusDocument[] {
  return listFiles(join(UPSTREAM, 'nmstate', 'examples', 'policy'))
    .filter((file) => file.endsWith('policy.yml'))
    .map((file) => document(file, ['desiredState'], true));
}

/** The `spec.desiredState` of every NodeNetworkConfigurationPolicy in kubernetes-nmstate's examples. */
export function nncpDesiredStates(): CorpusDocument[] {
  return listFiles(join(UPSTREAM, 'kubernetes-nmstate', 'examples'))
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => {
      const manifest = load(readFileSync(file, 'utf8')) as { kind?: string; spec?: { capture?: unknown } };
      if (manifest.kind !== 'NodeNetworkConfigurationPolicy') return [];
      return [document(file, ['spec', 'desiredState'], manifest.spec?.capture !== undefined)];
    });
}

/** Every valid state document of the corpora. */
export function validCorpus(): CorpusDocument[] {
  return [...nmstateExamples(), ...nmstateGenDiff(), ...nncpDesiredStates()];
}

/** The state itself (the text of the desired state for NNCPs), as YAML text nmstatectl can read. */
export function stateText(doc: CorpusDocument): string {
  if (doc.documentPath.length === 0) return doc.text;
  let value: unknown = load(doc.text);
  for (const segment of doc.documentPath) value = (value as Record<string, unknown>)[segment];
  return JSON.stringify(value, null, 2);
}

/**
 * The project's own valid documents (`src/__fixtures__/valid/<case>.yml`): every type and
 * property, keys scrambled, lenient spellings. Each has its canonical YAML beside it in
 * `<case>.formatted.yml`, checked against nmstatectl by the oracle spec.
 */
export function projectValidCorpus(): Array<
  CorpusDocument & { formatted: string; formattedFile: string; differsFromNmstatectl: string | undefined }
> {
  const dir = fileURLToPath(new URL('../src/__fixtures__/valid/', import.meta.url));
  return listFiles(dir)
    .filter((file) => file.endsWith('.yml') && !file.endsWith('.formatted.yml'))
    .map((file) => {
      const formattedFile = file.replace(/\.yml$/, '.formatted.yml');
      const doc = document(file);
      // `# nmstatectl: differs (WHY)` marks a documented difference from nmstatectl's output.
      const differs = /^# nmstatectl: differs \((.+)\)$/m.exec(doc.text)?.[1];
      return { ...doc, formatted: readFileSync(formattedFile, 'utf8'), formattedFile, differsFromNmstatectl: differs };
    });
}

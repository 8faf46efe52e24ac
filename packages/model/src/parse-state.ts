import { loadYaml } from './yaml/serde-yaml-schema.js';
import { SourceMap, locateIssues } from './yaml/source-positions.js';
import { isMapping } from './schema/validation-context.js';
import type { ValidationOptions } from './schema/validation-context.js';
import { formatPath } from './validation-issue.js';
import type { PathSegment, ValidationIssue } from './validation-issue.js';
import { validateStateAt } from './validate-state.js';
import type { ValidationResult } from './validate-state.js';

/** Options of {@link parseState}. */
export interface ParseOptions extends ValidationOptions {
  /** File name put into issues (`FILE:LINE:COL`). */
  file?: string;
  /**
   * `yaml` reads YAML (which includes JSON) as nmstatectl does; `json` reads strict JSON;
   * `auto` is `yaml`.
   * @default 'auto'
   */
  format?: 'yaml' | 'json' | 'auto';
  /**
   * Where the state sits in the document, e.g. `['spec', 'desiredState']` for a
   * NodeNetworkConfigurationPolicy manifest. Issue paths and positions are of the whole
   * document. `auto` finds it: `spec.desiredState` of an NNCP manifest, `desiredState` of
   * an nmpolicy file (both read with `templates: true` when they have `capture` rules),
   * else the whole document.
   * @default []
   */
  documentPath?: readonly PathSegment[] | 'auto';
  /**
   * Give warnings line and column even when the document has no errors (costs a second
   * parse of the text). Errors always get positions.
   * @default false
   */
  locateWarnings?: boolean;
}

/**
 * Parses and validates a state document from text, reporting every problem with its
 * line, column and YAML path.
 *
 * @example
 * const result = parseState(text, { file: 'bond.yml' });
 * if (!result.ok) for (const issue of result.issues) console.error(formatIssue(issue));
 */
export function parseState(text: string, options: ParseOptions = {}): ValidationResult {
  // nmstatectl reads non-breaking spaces as spaces (copy-paste from web pages).
  const source = text.includes('\u00a0') ? text.replaceAll('\u00a0', ' ') : text;
  let document: unknown;
  try {
    document = options.format === 'json' ? JSON.parse(source) : loadYaml(source);
  } catch (error) {
    return { ok: false, issues: syntaxIssues(source, error, options.file), warnings: [] };
  }
  let prefix: readonly PathSegment[] = [];
  let templates = options.templates ?? false;
  if (options.documentPath === 'auto') {
    const location = locateState(document);
    prefix = location.documentPath;
    templates ||= location.templates;
  } else if (options.documentPath !== undefined) {
    prefix = options.documentPath;
  }
  let value: unknown = document ?? {};
  for (let i = 0; i < prefix.length; i++) {
    const segment = prefix[i] as PathSegment;
    const next = isMapping(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
    if (next === undefined) {
      const issue = missingDocumentIssue(prefix, i);
      locateIssues([issue], new SourceMap(source), options.file);
      return { ok: false, issues: [issue], warnings: [] };
    }
    value = next;
  }
  const result = validateStateAt(value ?? {}, prefix, { templates });
  const needsPositions = !result.ok || (options.locateWarnings === true && result.warnings.length > 0);
  if (needsPositions) {
    const sourceMap = new SourceMap(source);
    if (!result.ok) locateIssues(result.issues, sourceMap, options.file);
    locateIssues(result.warnings, sourceMap, options.file);
  } else if (options.file !== undefined) {
    for (const warning of result.warnings) warning.file = options.file;
  }
  return result;
}

/** Where a state document sits in a file that may also be an NNCP manifest or an nmpolicy. */
export function locateState(document: unknown): { documentPath: PathSegment[]; templates: boolean } {
  if (!isMapping(document)) return { documentPath: [], templates: false };
  // Capture references can only be resolved when the policy has capture rules.
  if (document.kind === 'NodeNetworkConfigurationPolicy' && typeof document.apiVersion === 'string') {
    const spec = document.spec;
    return { documentPath: ['spec', 'desiredState'], templates: isMapping(spec) && spec.capture !== undefined };
  }
  // An nmpolicy: `capture` rules and a `desiredState` (alias `desired`) template.
  const templates = document.capture !== undefined;
  if ('desiredState' in document) return { documentPath: ['desiredState'], templates };
  if ('desired' in document && 'capture' in document) return { documentPath: ['desired'], templates };
  return { documentPath: [], templates: false };
}

function missingDocumentIssue(prefix: readonly PathSegment[], missingAt: number): ValidationIssue {
  const segments = prefix.slice(0, missingAt);
  const wanted = formatPath(prefix);
  return {
    severity: 'error',
    path: formatPath(segments),
    segments,
    message: `no state document at ${wanted}: expected a mapping there`,
    expected: `a mapping at ${wanted}`,
    target: 'value',
  };
}

interface JsYamlError {
  reason?: string;
  message: string;
  mark?: { line: number; column: number };
}

function syntaxIssues(text: string, error: unknown, file: string | undefined): ValidationIssue[] {
  const sourceMap = new SourceMap(text);
  const base = { severity: 'error', path: '', segments: [], expected: 'valid YAML', target: 'value', syntax: true } as const;
  const withFile = file === undefined ? {} : { file };
  if (sourceMap.syntaxErrors.length > 0) {
    return sourceMap.syntaxErrors.map(({ message, position }) => ({
      ...base,
      message: `invalid YAML: ${message}`,
      line: position.line,
      column: position.column,
      ...withFile,
    }));
  }
  const e = error as JsYamlError;
  const position = positionOfError(text, e, sourceMap);
  let reason = e.reason ?? e.message;
  if (reason === 'duplicated mapping key' && position.line !== undefined) {
    // js-yaml points at the repeated key; name it, as the message alone does not.
    const key = /^\s*(?:- )?("[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(text.split('\n')[position.line - 1] ?? '');
    if (key !== null) reason = `the key ${/^["']/.test(key[1] as string) ? key[1] : JSON.stringify(key[1])} is given twice in the same mapping`;
  }
  return [{ ...base, message: `invalid ${e.mark ? 'YAML' : 'JSON'}: ${reason}`, ...position, ...withFile }];
}

function positionOfError(text: string, error: JsYamlError, sourceMap: SourceMap): { line?: number; column?: number } {
  if (error.mark !== undefined) return { line: error.mark.line + 1, column: error.mark.column + 1 };
  const match = / at position (\d+)/.exec(error.message);
  const offset = match === null ? text.length : Number(match[1]);
  return sourceMap.positionOf(offset);
}

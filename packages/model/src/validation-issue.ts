/** One step of a path into a state document: a mapping key or a list index. */
export type PathSegment = string | number;

/**
 * One problem found in a state document.
 *
 * Issues name the YAML path users know (`interfaces[2].ipv4.address[0].prefix-length`)
 * and, when the document came from text, the 1-based line and column of the node.
 */
export interface ValidationIssue {
  /** `error` makes the document invalid; `warning` is informational (nmstate logs these too). */
  severity: 'error' | 'warning';
  /** Dotted path with `[i]` list indices, e.g. `interfaces[2].ipv4.address[0].prefix-length`; `''` is the document root. */
  path: string;
  /** The same path as segments, for programs (e.g. mapping to a Kubernetes field path). */
  segments: readonly PathSegment[];
  /** What is wrong, naming what was expected. */
  message: string;
  /** What was expected at this place, e.g. `an integer 0..32`. */
  expected: string;
  /** Whether the issue points at the mapping key (unknown keys) or at the value. */
  target: 'key' | 'value';
  /** Set for YAML/JSON syntax errors, which have no meaningful path. */
  syntax?: boolean;
  /** 1-based line, when the document came from text. */
  line?: number;
  /** 1-based column, when the document came from text. */
  column?: number;
  /** The file name given to `parseState`, when any. */
  file?: string;
}

/**
 * Renders a path as users read it: keys joined by `.`, list indices as `[i]`.
 *
 * @example formatPath(['interfaces', 2, 'ipv4', 'address', 0, 'prefix-length'])
 *   // 'interfaces[2].ipv4.address[0].prefix-length'
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * Prints an issue the way compilers do: `FILE:LINE:COL: error: MESSAGE (at PATH)`.
 *
 * Parts that are unknown are left out (no file: `LINE:COL: ...`; no position: `FILE: ...`).
 * Syntax errors carry no path, so they have no `(at ...)` suffix; the document root prints as `(at <root>)`.
 */
export function formatIssue(issue: ValidationIssue): string {
  let location = issue.file ?? '';
  if (issue.line !== undefined) {
    location += `${location === '' ? '' : ':'}${issue.line}:${issue.column ?? 1}`;
  }
  const prefix = location === '' ? '' : `${location}: `;
  const where = issue.syntax ? '' : ` (at ${issue.path === '' ? '<root>' : issue.path})`;
  return `${prefix}${issue.severity}: ${issue.message}${where}`;
}

import { formatPath } from '../validation-issue.js';
import type { PathSegment, ValidationIssue } from '../validation-issue.js';
import { YamlScalar } from '../yaml/yaml-scalar.js';

/** Marks a value that failed validation; the issue has already been recorded. */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

/** Options of one validation run. */
export interface ValidationOptions {
  /**
   * Accept nmpolicy capture references (`"{{ capture.x.interfaces }}"`) wherever a value is
   * expected, keeping them as written. Used for the `desiredState` of policies that have a
   * `capture` section; the references are resolved (and the result validated) later.
   * A reference may stand for a whole list or section (`interfaces: "{{ ... }}"`), so until
   * they are resolved the state does not have its TypeScript shape everywhere.
   * @default false
   */
  templates?: boolean;
}

const TEMPLATE_PATTERN = /\{\{[^]*\}\}/;

/** Whether a value is an nmpolicy capture reference such as `{{ capture.base-iface.interfaces.0.name }}`. */
export function isTemplateString(value: unknown): value is string {
  return typeof value === 'string' && TEMPLATE_PATTERN.test(value);
}

/**
 * The state of one validation pass: where we are in the document and what went wrong.
 *
 * The path is a mutable stack so that the happy path allocates nothing for error
 * reporting; an issue copies it only when one is recorded.
 */
export class ValidationContext {
  readonly path: PathSegment[] = [];
  readonly issues: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  readonly templates: boolean;

  constructor(options: ValidationOptions = {}) {
    this.templates = options.templates ?? false;
  }

  /** Records an error at the current path. Always returns {@link INVALID} for `return ctx.error(...)`. */
  error(message: string, expected: string, target: 'key' | 'value' = 'value'): Invalid {
    this.issues.push(this.makeIssue('error', message, expected, target));
    return INVALID;
  }

  /** Records a warning at the current path. */
  warn(message: string, target: 'key' | 'value' = 'value'): void {
    this.warnings.push(this.makeIssue('warning', message, '', target));
  }

  /** Records a type mismatch: `KEY: expected EXPECTED, got DESCRIPTION`. */
  mismatch(value: unknown, expected: string): Invalid {
    return this.error(`${this.subject()}: expected ${expected}, got ${describeValue(value)}`, expected);
  }

  /** Records an out-of-range value in the form `KEY VALUE is out of range: expected EXPECTED`. */
  outOfRange(value: unknown, expected: string): Invalid {
    return this.error(`${this.subject()} ${displayScalar(value)} is out of range: expected ${expected}`, expected);
  }

  /** The nearest key name of the current path, used as the subject of messages. */
  subject(): string {
    for (let i = this.path.length - 1; i >= 0; i--) {
      const segment = this.path[i];
      if (typeof segment === 'string') {
        const index = this.path[i + 1];
        return typeof index === 'number' ? `${segment}[${index}]` : segment;
      }
    }
    return 'document';
  }

  private makeIssue(
    severity: 'error' | 'warning',
    message: string,
    expected: string,
    target: 'key' | 'value',
  ): ValidationIssue {
    const segments = this.path.slice();
    return { severity, path: formatPath(segments), segments, message, expected, target };
  }
}

/** A short description of a value for messages: `a string "abc"`, `an integer 5`, `a mapping`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `a string ${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `a boolean ${value}`;
  if (typeof value === 'bigint') return `an integer ${value}`;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `an integer ${value}` : `a floating-point number ${value}`;
  }
  if (value instanceof YamlScalar) {
    const kind = value.kind === 'float' ? 'a floating-point number' : value.kind === 'int' ? 'an integer' : 'a boolean';
    return `${kind} ${value.text}`;
  }
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

/** A scalar as it appears in a message: strings quoted, numbers as written. */
export function displayScalar(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof YamlScalar) return value.text;
  return String(value);
}

/** Whether a value is a YAML mapping (a plain object, not a list and not a scalar wrapper). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof YamlScalar);
}

import { networkStateShape } from './network-state.js';
import type { NetworkState } from './network-state.js';
import { INVALID, ValidationContext } from './schema/validation-context.js';
import type { ValidationOptions } from './schema/validation-context.js';
import type { PathSegment, ValidationIssue } from './validation-issue.js';

/** The outcome of validating a state document: the normalized state, or every problem found. */
export type ValidationResult =
  | { ok: true; state: NetworkState; warnings: ValidationIssue[] }
  | { ok: false; issues: ValidationIssue[]; warnings: ValidationIssue[] };

/**
 * Validates an already-parsed state document (for example an NNCP's `desiredState` read
 * from Kubernetes). Issues carry paths but no positions.
 *
 * @param value the document as plain data
 * @param options `templates: true` accepts nmpolicy capture references (default false)
 */
export function validateState(value: unknown, options: ValidationOptions = {}): ValidationResult {
  return validateStateAt(value, [], options);
}

/** Validates a state found at `prefix` of a larger document; issue paths include the prefix. */
export function validateStateAt(
  value: unknown,
  prefix: readonly PathSegment[],
  options: ValidationOptions,
): ValidationResult {
  const ctx = new ValidationContext(options);
  ctx.path.push(...prefix);
  const state = networkStateShape.validate(value, ctx);
  if (state === INVALID || ctx.issues.length > 0) return { ok: false, issues: ctx.issues, warnings: ctx.warnings };
  return { ok: true, state, warnings: ctx.warnings };
}

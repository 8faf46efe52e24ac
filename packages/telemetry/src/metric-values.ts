import { TelemetryError } from './errors.js';

/** Returns `value` when it is a finite number ≥ 0; otherwise throws `invalid-value` naming `what`. */
export function assertNonNegative(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new TelemetryError('invalid-value', `${what} must be a finite number ≥ 0, got ${String(value)}`);
}

/** Returns `value` when it is a non-empty string; otherwise throws `invalid-label-value` naming `label`. */
export function assertNonEmptyLabel(value: unknown, label: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new TelemetryError('invalid-label-value', `label "${label}" must be a non-empty string, got ${JSON.stringify(value)}`);
}

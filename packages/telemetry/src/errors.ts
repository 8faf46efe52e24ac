/**
 * The kinds of failure telemetry reports. Callers branch on `kind`, never on
 * the message text.
 *
 * - `invalid-label-value`: a recording function got a label value outside its
 *   bounded set (the message lists the set).
 * - `invalid-value`: a gauge or histogram got a number it cannot hold (negative,
 *   NaN, infinite).
 * - `invalid-option`: an option of a factory or of the logger is malformed.
 * - `invalid-state`: a network state document does not have nmstate's shape.
 * - `already-registered`: the registry already holds metrics of that name
 *   (one `create…Metrics` call per registry).
 * - `listen-failed`: the telemetry server could not bind its address.
 */
export type TelemetryErrorKind =
  | 'invalid-label-value'
  | 'invalid-value'
  | 'invalid-option'
  | 'invalid-state'
  | 'already-registered'
  | 'listen-failed';

/** The one error type telemetry throws. */
export class TelemetryError extends Error {
  override readonly name = 'TelemetryError';
  readonly kind: TelemetryErrorKind;

  constructor(kind: TelemetryErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** Whether `error` is a {@link TelemetryError}, optionally of the given kind. */
export function isTelemetryError(error: unknown, kind?: TelemetryErrorKind): error is TelemetryError {
  return error instanceof TelemetryError && (kind === undefined || error.kind === kind);
}

import { TelemetryError } from './errors.js';

/** Levels a line can have, from the most to the least verbose. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Thresholds a logger accepts: a level (that level and above are written) or `silent` (nothing is). */
export const LOG_THRESHOLDS = [...LOG_LEVELS, 'silent'] as const;
/** One of {@link LOG_THRESHOLDS}. */
export type LogThreshold = (typeof LOG_THRESHOLDS)[number];

/**
 * Parses a threshold as written in configuration (`info`, `WARN`, ` debug `),
 * for an app's `config.ts`.
 *
 * @throws TelemetryError `invalid-option` naming the accepted values.
 */
export function parseLogThreshold(text: string): LogThreshold {
  const normalised = text.trim().toLowerCase();
  if ((LOG_THRESHOLDS as readonly string[]).includes(normalised)) return normalised as LogThreshold;
  throw new TelemetryError(
    'invalid-option',
    `log level ${JSON.stringify(text)} is not one of ${LOG_THRESHOLDS.join(', ')}`,
  );
}

/** Whether a line of `level` passes `threshold`. */
export function isLevelAtLeast(level: LogLevel, threshold: LogThreshold): boolean {
  return LOG_THRESHOLDS.indexOf(level) >= LOG_THRESHOLDS.indexOf(threshold);
}

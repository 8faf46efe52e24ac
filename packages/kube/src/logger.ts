/** Structured fields of a log entry. */
export type LogFields = Record<string, unknown>;

/**
 * Where this package writes its logs: a message plus structured fields. Adapt
 * the application's logger (pino, `@nmfleet/telemetry`) to it.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Discards everything: the default when no logger is given. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Describes an error for a log field without dumping stacks into structured logs. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

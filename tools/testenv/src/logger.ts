/** Values a log line may carry. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Structured progress and event logging. The default writes logfmt-style lines
 * (`[testenv] event key=value …`) to stderr, so stdout stays free for the
 * evaluable lines of the CLI.
 */
export interface TestenvLogger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
}

function formatValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[\w./:@+,-]+$/.test(text) ? text : JSON.stringify(text);
}

/** Renders one log line; exported for the CLI's own messages. */
export function formatLogLine(level: 'info' | 'warn', event: string, fields: LogFields = {}): string {
  const parts = [`[testenv]${level === 'warn' ? ' WARN' : ''} ${event}`];
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ');
}

/** A logger that writes to stderr; the default of every option named `log`. */
export function createStderrLogger(): TestenvLogger {
  return {
    info: (event, fields) => process.stderr.write(`${formatLogLine('info', event, fields)}\n`),
    warn: (event, fields) => process.stderr.write(`${formatLogLine('warn', event, fields)}\n`),
  };
}

/** A logger that drops everything, for callers that want quiet tests. */
export const silentLogger: TestenvLogger = { info: () => undefined, warn: () => undefined };

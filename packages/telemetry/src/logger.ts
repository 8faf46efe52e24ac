import { TelemetryError } from './errors.js';
import { LOG_THRESHOLDS, isLevelAtLeast, type LogLevel, type LogThreshold } from './log-level.js';
import { toJsonValue, type JsonValue } from './log-value.js';

/** Fields of one line, or fields a child logger binds to all its lines. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Where lines go: anything with a `write(string)`, such as `process.stderr` or a file stream. */
export interface LogDestination {
  write(chunk: string): unknown;
  /** When true and `format` is `auto`, lines are written for humans. */
  readonly isTTY?: boolean;
}

/** How lines are written: one JSON object per line, or a short human-readable line. */
export type LogFormat = 'json' | 'pretty' | 'auto';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Component name written on every line (`coordinator`, `agent`, `nmfleet`). */
  readonly name: string;
  /** Lines below this level are dropped; `silent` drops all. Default `info`. */
  readonly level?: LogThreshold;
  /** Where lines go. Default `process.stderr` (stdout stays free for command output). */
  readonly destination?: LogDestination;
  /** `json`, `pretty`, or `auto`: pretty when the destination is a TTY. Default `auto`. */
  readonly format?: LogFormat;
  /** Fields bound to every line. Default none. */
  readonly fields?: LogFields;
  /** Clock in epoch milliseconds, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** A structured logger. Fields given to a call win over bound ones of the same name. */
export interface Logger {
  readonly name: string;
  /** The threshold this logger writes at. */
  readonly level: LogThreshold;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger writing to the same place with `fields` bound (e.g. `{ policy, node, generation }`). */
  child(fields: LogFields): Logger;
  /** Whether a line of `level` would be written; skip building costly fields when not. */
  isLevelEnabled(level: LogLevel): boolean;
}

// Keys every line starts with; a field of the same name is written as `<key>_`
// so it can never hide the line's own time, level, name or message.
const RESERVED_KEYS = new Set(['time', 'level', 'name', 'msg']);

interface LoggerCore {
  readonly name: string;
  readonly level: LogThreshold;
  readonly destination: LogDestination;
  readonly pretty: boolean;
  readonly now: () => number;
}

/**
 * Creates a JSON-lines logger: `{"time":…,"level":"info","name":…,"msg":…,…fields}`,
 * one line per call, errors anywhere in the fields serialised with
 * `kind`, `message` and `cause`.
 *
 * @throws TelemetryError `invalid-option` for an empty name or an unknown level or format.
 */
export function createLogger(options: LoggerOptions): Logger {
  if (typeof options.name !== 'string' || options.name === '') {
    throw new TelemetryError('invalid-option', 'a logger needs a non-empty name');
  }
  const level = options.level ?? 'info';
  if (!(LOG_THRESHOLDS as readonly string[]).includes(level)) {
    throw new TelemetryError(
      'invalid-option',
      `log level ${JSON.stringify(level)} is not one of ${LOG_THRESHOLDS.join(', ')}`,
    );
  }
  const format = options.format ?? 'auto';
  if (format !== 'json' && format !== 'pretty' && format !== 'auto') {
    throw new TelemetryError('invalid-option', `log format ${JSON.stringify(format)} is not one of json, pretty, auto`);
  }
  const destination = options.destination ?? process.stderr;
  const core: LoggerCore = {
    name: options.name,
    level,
    destination,
    pretty: format === 'pretty' || (format === 'auto' && destination.isTTY === true),
    now: options.now ?? Date.now,
  };
  return makeLogger(core, { ...options.fields });
}

function makeLogger(core: LoggerCore, bound: LogFields): Logger {
  const write = (level: LogLevel, message: string, fields: LogFields | undefined): void => {
    if (!isLevelAtLeast(level, core.level)) return;
    const line = buildLine(core, level, message, fields === undefined ? bound : { ...bound, ...fields });
    core.destination.write(core.pretty ? formatPretty(line) : `${JSON.stringify(line)}\n`);
  };
  return {
    name: core.name,
    level: core.level,
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => makeLogger(core, { ...bound, ...fields }),
    isLevelEnabled: (level) => isLevelAtLeast(level, core.level),
  };
}

function buildLine(core: LoggerCore, level: LogLevel, message: string, fields: LogFields): Record<string, JsonValue> {
  const line: Record<string, JsonValue> = {
    time: new Date(core.now()).toISOString(),
    level,
    name: core.name,
    msg: String(message),
  };
  for (const key in fields) {
    const value = fields[key];
    // Most fields are names and numbers; only structured values need the full conversion.
    const converted =
      typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
        ? value
        : toJsonValue(value);
    if (converted !== undefined) line[RESERVED_KEYS.has(key) ? `${key}_` : key] = converted;
  }
  return line;
}

function formatPretty(line: Record<string, JsonValue>): string {
  const { time, level, name, msg, ...fields } = line;
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const parts = [`${clock} ${String(level).toUpperCase().padEnd(5)} ${String(name)}: ${String(msg)}`];
  const stacks: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (isSerialisedError(value)) {
      parts.push(`${key}=${JSON.stringify(`${value['kind']}: ${value['message']}`)}`);
      if (typeof value['stack'] === 'string') stacks.push(value['stack']);
    } else {
      parts.push(`${key}=${typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`);
    }
  }
  return `${[parts.join(' '), ...stacks.map((stack) => stack.replace(/^/gm, '    '))].join('\n')}\n`;
}

function isSerialisedError(value: JsonValue): value is { [key: string]: JsonValue } {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value && 'name' in value && 'message' in value
  );
}

/** Why a queue operation failed. */
export type QueueErrorKind =
  | 'fenced' // a newer leader holds the epoch: this coordinator must stop writing
  | 'unavailable' // Redis cannot be reached (the caller waits and retries)
  | 'invalid' // an argument is malformed (names, generations, limits)
  | 'protocol'; // Redis answered something this package does not understand

/** The one error type of `@nmfleet/queue`: Redis and BullMQ failures are translated into it. */
export class QueueError extends Error {
  override readonly name = 'QueueError';
  constructor(
    readonly kind: QueueErrorKind,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

const CONNECTION_ERROR_PATTERN =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|Connection is closed|Stream isn't writeable|connect ETIMEDOUT|MaxRetriesPerRequest/i;

/** Whether an error means "Redis is unreachable right now", as opposed to a bug or a refusal. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof QueueError) return error.kind === 'unavailable';
  return error instanceof Error && CONNECTION_ERROR_PATTERN.test(`${error.message} ${(error as { code?: string }).code ?? ''}`);
}

/** Translates an error from ioredis or BullMQ into a {@link QueueError}; a QueueError passes unchanged. */
export function toQueueError(error: unknown, action: string): QueueError {
  if (error instanceof QueueError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('FENCED')) {
    return new QueueError('fenced', `${action}: ${message.slice('FENCED '.length)}`, { cause: error });
  }
  if (isConnectionError(error)) {
    return new QueueError('unavailable', `${action}: Redis is unreachable (${message})`, { cause: error });
  }
  return new QueueError('protocol', `${action}: ${message}`, { cause: error });
}

/**
 * What went wrong, as a kind a caller can branch on:
 * - `missing-tool`: a toolchain or program is not installed (Go, cargo, apt-get, ip, …)
 * - `invalid-argument`: the caller passed something unusable; nothing was changed
 * - `build-failed`: `go build` / `cargo install` failed
 * - `install-failed`: a Debian package could not be installed
 * - `port-in-use`: a service lost the race for its port (start functions retry these)
 * - `start-failed`: a service exited or never became ready before its deadline
 * - `command-failed`: a helper command (ip, nmcli, mount) exited non-zero
 * - `not-running`: an operation needs a service that has stopped
 * - `timed-out`: `pollUntil` waiting reached its deadline
 */
export type TestenvErrorKind =
  | 'missing-tool'
  | 'invalid-argument'
  | 'build-failed'
  | 'install-failed'
  | 'port-in-use'
  | 'start-failed'
  | 'command-failed'
  | 'not-running'
  | 'timed-out';

/** Options of {@link TestenvError}. */
export interface TestenvErrorOptions {
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** The last lines of the service's or build's log, already part of the message. */
  readonly logTail?: string;
}

/** The one error type tools/testenv throws; `kind` says what failed. */
export class TestenvError extends Error {
  override readonly name = 'TestenvError';
  readonly kind: TestenvErrorKind;
  readonly logTail: string | undefined;

  constructor(kind: TestenvErrorKind, message: string, options: TestenvErrorOptions = {}) {
    const tail = options.logTail?.trimEnd();
    super(tail ? `${message}\n--- last lines of the log ---\n${tail}` : message, { cause: options.cause });
    this.kind = kind;
    this.logTail = tail;
  }
}

/** Whether `error` is a {@link TestenvError} of the given kind. */
export function isTestenvError(error: unknown, kind?: TestenvErrorKind): error is TestenvError {
  return error instanceof TestenvError && (kind === undefined || error.kind === kind);
}

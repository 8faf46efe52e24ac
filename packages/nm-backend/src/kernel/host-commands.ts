import { execFile } from 'node:child_process';
import { BackendError } from '../backend.js';

/** Deadline of one kernel command, in milliseconds. */
export const HOST_COMMAND_TIMEOUT_MS = 10_000;

/**
 * Runs kernel tools (`ip`) where the host's network lives: in the current
 * namespace (the CLI inside `ip netns exec`), or in a named network namespace
 * (tests and benchmarks driving a namespace from outside).
 */
export interface HostCommands {
  /** Runs `command args…` (with `input` on its standard input, when given) and returns its stdout. */
  run(command: string, args: readonly string[], input?: string): Promise<string>;
}

/** Options of {@link createHostCommands}. */
export interface HostCommandsOptions {
  /** Network namespace to run in (`ip netns exec NAME …`). Default: the current one. */
  namespace?: string;
  /** Default: {@link HOST_COMMAND_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** Kernel commands in the current namespace or in `options.namespace`. */
export function createHostCommands(options: HostCommandsOptions = {}): HostCommands {
  const timeout = options.timeoutMs ?? HOST_COMMAND_TIMEOUT_MS;
  return {
    run: (command, args, input) => {
      const argv = options.namespace === undefined ? [command, ...args] : ['ip', 'netns', 'exec', options.namespace, command, ...args];
      return new Promise((resolve, reject) => {
        const child = execFile(argv[0]!, argv.slice(1), { timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
          if (error) {
            reject(
              new BackendError('unavailable', `\`${argv.join(' ')}\` failed: ${String(stderr).trim() || error.message}`, { where: 'kernel', cause: error }),
            );
          } else {
            resolve(String(stdout));
          }
        });
        child.stdin?.end(input ?? '');
      });
    },
  };
}

import type { CliIo } from '../cli-io.js';

/**
 * One `nmfleet` subcommand. Each lives in its own file under `commands/` and is listed
 * once in `commands/registry.ts`.
 */
export interface CommandModule {
  /** The word that selects the command: `nmfleet NAME ...`. */
  readonly name: string;
  /** One line for the command list of `nmfleet --help`. */
  readonly summary: string;
  /** The full help text printed by `nmfleet NAME --help` (usage line first). */
  readonly usage: string;
  /** Left out of `nmfleet --help` (still runnable and documented in its own help). */
  readonly hidden?: boolean;
  /**
   * Runs the command with the arguments after its name.
   * @returns the process exit code (see `exit-codes.ts`)
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A usage error: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

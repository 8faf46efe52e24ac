import { parseArgs } from 'node:util';
import { formatIssue, parseState, type NetworkState } from '@nmfleet/model';
import type { CliIo } from '../cli-io.js';
import { EXIT_CODES_HELP, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { readInput } from '../read-input.js';
import { UsageError, type CommandModule } from './command.js';
import { connectNetworkManager, withBackend, type ConnectBackend } from './show.js';

const USAGE = `Usage: nmfleet apply [options] FILE...

Applies desired states (YAML or JSON, "-" for standard input) the way nmstatectl
does: merge over the current state, plan, create a NetworkManager checkpoint, carry
out the plan, verify, and commit. Any failure rolls the host back to the checkpoint
and says what failed and where. Several files are applied one after another.

Options:
      --no-commit           leave the checkpoint open; finish with \`nmfleet commit\` or \`nmfleet rollback\`
      --timeout SECONDS     rollback timeout of the checkpoint (default: 60); with --no-commit
                            it counts from the end of the apply
      --no-verify           do not verify the result
      --memory-only         do not write profiles to disk
      --rollback-stale      roll back a checkpoint an earlier apply left open instead of refusing
  -q, --quiet               print no progress
  -h, --help                show this help

${EXIT_CODES_HELP}`;

/** `nmfleet apply`, changing the host through `connect`. */
export function createApplyCommand(connect: ConnectBackend = connectNetworkManager): CommandModule {
  return {
    name: 'apply',
    summary: 'apply desired states under a checkpoint (nmstatectl apply)',
    usage: USAGE,
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: {
          'no-commit': { type: 'boolean', default: false },
          timeout: { type: 'string' },
          'no-verify': { type: 'boolean', default: false },
          'memory-only': { type: 'boolean', default: false },
          'rollback-stale': { type: 'boolean', default: false },
          quiet: { type: 'boolean', short: 'q', default: false },
        },
        allowPositionals: true,
      });
      if (positionals.length === 0) throw new UsageError('expected at least one FILE (or - for standard input)');
      const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
      if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1)) {
        throw new UsageError(`--timeout must be a whole number of seconds ≥ 1, not "${values.timeout}"`);
      }
      // Connecting waits on the bus and NetworkManager while reading the files keeps the CPU busy: do both at once.
      const connecting = connect();
      connecting.catch(() => undefined);
      const states = await readStates(positionals, io);
      if (typeof states === 'number') {
        void connecting.then((backend) => backend.close()).catch(() => undefined);
        return states;
      }
      return withBackend(() => connecting, io, async (backend) => {
        for (const { name, state } of states) {
          const result = await backend.apply(state, {
            noCommit: values['no-commit'],
            rollbackTimeoutSeconds: timeout,
            noVerify: values['no-verify'],
            memoryOnly: values['memory-only'],
            staleCheckpoint: values['rollback-stale'] ? 'rollback' : 'fail',
            onProgress: values.quiet ? undefined : (event) => io.stderr(`[${event.phase}] ${event.message}\n`),
          });
          reportResult(io, name, result);
        }
        return EXIT_OK;
      });
    },
  };
}

/** The states of the files, in order; or the exit code when one cannot be read or is invalid (reported on stderr). */
async function readStates(paths: readonly string[], io: CliIo): Promise<{ name: string; state: NetworkState }[] | number> {
  const states: { name: string; state: NetworkState }[] = [];
  for (const path of paths) {
    const input = await readInput(path, io);
    if (!input.ok) {
      io.stderr(`nmfleet: cannot read ${input.name}: ${input.reason}\n`);
      return EXIT_USAGE;
    }
    const parsed = parseState(input.text, { file: input.name });
    if (!parsed.ok) {
      for (const issue of parsed.issues) io.stderr(`${formatIssue(issue)}\n`);
      return EXIT_INVALID;
    }
    states.push({ name: input.name, state: parsed.state });
  }
  return states;
}

function reportResult(io: CliIo, name: string, result: { changed: boolean; operationCount: number; durationSeconds: number; checkpoint?: string }): void {
  const what = result.changed ? `applied (${result.operationCount} operations)` : 'already in place, nothing changed';
  io.stdout(`${name}: desired state ${what} in ${result.durationSeconds.toFixed(2)} s\n`);
  if (result.checkpoint !== undefined) io.stdout(`Checkpoint: ${result.checkpoint}\n`);
}

export const applyCommand = createApplyCommand();

import { parseArgs } from 'node:util';
import { EXIT_CODES_HELP, EXIT_OK } from '../exit-codes.js';
import { UsageError, type CommandModule } from './command.js';
import { connectNetworkManager, withBackend, type ConnectBackend } from './show.js';

const USAGE = `Usage: nmfleet rollback [CHECKPOINT]

Undoes the change of an \`nmfleet apply --no-commit\` now: rolls the host back to its
checkpoint. Without CHECKPOINT, the newest open checkpoint.

Options:
  -h, --help  show this help

${EXIT_CODES_HELP}`;

/** `nmfleet rollback` through `connect`. */
export function createRollbackCommand(connect: ConnectBackend = connectNetworkManager): CommandModule {
  return {
    name: 'rollback',
    summary: 'undo the change of an apply --no-commit (nmstatectl rollback)',
    usage: USAGE,
    async run(args, io) {
      const { positionals } = parseArgs({ args: [...args], options: {}, allowPositionals: true });
      if (positionals.length > 1) throw new UsageError('expected at most one CHECKPOINT');
      return withBackend(connect, io, async (backend) => {
        await backend.rollback(positionals[0]);
        io.stdout(`Rolled back ${positionals[0] ?? 'the newest checkpoint'}\n`);
        return EXIT_OK;
      });
    },
  };
}

export const rollbackCommand = createRollbackCommand();

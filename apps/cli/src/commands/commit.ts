import { parseArgs } from 'node:util';
import { EXIT_CODES_HELP, EXIT_OK } from '../exit-codes.js';
import { UsageError, type CommandModule } from './command.js';
import { connectNetworkManager, withBackend, type ConnectBackend } from './show.js';

const USAGE = `Usage: nmfleet commit [CHECKPOINT]

Keeps the change of an \`nmfleet apply --no-commit\`: destroys its checkpoint so that
it no longer rolls back. Without CHECKPOINT, the newest open checkpoint.

Options:
  -h, --help  show this help

${EXIT_CODES_HELP}`;

/** `nmfleet commit` through `connect`. */
export function createCommitCommand(connect: ConnectBackend = connectNetworkManager): CommandModule {
  return {
    name: 'commit',
    summary: 'keep the change of an apply --no-commit (nmstatectl commit)',
    usage: USAGE,
    async run(args, io) {
      const { positionals } = parseArgs({ args: [...args], options: {}, allowPositionals: true });
      if (positionals.length > 1) throw new UsageError('expected at most one CHECKPOINT');
      return withBackend(connect, io, async (backend) => {
        await backend.commit(positionals[0]);
        io.stdout(`Committed ${positionals[0] ?? 'the newest checkpoint'}\n`);
        return EXIT_OK;
      });
    },
  };
}

export const commitCommand = createCommitCommand();

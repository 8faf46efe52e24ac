import { diffStates } from '@nmfleet/planner';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { loadStates, printState, runPlanner } from '../state-input.js';
import type { CommandModule } from './command.js';
import { connectNetworkManager, type ConnectBackend } from './show.js';

const USAGE = `Usage: nmfleet diff [--current FILE] --desired FILE [--json]

Prints the minimal desired state that turns the current state into the desired
one (nmstate's gen_diff): for each interface only the properties that change,
the routes and route rules added or removed, DNS and hostname when they change.
"-" reads standard input.

Options:
  -c, --current FILE  the state before the change (as \`nmfleet show\` prints it);
                      default: read from the host's NetworkManager
  -d, --desired FILE  the desired state (also accepted as the only argument)
      --json          print JSON instead of YAML
  -h, --help          show this help

${EXIT_CODES_HELP}`;

/** `nmfleet diff`, reading the live host through `connect` when `--current` is not given. */
export function createDiffCommand(connect: ConnectBackend = connectNetworkManager): CommandModule {
  return {
    name: 'diff',
    summary: 'print the minimal state that turns current into desired',
    usage: USAGE,
    async run(args, io) {
      const states = await loadStates(args, connect, io);
      if (!states.ok) return states.exitCode;
      return runPlanner(io, () => printState(diffStates(states.desired, states.current), states.values['json'] === true, io));
    },
  };
}

export const diffCommand = createDiffCommand();

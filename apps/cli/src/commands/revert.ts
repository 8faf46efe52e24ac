import { revertStates } from '@nmfleet/planner';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { loadStates, printState, runPlanner } from '../state-input.js';
import type { CommandModule } from './command.js';
import { connectNetworkManager, type ConnectBackend } from './show.js';

const USAGE = `Usage: nmfleet revert [--current FILE] --desired FILE [--json]
       nmfleet gr [-c FILE] DESIRED [--json]

Prints the state that undoes the desired state once applied, given the state
before it (nmstatectl gr): the current values of everything it changes,
\`state: absent\` for what it creates, and removed interfaces, routes, rules,
DNS and hostname back as they were. "-" reads standard input.

Options:
  -c, --current FILE  the state before the change (as \`nmfleet show\` prints it);
                      default: what the host's NetworkManager profiles configure
  -d, --desired FILE  the desired state to undo (also accepted as the only argument)
      --json          print JSON instead of YAML
  -h, --help          show this help

${EXIT_CODES_HELP}`;

/** `nmfleet revert` (or its alias `gr`), reading the live host through `connect` when `--current` is not given. */
export function createRevertCommand(name: 'revert' | 'gr', connect: ConnectBackend = connectNetworkManager): CommandModule {
  const hidden = name === 'gr';
  const summary = hidden ? 'alias of revert' : 'print the state that undoes a desired state (nmstatectl gr)';
  return {
    name,
    summary,
    usage: USAGE,
    hidden,
    async run(args, io) {
      // nmstatectl gr reverts to the configuration, not to what happens to be running.
      const states = await loadStates(args, connect, io, { runningConfig: true });
      if (!states.ok) return states.exitCode;
      return runPlanner(io, () => printState(revertStates(states.desired, states.current), states.values['json'] === true, io));
    },
  };
}

/** `nmfleet revert`. */
export const revertCommand = createRevertCommand('revert');
/** `nmfleet gr`, nmstatectl's name for the same command. */
export const grCommand = createRevertCommand('gr');

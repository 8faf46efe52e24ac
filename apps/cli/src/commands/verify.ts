import { verifyState } from '@nmfleet/planner';
import { EXIT_CODES_HELP, EXIT_INVALID, EXIT_OK } from '../exit-codes.js';
import { loadStates, runPlanner } from '../state-input.js';
import type { CommandModule } from './command.js';
import { connectNetworkManager, type ConnectBackend } from './show.js';

const USAGE = `Usage: nmfleet verify [--current FILE] --desired FILE [--json]

Checks that the current state shows the desired one, as nmstate verifies after
an apply: only what desired says is compared; addresses of DHCP/autoconf stacks,
IPv6 link-local addresses, bond options and write-only properties are not.
Prints one line per mismatch (path, expected, found) and exits 1 when there is
any, 0 when there is none. "-" reads standard input.

Options:
  -c, --current FILE  the state to check (as \`nmfleet show\` prints it);
                      default: read from the host's NetworkManager
  -d, --desired FILE  the desired state (also accepted as the only argument)
      --json          print the mismatches as a JSON list
  -h, --help          show this help

${EXIT_CODES_HELP}`;

/** `nmfleet verify`, reading the live host through `connect` when `--current` is not given. */
export function createVerifyCommand(connect: ConnectBackend = connectNetworkManager): CommandModule {
  return {
    name: 'verify',
    summary: 'check that a current state shows a desired state (exit 1 on mismatch)',
    usage: USAGE,
    async run(args, io) {
      const states = await loadStates(args, connect, io);
      if (!states.ok) return states.exitCode;
      return runPlanner(io, () => {
        const mismatches = verifyState(states.desired, states.current);
        if (states.values['json'] === true) io.stdout(`${JSON.stringify(mismatches, null, 2)}\n`);
        else if (mismatches.length === 0) io.stdout('verified: the current state shows the desired state\n');
        else for (const m of mismatches) io.stdout(`${m.message}\n`);
        return mismatches.length === 0 ? EXIT_OK : EXIT_INVALID;
      });
    },
  };
}

export const verifyCommand = createVerifyCommand();

import { planState, type Plan, type PlanOperation } from '@nmfleet/planner';
import type { CliIo } from '../cli-io.js';
import { EXIT_CODES_HELP, EXIT_OK } from '../exit-codes.js';
import { loadStates, runPlanner } from '../state-input.js';
import type { CommandModule } from './command.js';
import { connectNetworkManager, type ConnectBackend } from './show.js';

const USAGE = `Usage: nmfleet plan [--current FILE] --desired FILE [--json]

Prints the ordered operations that take the current state to the desired one:
profiles created, modified, activated, deactivated and deleted, devices deleted,
routes, route rules, DNS and hostname, each after the operations it depends on
(a base before what is stacked on it, a controller before its ports, removals in
reverse, routes after their interfaces). --json prints the whole plan: the
merged state and every operation with its dependencies, as backends execute it.
"-" reads standard input.

Options:
  -c, --current FILE  the state before the change (as \`nmfleet show\` prints it);
                      default: read from the host's NetworkManager
  -d, --desired FILE  the desired state (also accepted as the only argument)
      --json          print the plan as JSON
  -h, --help          show this help

${EXIT_CODES_HELP}`;

function describeOperation(op: PlanOperation): string {
  const subject = op.interface ? ` ${op.interface}${op.type ? ` (${op.type})` : ''}` : '';
  const details: string[] = [];
  if (op.add && op.add.length > 0) details.push(`add ${op.add.map((r) => String(r['destination'] ?? r['route-type'])).join(', ')}`);
  if (op.remove && op.remove.length > 0) details.push(`remove ${op.remove.map((r) => String(r['destination'] ?? r['route-type'])).join(', ')}`);
  if (op.rules) details.push(`${op.rules.length} rule(s)`);
  if (op.dns) details.push(`servers ${JSON.stringify(op.dns['server'] ?? [])}`);
  if (op.hostname) details.push(JSON.stringify(op.hostname));
  return `${op.kind}${subject}${details.length > 0 ? `: ${details.join('; ')}` : ''}`;
}

/** One line per operation, numbered, with what it waits for. */
function printPlan(plan: Plan, io: CliIo): void {
  if (plan.operations.length === 0) {
    io.stdout('nothing to do: the current state already is the desired state\n');
    return;
  }
  const width = String(plan.operations.length - 1).length;
  plan.operations.forEach((op, i) => {
    const after = op.dependsOn.length > 0 ? `  (after ${op.dependsOn.join(', ')})` : '';
    io.stdout(`${String(i).padStart(width)}  ${describeOperation(op)}${after}\n`);
  });
}

/** `nmfleet plan`, reading the live host through `connect` when `--current` is not given. */
export function createPlanCommand(connect: ConnectBackend = connectNetworkManager): CommandModule {
  return {
    name: 'plan',
    summary: 'print the ordered operations from current to desired',
    usage: USAGE,
    async run(args, io) {
      const states = await loadStates(args, connect, io);
      if (!states.ok) return states.exitCode;
      return runPlanner(io, () => {
        const plan = planState(states.desired, states.current);
        if (states.values['json'] === true) io.stdout(`${JSON.stringify(plan, null, 2)}\n`);
        else printPlan(plan, io);
        return EXIT_OK;
      });
    },
  };
}

export const planCommand = createPlanCommand();

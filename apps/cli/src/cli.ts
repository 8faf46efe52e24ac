import { UsageError } from './commands/command.js';
import type { CommandModule } from './commands/command.js';
import { COMMANDS } from './commands/registry.js';
import type { CliIo } from './cli-io.js';
import { EXIT_CODES_HELP, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { VERSION } from './version.js';

function mainHelp(commands: readonly CommandModule[]): string {
  const visible = commands.filter((command) => !command.hidden);
  const width = Math.max(...visible.map((command) => command.name.length));
  const lines = visible.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: nmfleet COMMAND [options] [arguments]

Declarative host networking in the nmstate state language, for fleets.

Commands:
${lines.join('\n')}

Options:
  -h, --help     show this help, or a command's help: nmfleet COMMAND --help
  -V, --version  print the version

${EXIT_CODES_HELP}
`;
}

function isHelpFlag(arg: string | undefined): boolean {
  return arg === '-h' || arg === '--help';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The closest command name, for "did you mean" on typos. */
function suggestCommand(name: string, commands: readonly CommandModule[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const command of commands.filter((candidate) => !candidate.hidden)) {
    const distance = editDistance(name, command.name);
    if (distance < bestDistance) {
      best = command.name;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Runs `nmfleet` with the arguments after the program name.
 * @returns the exit code: 0 ok, 1 invalid input, 2 usage or I/O error
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CommandModule[] = COMMANDS): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || isHelpFlag(first)) {
    (first === undefined ? io.stderr : io.stdout)(mainHelp(commands));
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '-V' || first === '--version') {
    io.stdout(`nmfleet ${VERSION}\n`);
    return EXIT_OK;
  }
  if (first === 'help') {
    const topic = commands.find((command) => command.name === rest[0]);
    io.stdout(topic === undefined ? mainHelp(commands) : `${topic.usage}\n`);
    return EXIT_OK;
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (command === undefined) {
    const suggestion = suggestCommand(first, commands);
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    io.stderr(`nmfleet: unknown command "${first}"${hint}\nRun "nmfleet --help" for the list of commands.\n`);
    return EXIT_USAGE;
  }
  if (rest.some(isHelpFlag)) {
    io.stdout(`${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // util.parseArgs reports unknown options and missing values with these codes.
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`nmfleet ${command.name}: ${(error as Error).message}\n${command.usage.split('\n')[0]}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

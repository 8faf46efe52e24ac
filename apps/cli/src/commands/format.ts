import { parseArgs } from 'node:util';
import { formatIssue, formatState, parseState } from '@nmfleet/model';
import { EXIT_CODES_HELP, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { readInput } from '../read-input.js';
import { UsageError } from './command.js';
import type { CommandModule } from './command.js';

const USAGE = `Usage: nmfleet format [options] FILE

Prints the canonical YAML of a state document: what \`nmstatectl format\` prints
(nmstate's key order, empty sections left out, interfaces sorted by name and type).
"-" reads standard input. Invalid documents are reported on stderr and nothing is printed.

Options:
  --format yaml|json|auto  how to read the file (default: auto, YAML which includes JSON)
  -h, --help               show this help

${EXIT_CODES_HELP}`;

export const formatCommand: CommandModule = {
  name: 'format',
  summary: 'print the canonical YAML of a state document (as nmstatectl format)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { format: { type: 'string', default: 'auto' } },
      allowPositionals: true,
    });
    const format = values.format;
    if (format !== 'yaml' && format !== 'json' && format !== 'auto') {
      throw new UsageError(`--format must be yaml, json or auto, not "${format}"`);
    }
    if (positionals.length !== 1) throw new UsageError('expected exactly one FILE (or - for standard input)');
    const input = await readInput(positionals[0] as string, io);
    if (!input.ok) {
      io.stderr(`nmfleet: cannot read ${input.name}: ${input.reason}\n`);
      return EXIT_USAGE;
    }
    const result = parseState(input.text, { file: input.name, format, locateWarnings: true });
    for (const warning of result.warnings) io.stderr(`${formatIssue(warning)}\n`);
    if (!result.ok) {
      for (const issue of result.issues) io.stderr(`${formatIssue(issue)}\n`);
      return EXIT_INVALID;
    }
    io.stdout(formatState(result.state));
    return EXIT_OK;
  },
};

import { parseArgs } from 'node:util';
import { formatIssue, parseState } from '@nmfleet/model';
import type { CliIo } from '../cli-io.js';
import { EXIT_CODES_HELP, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { readInput } from '../read-input.js';
import { UsageError } from './command.js';
import type { CommandModule } from './command.js';

const USAGE = `Usage: nmfleet validate [options] FILE...

Checks nmstate state documents (YAML or JSON) and reports every problem of each as
  FILE:LINE:COL: error: MESSAGE (at YAML.PATH)
A NodeNetworkConfigurationPolicy manifest is checked by its spec.desiredState, an
nmpolicy file by its desiredState. "-" reads standard input.

Options:
  --format yaml|json|auto  how to read the files (default: auto, YAML which includes JSON)
  -q, --quiet              print nothing for valid files, and no warnings
  -h, --help               show this help

${EXIT_CODES_HELP}`;

export const validateCommand: CommandModule = {
  name: 'validate',
  summary: 'check state documents and report every problem with its line and path',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { format: { type: 'string', default: 'auto' }, quiet: { type: 'boolean', short: 'q', default: false } },
      allowPositionals: true,
    });
    const format = values.format;
    if (format !== 'yaml' && format !== 'json' && format !== 'auto') {
      throw new UsageError(`--format must be yaml, json or auto, not "${format}"`);
    }
    if (positionals.length === 0) throw new UsageError('expected at least one FILE (or - for standard input)');
    let exitCode = EXIT_OK;
    for (const path of positionals) {
      const code = await validateFile(path, { format, quiet: values.quiet }, io);
      exitCode = Math.max(exitCode, code);
    }
    return exitCode;
  },
};

/** `3 interfaces`, or `interfaces from a capture reference` for an nmpolicy template. */
export function describeInterfaces(interfaces: unknown): string {
  if (!Array.isArray(interfaces)) return 'interfaces from a capture reference';
  return `${interfaces.length} interface${interfaces.length === 1 ? '' : 's'}`;
}

async function validateFile(
  path: string,
  options: { format: 'yaml' | 'json' | 'auto'; quiet: boolean },
  io: CliIo,
): Promise<number> {
  const input = await readInput(path, io);
  if (!input.ok) {
    io.stderr(`nmfleet: cannot read ${input.name}: ${input.reason}\n`);
    return EXIT_USAGE;
  }
  const result = parseState(input.text, {
    file: input.name,
    format: options.format,
    documentPath: 'auto',
    locateWarnings: !options.quiet,
  });
  if (!options.quiet) for (const warning of result.warnings) io.stderr(`${formatIssue(warning)}\n`);
  if (!result.ok) {
    for (const issue of result.issues) io.stderr(`${formatIssue(issue)}\n`);
    return EXIT_INVALID;
  }
  if (!options.quiet) io.stdout(`${input.name}: valid (${describeInterfaces(result.state.interfaces)})\n`);
  return EXIT_OK;
}

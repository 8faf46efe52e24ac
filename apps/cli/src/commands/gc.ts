import { parseArgs } from 'node:util';
import { formatIssue, parseState } from '@nmfleet/model';
import { BackendError, formatGcOutput, generateKeyfiles, writeKeyfiles, type KeyfileEntry } from '@nmfleet/nm-backend';
import { EXIT_CODES_HELP, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { readInput } from '../read-input.js';
import { UsageError } from './command.js';
import type { CommandModule } from './command.js';

const USAGE = `Usage: nmfleet gc [options] FILE

Generates NetworkManager keyfiles for a desired state, offline, as
\`nmstatectl gc\` does: the state is the whole truth about the interfaces it
names, profiles get nmstate's names (<name>, <name>-br/-port/-if for OVS) and
stable UUIDs, so the same state always gives the same files. Prints them as
nmstatectl does (YAML: file name, keyfile text), or writes them with -o.
"-" reads standard input.

Options:
  -o, --output DIR         write DIR/<profile>.nmconnection files (mode 0600; DIR is
                           created with mode 0700) and print their paths
  --format yaml|json|auto  how to read the file (default: auto)
  -h, --help               show this help

Differences from nmstatectl gc 2.2.62 (see docs/adr): [hsr], [ipvlan] and
[ip-tunnel] sections and loopback MTU are written (nmstatectl drops them),
bridge.group-address is written as a MAC address, route rules are in a fixed order.

${EXIT_CODES_HELP}`;

/** Where `-o` writes; a seam for specs. */
export type WriteKeyfiles = (dir: string, files: readonly KeyfileEntry[]) => Promise<string[]>;

/** `nmfleet gc`, writing with `write` (the real file system by default). */
export function createGcCommand(write: WriteKeyfiles = writeKeyfiles): CommandModule {
  return {
    name: 'gc',
    summary: 'generate NetworkManager keyfiles for a state, offline (as nmstatectl gc)',
    usage: USAGE,
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: { output: { type: 'string', short: 'o' }, format: { type: 'string', default: 'auto' } },
        allowPositionals: true,
      });
      const format = values.format;
      if (format !== 'yaml' && format !== 'json' && format !== 'auto') throw new UsageError(`--format must be yaml, json or auto, not "${format}"`);
      if (positionals.length !== 1) throw new UsageError('expected exactly one FILE (or - for standard input)');
      if (values.output === '') throw new UsageError('-o needs a directory');
      const input = await readInput(positionals[0] as string, io);
      if (!input.ok) {
        io.stderr(`nmfleet: cannot read ${input.name}: ${input.reason}\n`);
        return EXIT_USAGE;
      }
      const parsed = parseState(input.text, { file: input.name, format, locateWarnings: true });
      for (const warning of parsed.warnings) io.stderr(`${formatIssue(warning)}\n`);
      if (!parsed.ok) {
        for (const issue of parsed.issues) io.stderr(`${formatIssue(issue)}\n`);
        return EXIT_INVALID;
      }
      let generated;
      try {
        generated = generateKeyfiles(parsed.state);
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        io.stderr(`${input.name}: error: ${error.message}\n`);
        return EXIT_INVALID;
      }
      for (const warning of generated.warnings) io.stderr(`${input.name}: warning: ${warning}\n`);
      if (values.output === undefined) {
        // nmstatectl prints the YAML document followed by an empty line.
        io.stdout(`${formatGcOutput(generated.files)}\n`);
        return EXIT_OK;
      }
      try {
        for (const path of await write(values.output, generated.files)) io.stdout(`${path}\n`);
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        io.stderr(`nmfleet: ${error.message}\n`);
        return error.kind === 'invalid-state' ? EXIT_INVALID : EXIT_USAGE;
      }
      return EXIT_OK;
    },
  };
}

export const gcCommand = createGcCommand();

import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssue, formatPath, parseState } from '@nmfleet/model';
import type { ValidationIssue } from '@nmfleet/model';
import type { CliIo } from '../cli-io.js';
import { EXIT_CODES_HELP, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CommandModule } from './command.js';
import { describeInterfaces } from './validate.js';

const USAGE = `Usage: nmfleet demo-corpus [--root DIR]

Validates every example of the upstream corpora in testdata/upstream (nmstate examples,
nmpolicy desired states and gen-diff states, kubernetes-nmstate NNCP desiredStates) and
the project's bad-input corpus, and prints what validated, what was rejected and why.

Options:
  --root DIR  the repository (default: found from the program's location)
  -h, --help  show this help

${EXIT_CODES_HELP}
(1 here means an upstream example was rejected or a bad input was accepted.)`;

const UPSTREAM = join('testdata', 'upstream');
const INVALID_CORPUS = join('packages', 'model', 'src', '__fixtures__', 'invalid');

async function isRepoRoot(dir: string, io: CliIo): Promise<boolean> {
  try {
    await io.readDir(join(dir, UPSTREAM));
    return true;
  } catch {
    return false;
  }
}

/** The repository root: the first directory up from the program that holds the test data. */
async function findRepoRoot(io: CliIo): Promise<string | undefined> {
  let dir = io.programDir;
  for (;;) {
    if (await isRepoRoot(dir, io)) return dir;
    const parent = join(dir, '..');
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function listFiles(dir: string, io: CliIo): Promise<string[]> {
  const entries = (await io.readDir(dir)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...(await listFiles(path, io)));
    else files.push(path);
  }
  return files;
}

/** nmstate examples, nmpolicy cases and gen-diff states; kubernetes-nmstate example manifests. */
function isCandidate(path: string): boolean {
  return /^nmstate\/.*\.yml$/.test(path) || /^kubernetes-nmstate\/examples\/.*\.yaml$/.test(path);
}

function indent(issue: ValidationIssue): string {
  return `      ${formatIssue(issue)}\n`;
}

export const demoCorpusCommand: CommandModule = {
  name: 'demo-corpus',
  summary: 'validate the upstream examples and the bad-input corpus, and report',
  usage: USAGE,
  hidden: true,
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { root: { type: 'string' } } });
    const root = values.root ?? (await findRepoRoot(io));
    if (root === undefined || !(await isRepoRoot(root, io))) {
      io.stderr(`nmfleet: cannot find ${UPSTREAM}: run from the repository or pass --root\n`);
      return EXIT_USAGE;
    }
    const upstream: Array<{ file: string; text: string }> = [];
    for (const file of await listFiles(join(root, UPSTREAM), io)) {
      if (!isCandidate(relative(join(root, UPSTREAM), file))) continue;
      const text = await io.readFile(file);
      // kubernetes-nmstate's examples also hold an NMState operator CR, which is no state.
      if (file.endsWith('.yaml') && !/^kind: NodeNetworkConfigurationPolicy$/m.test(text)) continue;
      upstream.push({ file, text });
    }
    io.stdout(`nmfleet demo-corpus: ${UPSTREAM} and the bad-input corpus\n\n`);
    io.stdout(`Upstream examples, each must validate:\n`);
    let valid = 0;
    for (const { file, text } of upstream) {
      const result = parseState(text, { file: relative(root, file), documentPath: 'auto', locateWarnings: true });
      const where = result.ok ? describeLocation(text) : '';
      if (result.ok) {
        valid++;
        io.stdout(`  ✓ ${relative(join(root, UPSTREAM), file)}${where}: ${describeInterfaces(result.state.interfaces)}\n`);
        for (const warning of result.warnings) io.stdout(indent(warning));
      } else {
        io.stdout(`  ✗ ${relative(join(root, UPSTREAM), file)}: REJECTED\n`);
        for (const issue of result.issues) io.stdout(indent(issue));
      }
    }
    io.stdout(`  ${valid} of ${upstream.length} valid\n\n`);

    const invalidFiles = (await listFiles(join(root, INVALID_CORPUS), io)).filter((file) => file.endsWith('.yml'));
    io.stdout(`Bad inputs (${INVALID_CORPUS}), each must be rejected:\n`);
    let rejected = 0;
    for (const file of invalidFiles) {
      const text = await io.readFile(file);
      const problem = /^# Problem: (.*)$/m.exec(text)?.[1] ?? '';
      const stricter = /^# nmstate: accepts \(stricter: (.*)\)$/m.exec(text)?.[1];
      const name = relative(join(root, INVALID_CORPUS), file);
      const result = parseState(text, { file: name });
      const note = stricter === undefined ? '' : ` [stricter than nmstate: ${stricter}]`;
      if (result.ok) {
        io.stdout(`  ✗ ${name}: ACCEPTED, but ${problem}\n`);
      } else {
        rejected++;
        io.stdout(`  ✓ ${name}: ${problem}${note}\n`);
        for (const issue of result.issues) io.stdout(indent(issue));
      }
    }
    io.stdout(`  ${rejected} of ${invalidFiles.length} rejected\n\n`);
    const success = valid === upstream.length && rejected === invalidFiles.length;
    io.stdout(
      success
        ? 'Result: every upstream example is valid and every bad input is rejected.\n'
        : 'Result: FAILED (see the lines marked ✗ above).\n',
    );
    return success ? EXIT_OK : EXIT_INVALID;
  },
};

/** ` (spec.desiredState)` for manifests, so the report says which part was checked. */
function describeLocation(text: string): string {
  if (/^kind: NodeNetworkConfigurationPolicy$/m.test(text)) return ` (${formatPath(['spec', 'desiredState'])})`;
  if (/^desiredState:/m.test(text)) return ' (desiredState of an nmpolicy)';
  return '';
}

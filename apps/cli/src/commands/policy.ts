import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatIssue, loadYaml, validateState } from '@nmfleet/model';
import { evaluatePolicy, type StateDoc } from '@nmfleet/planner';
import { dump } from 'js-yaml';
import { describeIoError, type CliIo } from '../cli-io.js';
import { EXIT_CODES_HELP, EXIT_INVALID, EXIT_USAGE } from '../exit-codes.js';
import { readInput } from '../read-input.js';
import { UsageError, type CommandModule } from './command.js';
import { loadCurrentState, printState, runPlanner } from '../state-input.js';
import { connectNetworkManager, type ConnectBackend } from './show.js';

/** The `metaInfo.version` nmstatectl writes into captured-state files. */
const CAPTURED_STATE_VERSION = '0';

const USAGE = `Usage: nmfleet policy [options] POLICY_FILE

Evaluates an nmpolicy as \`nmstatectl policy\` does: runs its \`capture\`
expressions against the current state and fills the \`{{ capture.NAME.PATH }}\`
references of its \`desiredState\`, then prints the resulting desired state.
"-" reads standard input.

Options:
  -c, --current FILE          the current state to capture from (as \`nmfleet show\` prints it);
                              default: read from the host's NetworkManager
  -a, --captured FILE         skip the captures: read their results from FILE (as written by -o)
  -o, --output-captured FILE  write every capture result to FILE
      --json                  print JSON instead of YAML
  -h, --help                  show this help

${EXIT_CODES_HELP}`;

/** Reads a YAML (or JSON) document that is not a state: the policy, or a captured-states file. */
async function loadDocument(path: string, io: CliIo): Promise<{ ok: true; value: unknown } | { ok: false; exitCode: number }> {
  const input = await readInput(path, io);
  if (!input.ok) {
    io.stderr(`nmfleet: cannot read ${input.name}: ${input.reason}\n`);
    return { ok: false, exitCode: EXIT_USAGE };
  }
  try {
    return { ok: true, value: loadYaml(input.text) ?? {} };
  } catch (error) {
    io.stderr(`nmfleet: ${input.name} is not valid YAML: ${(error as Error).message}\n`);
    return { ok: false, exitCode: EXIT_INVALID };
  }
}

/** Captured states as `--output-captured` writes them: `NAME: {metaInfo: {time, version}, state}`. */
function readCaptured(value: unknown, name: string, io: CliIo): Map<string, StateDoc> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    io.stderr(`nmfleet: ${name}: expected a mapping of capture name to {metaInfo, state}\n`);
    return undefined;
  }
  const out = new Map<string, StateDoc>();
  for (const [capture, entry] of Object.entries(value as Record<string, unknown>)) {
    const state = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['state'] : undefined;
    if (state === undefined) {
      io.stderr(`nmfleet: ${name}: capture '${capture}' has no \`state\`\n`);
      return undefined;
    }
    const result = validateState(state);
    if (!result.ok) {
      io.stderr(`nmfleet: ${name}: capture '${capture}':\n${result.issues.map(formatIssue).join('\n')}\n`);
      return undefined;
    }
    out.set(capture, result.state as unknown as StateDoc);
  }
  return out;
}

/** `nmfleet policy`, reading the live host through `connect` when `--current` is not given. */
export function createPolicyCommand(connect: ConnectBackend = connectNetworkManager): CommandModule {
  return {
    name: 'policy',
    summary: 'evaluate an nmpolicy (capture + desiredState template) as nmstatectl policy',
    usage: USAGE,
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: {
          current: { type: 'string', short: 'c' },
          captured: { type: 'string', short: 'a' },
          'output-captured': { type: 'string', short: 'o' },
          json: { type: 'boolean', default: false },
        },
        allowPositionals: true,
      });
      if (positionals.length !== 1) throw new UsageError('expected exactly one POLICY_FILE (or - for standard input)');
      const policy = await loadDocument(positionals[0] as string, io);
      if (!policy.ok) return policy.exitCode;
      const current = await loadCurrentState(values.current, connect, io);
      if (!current.ok) return current.exitCode;
      let captured: Map<string, StateDoc> | undefined;
      if (values.captured !== undefined) {
        const doc = await loadDocument(values.captured, io);
        if (!doc.ok) return doc.exitCode;
        captured = readCaptured(doc.value, values.captured, io);
        if (!captured) return EXIT_INVALID;
      }
      let result: ReturnType<typeof evaluatePolicy> | undefined;
      const code = runPlanner(io, () => {
        result = evaluatePolicy(policy.value, current.state, captured ? { captured } : {});
        return 0;
      });
      if (!result) return code;
      const outputPath = values['output-captured'];
      if (outputPath !== undefined) {
        const time = new Date().toISOString();
        const doc = Object.fromEntries([...result.captures].map(([name, state]) => [name, { metaInfo: { time, version: CAPTURED_STATE_VERSION }, state }]));
        try {
          await writeFile(outputPath, dump(doc, { lineWidth: -1, noRefs: true }));
        } catch (error) {
          io.stderr(`nmfleet: cannot write ${outputPath}: ${describeIoError(error)}\n`);
          return EXIT_USAGE;
        }
      }
      return printState(result.state, values.json === true, io);
    },
  };
}

export const policyCommand = createPolicyCommand();

import { parseArgs } from 'node:util';
import { formatIssue, formatState, parseState, validateState, type NetworkState } from '@nmfleet/model';
import { isPlannerError, type StateDoc } from '@nmfleet/planner';
import type { CliIo } from './cli-io.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { readInput } from './read-input.js';
import { UsageError } from './commands/command.js';
import { withBackend, type ConnectBackend } from './commands/show.js';

/*
 * Reading the states the planning commands (diff, revert, plan, verify, policy) work on:
 * files validated as nmstatectl reads them, or the live host when --current is not given.
 */

/** A state file read and validated, or the exit code already reported. */
export type LoadedState = { ok: true; state: NetworkState } | { ok: false; exitCode: number };

/**
 * Reads a state file (`-` for standard input) the way nmstatectl does,
 * printing every problem on stderr. Shared by diff, revert, plan, verify and policy.
 */
export async function loadStateFile(path: string, io: CliIo, options: Parameters<typeof parseState>[1] = {}): Promise<LoadedState> {
  const input = await readInput(path, io);
  if (!input.ok) {
    io.stderr(`nmfleet: cannot read ${input.name}: ${input.reason}\n`);
    return { ok: false, exitCode: EXIT_USAGE };
  }
  const result = parseState(input.text, { file: input.name, ...options });
  for (const warning of result.warnings) io.stderr(`${formatIssue(warning)}\n`);
  if (!result.ok) {
    for (const issue of result.issues) io.stderr(`${formatIssue(issue)}\n`);
    return { ok: false, exitCode: EXIT_INVALID };
  }
  return { ok: true, state: result.state };
}

/**
 * Prints a state the planner produced: read back as nmstate reads one, then
 * as canonical YAML (or JSON with `json`).
 */
export function printState(state: StateDoc, json: boolean, io: CliIo): number {
  const result = validateState(state);
  if (!result.ok) {
    // The planner only writes valid states; anything else is a bug worth the details.
    io.stderr(`nmfleet: internal error, the result is not a valid state:\n${result.issues.map(formatIssue).join('\n')}\n`);
    return EXIT_INVALID;
  }
  io.stdout(json ? `${JSON.stringify(result.state, null, 2)}\n` : formatState(result.state));
  return EXIT_OK;
}

/**
 * The current state: from `path` when given, else read from the live host, as
 * nmstatectl does without `--current` (`runningConfig` for what profiles configure only).
 */
export async function loadCurrentState(path: string | undefined, connect: ConnectBackend, io: CliIo, options: { runningConfig?: boolean } = {}): Promise<LoadedState> {
  if (path !== undefined) return loadStateFile(path, io);
  let state: NetworkState | undefined;
  const code = await withBackend(connect, io, async (backend) => {
    state = await backend.show({ runningConfig: options.runningConfig ?? false });
    return EXIT_OK;
  });
  return state ? { ok: true, state } : { ok: false, exitCode: code };
}

/** Runs planner work, turning a planner error (contradictory input) into exit code 1 with its message. */
export function runPlanner(io: CliIo, work: () => number): number {
  try {
    return work();
  } catch (error) {
    if (!isPlannerError(error)) throw error;
    io.stderr(`nmfleet: ${error.message}\n`);
    return EXIT_INVALID;
  }
}

/**
 * The `--current C --desired D` pair the planning commands share; `-c` and a
 * positional DESIRED also work, as in nmstatectl. Without `--current` the live host is read.
 */
export async function loadStatePair(
  args: readonly string[],
  extraOptions: Record<string, { type: 'boolean' | 'string'; short?: string; default?: boolean | string }> = {},
): Promise<{ current: string | undefined; desired: string; values: Record<string, string | boolean | undefined> }> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      current: { type: 'string', short: 'c' },
      desired: { type: 'string', short: 'd' },
      json: { type: 'boolean', default: false },
      ...extraOptions,
    },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError('expected at most one DESIRED file');
  const desired = values.desired ?? positionals[0];
  if (values.desired !== undefined && positionals[0] !== undefined) throw new UsageError('give the desired state either as --desired or as DESIRED, not both');
  if (desired === undefined) throw new UsageError('missing --desired FILE');
  return { current: values.current, desired, values: values as Record<string, string | boolean | undefined> };
}

/** The desired and current states of a planning command, or the exit code already reported. */
export type LoadedStates =
  | { ok: true; desired: NetworkState; current: NetworkState; values: Record<string, string | boolean | undefined> }
  | { ok: false; exitCode: number };

/**
 * Parses `--current C --desired D` (see {@link loadStatePair}) and reads both states,
 * the current one from the live host when `--current` is not given.
 */
export async function loadStates(
  args: readonly string[],
  connect: ConnectBackend,
  io: CliIo,
  options: { runningConfig?: boolean } = {},
): Promise<LoadedStates> {
  const pair = await loadStatePair(args);
  const desired = await loadStateFile(pair.desired, io);
  if (!desired.ok) return desired;
  const current = await loadCurrentState(pair.current, connect, io, options);
  if (!current.ok) return current;
  return { ok: true, desired: desired.state, current: current.state, values: pair.values };
}

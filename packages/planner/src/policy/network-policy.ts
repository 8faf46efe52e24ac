import { PlannerError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json/json-value.js';
import { asStateDoc, type InterfaceDoc, type StateDoc, type StateInput } from '../state/network-state.js';
import { parseCaptureCommand, runCaptureCommand, type CaptureCommand } from './capture-command.js';
import { fillTemplate } from './template.js';

/** Rounds of dependency sorting before captures that refer to each other in a loop are rejected (nmstate's limit). */
const CAPTURE_SORT_MAX_ROUNDS = 10;

/** An nmpolicy document: `capture` expressions and a `desiredState` template (`desired` is accepted too). */
export interface NetworkPolicyDoc {
  readonly capture?: Readonly<Record<string, string>>;
  readonly desiredState?: JsonValue;
  readonly desired?: JsonValue;
}

/** What evaluating a policy gives. */
export interface PolicyResult {
  /** The desired state with every template filled. */
  readonly state: StateDoc;
  /** Every capture, by name, in the order they were evaluated (or as given when pre-captured). */
  readonly captures: ReadonlyMap<string, StateDoc>;
}

/** Options of {@link evaluatePolicy}. */
export interface EvaluatePolicyOptions {
  /**
   * Captures computed earlier (`nmstatectl policy --captured`): when given,
   * the policy's `capture` section is not evaluated at all and templates read
   * these instead. Default: undefined (evaluate the captures against current).
   */
  readonly captured?: ReadonlyMap<string, StateDoc>;
}

/** Checks and reads an nmpolicy document, naming what was expected. */
export function parseNetworkPolicy(value: unknown): { commands: [string, CaptureCommand][]; template: JsonValue } {
  if (value === null || value === undefined) return { commands: [], template: {} };
  if (!isJsonObject(value)) throw new PlannerError('invalid-argument', 'A policy must be a mapping with `capture` and `desiredState`');
  for (const key of Object.keys(value)) {
    if (!['capture', 'desiredState', 'desired', 'current'].includes(key)) {
      throw new PlannerError('invalid-argument', `Unknown policy field '${key}': expected capture, desiredState (or desired), current`);
    }
  }
  const capture = value['capture'] ?? {};
  if (!isJsonObject(capture)) throw new PlannerError('invalid-argument', '`capture` must be a mapping of capture name to expression');
  const commands: [string, CaptureCommand][] = [];
  for (const [name, expr] of Object.entries(capture)) {
    if (typeof expr !== 'string') throw new PlannerError('invalid-argument', `Expecting a string, but got ${JSON.stringify(expr)} for capture '${name}'`);
    commands.push([name, parseCaptureCommand(expr)]);
  }
  return { commands, template: value['desiredState'] ?? value['desired'] ?? {} };
}

/** Orders captures so each comes after the capture it reads, keeping written order among equals. */
function sortCaptures(commands: readonly [string, CaptureCommand][]): [string, CaptureCommand][] {
  const priority = new Map<string, number>();
  for (let round = 0; round < CAPTURE_SORT_MAX_ROUNDS; round++) {
    let complete = true;
    const pending = new Map(priority);
    for (const [name, cmd] of commands) {
      const parent = cmd.inputCapture ?? cmd.valueCapture;
      if (parent === undefined) pending.set(name, 1);
      else if (pending.has(parent)) pending.set(name, (pending.get(parent) as number) + 1);
      else complete = false;
    }
    for (const [k, v] of pending) priority.set(k, v);
    if (complete) {
      return commands.map((c, i) => [c, i] as const).sort((a, b) => (priority.get(a[0][0]) as number) - (priority.get(b[0][0]) as number) || a[1] - b[1]).map(([c]) => c);
    }
  }
  throw new PlannerError(
    'policy',
    `Failed to sort the policy capture in ${CAPTURE_SORT_MAX_ROUNDS} round of rotation, please order the capture in desire policy by placing capture before its consumer`,
  );
}

/** Sorts interfaces by name, puts `name`, `type`, `state` first and fills in what nmstate's reading of a state adds (`type: unknown`, `state: up`). */
function completeInterfaces(state: StateDoc): StateDoc {
  if (!Array.isArray(state.interfaces)) return { ...state, interfaces: [] };
  const ifaces = (state.interfaces as JsonValue[]).map((raw) => {
    if (!isJsonObject(raw)) return raw;
    const { name, type, state: s, ...rest } = raw;
    return { name: name ?? null, type: type ?? 'unknown', state: s ?? 'up', ...rest } as InterfaceDoc;
  });
  // nmstate prints interfaces sorted by name, whatever order the template had.
  ifaces.sort((a, b) => {
    const an = isJsonObject(a) ? String(a['name']) : '';
    const bn = isJsonObject(b) ? String(b['name']) : '';
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
  return { ...state, interfaces: ifaces as InterfaceDoc[] };
}

/**
 * Evaluates an nmpolicy as `nmstatectl policy` does: runs the captures
 * against `current` (in dependency order), then fills the `{{ capture.… }}`
 * references of the desired-state template.
 */
export function evaluatePolicy(policy: unknown, currentInput: StateInput, options: EvaluatePolicyOptions = {}): PolicyResult {
  const current = asStateDoc(currentInput);
  const { commands, template } = parseNetworkPolicy(policy);
  let captures: Map<string, StateDoc>;
  if (options.captured) {
    captures = new Map(options.captured);
  } else {
    captures = new Map();
    for (const [name, cmd] of sortCaptures(commands)) captures.set(name, runCaptureCommand(cmd, current, captures));
  }
  const filled = fillTemplate(template, captures);
  if (!isJsonObject(filled)) throw new PlannerError('invalid-argument', '`desiredState` must be a mapping');
  return { state: completeInterfaces(filled as JsonObject as StateDoc), captures };
}

import { PlannerError } from '../errors.js';
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from '../json/json-value.js';
import type { StateDoc } from '../state/network-state.js';
import { tokenizeCapture, type CaptureToken } from './capture-token.js';

/** What a capture does with the entries it selects. */
export type CaptureAction = 'none' | 'equal' | 'replace';

/** One parsed `capture` entry. */
export interface CaptureCommand {
  /** The expression as written (trimmed, non-breaking spaces made plain). */
  readonly line: string;
  readonly action: CaptureAction;
  /** The property path the action applies to (`interfaces.name`), or undefined for "the whole input state". */
  readonly keyPath: readonly string[] | undefined;
  readonly keyPos: number;
  /** The capture whose result is the input (`capture.x | …` or `capture.x.interfaces.name == …`). */
  readonly inputCapture: string | undefined;
  readonly inputCapturePos: number;
  /** The right-hand side: a literal, `null`, or a path (into current or into `valueCapture`). */
  readonly value: CaptureToken | undefined;
  readonly valueCapture: string | undefined;
}

function fail(message: string, line: string, position: number): never {
  throw new PlannerError('policy', message, { line, position });
}

function splitCapturePath(token: CaptureToken, line: string, forValue: boolean): { path: CaptureToken; capture?: string; capturePos: number } {
  if (token.kind !== 'path' || token.path[0] !== 'capture') return { path: token, capturePos: 0 };
  const name = token.path[1] ?? '';
  if (forValue ? token.path.length < 3 : token.path.length <= 2) {
    if (forValue) {
      throw new PlannerError(
        'policy',
        `When using equal action to match against captured data, the correct format should be 'interfaces.name == capture.default-gw.interfaces.0.name', but got: ${line}`,
      );
    }
    fail('No property path after capture name', line, token.pos);
  }
  return {
    path: { kind: 'path', path: token.path.slice(2), pos: token.pos + `capture.${name}.`.length },
    capture: name,
    capturePos: token.pos + 'capture.'.length,
  };
}

/** Parses one `capture` expression (nmstate's nmpolicy capture language). */
export function parseCaptureCommand(raw: string): CaptureCommand {
  const line = raw.trim().replace(/\u00a0/g, ' ').trim();
  const tokens = tokenizeCapture(line);
  let inputCapture: string | undefined;
  let inputCapturePos = 0;
  let rest = tokens;
  const pipe = tokens.findIndex((t) => t.kind === 'pipe');
  if (pipe >= 0) {
    const src = tokens[0];
    const pipeFormat = "The pipe action should always in format of 'capture.<capture_name>'";
    if (pipe === 0 || !src) fail(pipeFormat, line, (tokens[pipe] as CaptureToken).pos);
    if (src.kind !== 'path' || src.path.length !== 2 || src.path[0] !== 'capture') fail(pipeFormat, line, src.pos);
    inputCapture = src.path[1];
    inputCapturePos = src.pos + 'capture.'.length;
    rest = tokens.slice(pipe + 1);
  }
  const opIndex = rest.findIndex((t) => t.kind === 'equal' || t.kind === 'replace');
  if (opIndex < 0) {
    const first = rest[0];
    if (first?.kind === 'path') return { line, action: 'none', keyPath: first.path, keyPos: first.pos, inputCapture, inputCapturePos, value: undefined, valueCapture: undefined };
    // Anything else keeps the whole input state under a new name.
    return { line, action: 'none', keyPath: undefined, keyPos: 0, inputCapture, inputCapturePos, value: undefined, valueCapture: undefined };
  }
  const op = rest[opIndex] as CaptureToken;
  const action: CaptureAction = op.kind === 'equal' ? 'equal' : 'replace';
  if (action === 'equal' && opIndex + 1 >= rest.length) fail('The equal action got no value defined afterwards', line, op.pos);
  const keyTokens = rest.slice(0, opIndex);
  if (keyTokens.length !== 1) fail('The equal or replace action should always start with property path', line, keyTokens.length > 1 ? op.pos : op.pos);
  const keyToken = keyTokens[0] as CaptureToken;
  if (keyToken.kind !== 'path') fail('The equal or replace action should always start with property path', line, keyToken.pos);
  const key = splitCapturePath(keyToken, line, false);
  if (key.capture !== undefined && inputCapture === undefined) {
    inputCapture = key.capture;
    inputCapturePos = key.capturePos;
  }
  const valueTokens = rest.slice(opIndex + 1);
  if (valueTokens.length !== 1) {
    fail('The equal or replace action should end with single value or property path', line, valueTokens.length >= 2 ? (valueTokens[0] as CaptureToken).pos : op.pos);
  }
  const valueToken = valueTokens[0] as CaptureToken;
  const value = splitCapturePath(valueToken, line, true);
  return {
    line,
    action,
    keyPath: (key.path as Extract<CaptureToken, { kind: 'path' }>).path,
    keyPos: key.path.pos,
    inputCapture,
    inputCapturePos,
    value: value.path,
    valueCapture: value.capture,
  };
}

/** The value at a property path of a JSON document; numeric segments index lists (nmstate's `get_value_from_json`). */
export function getValueAtPath(doc: JsonValue, path: readonly string[], line: string, pos: number): JsonValue {
  if (path.length === 0) throw new PlannerError('policy', 'Got zero length property path', { line, position: pos });
  if (!isJsonObject(doc)) fail('The property data is not an object', line, pos);
  const [head, ...rest] = path as [string, ...string[]];
  const value = doc[head];
  if (value === undefined) {
    fail(`Failed to find ${rest.length === 0 ? 'property' : 'leaf'} ${head}${rest.length === 0 ? ', exists properties are' : ' data, allowed keys are'} ${Object.keys(doc).join(',')}`, line, pos);
  }
  if (rest.length === 0) return value;
  const index = /^\d+$/.test(rest[0] as string) ? Number(rest[0]) : undefined;
  if (index !== undefined) {
    const nextPos = pos + `${head}.${rest[0]}.`.length;
    const item = Array.isArray(value) ? value[index] : undefined;
    if (item === undefined) fail(`Failed to find index ${index} from ${head}`, line, pos + `${head}.${rest[0]}.`.length);
    return rest.length === 1 ? item : getValueAtPath(item, rest.slice(1), line, nextPos);
  }
  if (!isJsonObject(value)) fail(`The ${head} leaf data is not a object`, line, pos);
  return getValueAtPath(value, rest, line, pos + head.length);
}

/** The text a value is compared as: strings as they are, anything else as JSON. */
function valueToText(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The literal a replace writes: typed like the value it replaces, so `:= true` stays a boolean and `:= 1500` a number. */
function typedReplacement(text: string, old: JsonValue | undefined): JsonValue {
  if (typeof old === 'string') return text;
  if ((typeof old === 'boolean' || old === undefined) && (text === 'true' || text === 'false')) return text === 'true';
  if ((typeof old === 'number' || old === undefined) && /^-?\d+$/.test(text)) return Number(text);
  return text;
}

function setAtPath(obj: JsonObject, path: readonly string[], value: JsonValue | undefined): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    if (value === undefined) delete obj[head];
    else obj[head] = typedReplacement(value as string, obj[head]);
    return;
  }
  let child = obj[head];
  if (child === undefined) {
    if (value === undefined) return;
    child = {};
    obj[head] = child;
  }
  if (!isJsonObject(child)) throw new PlannerError('policy', `The ${head} leaf data ${JSON.stringify(child)} is not a object`);
  setAtPath(child, rest, value);
}

const SECTIONS: Readonly<Record<string, { readonly section: string; readonly lists: readonly string[] | undefined; readonly what: string }>> = {
  interfaces: { section: 'interfaces', lists: undefined, what: 'interface' },
  routes: { section: 'routes', lists: ['running', 'config'], what: 'route' },
  // nmstate names route rules `route_rule` in its messages.
  'route-rules': { section: 'route-rules', lists: ['config'], what: 'route_rule' },
};

/** Runs one capture command against `current` and the captures computed so far. */
export function runCaptureCommand(cmd: CaptureCommand, current: StateDoc, captures: ReadonlyMap<string, StateDoc>): StateDoc {
  let input: StateDoc = current;
  if (cmd.inputCapture !== undefined) {
    const found = captures.get(cmd.inputCapture);
    if (!found) fail(`Capture ${cmd.inputCapture} not found`, cmd.line, cmd.inputCapturePos);
    input = found;
  }
  if (cmd.action === 'none') {
    if (cmd.keyPath === undefined) return cloneJson(input as JsonObject) as StateDoc;
    if (cmd.keyPath.length === 0) return {};
    return retainOnly(input as JsonObject, cmd.keyPath) as StateDoc;
  }
  let matchText: string | undefined;
  const value = cmd.value;
  if (value?.kind === 'value') matchText = value.value;
  else if (value?.kind === 'path') {
    let valueInput: StateDoc = current;
    if (cmd.valueCapture !== undefined) {
      const found = captures.get(cmd.valueCapture);
      if (!found) fail(`Capture ${cmd.valueCapture} not found`, cmd.line, cmd.inputCapturePos);
      valueInput = found;
    }
    const v = getValueAtPath(valueInput as JsonObject, value.path, cmd.line, value.pos);
    matchText = v === null ? undefined : valueToText(v);
  }
  const keyPath = cmd.keyPath ?? [];
  const head = keyPath[0];
  if (head === undefined) throw new PlannerError('policy', 'Invalid empty keyword', { line: cmd.line, position: cmd.keyPos });
  const spec = SECTIONS[head];
  if (!spec) throw new PlannerError('policy', `Unsupported capture keyword '${head}'`, { line: cmd.line, position: cmd.keyPos });
  let itemsPath = keyPath.slice(1);
  let listKey: string | undefined;
  const posShift = `${head}.`.length;
  if (spec.lists) {
    if (itemsPath.length !== 2) fail(`No ${spec.what} ${cmd.action === 'equal' ? 'search' : 'replace'} pattern found`, cmd.line, cmd.keyPos + posShift);
    listKey = itemsPath[0] as string;
    if (!spec.lists.includes(listKey)) fail(`Only support ${spec.lists.map((l) => `'${l}'`).join(' or ')} keyword for ${spec.what} searching`, cmd.line, cmd.keyPos + posShift);
    // nmstate points at the list keyword (`running`), not past it.
    itemsPath = itemsPath.slice(1);
  }
  const sectionValue = (input as JsonObject)[spec.section];
  const listValue = listKey === undefined ? sectionValue : isJsonObject(sectionValue) ? sectionValue[listKey] : undefined;
  const items = (Array.isArray(listValue) ? listValue : []).filter(isJsonObject);
  let result: JsonObject[];
  if (cmd.action === 'equal') {
    const want = matchText ?? '';
    result = items.filter((item) => {
      try {
        return valueToText(getValueAtPath(item, itemsPath, cmd.line, 0)) === want;
      } catch {
        return false;
      }
    });
    if (result.length === 0) fail(`${spec.what} with '${itemsPath.join('.')}=${want}' not found`, cmd.line, cmd.keyPos + posShift);
    result = result.map((r) => cloneJson(r));
  } else {
    result = items.map((item) => {
      const copy = cloneJson(item);
      setAtPath(copy, itemsPath, matchText);
      return copy;
    });
  }
  if (listKey === undefined) return { [spec.section]: result } as StateDoc;
  return { [spec.section]: { [listKey]: result } } as StateDoc;
}

/** Keeps only the branch of `doc` named by `path` (objects only; lists are kept whole). */
function retainOnly(doc: JsonObject, path: readonly string[]): JsonObject {
  const [head, ...rest] = path as [string, ...string[]];
  if (!(head in doc)) return {};
  const value = doc[head] as JsonValue;
  return { [head]: rest.length > 0 && isJsonObject(value) ? retainOnly(value, rest) : cloneJson(value) };
}

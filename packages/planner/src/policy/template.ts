import { PlannerError } from '../errors.js';
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from '../json/json-value.js';
import type { StateDoc } from '../state/network-state.js';
import { getValueAtPath } from './capture-command.js';
import { tokenizeTemplate } from './capture-token.js';

function fail(message: string, line: string, position: number): never {
  throw new PlannerError('policy', message, { line, position });
}

function resolveCaptureRef(path: readonly string[], captures: ReadonlyMap<string, StateDoc>, line: string, pos: number): JsonValue {
  if (path.length < 2) fail('Invalid capture reference string, should be in the format capture.<capture_name>.<property_path>', line, pos);
  if (path[0] !== 'capture') fail('Can only refer to captured data', line, pos);
  const name = path[1] as string;
  const capture = captures.get(name);
  if (!capture) fail(`Failed to find capture ${name}`, line, pos + 'capture.'.length);
  return getValueAtPath(capture as JsonObject, path.slice(2), line, pos + `capture.${name}.`.length);
}

/** Resolves `{{ capture.name.path }}` in one string; undefined when it holds no reference. */
function resolveString(raw: string, captures: ReadonlyMap<string, StateDoc>): JsonValue | undefined {
  const line = raw.trim();
  const tokens = tokenizeTemplate(line);
  const start = tokens.findIndex((t) => t.kind === 'start');
  const end = tokens.findIndex((t) => t.kind === 'end');
  if (start < 0 || end < 0) return undefined;
  const ref = tokens[start + 1];
  if (ref?.kind !== 'path') fail('Only allow property path between reference start {{ and reference end }}', line, (tokens[start] as { pos: number }).pos);
  const resolved = resolveCaptureRef(ref.path, captures, line, ref.pos);
  const hasAffixes = start !== 0 || end !== tokens.length - 1;
  if (typeof resolved !== 'string') {
    if (hasAffixes) fail('The resolved reference result is object or array, hence you cannot add prefix or postfix', line, ref.pos);
    return cloneJson(resolved);
  }
  let out = '';
  for (const t of tokens.slice(0, start)) {
    if (t.kind !== 'value') fail('Only allows string before reference', line, t.pos);
    out += t.value;
  }
  out += resolved;
  for (const t of tokens.slice(end + 1)) {
    if (t.kind !== 'value') fail('Only allows string after reference', line, t.pos);
    out += t.value;
  }
  return out;
}

/** Fills every `{{ capture.… }}` string of a desired-state template with captured data. Returns a new document. */
export function fillTemplate(template: JsonValue, captures: ReadonlyMap<string, StateDoc>): JsonValue {
  if (typeof template === 'string') return resolveString(template, captures) ?? template;
  if (Array.isArray(template)) return template.map((v) => fillTemplate(v, captures));
  if (isJsonObject(template)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(template)) out[k] = fillTemplate(v, captures);
    return out;
  }
  return template;
}

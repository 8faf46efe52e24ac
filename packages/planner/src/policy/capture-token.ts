import { PlannerError } from '../errors.js';

/** A token of an nmpolicy capture expression; `pos` is its offset in the line. */
export type CaptureToken =
  | { readonly kind: 'path'; readonly path: readonly string[]; readonly pos: number }
  | { readonly kind: 'value'; readonly value: string; readonly pos: number }
  | { readonly kind: 'null'; readonly pos: number }
  | { readonly kind: 'pipe'; readonly pos: number }
  | { readonly kind: 'equal'; readonly pos: number }
  | { readonly kind: 'replace'; readonly pos: number };

/** Characters that end a bare word. */
const WORD_END = new Set([' ', '=', '!', '|', '"', ':']);

function fail(message: string, line: string, position: number): never {
  throw new PlannerError('policy', message, { line, position });
}

/**
 * Splits a capture expression into tokens: property paths (`a.b.c`), values
 * (bare words or `"quoted"`), `null`, `|`, `==` and `:=`. At most one of
 * each operator is allowed, as in nmstate.
 */
export function tokenizeCapture(line: string): CaptureToken[] {
  const out: CaptureToken[] = [];
  const has = (kind: CaptureToken['kind']): boolean => out.some((t) => t.kind === kind);
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '=') {
      if (line[i + 1] === undefined) fail("Invalid equal action string after =, expecting another '=', but got nothing", line, i);
      if (line[i + 1] !== '=') fail("Invalid equal action string after =, expecting another '='", line, i + 1);
      if (has('equal')) fail('Nmpolicy does not allows two equal action', line, i);
      out.push({ kind: 'equal', pos: i });
      i += 2;
    } else if (c === ':') {
      if (line[i + 1] === undefined) fail("Invalid replace action string after =, expecting another '=', but got nothing", line, i);
      if (line[i + 1] !== '=') fail("Invalid replace action string after =, expecting another '='", line, i + 1);
      if (has('replace')) fail('Nmpolicy does not allows two replace action', line, i);
      out.push({ kind: 'replace', pos: i });
      i += 2;
    } else if (c === '|') {
      if (has('pipe')) fail('Nmpolicy does not allows two pipe action', line, i);
      out.push({ kind: 'pipe', pos: i });
      i += 1;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) fail('No ending double quote', line, i);
      if (end > i + 1) out.push({ kind: 'value', value: line.slice(i + 1, end), pos: i + 1 });
      i = end + 1;
    } else if (/\s/.test(c)) {
      i += 1;
    } else {
      let j = i + 1;
      while (j < line.length && !WORD_END.has(line[j] as string)) j++;
      const word = line.slice(i, j).trim();
      if (word.includes('.')) out.push({ kind: 'path', path: word.split('.'), pos: i });
      else if (word.toLowerCase() === 'null') out.push({ kind: 'null', pos: i });
      else if (word !== '') out.push({ kind: 'value', value: word, pos: i });
      i = j;
    }
  }
  const pipe = out.findIndex((t) => t.kind === 'pipe');
  if (pipe >= 0) {
    const next = out[pipe + 1];
    if (!next) fail('Invalid pipe action: no property path defined', line, (out[pipe] as CaptureToken).pos);
    if (next.kind !== 'path') fail('Invalid pipe action: only property path allowed after pipe', line, next.pos);
  }
  return out;
}

/** A token of a `{{ capture.name.path }}` template string. */
export type TemplateToken =
  | { readonly kind: 'value'; readonly value: string; readonly pos: number }
  | { readonly kind: 'path'; readonly path: readonly string[]; readonly pos: number }
  | { readonly kind: 'start'; readonly pos: number }
  | { readonly kind: 'end'; readonly pos: number };

/** Splits a desired-state string into literal words, `{{`, one property path and `}}`. */
export function tokenizeTemplate(line: string): TemplateToken[] {
  const out: TemplateToken[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '{' || c === '}') {
      const kind = c === '{' ? 'start' : 'end';
      if (line[i + 1] === undefined) fail(`Invalid reference action string after ${c}, expecting another '${c}', but got nothing`, line, i);
      if (line[i + 1] !== c) fail(`Invalid reference action string after ${c}, expecting another '${c}'`, line, i);
      if (out.some((t) => t.kind === kind)) fail('Nmpolicy does not allow multiple references {{}}', line, i);
      out.push({ kind, pos: i });
      i += 2;
      if (kind === 'start') while (i < line.length && /\s/.test(line[i] as string)) i++;
      continue;
    }
    let j = i + 1;
    // A word ends before a brace, or at a whitespace, which it swallows (as nmstate's template lexer does).
    while (j < line.length && line[j] !== '{' && line[j] !== '}') {
      const ws = /\s/.test(line[j] as string);
      j++;
      if (ws) break;
    }
    const word = line.slice(i, j).trim();
    if (word !== '') {
      if (word.includes('.') && !word.startsWith('.')) out.push({ kind: 'path', path: word.split('.'), pos: i });
      else out.push({ kind: 'value', value: word, pos: i });
    }
    i = j;
  }
  const start = out.findIndex((t) => t.kind === 'start');
  const end = out.findIndex((t) => t.kind === 'end');
  if (start >= 0 && end < 0) fail('No reference end }} found', line, (out[start] as TemplateToken).pos);
  if (end >= 0 && start < 0) fail('No reference start {{ found', line, (out[end] as TemplateToken).pos);
  if (start >= 0 && end >= 0) {
    const endPos = (out[end] as TemplateToken).pos;
    if (start >= end) fail('The reference start {{ can not be placed before reference end }}', line, endPos);
    if (start + 1 >= end) fail('No property path between reference start {{ and reference end }}', line, endPos - 1);
    if (start + 2 !== end) fail('Only allows single property path between reference start {{ and reference end }}', line, (out[start + 2] as TemplateToken).pos);
  }
  return out;
}

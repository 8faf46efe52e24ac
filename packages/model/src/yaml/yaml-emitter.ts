/**
 * A block-style YAML emitter that writes what serde_yaml 0.9 (over libyaml) writes, so
 * that `formatState` matches `nmstatectl format` byte for byte: two-space indentation,
 * sequences in mappings not indented, `[]`/`{}` for empty collections, and libyaml's
 * rules for choosing plain, single-quoted, double-quoted or literal scalars.
 *
 * Input is plain ordered data: objects (printed in key order), arrays, strings, finite
 * numbers, booleans, `null` and bigints.
 */
import { resolvePlainScalar } from './serde-yaml-schema.js';

const INDENT = 2;
// libyaml writes keys longer than this in the explicit `? key` form.
const MAX_SIMPLE_KEY_LENGTH = 128;

type Style = 'plain' | 'single' | 'double' | 'literal';

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** Serializes a mapping as a YAML document ending in a newline. */
export function emitYaml(root: Record<string, unknown>): string {
  const writer = new Writer();
  writer.mapping(root, 0, true);
  const out = writer.out;
  return out.endsWith('\n') ? out : `${out}\n`;
}

function isMappingValue(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Writer {
  out = '';

  /** Writes a block mapping whose keys sit at `indent`; `inline` continues the current line. */
  mapping(map: Record<string, unknown>, indent: number, inline: boolean): void {
    let first = true;
    for (const key in map) {
      if (!first || !inline) this.newline(indent);
      first = false;
      const analysis = analyzeScalar(key);
      if (analysis.multiline || byteLength(key) > MAX_SIMPLE_KEY_LENGTH) {
        this.out += '?';
        this.scalar(key, indent + INDENT, false);
        this.newline(indent);
        this.out += ':';
        this.value(map[key], indent, true);
      } else {
        this.out += this.scalarText(key, indent + INDENT, true, analysis);
        this.out += ':';
        this.value(map[key], indent, false);
      }
    }
  }

  /** Writes a block sequence with items at `indent`. */
  sequence(items: readonly unknown[], indent: number, inline: boolean): void {
    items.forEach((item, index) => {
      if (index > 0 || !inline) this.newline(indent);
      this.out += '-';
      this.nested(item, indent + INDENT);
    });
  }

  /**
   * Writes the value of a mapping key whose key sits at `indent`. After an explicit key the
   * value shares the `:` line, as libyaml does.
   */
  private value(value: unknown, indent: number, afterExplicitKey: boolean): void {
    if (afterExplicitKey) {
      this.nested(value, indent + INDENT);
      return;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) this.out += ' []';
      else this.sequence(value, indent, false);
    } else if (isMappingValue(value)) {
      if (Object.keys(value).length === 0) this.out += ' {}';
      else this.mapping(value, indent + INDENT, false);
    } else {
      this.scalar(value, indent + INDENT, false);
    }
  }

  /** Writes a node that starts on the current line after an indicator (`-`, `?`, `:`). */
  private nested(value: unknown, indent: number): void {
    if (Array.isArray(value)) {
      if (value.length === 0) this.out += ' []';
      else {
        this.out += ' ';
        this.sequence(value, indent, true);
      }
    } else if (isMappingValue(value)) {
      if (Object.keys(value).length === 0) this.out += ' {}';
      else {
        this.out += ' ';
        this.mapping(value, indent, true);
      }
    } else {
      this.scalar(value, indent, false);
    }
  }

  private scalar(value: unknown, blockIndent: number, simpleKey: boolean): void {
    this.out += ' ' + this.scalarText(value, blockIndent, simpleKey);
  }

  private scalarText(value: unknown, blockIndent: number, simpleKey: boolean, analysis?: ScalarAnalysis): string {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number') return formatNumber(value);
    const text = String(value);
    const style = chooseStyle(text, simpleKey, analysis ?? analyzeScalar(text));
    switch (style) {
      case 'plain':
        return text;
      case 'single':
        return `'${text.replaceAll("'", "''")}'`;
      case 'double':
        return doubleQuoted(text);
      case 'literal': {
        return literalHeader(text) + literalBody(text, blockIndent);
      }
    }
  }

  private newline(indent: number): void {
    if (this.out !== '' && !this.out.endsWith('\n')) this.out += '\n';
    this.out += ' '.repeat(indent);
  }
}

function byteLength(text: string): number {
  let length = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    length += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return length;
}

/** serde_yaml quotes strings that would read back as another type (`'true'`, `'1500'`, `'0123'`, `''`). */
function looksLikeNonString(text: string): boolean {
  if (text.includes('\n')) return false;
  if (resolvePlainScalar(text) !== undefined) return true;
  const unsigned = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  return unsigned.length > 1 && unsigned.startsWith('0') && /^[0-9]+$/.test(unsigned);
}

function chooseStyle(text: string, simpleKey: boolean, analysis: ScalarAnalysis): Style {
  let style: Style = text.includes('\n') ? 'literal' : looksLikeNonString(text) ? 'single' : 'plain';
  if (simpleKey && analysis.multiline) style = 'double';
  if (style === 'plain') {
    if (!analysis.blockPlainAllowed) style = 'single';
    if (text.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!analysis.blockAllowed || simpleKey)) style = 'double';
  return style;
}

function isBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x85 || code === 0x2028 || code === 0x2029;
}

function isBlankOrEnd(code: number | undefined): boolean {
  return code === undefined || code === 0x20 || code === 0x09 || isBreak(code) || code === 0;
}

/** libyaml's notion of printable (with unicode output enabled). */
function isPrintable(code: number): boolean {
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

const FIRST_CHAR_INDICATORS = new Set('#,[]{}&*!|>\'"%@`');

/** libyaml's `yaml_emitter_analyze_scalar`: which styles can represent this text. */
export function analyzeScalar(text: string): ScalarAnalysis {
  if (text.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  const codes = Array.from(text, (char) => char.codePointAt(0) as number);
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    const char = String.fromCodePoint(code);
    const followedByWhitespace = isBlankOrEnd(codes[i + 1]);
    const last = i === codes.length - 1;
    if (i === 0) {
      if (FIRST_CHAR_INDICATORS.has(char)) blockIndicators = true;
      if ((char === '?' || char === ':') && followedByWhitespace) blockIndicators = true;
      if (char === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (char === ':' && followedByWhitespace) blockIndicators = true;
      if (char === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(code)) specialCharacters = true;
    if (isBreak(code)) lineBreaks = true;
    if (code === 0x20) {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(code)) {
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(code);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

const ESCAPES: Readonly<Record<number, string>> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

function doubleQuoted(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (!isPrintable(code) || code === 0xfeff || isBreak(code) || code === 0x22 || code === 0x5c) {
      const escape = ESCAPES[code];
      if (escape !== undefined) out += `\\${escape}`;
      else if (code <= 0xff) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
      else if (code <= 0xffff) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
      else out += `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
    } else {
      out += char;
    }
  }
  return `${out}"`;
}

/** The `|` indicator with libyaml's indentation and chomping hints. */
function literalHeader(text: string): string {
  let header = '|';
  const firstCode = text.codePointAt(0) as number;
  if (firstCode === 0x20 || isBreak(firstCode)) header += String(INDENT);
  const codes = Array.from(text, (char) => char.codePointAt(0) as number);
  const lastCode = codes[codes.length - 1] as number;
  if (!isBreak(lastCode)) header += '-';
  else if (codes.length === 1 || isBreak(codes[codes.length - 2] as number)) header += '+';
  return header;
}

function literalBody(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '\n';
  let atLineStart = true;
  for (const char of text) {
    if (char === '\n') {
      out += '\n';
      atLineStart = true;
    } else {
      if (atLineStart) out += pad;
      out += char;
      atLineStart = false;
    }
  }
  return out;
}

/** Numbers as serde_yaml prints them: integers by `itoa`, floats by `ryu`. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return Object.is(value, -0) ? '0' : String(value);
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
  return formatRyu(value);
}

/** ryu's `format64`: shortest round-trip digits, decimal form for moderate exponents. */
function formatRyu(value: number): string {
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const length = digits.length;
  const kk = Number(exponentText) + 1;
  const k = kk - length;
  let body: string;
  if (k >= 0 && kk <= 16) body = `${digits}${'0'.repeat(k)}.0`;
  else if (kk > 0 && kk <= 16) body = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) body = `0.${'0'.repeat(-kk)}${digits}`;
  else if (length === 1) body = `${digits}e${kk - 1}`;
  else body = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return sign + body;
}

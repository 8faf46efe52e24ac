import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { PathSegment, ValidationIssue } from '../validation-issue.js';

/** A 1-based position in a text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Node positions of a YAML (or JSON) text, from the `yaml` package, which keeps source
 * ranges. Parsing with it is several times slower than js-yaml, so it runs only when a
 * document has something to report.
 */
export class SourceMap {
  private readonly lineCounter = new LineCounter();
  private readonly root: unknown;
  /** Syntax errors the `yaml` package found, with their positions. */
  readonly syntaxErrors: Array<{ message: string; position: SourcePosition }>;

  constructor(text: string) {
    // The failsafe schema keeps every scalar as its text, so keys compare as js-yaml read them.
    const document = parseDocument(text, { lineCounter: this.lineCounter, schema: 'failsafe', uniqueKeys: false });
    this.root = document.contents;
    this.syntaxErrors = document.errors.map((error) => ({
      message: error.message.replace(/ at line \d+, column \d+:[^]*$/, ''),
      position: { line: error.linePos?.[0].line ?? 1, column: error.linePos?.[0].col ?? 1 },
    }));
  }

  /** The 1-based position of an offset in the text. */
  positionOf(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /**
   * Where the node at `segments` starts: the key itself when `target` is `key`, otherwise
   * its value (or its key when the value is empty). Stops at the deepest node that exists.
   */
  locate(segments: readonly PathSegment[], target: 'key' | 'value'): SourcePosition | undefined {
    let node: unknown = this.root;
    let keyNode: unknown;
    for (const segment of segments) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (pair === undefined) break;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        keyNode = undefined;
        node = node.items[segment];
      } else {
        break;
      }
    }
    const chosen = target === 'key' && keyNode !== undefined ? keyNode : (node ?? keyNode);
    const range = (chosen as Node | null | undefined)?.range;
    return range === undefined || range === null ? undefined : this.positionOf(range[0]);
  }
}

/** Fills in `line`, `column` and `file` of issues from the text they were found in. */
export function locateIssues(issues: ValidationIssue[], sourceMap: SourceMap, file: string | undefined): void {
  for (const issue of issues) {
    const position = sourceMap.locate(issue.segments, issue.target);
    if (position !== undefined) {
      issue.line = position.line;
      issue.column = position.column;
    }
    if (file !== undefined) issue.file = file;
  }
}

import { describe, expect, it } from 'vitest';
import { formatIssue, formatState, parseState, sortInterfaces } from './index.js';
import type { NetworkState } from './index.js';
import { projectValidCorpus } from '../test/corpus.js';

function parseOk(text: string): NetworkState {
  const result = parseState(text);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.state;
}

describe('the project valid corpus (every type and property, scrambled keys, lenient spellings)', () => {
  it.each(projectValidCorpus().map((doc) => [doc.name, doc] as const))('%s formats to its golden file', (_name, doc) => {
    const state = parseOk(doc.text);
    expect(formatState(state)).toBe(doc.formatted);
    const reparsed = parseOk(doc.formatted);
    expect(formatState(reparsed)).toBe(doc.formatted);
    expect({ ...reparsed, interfaces: sortInterfaces(reparsed.interfaces) }).toEqual({
      ...state,
      interfaces: sortInterfaces(state.interfaces),
    });
  });
});

import { describe, expect, it } from 'vitest';
import { formatIssue, formatState, parseState, sortInterfaces } from './index.js';
import type { NetworkState } from './index.js';
import { nmstatePolicies, validCorpus } from '../test/corpus.js';

const corpus = validCorpus();

function parseOk(text: string, options: Parameters<typeof parseState>[1] = {}): NetworkState {
  const result = parseState(text, options);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.state;
}

/** nmstate sorts interfaces when printing; the order of the list carries no meaning. */
function withSortedInterfaces(state: NetworkState): NetworkState {
  return { ...state, interfaces: sortInterfaces(state.interfaces) };
}

describe('the upstream corpus', () => {
  it('holds every nmstate example and every NNCP example', () => {
    expect(corpus.filter((doc) => doc.documentPath.length === 0).length).toBeGreaterThanOrEqual(47 + 2 * 13 + 3 * 11);
    expect(corpus.filter((doc) => doc.documentPath.length > 0).length).toBeGreaterThanOrEqual(18);
  });

  it.each(corpus.map((doc) => [doc.name, doc] as const))('%s validates', (_name, doc) => {
    const result = parseState(doc.text, { file: doc.name, documentPath: doc.documentPath, templates: doc.templates });
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
  });

  it.each(nmstatePolicies().map((doc) => [doc.name, doc] as const))('%s: the nmpolicy desiredState validates', (_name, doc) => {
    const result = parseState(doc.text, { file: doc.name, documentPath: doc.documentPath, templates: true });
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
  });

  const formattable = corpus.filter((doc) => !doc.templates);

  it.each(formattable.map((doc) => [doc.name, doc] as const))('%s: format is idempotent and keeps meaning', (_name, doc) => {
    const state = parseOk(doc.text, { documentPath: doc.documentPath });
    const formatted = formatState(state);
    const reparsed = parseOk(formatted);
    expect(formatState(reparsed)).toBe(formatted);
    expect(withSortedInterfaces(reparsed)).toEqual(withSortedInterfaces(state));
  });
});

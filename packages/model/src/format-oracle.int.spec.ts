import { describe, expect, it } from 'vitest';
import { formatIssue, formatState, parseState, validateState } from './index.js';
import { projectValidCorpus, stateText, validCorpus } from '../test/corpus.js';
import { findCachedNmstatectl } from '@nmfleet/testenv';
import { ORACLE_MISSING, pickNmstatectl, runNmstatectl } from '../test/nmstatectl-oracle.js';

const nmstatectl = pickNmstatectl(findCachedNmstatectl());
const skipNote = nmstatectl === undefined ? ` (skipped: ${ORACLE_MISSING})` : '';

// Documents that use nmpolicy capture references are not states nmstatectl can format.
const corpus = validCorpus().filter((doc) => !doc.templates);

/** Strings that exercise libyaml's choice of scalar style. */
const TRICKY_STRINGS = [
  'true', 'True', 'yes', 'no', 'null', '~', '', ' ', 'a ', ' a', '0123', '-0123', '+1', '1e3', '1.5', '.5', '5.',
  '0x1F', '0o7', '0b1', '.inf', '-.Inf', '.nan', 'nan', 'inf', 'a: b', 'a:b', 'a #b', 'a#b', '#a', '- a', '-a', '-',
  '? a', '?a', ':a', 'a:', '[a]', '{a}', 'a,b', 'a]', '&a', '*a', '!a', '|a', '>a', "'a", '"a', '%a', '@a', '`a',
  '---', '--- a', '...', 'a\nb', 'a\n', 'a\n\n', '\na', ' a\nb', 'a \nb', 'a\n b', 'a\tb', 'tab\t', 'é', 'ü text',
  '日本', '😀', '\ufeffa', "it's", 'say "hi"', 'back\\slash', 'a\rb', '12:30', '1:2:3', '2001:db8::1', '192.0.2.1',
  '1_000', '0.', '-1', '-0', '00', '0', '1e400', '99999999999999999999999', 'x'.repeat(200), 'x y'.repeat(60),
];

describe(`format matches nmstatectl format${skipNote}`, () => {
  it.skipIf(nmstatectl === undefined).each(corpus.map((doc) => [doc.name, doc] as const))(
    '%s',
    (_name, doc) => {
      const result = parseState(doc.text, { documentPath: doc.documentPath });
      if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
      const oracle = runNmstatectl(nmstatectl as string, 'format', stateText(doc));
      expect(oracle.error).toBe('');
      // nmstatectl prints the document with println!, which adds one newline.
      expect(`${formatState(result.state)}\n`).toBe(oracle.stdout);
    },
  );

  it.skipIf(nmstatectl === undefined).each(projectValidCorpus().map((doc) => [doc.name, doc] as const))(
    '%s: its golden file is what nmstatectl prints (or the difference is documented)',
    (_name, doc) => {
      const oracle = runNmstatectl(nmstatectl as string, 'format', doc.text);
      expect(oracle.error).toBe('');
      if (doc.differsFromNmstatectl === undefined) {
        expect(`${doc.formatted}\n`).toBe(oracle.stdout);
        return;
      }
      // A documented difference: nmstatectl's own output is not stable under re-formatting.
      expect(`${doc.formatted}\n`).not.toBe(oracle.stdout);
      expect(runNmstatectl(nmstatectl as string, 'format', oracle.stdout).stdout).not.toBe(oracle.stdout);
    },
  );

  it.skipIf(nmstatectl === undefined)('quotes strings, keys and values as serde_yaml does', () => {
    const mismatches: string[] = [];
    for (const text of TRICKY_STRINGS) {
      const document = { description: text, interfaces: [], 'ovs-db': { external_ids: { [text === '' ? 'empty' : text]: text } } };
      const result = validateState(document);
      if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
      const oracle = runNmstatectl(nmstatectl as string, 'format', JSON.stringify(document));
      const ours = `${formatState(result.state)}\n`;
      if (oracle.stdout !== ours) mismatches.push(`${JSON.stringify(text)}:\n  ours:   ${JSON.stringify(ours)}\n  theirs: ${JSON.stringify(oracle.stdout || oracle.error)}`);
    }
    expect(mismatches).toEqual([]);
  });
});

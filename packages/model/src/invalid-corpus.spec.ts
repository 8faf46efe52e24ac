import { describe, expect, it } from 'vitest';
import { formatIssue, parseState } from './index.js';
import { invalidCorpus } from '../test/invalid-corpus.js';

const cases = invalidCorpus();

describe('the bad-input corpus', () => {
  it('has at least 30 cases across the sections of a state', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const sections = new Set(cases.flatMap((c) => c.expected.map((line) => /\(at ([a-z-]+)/.exec(line)?.[1] ?? 'syntax')));
    expect([...sections].sort()).toEqual(
      expect.arrayContaining(['dns-resolver', 'hostname', 'interfaces', 'ovn', 'route-rules', 'routes', 'syntax']),
    );
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s is rejected with the expected diagnostics', (_name, c) => {
    const result = parseState(c.text, { file: c.file });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual(c.expected);
  });
});

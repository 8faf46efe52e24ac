import { describe, expect, it } from 'vitest';
import { formatLogLine } from './logger.js';

describe('formatLogLine', () => {
  it('writes logfmt-style fields, quoting values with spaces and dropping undefined ones', () => {
    expect(formatLogLine('info', 'go build', { target: 'kube-apiserver', compiled: '12/2029', last: 'a b', skipped: undefined, ok: true })).toBe(
      '[testenv] go build target=kube-apiserver compiled=12/2029 last="a b" ok=true',
    );
    expect(formatLogLine('warn', 'stopped')).toBe('[testenv] WARN stopped');
  });
});

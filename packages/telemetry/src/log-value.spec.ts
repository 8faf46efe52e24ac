import { describe, expect, it } from 'vitest';
import { TelemetryError } from './errors.js';
import { serialiseError, toJsonValue } from './log-value.js';

class KindedError extends Error {
  override readonly name = 'KubeError';
  readonly kind = 'too-many-requests';
  readonly retryAfterSeconds = 3;
}

describe('serialiseError', () => {
  it('writes kind, name, message, own fields and the cause chain; a stack only where no kind is', () => {
    const root = new Error('ECONNREFUSED 127.0.0.1:6443');
    const error = new KindedError('throttled by the API server', { cause: new TelemetryError('listen-failed', 'inner', { cause: root }) });
    const json = serialiseError(error);
    expect(json).toMatchObject({
      kind: 'too-many-requests',
      name: 'KubeError',
      message: 'throttled by the API server',
      retryAfterSeconds: 3,
      cause: { kind: 'listen-failed', name: 'TelemetryError', message: 'inner', cause: { kind: 'Error', message: 'ECONNREFUSED 127.0.0.1:6443' } },
    });
    expect(json['stack']).toBeUndefined();
    expect((json['cause'] as { stack?: string }).stack).toBeUndefined();
    expect(((json['cause'] as { cause: { stack: string } }).cause).stack).toContain('ECONNREFUSED 127.0.0.1:6443');
  });

  it('lists the errors of an AggregateError and keeps a non-error cause', () => {
    const json = serialiseError(new AggregateError([new Error('a'), 'b'], 'both failed', { cause: { code: 7 } }));
    expect(json).toMatchObject({ kind: 'AggregateError', errors: [{ message: 'a' }, 'b'], cause: { code: 7 } });
  });
});

describe('toJsonValue', () => {
  it('converts values JSON cannot hold and marks cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const converted = toJsonValue({
      big: 12345678901234567890n,
      when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      map: new Map([['eth0', { up: true }]]),
      set: new Set([1, 2]),
      nan: Number.NaN,
      skipped: undefined,
      fn: () => 1,
      cyclic,
      shared: [cyclic, cyclic],
    });
    expect(converted).toEqual({
      big: '12345678901234567890',
      when: '2024-01-02T03:04:05.000Z',
      map: { eth0: { up: true } },
      set: [1, 2],
      nan: 'NaN',
      cyclic: { name: 'loop', self: '[Circular]' },
      shared: [
        { name: 'loop', self: '[Circular]' },
        { name: 'loop', self: '[Circular]' },
      ],
    });
  });

  it('cuts structures deeper than eight levels', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 12; i++) deep = { next: deep };
    expect(JSON.stringify(toJsonValue(deep))).toContain('"[Object]"');
  });
});

import { describe, expect, it } from 'vitest';
import { loadYaml, resolvePlainScalar } from './serde-yaml-schema.js';
import { YamlFloat } from './yaml-float.js';

describe('plain scalars resolve as serde_yaml resolves them', () => {
  it.each([
    ['1500', 1500],
    ['+5', 5],
    ['-1', -1],
    ['-0', 0],
    ['0x5dc', 1500],
    ['0o17', 15],
    ['0b101', 5],
    ['-0x10', -16],
    ['true', true],
    ['True', true],
    ['FALSE', false],
    ['null', null],
    ['~', null],
    ['1.5', 1.5],
    ['.5', 0.5],
  ])('%s is %j', (text, value) => {
    expect(resolvePlainScalar(text)).toBe(value);
  });

  it.each(['0123', '-0123', '+0123', '00', 'yes', 'no', 'on', 'off', 'y', 'n', 'tRUE', '0X10', '1_000', '0x', '++1', '+-1', '1e400', 'nan', 'inf', '.', 'abc', '2024-01-01', '12:30'])(
    '%s stays a string',
    (text) => {
      expect(resolvePlainScalar(text)).toBeUndefined();
    },
  );

  it('keeps floats that look like integers distinguishable (nmstate rejects them where it expects integers)', () => {
    expect(resolvePlainScalar('1500.0')).toEqual(new YamlFloat(1500, '1500.0'));
    expect(resolvePlainScalar('1e3')).toEqual(new YamlFloat(1000, '1e3'));
    expect(resolvePlainScalar('.inf')).toEqual(new YamlFloat(Infinity, '.inf'));
    expect(resolvePlainScalar('-.Inf')).toEqual(new YamlFloat(-Infinity, '-.Inf'));
  });

  it('reads integers beyond 2^53 exactly, as bigints', () => {
    expect(resolvePlainScalar('18446744073709551615')).toBe(18446744073709551615n);
  });

  it('leaves quoted scalars alone and reads documents', () => {
    expect(loadYaml('a: "1500"\nb: 0123\nc: 0x10\nd: 2024-01-01\ne:\n')).toEqual({
      a: '1500',
      b: '0123',
      c: 16,
      d: '2024-01-01',
      e: null,
    });
  });
});

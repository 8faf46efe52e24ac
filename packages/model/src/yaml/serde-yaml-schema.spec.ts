import { describe, expect, it } from 'vitest';
import { loadYaml, resolvePlainScalar } from './serde-yaml-schema.js';
import { YamlScalar } from './yaml-scalar.js';

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
  ])('%s is %j', (text, value) => {
    expect(resolvePlainScalar(text)).toBe(value);
  });

  it.each(['0123', '-0123', '+0123', '00', 'yes', 'no', 'on', 'off', 'y', 'n', 'tRUE', '0X10', '1_000', '0x', '++1', '+-1', '1e400', 'nan', 'inf', '.', 'abc', '2024-01-01', '12:30'])(
    '%s stays a string',
    (text) => {
      expect(resolvePlainScalar(text)).toBeUndefined();
    },
  );

  it('reads floats, keeping their text', () => {
    expect(resolvePlainScalar('1.5')).toEqual(new YamlScalar(1.5, '1.5', 'float'));
    expect(resolvePlainScalar('.5')).toEqual(new YamlScalar(0.5, '.5', 'float'));
    expect(resolvePlainScalar('1500.0')).toEqual(new YamlScalar(1500, '1500.0', 'float'));
    expect(resolvePlainScalar('1e3')).toEqual(new YamlScalar(1000, '1e3', 'float'));
    expect(resolvePlainScalar('.inf')).toEqual(new YamlScalar(Infinity, '.inf', 'float'));
    expect(resolvePlainScalar('-.Inf')).toEqual(new YamlScalar(-Infinity, '-.Inf', 'float'));
  });

  it('reads integers beyond 2^53 exactly, as bigints', () => {
    expect(resolvePlainScalar('18446744073709551615')).toBe(18446744073709551615n);
  });

  it('leaves quoted scalars alone, and keeps the text of unusual spellings (and floats like integers)', () => {
    expect(loadYaml('a: "1500"\nb: 0123\nc: 0x10\nd: 2024-01-01\ne:\nf: 1500\ng: True\nh: 1.5\ni: 1.0\nj: true\n')).toEqual({
      a: '1500',
      b: '0123',
      c: new YamlScalar(16, '0x10', 'int'),
      d: '2024-01-01',
      e: null,
      f: 1500,
      g: new YamlScalar(true, 'True', 'bool'),
      h: 1.5,
      i: new YamlScalar(1, '1.0', 'float'),
      j: true,
    });
  });
});

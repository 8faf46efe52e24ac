import { describe, expect, it } from 'vitest';
import { emitYaml, formatNumber } from './yaml-emitter.js';

describe('the serde_yaml-compatible emitter', () => {
  it('writes block mappings, indentless sequences and empty collections', () => {
    expect(emitYaml({ a: { b: [1, { c: 'x', d: [] }], e: {} }, f: [[1, 2], []] })).toBe(
      'a:\n  b:\n  - 1\n  - c: x\n    d: []\n  e: {}\nf:\n- - 1\n  - 2\n- []\n',
    );
  });

  it('quotes strings that would read back as something else', () => {
    expect(emitYaml({ a: 'true', b: '1500', c: '0123', d: '', e: '~', f: '0x10', g: 'yes', h: '1.5' })).toBe(
      "a: 'true'\nb: '1500'\nc: '0123'\nd: ''\ne: '~'\nf: '0x10'\ng: yes\nh: '1.5'\n",
    );
  });

  it('quotes indicators and whitespace as libyaml does', () => {
    expect(emitYaml({ a: '%fromcert', b: 'a: b', c: ' lead', d: "it's", e: 'tab\there', f: '#x', g: 'a #b', h: '- x' })).toBe(
      "a: '%fromcert'\nb: 'a: b'\nc: ' lead'\nd: it's\ne: \"tab\\there\"\nf: '#x'\ng: 'a #b'\nh: '- x'\n",
    );
  });

  it('writes multi-line strings as literal blocks with chomping indicators', () => {
    expect(emitYaml({ a: 'one\ntwo', b: 'one\n', c: 'one\n\n', d: { e: ' x\ny' } })).toBe(
      'a: |-\n  one\n  two\nb: |\n  one\nc: |+\n  one\n\nd:\n  e: |2-\n     x\n    y\n',
    );
  });

  it('writes long or multi-line keys in the explicit form', () => {
    const long = 'k'.repeat(129);
    expect(emitYaml({ [long]: 'v', 'a\nb': 'w' })).toBe(`? ${long}\n: v\n? |-\n  a\n  b\n: w\n`);
  });

  it('prints numbers as itoa and ryu do', () => {
    expect([1500, -1, -0, 1.5, 0.0001, 1e-7, 1.5e20, 123456789.125].map(formatNumber)).toEqual([
      '1500',
      '-1',
      '0',
      '1.5',
      '0.0001',
      '1e-7',
      '1.5e20',
      '123456789.125',
    ]);
  });
});

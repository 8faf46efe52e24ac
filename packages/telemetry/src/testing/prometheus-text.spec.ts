import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus-text.js';

describe('parsePrometheusText', () => {
  it('reads samples with escaped label values, special values and timestamps', () => {
    const text = [
      '# HELP x_total A counter.',
      '# TYPE x_total counter',
      'x_total{a="plain",b="quote \\" back\\\\slash \\n newline"} 3',
      'y_bucket{le="+Inf"} 7 1700000000000',
      'z Nan',
      'w -Inf',
      '',
    ].join('\n');
    const samples = parsePrometheusText(text);
    expect(samples).toHaveLength(4);
    expect(samples[0]).toEqual({ name: 'x_total', labels: { a: 'plain', b: 'quote " back\\slash \n newline' }, value: 3 });
    expect(samples[1]).toEqual({ name: 'y_bucket', labels: { le: '+Inf' }, value: 7 });
    expect(samples[2]?.value).toBeNaN();
    expect(samples[3]?.value).toBe(-Infinity);
  });

  it('names the line it cannot read', () => {
    expect(() => parsePrometheusText('ok 1\nbroken{a=1} 2')).toThrow('line 2: bad label at a=1');
    expect(() => parsePrometheusText('v abc')).toThrow('line 1: bad value abc');
  });
});

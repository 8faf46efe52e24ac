import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTelemetryError } from './errors.js';
import { ALL_METRIC_DEFINITIONS } from './metric-definitions.js';
import { METRICS_REFERENCE_BEGIN, METRICS_REFERENCE_END, replaceGeneratedReference } from './metrics-reference.js';

const DOC = new URL('../../../docs/metrics.md', import.meta.url);

describe('docs/metrics.md', () => {
  it('holds the reference generated from the current definitions', () => {
    const document = readFileSync(DOC, 'utf8');
    expect(
      replaceGeneratedReference(document) === document,
      'docs/metrics.md is stale: run npx tsx packages/telemetry/scripts/generate-metrics-doc.ts',
    ).toBe(true);
  });

  it('lists every metric with its type', () => {
    const document = readFileSync(DOC, 'utf8');
    for (const definition of ALL_METRIC_DEFINITIONS) {
      expect(document).toContain(`| \`${definition.name}\` | ${definition.type} |`);
    }
  });
});

describe('replaceGeneratedReference', () => {
  it('replaces only the text between the markers', () => {
    const result = replaceGeneratedReference(`intro\n${METRICS_REFERENCE_BEGIN}\nold\n${METRICS_REFERENCE_END}\noutro\n`);
    expect(result.startsWith(`intro\n${METRICS_REFERENCE_BEGIN}\n`)).toBe(true);
    expect(result.endsWith(`${METRICS_REFERENCE_END}\noutro\n`)).toBe(true);
    expect(result).not.toContain('\nold\n');
    expect(result).toContain('| `nmfleet_policies` | gauge |');
  });

  it('refuses a document without the markers', () => {
    let caught: unknown;
    try {
      replaceGeneratedReference('no markers here');
    } catch (error) {
      caught = error;
    }
    expect(isTelemetryError(caught, 'invalid-option')).toBe(true);
  });
});

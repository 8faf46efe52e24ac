import { TelemetryError } from './errors.js';
import {
  AGENT_METRIC_DEFINITIONS,
  COORDINATOR_METRIC_DEFINITIONS,
  type MetricDefinition,
} from './metric-definitions.js';

/** The markers between which docs/metrics.md holds the generated reference tables. */
export const METRICS_REFERENCE_BEGIN = '<!-- BEGIN GENERATED: npx tsx packages/telemetry/scripts/generate-metrics-doc.ts -->';
/** See {@link METRICS_REFERENCE_BEGIN}. */
export const METRICS_REFERENCE_END = '<!-- END GENERATED -->';

/** A titled group of definitions, rendered as one table. */
export interface MetricsReferenceSection {
  readonly title: string;
  readonly definitions: readonly MetricDefinition[];
}

/**
 * Renders the reference tables of docs/metrics.md (between the markers) from
 * the definitions, so the document cannot drift from the code: name, type,
 * labels with their value sets, label combinations, meaning.
 */
export function renderMetricsReference(sections: readonly MetricsReferenceSection[]): string {
  const blocks = sections.map((section) => {
    const rows = section.definitions.map((definition) => {
      const labels =
        definition.labels.length === 0
          ? '—'
          : definition.labels
              .map((label) =>
                Array.isArray(label.values)
                  ? `\`${label.name}\`: ${(label.values as readonly string[]).map((v) => `\`${v}\``).join(', ')}`
                  : `\`${label.name}\`: *${(label.values as { open: string }).open}*`,
              )
              .join('<br>');
      const meaning = definition.buckets
        ? `${definition.help} Buckets (s): ${definition.buckets.join(', ')}.`
        : definition.help;
      return `| \`${definition.name}\` | ${definition.type} | ${labels} | ${countCombinations(definition)} | ${escapeCell(meaning)} |`;
    });
    return [
      `### ${section.title}`,
      '',
      '| metric | type | labels and their values | label sets | meaning |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
  });
  return [METRICS_REFERENCE_BEGIN, '', blocks.join('\n\n'), '', METRICS_REFERENCE_END].join('\n');
}

function countCombinations(definition: MetricDefinition): string {
  let product = 1;
  const open: string[] = [];
  for (const label of definition.labels) {
    if (Array.isArray(label.values)) product *= label.values.length;
    else open.push((label.values as { open: string }).open);
  }
  return open.length === 0 ? String(product) : `${product} per ${open.join(' × ')}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

const coordinatorDefinitions: readonly MetricDefinition[] = Object.values(COORDINATOR_METRIC_DEFINITIONS);

/** The sections docs/metrics.md lists: the coordinator's own, upstream's, the agent's. */
export const METRICS_REFERENCE_SECTIONS: readonly MetricsReferenceSection[] = [
  {
    title: 'Coordinator (`createCoordinatorMetrics`)',
    definitions: coordinatorDefinitions.filter((definition) => definition.name.startsWith('nmfleet_')),
  },
  {
    title: 'Upstream kubernetes-nmstate gauges (served by the coordinator)',
    definitions: coordinatorDefinitions.filter((definition) => !definition.name.startsWith('nmfleet_')),
  },
  { title: 'Agent (`createAgentMetrics`)', definitions: Object.values(AGENT_METRIC_DEFINITIONS) },
];

/**
 * Returns `document` with the text between the markers replaced by the
 * current reference.
 *
 * @throws TelemetryError `invalid-option` when the markers are missing or out of order.
 */
export function replaceGeneratedReference(document: string): string {
  const begin = document.indexOf(METRICS_REFERENCE_BEGIN);
  const end = document.indexOf(METRICS_REFERENCE_END);
  if (begin < 0 || end < begin) {
    throw new TelemetryError(
      'invalid-option',
      `the document needs the lines ${METRICS_REFERENCE_BEGIN} and ${METRICS_REFERENCE_END}, in that order`,
    );
  }
  return (
    document.slice(0, begin) +
    renderMetricsReference(METRICS_REFERENCE_SECTIONS) +
    document.slice(end + METRICS_REFERENCE_END.length)
  );
}

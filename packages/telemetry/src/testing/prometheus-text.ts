/** One sample line of the Prometheus text format. */
export interface MetricSample {
  /** Sample name, e.g. `nmfleet_apply_duration_seconds_bucket`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;

/**
 * Parses the Prometheus text exposition format (version 0.0.4) into samples,
 * the way a scraper reads it; comments and `# HELP`/`# TYPE` lines are skipped.
 *
 * @throws Error naming the line that is not a valid sample.
 */
export function parsePrometheusText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) throw new Error(`line ${index + 1} is not a sample: ${line}`);
    const [, name = '', labelText = '', valueText = ''] = match;
    samples.push({ name, labels: parseLabels(labelText, index + 1), value: parseValue(valueText, index + 1) });
  }
  return samples;
}

function parseLabels(text: string, lineNumber: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let position = 0;
  while (position < text.length) {
    const nameMatch = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(text.slice(position));
    if (!nameMatch) throw new Error(`line ${lineNumber}: bad label at ${text.slice(position)}`);
    position += nameMatch[0].length;
    let value = '';
    for (;;) {
      const char = text[position];
      if (char === undefined) throw new Error(`line ${lineNumber}: unterminated label value`);
      position += 1;
      if (char === '"') break;
      if (char === '\\') {
        const escaped = text[position];
        position += 1;
        value += escaped === 'n' ? '\n' : (escaped ?? '');
      } else {
        value += char;
      }
    }
    labels[nameMatch[1] ?? ''] = value;
    if (text[position] === ',') position += 1;
  }
  return labels;
}

// Prometheus parses values with Go's ParseFloat, which takes NaN and Inf in any
// letter case; prom-client writes NaN as `Nan`.
function parseValue(text: string, lineNumber: number): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  const value = Number(text);
  if (text !== '' && !Number.isNaN(value)) return value;
  throw new Error(`line ${lineNumber}: bad value ${text}`);
}

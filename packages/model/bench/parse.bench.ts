/**
 * Benchmark: parse and validate a stream of 1,000 state documents built from the upstream
 * corpus, against a plain js-yaml `load` of the same texts, measured in the same run.
 *
 *   npm run bench:model            (from the repository root)
 *
 * Prints documents per second for both and their ratio (target: parseState ≤ 2.0 × plain).
 */
import { dump, load } from 'js-yaml';
import { parseState } from '../src/index.js';
import { validCorpus } from '../test/corpus.js';

const DOCUMENTS = 1_000;
const WARMUP_ROUNDS = 10;
const ROUNDS = 31;

function buildStream(): string[] {
  const texts = validCorpus()
    .filter((doc) => !doc.templates)
    .map((doc) => {
      if (doc.documentPath.length === 0) return doc.text;
      let value: unknown = load(doc.text);
      for (const segment of doc.documentPath) value = (value as Record<string, unknown>)[segment];
      return dump(value);
    });
  return Array.from({ length: DOCUMENTS }, (_, i) => texts[i % texts.length] as string);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

let sink = 0;

/** Seconds to run `work` over the whole stream once. */
function timeRound(stream: string[], work: (text: string) => unknown): number {
  const start = performance.now();
  for (const text of stream) if (work(text) !== undefined) sink++;
  return (performance.now() - start) / 1000;
}

const stream = buildStream();
const bytes = stream.reduce((sum, text) => sum + text.length, 0);
let invalid = 0;
for (const text of stream) if (!parseState(text).ok) invalid++;
if (invalid > 0) throw new Error(`${invalid} documents of the stream do not validate`);

const baselineWork = (text: string) => load(text);
const oursWork = (text: string) => parseState(text);
for (let i = 0; i < WARMUP_ROUNDS; i++) {
  timeRound(stream, baselineWork);
  timeRound(stream, oursWork);
}
// Alternate the two, round by round, so that noise from other processes on the machine
// hits both alike; the ratio is the median of per-round ratios.
const baselineSeconds: number[] = [];
const oursSeconds: number[] = [];
const ratios: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const b = timeRound(stream, baselineWork);
  const o = timeRound(stream, oursWork);
  baselineSeconds.push(b);
  oursSeconds.push(o);
  ratios.push(o / b);
}
if (sink === 0) throw new Error('nothing was parsed');
const baseline = median(baselineSeconds);
const ours = median(oursSeconds);
const ratio = median(ratios);
const perSecond = (seconds: number) => Math.round(DOCUMENTS / seconds).toLocaleString('en-US');

console.log(`stream: ${DOCUMENTS} documents, ${(bytes / 1024).toFixed(0)} KiB, from ${new Set(stream).size} corpus files`);
console.log(`js-yaml load (baseline): ${perSecond(baseline)} documents/s`);
console.log(`parseState (parse + validate): ${perSecond(ours)} documents/s`);
console.log(`ratio parseState / baseline: ${ratio.toFixed(2)} (median of ${ROUNDS} alternating rounds; target <= 2.00)`);

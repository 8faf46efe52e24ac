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
const WARMUP_ROUNDS = 5;
const ROUNDS = 15;

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

/** Runs `work` over the stream `ROUNDS` times after a warm-up; returns the median seconds per round. */
function measure(stream: string[], work: (text: string) => unknown): number {
  let sink = 0;
  const round = () => {
    const start = performance.now();
    for (const text of stream) if (work(text) !== undefined) sink++;
    return (performance.now() - start) / 1000;
  };
  for (let i = 0; i < WARMUP_ROUNDS; i++) round();
  const seconds: number[] = [];
  for (let i = 0; i < ROUNDS; i++) seconds.push(round());
  if (sink === 0) throw new Error('nothing was parsed');
  return median(seconds);
}

const stream = buildStream();
const bytes = stream.reduce((sum, text) => sum + text.length, 0);
let invalid = 0;
for (const text of stream) if (!parseState(text).ok) invalid++;
if (invalid > 0) throw new Error(`${invalid} documents of the stream do not validate`);

// Interleave the two measurements so that machine noise affects both alike.
const baselineSeconds: number[] = [];
const oursSeconds: number[] = [];
for (let i = 0; i < 3; i++) {
  baselineSeconds.push(measure(stream, (text) => load(text)));
  oursSeconds.push(measure(stream, (text) => parseState(text)));
}
const baseline = median(baselineSeconds);
const ours = median(oursSeconds);
const perSecond = (seconds: number) => Math.round(DOCUMENTS / seconds).toLocaleString('en-US');

console.log(`stream: ${DOCUMENTS} documents, ${(bytes / 1024).toFixed(0)} KiB, from ${new Set(stream).size} corpus files`);
console.log(`js-yaml load (baseline): ${perSecond(baseline)} documents/s`);
console.log(`parseState (parse + validate): ${perSecond(ours)} documents/s`);
console.log(`ratio parseState / baseline: ${(ours / baseline).toFixed(2)} (target <= 2.00)`);

/**
 * `npm run bench:nm`: the same states (10, 50 and 100 veth pairs with addresses
 * and routes) applied by `nmfleet apply` (the built CLI) and by the real
 * `nmstatectl apply`, each run inside `ip netns exec` against a fresh private
 * NetworkManager, in the same run. Prints both times and the ratio.
 *
 * Needs root, network-manager and nmstatectl (built by tools/testenv when missing).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// Benchmarks, like specs, run against the test harness's real services (the lint rule allows that to *.spec.ts only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ensureNmstatectl, startNetworkManager } from '@nmfleet/testenv';
import { buildVethPairsState } from './veth-states.js';

const SIZES = [10, 50, 100];
/** Runs per size and tool, alternating the tools; the median is reported, with the spread. */
const ROUNDS = 5;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = join(repoRoot, 'apps/cli/dist/main.mjs');

async function timeApply(label: string, file: string, command: (busAddress: string) => [string, string[]]): Promise<number> {
  const nm = await startNetworkManager(`nmf-bench-${process.pid}`, { logLevel: 'WARN' });
  try {
    const [program, args] = command(nm.busAddress);
    const started = performance.now();
    const result = await nm.exec(program, [...args, file], { check: false });
    const seconds = (performance.now() - started) / 1000;
    if (result.code !== 0) throw new Error(`${label} failed (exit ${String(result.code)}): ${result.stderr.slice(-2000)}`);
    return seconds;
  } finally {
    await nm.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  process.stderr.write('bench:nm: building the CLI bundle\n');
  execFileSync(process.execPath, [join(repoRoot, 'tools/scripts/bundle-app.mjs'), join(repoRoot, 'apps/cli')], { stdio: 'inherit' });
  const nmstatectl = await ensureNmstatectl();
  const dir = mkdtempSync(join(tmpdir(), 'nmf-bench-'));
  try {
    console.log('veth pairs | nmfleet apply (s), median [min–max] | nmstatectl apply (s), median [min–max] | ratio of medians nmfleet/nmstatectl');
    for (const size of SIZES) {
      const file = join(dir, `veth-${size}.yml`);
      writeFileSync(file, JSON.stringify(buildVethPairsState(size)));
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        process.stderr.write(`bench:nm: ${size} pairs, round ${round + 1}/${ROUNDS}\n`);
        ours.push(await timeApply('nmfleet apply', file, () => [process.execPath, [cli, 'apply', '-q']]));
        theirs.push(await timeApply('nmstatectl apply', file, () => [nmstatectl, ['apply']]));
      }
      const a = median(ours);
      const b = median(theirs);
      const spread = (values: number[]): string => `${median(values).toFixed(2)} [${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}]`;
      console.log(`${String(size).padStart(10)} | ${spread(ours).padStart(31)} | ${spread(theirs).padStart(34)} | ${(a / b).toFixed(2)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

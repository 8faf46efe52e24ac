import { isPolicySettled, type PolicyView } from '@nmfleet/fleet-sim';

/** Width of a policy's progress bar, in characters. */
const BAR_WIDTH = 24;

/** Totals over every policy, as the API shows them. */
export interface ProgressTotals {
  policies: number;
  settled: number;
  matching: number;
  available: number;
  progressing: number;
  failing: number;
  aborted: number;
}

/** Sums the policies' enactment counts. */
export function sumProgress(views: readonly PolicyView[]): ProgressTotals {
  const totals: ProgressTotals = { policies: views.length, settled: 0, matching: 0, available: 0, progressing: 0, failing: 0, aborted: 0 };
  for (const view of views) {
    if (isPolicySettled(view)) totals.settled += 1;
    totals.matching += view.nodes.matching;
    totals.available += view.nodes.available;
    totals.progressing += view.nodes.progressing;
    totals.failing += view.nodes.failing;
    totals.aborted += view.nodes.aborted;
  }
  return totals;
}

/** `[#####-----]`: `done` of `total`, where `#` is available and `x` failing or aborted. */
export function renderBar(available: number, failed: number, total: number, width: number = BAR_WIDTH): string {
  if (total <= 0) return `[${' '.repeat(width)}]`;
  const good = Math.round((available / total) * width);
  const bad = Math.min(width - good, Math.round((failed / total) * width));
  return `[${'#'.repeat(good)}${'x'.repeat(bad)}${'-'.repeat(width - good - bad)}]`;
}

/**
 * The compact table shown on a terminal: one row per policy with a bar, its counts
 * and its status as the API shows it, and a totals line.
 */
export function renderProgressTable(views: readonly PolicyView[], elapsedSeconds: number): string[] {
  const nameWidth = Math.max(6, ...views.map((view) => view.name.length));
  const lines = [`${'policy'.padEnd(nameWidth)}  ${'progress'.padEnd(BAR_WIDTH + 2)}  avail/match  busy  fail  abort  status`];
  for (const view of views) {
    const { matching, available, progressing, failing, aborted } = view.nodes;
    lines.push(
      `${view.name.padEnd(nameWidth)}  ${renderBar(available, failing + aborted, matching)}  ${`${available}/${matching}`.padStart(11)}  ${String(progressing).padStart(4)}  ${String(failing).padStart(4)}  ${String(aborted).padStart(5)}  ${view.status}${view.reason === '' ? '' : ` (${view.reason})`}`,
    );
  }
  lines.push(describeProgress(views, elapsedSeconds));
  return lines;
}

/** One line for logs and pipes: how far the rollout is, as the API shows it. */
export function describeProgress(views: readonly PolicyView[], elapsedSeconds: number): string {
  const t = sumProgress(views);
  return (
    `${elapsedSeconds.toFixed(1)}s: ${t.settled}/${t.policies} policies settled; enactments ${t.available}/${t.matching} available, ` +
    `${t.progressing} progressing, ${t.failing} failing, ${t.aborted} aborted`
  );
}

/** Where progress goes: a terminal (redrawn in place) or a pipe (plain lines). */
export interface ProgressOutput {
  write(text: string): void;
  readonly isTTY: boolean;
}

/** Default of {@link ProgressDisplay}'s line interval when the output is not a terminal, in milliseconds. */
export const PLAIN_LINE_INTERVAL_MS = 2000;

/**
 * Shows progress: on a terminal, the table redrawn in place; elsewhere, a plain line
 * when something changed and at most every {@link PLAIN_LINE_INTERVAL_MS}.
 */
export class ProgressDisplay {
  private drawnLines = 0;
  private lastLine = '';
  private lastLineAt = -Infinity;

  constructor(
    private readonly output: ProgressOutput,
    private readonly lineIntervalMs: number = PLAIN_LINE_INTERVAL_MS,
  ) {}

  /** Shows the current views; `final` forces a plain line out even within the interval. */
  update(views: readonly PolicyView[], elapsedSeconds: number, nowMs: number, final = false): void {
    if (this.output.isTTY) {
      const lines = renderProgressTable(views, elapsedSeconds);
      // Up to the first line drawn last time, then rewrite each line and clear what is left of it.
      const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
      this.output.write(`${up}${lines.map((line) => `${line}\x1b[K`).join('\n')}\n\x1b[J`);
      this.drawnLines = lines.length;
      return;
    }
    const line = describeProgress(views, elapsedSeconds);
    const changed = line.slice(line.indexOf(':')) !== this.lastLine.slice(this.lastLine.indexOf(':'));
    if ((changed && nowMs - this.lastLineAt >= this.lineIntervalMs) || final) {
      this.output.write(`${line}\n`);
      this.lastLine = line;
      this.lastLineAt = nowMs;
    }
  }
}

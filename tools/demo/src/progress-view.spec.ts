import type { PolicyView } from '@nmfleet/fleet-sim';
import { describe, expect, it } from 'vitest';
import { ProgressDisplay, describeProgress, renderBar, renderProgressTable } from './progress-view.js';

function view(name: string, counts: Partial<PolicyView['nodes']>, status = 'Progressing', reason = ''): PolicyView {
  const nodes = { matching: 4, available: 0, failing: 0, aborted: 0, pending: 0, progressing: 0, ...counts };
  return { name, generation: 1, status, reason, message: '', nodes, maxUnavailable: 2 };
}

describe('progress view', () => {
  it('draws bars of available and failed shares', () => {
    expect(renderBar(2, 0, 4, 8)).toBe('[####----]');
    expect(renderBar(2, 1, 4, 8)).toBe('[####xx--]');
    expect(renderBar(4, 0, 4, 8)).toBe('[########]');
    expect(renderBar(0, 0, 0, 4)).toBe('[    ]');
  });

  it('renders one row per policy and a totals line', () => {
    const lines = renderProgressTable(
      [view('bond', { available: 4 }, 'Available', 'SuccessfullyConfigured'), view('vrf', { available: 1, progressing: 2, pending: 1 })],
      3.25,
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^bond +\[#+\] +4\/4 +0 +0 +0 {2}Available \(SuccessfullyConfigured\)$/);
    expect(lines[2]).toMatch(/^vrf +\[#{6}-{18}\] +1\/4 +2 +0 +0 {2}Progressing$/);
    expect(lines[3]).toBe('3.3s: 1/2 policies settled; enactments 5/8 available, 2 progressing, 0 failing, 0 aborted');
  });

  it('redraws in place on a terminal', () => {
    const written: string[] = [];
    const display = new ProgressDisplay({ isTTY: true, write: (text) => written.push(text) });
    display.update([view('a', {})], 0, 0);
    display.update([view('a', { progressing: 1 })], 1, 100);
    expect(written[0]?.startsWith('policy')).toBe(true);
    // Back up over the header, the row and the totals line.
    expect(written[1]?.startsWith('\x1b[3F')).toBe(true);
  });

  it('writes plain lines elsewhere: only on change, at most once per interval, and the final one always', () => {
    const written: string[] = [];
    const display = new ProgressDisplay({ isTTY: false, write: (text) => written.push(text) }, 1000);
    display.update([view('a', {})], 0, 0);
    display.update([view('a', {})], 0.5, 500);
    display.update([view('a', { progressing: 1 })], 0.6, 600);
    display.update([view('a', { progressing: 1 })], 1.5, 1500);
    display.update([view('a', { available: 1 })], 1.6, 1600);
    display.update([view('a', { available: 4 }, 'Available')], 1.7, 1700, true);
    expect(written).toEqual([
      `${describeProgress([view('a', {})], 0)}\n`,
      `${describeProgress([view('a', { progressing: 1 })], 1.5)}\n`,
      `${describeProgress([view('a', { available: 4 }, 'Available')], 1.7)}\n`,
    ]);
  });
});

import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** One reading of a process. */
export interface ProcessReading {
  /** User + system CPU since the process started, in seconds. */
  cpuSeconds: number;
  /** Peak resident set size (`VmHWM`), in KiB. */
  peakRssKiB: number;
  /** Resident set size now (`VmRSS`), in KiB. */
  rssKiB: number;
}

/** Reads a process's CPU time and memory from `/proc`; undefined when it is gone. */
export function readProcess(pid: number): ProcessReading | undefined {
  try {
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND,
      peakRssKiB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0),
      rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
    };
  } catch {
    return undefined;
  }
}

/** The whole machine's CPU time, busy and in all, in seconds (`/proc/stat`). */
export function readMachineCpu(): { busySeconds: number; totalSeconds: number; cores: number } {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  const values = (lines[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  return {
    busySeconds: (total - idle) / CLOCK_TICKS_PER_SECOND,
    totalSeconds: total / CLOCK_TICKS_PER_SECOND,
    cores: lines.filter((line) => /^cpu\d+ /.test(line)).length,
  };
}

/**
 * Samples named processes every `intervalMs` and keeps their last reading, so a process
 * that exits at the end still has its final CPU time and peak RSS.
 */
export class ProcessSampler {
  private readonly last = new Map<string, ProcessReading>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly pids: () => Readonly<Record<string, number | undefined>>,
    intervalMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Reads every process now and returns the readings (the last known one of a process that is gone). */
  sample(): Map<string, ProcessReading> {
    for (const [name, pid] of Object.entries(this.pids())) {
      if (pid === undefined) continue;
      const reading = readProcess(pid);
      if (reading !== undefined) this.last.set(name, reading);
    }
    return new Map(this.last);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

import { readFileSync } from 'node:fs';

/**
 * A PID together with the kernel's start time of that process, so that a PID
 * recorded earlier is never mistaken for an unrelated process that reused it.
 */
export interface ProcessIdentity {
  readonly pid: number;
  /** Field 22 of `/proc/<pid>/stat` (clock ticks since boot). */
  readonly startTime: string;
}

interface ProcessStat {
  readonly state: string;
  readonly startTime: string;
}

function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses; fields after the last ')' are fixed.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  if (state === undefined || startTime === undefined) return undefined;
  return { state, startTime };
}

/** The identity of a running process, or `undefined` when it does not exist. */
export function identifyProcess(pid: number): ProcessIdentity | undefined {
  const stat = readProcessStat(pid);
  return stat ? { pid, startTime: stat.startTime } : undefined;
}

/** Whether the process is still the one recorded and still running (a zombie counts as gone). */
export function isProcessAlive(identity: ProcessIdentity): boolean {
  const stat = readProcessStat(identity.pid);
  return stat !== undefined && stat.startTime === identity.startTime && stat.state !== 'Z' && stat.state !== 'X';
}

/** Sends a signal to the recorded process only if it is still that process; returns whether it was sent. */
export function signalProcess(identity: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!isProcessAlive(identity)) return false;
  try {
    process.kill(identity.pid, signal);
    return true;
  } catch {
    return false;
  }
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { identifyProcess, isProcessAlive, signalProcess } from './process-identity.js';

describe('process identity', () => {
  it('recognises a running process and not a reused PID', () => {
    const self = identifyProcess(process.pid);
    expect(self).toBeDefined();
    if (!self) return;
    expect(isProcessAlive(self)).toBe(true);
    expect(isProcessAlive({ pid: self.pid, startTime: `${self.startTime}1` })).toBe(false);
    expect(signalProcess({ pid: self.pid, startTime: '0' }, 'SIGTERM')).toBe(false);
  });

  it('sees a process end, zombie or reaped', async () => {
    const child = spawn('sleep', ['30']);
    const identity = child.pid === undefined ? undefined : identifyProcess(child.pid);
    if (!identity) throw new Error('sleep did not start');
    expect(isProcessAlive(identity)).toBe(true);
    expect(signalProcess(identity, 'SIGKILL')).toBe(true);
    await once(child, 'exit');
    expect(isProcessAlive(identity)).toBe(false);
  });
});

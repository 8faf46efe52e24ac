import { BackendError, createSimulatedHost } from '@nmfleet/nm-backend';
import { VETH_STATIC } from '@nmfleet/nm-backend/testing';
import { parseState } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { createShowCommand } from './show.js';

function memoryIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readFile: async () => '', readStdin: async () => '', readDir: async () => [], programDir: '.' };
}

describe('nmfleet show', () => {
  it('prints the host state as a valid state document, filtered by interface name', async () => {
    const host = createSimulatedHost({ name: 'show-host' });
    await host.apply(VETH_STATIC);
    const io = memoryIo();
    expect(await createShowCommand(async () => host).run(['nmf-v0*'], io)).toBe(0);
    const parsed = parseState(io.out.join(''));
    expect(parsed.ok).toBe(true);
    const names = ((parsed.ok ? parsed.state.interfaces : undefined) ?? []).map((i) => i.name);
    expect(names).toEqual(['nmf-v0', 'nmf-v0p']);
  });

  it('prints JSON with --json', async () => {
    const io = memoryIo();
    expect(await createShowCommand(async () => createSimulatedHost({ name: 'h' })).run(['--json'], io)).toBe(0);
    expect(JSON.parse(io.out.join(''))).toMatchObject({ interfaces: [{ name: 'lo', type: 'loopback' }] });
  });

  it('exits 2 when NetworkManager cannot be reached', async () => {
    const io = memoryIo();
    const code = await createShowCommand(async () => {
      throw new BackendError('unavailable', 'NetworkManager cannot be reached over D-Bus');
    }).run([], io);
    expect(code).toBe(2);
    expect(io.err.join('')).toMatch(/cannot be reached/);
  });
});

import { createSimulatedHost, type NetworkBackend, type SimulatedHost } from '@nmfleet/nm-backend';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { createApplyCommand } from './apply.js';
import { createCommitCommand } from './commit.js';
import { createRollbackCommand } from './rollback.js';

const VETH = `interfaces:
- name: veth1
  type: veth
  state: up
  veth:
    peer: veth1p
  ipv4:
    enabled: true
    dhcp: false
    address:
    - ip: 192.0.2.10
      prefix-length: 24
- name: veth1p
  type: veth
  state: up
  veth:
    peer: veth1
`;

function memoryIo(files: Record<string, string>): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return text;
    },
    readStdin: async () => '',
    readDir: async () => [],
    programDir: '.',
  };
}

/** A host that stays open across commands, as NetworkManager does between CLI runs. */
function sharedHost(host: SimulatedHost): () => Promise<NetworkBackend> {
  return async () => ({ ...host, close: async () => undefined });
}

describe('nmfleet apply / commit / rollback', () => {
  it('applies a file and reports what changed; applying it again changes nothing', async () => {
    const host = createSimulatedHost({ name: 'cli-host' });
    const apply = createApplyCommand(sharedHost(host));
    const io = memoryIo({ 'veth.yml': VETH });
    expect(await apply.run(['-q', 'veth.yml'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/veth.yml: desired state applied \(\d+ operations\)/);
    expect(host.inspect().profiles).toEqual(['veth1', 'veth1p']);
    expect(await apply.run(['-q', 'veth.yml'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/already in place, nothing changed/);
  });

  it('reports invalid input with its line and path and touches nothing', async () => {
    const host = createSimulatedHost({ name: 'cli-host' });
    const io = memoryIo({ 'bad.yml': 'interfaces:\n- name: eth1\n  type: ethernet\n  mtu: lots\n' });
    expect(await createApplyCommand(sharedHost(host)).run(['bad.yml'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/^bad\.yml:4:\d+: error: .*mtu/m);
    expect(host.inspect().applyCount).toBe(0);
  });

  it('exits 1 and says the host was rolled back when the apply fails', async () => {
    const host = createSimulatedHost({ name: 'cli-host', failures: { failAllApplies: true } });
    const io = memoryIo({ 'veth.yml': VETH });
    expect(await createApplyCommand(sharedHost(host)).run(['-q', 'veth.yml'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/injected failure .* rolled back to checkpoint/);
    expect(host.inspect().profiles).toEqual([]);
  });

  it('--no-commit prints the checkpoint; commit keeps the change, rollback undoes it', async () => {
    const host = createSimulatedHost({ name: 'cli-host' });
    const io = memoryIo({ 'veth.yml': VETH });
    expect(await createApplyCommand(sharedHost(host)).run(['-q', '--no-commit', '--timeout', '30', 'veth.yml'], io)).toBe(0);
    const checkpoint = /Checkpoint: (\S+)/.exec(io.out.join(''))?.[1];
    expect(checkpoint).toBeDefined();
    expect(await createCommitCommand(sharedHost(host)).run([checkpoint!], io)).toBe(0);
    expect(host.inspect()).toMatchObject({ checkpoints: [], profiles: ['veth1', 'veth1p'] });

    const other = createSimulatedHost({ name: 'cli-host-2' });
    expect(await createApplyCommand(sharedHost(other)).run(['-q', '--no-commit', 'veth.yml'], io)).toBe(0);
    expect(await createRollbackCommand(sharedHost(other)).run([], io)).toBe(0);
    expect(other.inspect()).toMatchObject({ checkpoints: [], profiles: [] });
    expect(await createRollbackCommand(sharedHost(other)).run([], io)).toBe(1);
    expect(io.err.join('')).toMatch(/no open checkpoint/);
  });

  it('refuses a bad --timeout as a usage error', async () => {
    const io = memoryIo({ 'veth.yml': VETH });
    await expect(createApplyCommand(sharedHost(createSimulatedHost({ name: 'h' }))).run(['--timeout', '0', 'veth.yml'], io)).rejects.toThrow(/--timeout/);
  });
});

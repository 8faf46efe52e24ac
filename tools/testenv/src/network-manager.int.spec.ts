import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTestenvError } from './errors.js';
import { isolatedNetnsName } from './isolation.js';
import { execInNamespace, startNetworkManager, type NetworkManagerInstance } from './network-manager.js';
import { ensureNmstatectl } from './nmstatectl.js';
import { pollUntil } from './poll-until.js';
import { identifyProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';
import { runCommandChecked } from './run-command.js';

async function listNamespaces(): Promise<string[]> {
  const { stdout } = await runCommandChecked('ip', ['netns', 'list']);
  return stdout.split('\n').filter(Boolean).map((line) => line.split(' ')[0] ?? '');
}

/** Adds a veth pair inside the instance's namespace and activates an NM profile with a static address on one end. */
async function activateVethProfile(nm: NetworkManagerInstance, address: string): Promise<void> {
  await nm.exec('ip', ['link', 'add', 'name', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);
  await nm.exec('ip', ['link', 'set', 'veth1', 'up']);
  await pollUntil(async () => (await nm.nmcli(['-t', '-f', 'DEVICE,STATE', 'device'])).includes('veth0:disconnected'), {
    description: `NetworkManager in ${nm.namespace} to manage veth0`,
  });
  await nm.nmcli([
    'connection', 'add', 'type', 'ethernet', 'ifname', 'veth0', 'con-name', 'testenv-veth0',
    'ipv4.method', 'manual', 'ipv4.addresses', address, 'ipv6.method', 'disabled', 'connection.autoconnect', 'no',
  ]);
  await nm.nmcli(['connection', 'up', 'testenv-veth0']);
}

describe('startNetworkManager: private instances in network namespaces', () => {
  const instances: NetworkManagerInstance[] = [];
  const leftovers: { namespace: string; dir: string; processes: ProcessIdentity[] }[] = [];

  beforeAll(async () => {
    const names = [isolatedNetnsName('nm a'), isolatedNetnsName('nm b')];
    // Both at once: nothing in one instance may depend on the other.
    instances.push(...(await Promise.all(names.map((name) => startNetworkManager(name)))));
    for (const nm of instances) {
      const processes = [nm.pid, nm.busPid].map((pid) => identifyProcess(pid)).filter((p): p is ProcessIdentity => !!p);
      leftovers.push({ namespace: nm.namespace, dir: nm.dir, processes });
    }
  });

  afterAll(async () => {
    await Promise.all(instances.map((nm) => nm.stop()));
  });

  it('runs two instances side by side, each ready with its own bus', async () => {
    const [a, b] = instances;
    if (!a || !b) throw new Error('two instances expected');
    expect(a.busAddress).not.toBe(b.busAddress);
    for (const nm of instances) {
      expect((await nm.nmcli(['-t', '-f', 'STARTUP,STATE', 'general'])).trim()).toMatch(/^started:/);
      expect(await listNamespaces()).toContain(nm.namespace);
    }
  });

  it('activates a connection in each, confined to its own namespace', async () => {
    const [a, b] = instances;
    if (!a || !b) throw new Error('two instances expected');
    await Promise.all([activateVethProfile(a, '192.0.2.1/24'), activateVethProfile(b, '198.51.100.1/24')]);
    for (const [nm, address] of [[a, '192.0.2.1/24'], [b, '198.51.100.1/24']] as const) {
      expect((await nm.nmcli(['-g', 'GENERAL.STATE', 'connection', 'show', 'testenv-veth0'])).trim()).toBe('activated');
      const { stdout } = await nm.exec('ip', ['-o', '-4', 'addr', 'show', 'dev', 'veth0']);
      expect(stdout).toContain(address);
      // The profile lives in the instance's own folder, not in the host's /etc/NetworkManager.
      expect(existsSync(`${nm.dir}/etc/system-connections/testenv-veth0.nmconnection`)).toBe(true);
    }
    // Each instance sees only the devices of its own namespace, none of the host's.
    for (const nm of instances) {
      const devices = (await nm.nmcli(['-t', '-f', 'DEVICE', 'device'])).split('\n').filter(Boolean);
      expect(devices.sort()).toEqual(['lo', 'veth0', 'veth1']);
    }
  });

  it('lets the real nmstatectl read the instance through execInNamespace', async () => {
    const [a] = instances;
    if (!a) throw new Error('instance expected');
    const nmstatectl = await ensureNmstatectl();
    const { stdout } = await execInNamespace(a.namespace, nmstatectl, ['show', 'veth0'], { busAddress: a.busAddress });
    expect(stdout).toMatch(/name: veth0/);
    expect(stdout).toMatch(/ip: 192\.0\.2\.1\s+prefix-length: 24/);
  });

  it('lets the real nmstatectl apply a state (under a checkpoint) to the instance', async () => {
    const [a] = instances;
    if (!a) throw new Error('instance expected');
    const nmstatectl = await ensureNmstatectl();
    const desired = [
      'interfaces:',
      '- name: veth0',
      '  type: veth',
      '  state: up',
      '  veth: { peer: veth1 }',
      '  ipv4:',
      '    enabled: true',
      '    address:',
      '    - { ip: 192.0.2.1, prefix-length: 24 }',
      '    - { ip: 192.0.2.7, prefix-length: 24 }',
      '',
    ].join('\n');
    const result = await a.exec(nmstatectl, ['apply', '-'], { input: desired });
    expect(result.stderr).toMatch(/Created checkpoint/);
    const { stdout } = await a.exec('ip', ['-o', '-4', 'addr', 'show', 'dev', 'veth0']);
    expect(stdout).toContain('192.0.2.7/24');
    expect(stdout).toContain('192.0.2.1/24');
  });

  it('restarts over the same folders and keeps the profile', async () => {
    const [, b] = instances;
    if (!b) throw new Error('instance expected');
    const before = identifyProcess(b.pid);
    await b.restart();
    expect(b.pid).not.toBe(before?.pid);
    expect(before && isProcessAlive(before)).toBe(false);
    expect(await b.nmcli(['-t', '-f', 'NAME', 'connection', 'show'])).toContain('testenv-veth0');
    const entry = leftovers[1];
    const identity = identifyProcess(b.pid);
    if (entry && identity) entry.processes.push(identity);
  });

  it('refuses a namespace that already exists instead of adopting it', async () => {
    const [a] = instances;
    const error = await startNetworkManager(a?.namespace ?? '').catch((e: unknown) => e);
    expect(isTestenvError(error, 'invalid-argument')).toBe(true);
  });

  it('stops both and leaves no namespace, process, mount or folder behind', async () => {
    await Promise.all(instances.map((nm) => nm.stop()));
    const namespaces = await listNamespaces();
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    for (const entry of leftovers) {
      expect(namespaces).not.toContain(entry.namespace);
      expect(entry.processes.filter(isProcessAlive)).toEqual([]);
      expect(mounts).not.toContain(entry.namespace);
      expect(mounts).not.toContain(entry.dir);
      expect(existsSync(entry.dir)).toBe(false);
    }
  });
});

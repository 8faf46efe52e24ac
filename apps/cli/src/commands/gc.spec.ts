import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseState } from '@nmfleet/model';
import { formatGcOutput, generateKeyfiles, type KeyfileEntry } from '@nmfleet/nm-backend';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/memory-io.js';
import { UsageError } from './command.js';
import { createGcCommand, gcCommand } from './gc.js';

const examples = fileURLToPath(new URL('../../../../testdata/upstream/nmstate/examples/', import.meta.url));

/** What nmstatectl gc 2.2.62 prints for vrf0_with_eth1.yml (captured from the real tool). */
const VRF0_WITH_ETH1 = `NetworkManager:
- - eth1.nmconnection
  - |
    [connection]
    autoconnect=true
    autoconnect-slaves=-1
    id=eth1
    interface-name=eth1
    master=vrf0
    slave-type=vrf
    type=802-3-ethernet
    uuid=0523c0a1-5f5e-5603-bcf2-68155d5d322e

    [ipv4]
    dhcp-timeout=2147483647
    method=disabled

    [ipv6]
    dhcp-timeout=2147483647
    method=disabled
- - vrf0.nmconnection
  - |
    [connection]
    autoconnect=true
    autoconnect-slaves=1
    id=vrf0
    interface-name=vrf0
    type=vrf
    uuid=b7262c6f-7c68-52d1-9299-441820d78b21

    [ipv4]
    dhcp-timeout=2147483647
    method=disabled

    [ipv6]
    dhcp-timeout=2147483647
    method=disabled

    [vrf]
    table=100

`;

describe('nmfleet gc', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('prints what nmstatectl gc prints', async () => {
    const io = memoryIo({ disk: true });
    expect(await gcCommand.run([`${examples}vrf0_with_eth1.yml`], io)).toBe(0);
    expect(io.out.join('')).toBe(VRF0_WITH_ETH1);
    // nmstatectl logs the same: eth1 is only named in the VRF's port list.
    expect(io.err.join('')).toBe(`${examples}vrf0_with_eth1.yml: warning: Assuming undefined port eth1 as ethernet\n`);
  });

  it.each(readdirSync(examples).filter((f) => f.endsWith('.yml')))('prints the generated keyfiles of %s', async (name) => {
    const io = memoryIo({ disk: true });
    expect(await gcCommand.run([`${examples}${name}`], io)).toBe(0);
    const parsed = parseState(readFileSync(`${examples}${name}`, 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(io.out.join('')).toBe(`${formatGcOutput(generateKeyfiles(parsed.state).files)}\n`);
  });

  it('writes 0600 keyfiles with -o and prints their paths', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nmfleet-gc-'));
    const out = join(dir, 'conn');
    const io = memoryIo({ disk: true });
    expect(await gcCommand.run(['-o', out, `${examples}bond_port_up.yml`], io)).toBe(0);
    const names = ['bond0.nmconnection', 'eth1.nmconnection', 'eth2.nmconnection'];
    expect(io.out.join('')).toBe(names.map((n) => `${join(out, n)}\n`).join(''));
    expect(readdirSync(out).sort()).toEqual(names);
    for (const n of names) expect(statSync(join(out, n)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'eth2.nmconnection'), 'utf8')).toContain('[bond-port]\nprio=2\nqueue-id=1\n');
  });

  it('reads standard input and reports what nmstate would log on stderr', async () => {
    const written: { dir: string; files: readonly KeyfileEntry[] }[] = [];
    const command = createGcCommand(async (target, files) => {
      written.push({ dir: target, files });
      return files.map((f) => `${target}/${f.fileName}`);
    });
    const io = memoryIo({ stdin: 'interfaces:\n- name: eth3\n' });
    expect(await command.run(['--output', '/etc/NetworkManager/system-connections', '-'], io)).toBe(0);
    expect(io.err.join('')).toBe('<stdin>: warning: Setting unknown type interface eth3 to ethernet\n');
    expect(written.map((w) => [w.dir, w.files.map((f) => f.fileName)])).toEqual([['/etc/NetworkManager/system-connections', ['eth3.nmconnection']]]);
  });

  it('exits 1 with nmstate\'s reason when a state cannot become profiles, and with the issue when it is invalid', async () => {
    const refused = memoryIo({ stdin: 'interfaces:\n- name: bond1\n  type: bond\n  link-aggregation:\n    port: [eth1]\n' });
    expect(await gcCommand.run(['-'], refused)).toBe(1);
    expect(refused.err.join('')).toBe('<stdin>: error: Bond mode is mandatory for new bond interface: bond1\n');
    expect(refused.out).toEqual([]);
    const invalid = memoryIo({ stdin: 'interfaces:\n- name: eth1\n  mtu: many\n' });
    expect(await gcCommand.run(['-'], invalid)).toBe(1);
    expect(invalid.err.join('')).toMatch(/<stdin>:3:\d+: error: .*mtu/);
  });

  it('exits 2 on usage and I/O errors', async () => {
    const io = memoryIo();
    expect(await gcCommand.run(['missing.yml'], io)).toBe(2);
    expect(io.err.join('')).toBe('nmfleet: cannot read missing.yml: no such file or directory\n');
    await expect(gcCommand.run([], memoryIo())).rejects.toThrow(UsageError);
    await expect(gcCommand.run(['--format', 'toml', 'x'], memoryIo())).rejects.toThrow('--format must be yaml, json or auto');
  });
});

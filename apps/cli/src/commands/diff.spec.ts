import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseState } from '@nmfleet/model';
import { BackendError } from '@nmfleet/nm-backend';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/memory-io.js';
import { UsageError } from './command.js';
import { createDiffCommand, diffCommand } from './diff.js';
import type { ConnectBackend } from './show.js';

/** A host that only answers `show`, with the state given; `shown` records the options it was asked with. */
function fakeHost(stateYaml: string, shown: unknown[] = []): ConnectBackend {
  const state = parsed(stateYaml);
  return async () =>
    ({
      show: async (options: unknown) => {
        shown.push(options);
        return state;
      },
      close: async () => undefined,
    }) as unknown as Awaited<ReturnType<ConnectBackend>>;
}

const genDiff = fileURLToPath(new URL('../../../../testdata/upstream/nmstate/gen-diff/', import.meta.url));

function parsed(text: string): unknown {
  const result = parseState(text);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.state;
}

describe('nmfleet diff', () => {
  it.each(['change_vlan_id', 'change_vrf_ports', 'change_route_rules_only', 'move_ip_from_port_to_bridge'])('prints gen-diff %s as upstream expects', async (name) => {
    const io = memoryIo({ disk: true });
    const code = await diffCommand.run(['--current', `${genDiff}${name}/current.yml`, '--desired', `${genDiff}${name}/desired.yml`], io);
    expect(io.err.join('')).toBe('');
    expect(code).toBe(0);
    expect(parsed(io.out.join(''))).toEqual(parsed(readFileSync(`${genDiff}${name}/diff.yml`, 'utf8')));
  });

  it('reads the desired state as the only argument and prints JSON with --json', async () => {
    const io = memoryIo({ disk: true });
    expect(await diffCommand.run(['-c', `${genDiff}enable_lldp/current.yml`, `${genDiff}enable_lldp/desired.yml`, '--json'], io)).toBe(0);
    expect(JSON.parse(io.out.join(''))).toMatchObject({ interfaces: [{ name: 'eth1', lldp: { enabled: true } }] });
  });

  it('reads the live host when --current is not given, as nmstatectl does', async () => {
    const shown: unknown[] = [];
    const io = memoryIo({ files: { 'd.yml': 'interfaces:\n  - {name: eth1, type: ethernet, mtu: 9000}\n' } });
    const command = createDiffCommand(fakeHost('interfaces:\n  - {name: eth1, type: ethernet, state: up, mtu: 1500}\n', shown));
    expect(await command.run(['d.yml'], io)).toBe(0);
    expect(parsed(io.out.join(''))).toEqual({ interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up', mtu: 9000 }] });
    expect(shown).toEqual([{ runningConfig: false }]);
  });

  it('exits 2 when the host cannot be reached', async () => {
    const io = memoryIo({ files: { 'd.yml': 'interfaces: []\n' } });
    const command = createDiffCommand(async () => {
      throw new BackendError('unavailable', 'NetworkManager cannot be reached over D-Bus');
    });
    expect(await command.run(['d.yml'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/cannot be reached/);
  });

  it('rejects a missing desired state as a usage error', async () => {
    await expect(diffCommand.run(['--current', 'c.yml'], memoryIo())).rejects.toThrow(UsageError);
  });

  it('reports an unreadable file (exit 2) and an invalid one (exit 1)', async () => {
    const missing = memoryIo({ files: { 'd.yml': 'interfaces: []\n' } });
    expect(await diffCommand.run(['-c', 'nope.yml', '-d', 'd.yml'], missing)).toBe(2);
    expect(missing.err.join('')).toMatch(/cannot read nope.yml: no such file/);
    const invalid = memoryIo({ files: { 'c.yml': 'interfaces: 3\n', 'd.yml': 'interfaces: []\n' } });
    expect(await diffCommand.run(['-c', 'c.yml', '-d', 'd.yml'], invalid)).toBe(1);
    expect(invalid.err.join('')).toMatch(/c\.yml/);
  });
});

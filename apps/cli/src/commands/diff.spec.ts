import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseState } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/memory-io.js';
import { UsageError } from './command.js';
import { diffCommand } from './diff.js';

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

  it('rejects a missing --current as a usage error', async () => {
    await expect(diffCommand.run(['--desired', 'd.yml'], memoryIo())).rejects.toThrow(UsageError);
  });

  it('reports an unreadable file (exit 2) and an invalid one (exit 1)', async () => {
    const missing = memoryIo();
    expect(await diffCommand.run(['-c', 'nope.yml', '-d', 'd.yml'], missing)).toBe(2);
    expect(missing.err.join('')).toMatch(/cannot read nope.yml: no such file/);
    const invalid = memoryIo({ files: { 'c.yml': 'interfaces: 3\n', 'd.yml': 'interfaces: []\n' } });
    expect(await diffCommand.run(['-c', 'c.yml', '-d', 'd.yml'], invalid)).toBe(1);
    expect(invalid.err.join('')).toMatch(/c\.yml/);
  });
});

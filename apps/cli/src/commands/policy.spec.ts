import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseState } from '@nmfleet/model';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/memory-io.js';
import { policyCommand } from './policy.js';

const scenarios = fileURLToPath(new URL('../../../../testdata/upstream/nmstate/examples/policy/', import.meta.url));
const recordings = fileURLToPath(new URL('../../../../packages/planner/src/__fixtures__/policy-oracle/', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'nmfleet-policy-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function parsed(text: string): unknown {
  const result = parseState(text);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.state;
}

describe('nmfleet policy', () => {
  it.each(['bridge-on-default-gw-no-dhcp', 'bridge_ref_port_by_mac', 'unsorted_capture'])('prints what nmstatectl policy prints for %s', async (name) => {
    const io = memoryIo({ disk: true });
    expect(await policyCommand.run([`${scenarios}${name}/policy.yml`, '--current', `${scenarios}${name}/current.yml`], io)).toBe(0);
    expect(parsed(io.out.join(''))).toEqual(parsed(readFileSync(`${recordings}${name}.yml`, 'utf8')));
  });

  it('writes the captures with -o and reuses them with -a instead of capturing again', async () => {
    const name = 'bridge-on-default-gw-dhcp';
    const capturedFile = join(workDir, 'captured.yml');
    const first = memoryIo({ disk: true });
    expect(await policyCommand.run([`${scenarios}${name}/policy.yml`, '-c', `${scenarios}${name}/current.yml`, '-o', capturedFile], first)).toBe(0);
    const captured = readFileSync(capturedFile, 'utf8');
    expect(captured).toMatch(/^default-gw:\n {2}metaInfo:\n {4}time: .+\n {4}version: '0'\n {2}state:\n/m);
    // Against an empty current state only the captured file can resolve the references.
    const second = memoryIo({ disk: true, files: { 'empty.yml': 'interfaces: []\n' } });
    expect(await policyCommand.run([`${scenarios}${name}/policy.yml`, '-c', 'empty.yml', '-a', capturedFile], second)).toBe(0);
    expect(second.out.join('')).toBe(first.out.join(''));
  });

  it('exits 1 with the expression and a caret when a capture matches nothing', async () => {
    const io = memoryIo({ files: { 'p.yml': 'capture:\n  x: interfaces.name == "eth9"\ndesiredState:\n  interfaces: "{{ capture.x.interfaces }}"\n', 'c.yml': 'interfaces: []\n' } });
    expect(await policyCommand.run(['p.yml', '-c', 'c.yml'], io)).toBe(1);
    expect(io.err.join('')).toBe(`nmfleet: interface with 'name=eth9' not found\n| interfaces.name == "eth9"\n| ...........^\n`);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../backend.js';
import { KEYFILE_MODE, toKeyfileName, writeKeyfiles } from './write-keyfiles.js';

describe('writeKeyfiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nmfleet-keyfiles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each keyfile with mode 0600 into a directory it creates, replacing older files', async () => {
    const out = join(dir, 'system-connections');
    const first = await writeKeyfiles(out, [{ fileName: 'eth1.nmconnection', content: '[connection]\nid=eth1\n' }]);
    const second = await writeKeyfiles(out, [
      { fileName: 'eth1.nmconnection', content: '[connection]\nid=eth1\nautoconnect=false\n' },
      { fileName: 'br0.nmconnection', content: '[connection]\nid=br0\n' },
    ]);
    expect(first).toEqual([join(out, 'eth1.nmconnection')]);
    expect(second).toEqual([join(out, 'eth1.nmconnection'), join(out, 'br0.nmconnection')]);
    expect(readFileSync(join(out, 'eth1.nmconnection'), 'utf8')).toBe('[connection]\nid=eth1\nautoconnect=false\n');
    for (const name of ['eth1.nmconnection', 'br0.nmconnection']) expect(statSync(join(out, name)).mode & 0o777).toBe(KEYFILE_MODE);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(readdirSync(out).sort()).toEqual(['br0.nmconnection', 'eth1.nmconnection']);
  });

  it('tightens the mode of a keyfile that existed with a looser one', async () => {
    writeFileSync(join(dir, 'eth1.nmconnection'), 'old', { mode: 0o644 });
    await writeKeyfiles(dir, [{ fileName: 'eth1.nmconnection', content: 'new\n' }]);
    expect(statSync(join(dir, 'eth1.nmconnection')).mode & 0o777).toBe(KEYFILE_MODE);
  });

  it('names files as NetworkManager does, and refuses names it cannot write', async () => {
    expect(toKeyfileName('vpn/office.nmconnection')).toBe('vpn*office.nmconnection');
    expect(() => toKeyfileName('.nmconnection')).toThrow(BackendError);
    expect(() => toKeyfileName('...nmconnection')).toThrow(BackendError);
    await expect(
      writeKeyfiles(dir, [
        { fileName: 'a/b.nmconnection', content: '' },
        { fileName: 'a*b.nmconnection', content: '' },
      ]),
    ).rejects.toThrow(/two profiles would both be written to a\*b.nmconnection/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a directory it cannot create, naming it', async () => {
    writeFileSync(join(dir, 'file'), '');
    await expect(writeKeyfiles(join(dir, 'file', 'sub'), [{ fileName: 'x.nmconnection', content: '' }])).rejects.toThrow(/cannot create .*file\/sub/);
  });
});

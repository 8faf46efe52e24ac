import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installAtomically } from './build-cache.js';
import { silentLogger } from './logger.js';

describe('installAtomically', () => {
  let root: string;
  let target: string;
  const isComplete = (dir: string) => existsSync(join(dir, 'bin'));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'testenv-cache-spec-'));
    target = join(root, 'tool-1.0');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds into a temp folder, renames it into place, and never builds a complete target again', async () => {
    let builds = 0;
    const build = async (dir: string) => {
      builds++;
      expect(dir).not.toBe(target);
      writeFileSync(join(dir, 'bin'), 'binary');
    };
    expect(await installAtomically(target, 'tool', isComplete, build, silentLogger)).toBe(true);
    expect(await installAtomically(target, 'tool', isComplete, build, silentLogger)).toBe(false);
    expect(builds).toBe(1);
    expect(readdirSync(root)).toEqual(['tool-1.0']);
  });

  it('leaves nothing behind when the build fails', async () => {
    const failing = async (dir: string) => {
      writeFileSync(join(dir, 'half'), 'half a binary');
      throw new Error('compiler crashed');
    };
    await expect(installAtomically(target, 'tool', isComplete, failing, silentLogger)).rejects.toThrow('compiler crashed');
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a build that finished without producing the result', async () => {
    await expect(installAtomically(target, 'tool', isComplete, async () => undefined, silentLogger)).rejects.toThrow(/incomplete/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('lets a concurrent caller wait for the running build instead of building twice', async () => {
    let builds = 0;
    const slowBuild = async (dir: string) => {
      builds++;
      await new Promise((resolve) => setTimeout(resolve, 300));
      writeFileSync(join(dir, 'bin'), 'binary');
    };
    const results = await Promise.all([
      installAtomically(target, 'tool', isComplete, slowBuild, silentLogger),
      installAtomically(target, 'tool', isComplete, slowBuild, silentLogger),
    ]);
    expect(builds).toBe(1);
    expect(results.sort()).toEqual([false, true]);
  });

  it('takes over the lock of a build whose process died', async () => {
    writeFileSync(`${target}.lock`, JSON.stringify({ pid: process.pid, startTime: 'not-this-process', since: 'earlier' }));
    expect(await installAtomically(target, 'tool', isComplete, async (dir) => writeFileSync(join(dir, 'bin'), 'x'), silentLogger)).toBe(true);
    expect(existsSync(`${target}.lock`)).toBe(false);
  });
});

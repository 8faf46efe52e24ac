import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BackendError } from '../backend.js';
import type { KeyfileEntry } from './gc-output.js';

/** NetworkManager reads keyfiles only when nobody but root can read them (they may hold secrets). */
export const KEYFILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

/**
 * A profile name as a file name the way NetworkManager's keyfile plugin
 * makes one: `/` cannot appear in a file name, so it becomes `*`; an empty or
 * dot name is refused.
 */
export function toKeyfileName(fileName: string): string {
  const name = fileName.replace(/\//g, '*');
  const stem = name.replace(/\.nmconnection$/, '');
  if (stem === '' || stem === '.' || stem === '..') {
    throw new BackendError('invalid-state', `profile name '${fileName}' cannot be a keyfile name: expected a non-empty name other than "." and ".."`);
  }
  return name;
}

/**
 * Writes keyfiles into `dir` (created when missing, mode 0700), each with
 * mode 0600, replacing a file of the same name atomically (written beside it,
 * then renamed). Returns the paths written, in order.
 */
export async function writeKeyfiles(dir: string, files: readonly KeyfileEntry[]): Promise<string[]> {
  const names = files.map((f) => toKeyfileName(f.fileName));
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new BackendError('invalid-state', `two profiles would both be written to ${duplicate}: give them different profile names`);
  try {
    await mkdir(dir, { recursive: true, mode: DIRECTORY_MODE });
  } catch (error) {
    throw new BackendError('operation-failed', `cannot create ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const written: string[] = [];
  for (const [i, file] of files.entries()) {
    const path = join(dir, names[i] as string);
    const temporary = join(dir, `.${names[i] as string}.${randomUUID()}.tmp`);
    try {
      await writeFile(temporary, file.content, { mode: KEYFILE_MODE, flag: 'wx' });
      // The umask may have narrowed the mode further; NetworkManager wants exactly 0600.
      await chmod(temporary, KEYFILE_MODE);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new BackendError('operation-failed', `cannot write ${path}: ${(error as Error).message}`, { where: path, cause: error });
    }
    written.push(path);
  }
  return written;
}

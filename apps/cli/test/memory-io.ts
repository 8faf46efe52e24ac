import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../src/cli-io.js';

/** A CliIo that captures output and serves files from memory (falling back to disk when asked). */
export interface MemoryIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

export function memoryIo(options: { files?: Record<string, string>; stdin?: string; disk?: boolean } = {}): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  const files = options.files ?? {};
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    async readFile(path) {
      if (Object.hasOwn(files, path)) return files[path] as string;
      if (options.disk) return readFile(path, 'utf8');
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    },
    readStdin: async () => options.stdin ?? '',
    readDir: async (path) =>
      (await readdir(path, { withFileTypes: true })).map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() })),
    programDir: fileURLToPath(new URL('../src/', import.meta.url)),
  };
}

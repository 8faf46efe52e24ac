import { readFile, readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Everything a command may touch outside itself, so that commands can be run in memory by
 * tests and for real by `main.ts`.
 */
export interface CliIo {
  /** Writes to standard output (text is written as given; commands add newlines). */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Reads a file as UTF-8; rejects with the system error when it cannot. */
  readFile(path: string): Promise<string>;
  /** Reads all of standard input as UTF-8. */
  readStdin(): Promise<string>;
  /** Lists a directory: entry names, and whether each is a directory. */
  readDir(path: string): Promise<Array<{ name: string; isDirectory: boolean }>>;
  /** The directory of the running program, where commands look for the repository's test data. */
  programDir: string;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The real process: stdout, stderr, the file system and stdin. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFile(path, 'utf8'),
    readStdin: readAllStdin,
    readDir: async (path) =>
      (await readdir(path, { withFileTypes: true })).map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() })),
    programDir: dirname(fileURLToPath(import.meta.url)),
  };
}

/** A short reason from a file system error: `no such file or directory`. */
export function describeIoError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e.message ?? String(error);
  }
}

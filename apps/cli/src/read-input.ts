import { describeIoError } from './cli-io.js';
import type { CliIo } from './cli-io.js';

/** A document read from a file, or from standard input when its name is `-`. */
export type InputFile = { ok: true; name: string; text: string } | { ok: false; name: string; reason: string };

/** Reads `path`, or stdin for `-` (named `<stdin>` in messages). Never throws. */
export async function readInput(path: string, io: CliIo): Promise<InputFile> {
  const name = path === '-' ? '<stdin>' : path;
  try {
    return { ok: true, name, text: path === '-' ? await io.readStdin() : await io.readFile(path) };
  } catch (error) {
    return { ok: false, name, reason: describeIoError(error) };
  }
}

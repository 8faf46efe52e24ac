import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A simulated host's state on disk, so it survives an agent restart: one JSON line is
 * appended after each job that changed it, and the last complete line is the state.
 * Appending costs one small write; writing a file and renaming it into place, as a
 * crash-safe replace needs, costs a journaled rename per job, the largest single cost
 * of a simulated job. A line cut short by a crash is ignored. At start the journal is
 * compacted to its last state.
 */
export class StateJournal {
  private readonly path: string;
  private fd: number | undefined;
  private last: string | undefined;

  constructor(dir: string, node: string) {
    this.path = join(dir, `${node}.states.jsonl`);
  }

  /** The state last written, or undefined when there is none; keeps only it in the file. */
  load(): unknown {
    if (!existsSync(this.path)) return undefined;
    const lines = readFileSync(this.path, 'utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i -= 1) {
      const line = lines[i]?.trim() ?? '';
      if (line === '') continue;
      let state: unknown;
      try {
        state = JSON.parse(line);
      } catch {
        continue;
      }
      if (i > 0) {
        const compacted = `${this.path}.tmp`;
        writeFileSync(compacted, `${line}\n`);
        renameSync(compacted, this.path);
      }
      this.last = line;
      return state;
    }
    return undefined;
  }

  /** Appends `stateJson` (one line of JSON) unless it equals the state last written. */
  append(stateJson: string): void {
    if (stateJson === this.last) return;
    this.fd ??= openSync(this.path, 'a');
    writeSync(this.fd, `${stateJson}\n`);
    this.last = stateJson;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

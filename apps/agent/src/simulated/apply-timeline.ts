import { createWriteStream, type WriteStream } from 'node:fs';
import type { SimulatedApplyRecord } from '@nmfleet/nm-backend';

/**
 * Appends one JSON line per finished apply to a file, for the fleet simulator to
 * check concurrency (maxInProgress) after the run. Lines are written as applies end,
 * so a killed process loses at most its unfinished applies.
 */
export class ApplyTimeline {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path, { flags: 'a' });
  }

  record(entry: SimulatedApplyRecord): void {
    this.stream.write(`${JSON.stringify(entry)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

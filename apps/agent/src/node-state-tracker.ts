import { createHash } from 'node:crypto';
import type { NetworkBackend } from '@nmfleet/nm-backend';

/** Hex characters of a state hash: enough to tell states apart, short enough for every report. */
const STATE_HASH_CHARS = 32;

/** The node's state after a job: its hash, and its JSON text when it differs from the last reported one. */
export interface CapturedState {
  hash: string;
  /** Present only when the state changed since the last capture (or the stored hash). */
  json?: string;
}

/** Hashes a state's JSON text. */
export function hashStateJson(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, STATE_HASH_CHARS);
}

/**
 * Remembers the hash of the last state the node reported, so reports carry the
 * state only when it changed (most jobs of a rollout leave it alone only when
 * they fail; a fleet of a thousand nodes must not resend unchanged states).
 */
export class NodeStateTracker {
  private lastHash: string | undefined;

  constructor(
    private readonly backend: NetworkBackend,
    storedHash: string | undefined,
  ) {
    this.lastHash = storedHash;
  }

  /** Reads the state (or takes the one just read); includes its JSON when it changed. */
  async capture(current?: unknown): Promise<CapturedState> {
    const json = JSON.stringify(current ?? (await this.backend.show()));
    const hash = hashStateJson(json);
    if (hash === this.lastHash) return { hash };
    this.lastHash = hash;
    return { hash, json };
  }
}

import type { NetworkState } from '@nmfleet/model';

/**
 * What every host backend offers: the real NetworkManager (over D-Bus), and the
 * simulated host used for fleets of hundreds of nodes in one process. The agent,
 * the CLI and the conformance suite only ever talk to this interface.
 *
 * Apply follows nmstate's safety model: current → merge → plan → checkpoint →
 * execute → verify → commit, and any failure rolls the host back to the
 * checkpoint before the error is thrown.
 */
export interface NetworkBackend {
  /** Reads the host's network as one model state, in the shape `nmstatectl show` prints. */
  show(options?: ShowOptions): Promise<NetworkState>;
  /**
   * Applies a (partial) desired state. Resolves once the change is verified and,
   * unless `noCommit`, committed. Rejects with a {@link BackendError} after the host
   * was rolled back (the error says what failed, where, and that it was rolled back).
   */
  apply(desired: NetworkState, options?: ApplyOptions): Promise<ApplyResult>;
  /** Commits an open checkpoint (the newest when omitted). */
  commit(checkpoint?: string): Promise<void>;
  /** Rolls back to an open checkpoint (the newest when omitted). */
  rollback(checkpoint?: string): Promise<void>;
  /** Open checkpoints, e.g. left behind by a crashed apply, so callers can handle them before new work. */
  listCheckpoints(): Promise<CheckpointInfo[]>;
  /** Releases connections; the host itself is left as it is. */
  close(): Promise<void>;
}

/** Options of {@link NetworkBackend.show}. */
export interface ShowOptions {
  /** Configuration only, as `nmstatectl show --running-config`: no running routes or DNS, no dynamic addresses, no MTU range. Default: false. */
  runningConfig?: boolean;
  /** Include secrets (802.1x passwords, IPsec PSKs, MACsec keys) instead of `<_password_hid_by_nmstate>`. Default: false. */
  showSecrets?: boolean;
}

/** Options of {@link NetworkBackend.apply}. */
export interface ApplyOptions {
  /** Leave the checkpoint open for a later commit/rollback. Default: false. */
  noCommit?: boolean;
  /** Rollback timeout of the checkpoint, in seconds. Default: 60. */
  rollbackTimeoutSeconds?: number;
  /** Skip verification after the change. Default: false. */
  noVerify?: boolean;
  /** Do not persist profiles to disk (NetworkManager in-memory profiles). Default: false. */
  memoryOnly?: boolean;
  /** Progress of long applies, one event per plan operation. */
  onProgress?: (event: ApplyProgressEvent) => void;
  /** Aborting rolls back and rejects with kind `aborted`. */
  signal?: AbortSignal;
  /**
   * What to do with a checkpoint that is already open (left by a crashed apply or an
   * uncommitted `noCommit` apply): `'fail'` refuses with kind `checkpoint` and changes
   * nothing; `'rollback'` rolls it back first. Default: `'fail'` (as nmstatectl).
   */
  staleCheckpoint?: 'fail' | 'rollback';
}

/** One step of an apply, for progress reporting. */
export interface ApplyProgressEvent {
  phase: 'plan' | 'checkpoint' | 'execute' | 'verify' | 'commit' | 'rollback';
  /** Index of the plan operation being executed, during `execute`. */
  operationIndex?: number;
  operationCount?: number;
  message: string;
}

/** What an apply did. */
export interface ApplyResult {
  /** The open checkpoint when `noCommit` was set; undefined once committed. */
  checkpoint?: string;
  /** Whether anything on the host changed (false when the desired state was already in place). */
  changed: boolean;
  /** Number of plan operations executed. */
  operationCount: number;
  /** Verification attempts made (0 with `noVerify`). */
  verifyAttempts: number;
  durationSeconds: number;
}

/** An open checkpoint. */
export interface CheckpointInfo {
  id: string;
  createdAt: Date;
  rollbackTimeoutSeconds: number;
}

/** Why a backend operation failed. */
export type BackendErrorKind =
  | 'invalid-state' // the desired state is wrong (validation or merge error); nothing was changed
  | 'unsupported' // the host cannot do it (e.g. the kernel lacks bond/vlan); rolled back
  | 'operation-failed' // a plan operation failed; rolled back
  | 'verification-failed' // the host does not show the desired state after retries; rolled back
  | 'checkpoint' // creating, committing or rolling back a checkpoint failed
  | 'timeout'
  | 'aborted'
  | 'unavailable'; // NetworkManager (or the D-Bus) cannot be reached

/** The one error type of nm-backend. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly details: {
      /** The plan operation or YAML path the failure concerns. */
      where?: string;
      /** Whether the host was rolled back to its state before the apply. */
      rolledBack?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

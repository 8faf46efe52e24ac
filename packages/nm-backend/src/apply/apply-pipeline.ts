import type { NetworkState } from '@nmfleet/model';
import { BackendError, type ApplyOptions, type ApplyProgressEvent, type ApplyResult, type CheckpointInfo, type ShowOptions } from '../backend.js';
import type { Plan } from '@nmfleet/planner';
import type { StateMismatch, StatePlanner } from './planner-port.js';

/** Default rollback timeout of an apply's checkpoint, in seconds (nmstate's default). */
export const DEFAULT_ROLLBACK_TIMEOUT_SECONDS = 60;
/** Verification attempts before an apply is declared failed. */
export const VERIFY_RETRY_COUNT = 10;
/** Pause between verification attempts, in milliseconds. */
export const VERIFY_RETRY_INTERVAL_MS = 500;
/**
 * Rollback timeout while a `noCommit` apply is still executing, in seconds: a
 * short user timeout (say 5 s) must start when the apply returns, not run out
 * half-way through it.
 */
export const EXECUTION_ROLLBACK_TIMEOUT_SECONDS = 60;

/**
 * The host-specific half of an apply. The pipeline ({@link runApply}) owns the
 * order of steps and the safety rules; a driver only knows how to read its host,
 * keep checkpoints, and carry out plan operations.
 */
export interface HostDriver {
  /** A short name for messages, e.g. the node name or `NetworkManager`. */
  readonly hostName: string;
  readState(options?: ShowOptions): Promise<NetworkState>;
  listCheckpoints(): Promise<CheckpointInfo[]>;
  createCheckpoint(rollbackTimeoutSeconds: number): Promise<CheckpointInfo>;
  /** Restarts the checkpoint's rollback timer: it now rolls back `rollbackTimeoutSeconds` from now. */
  adjustCheckpointTimeout(id: string, rollbackTimeoutSeconds: number): Promise<void>;
  commitCheckpoint(id: string): Promise<void>;
  rollbackCheckpoint(id: string): Promise<void>;
  /** Carries out every operation of the plan in an order that respects `dependsOn`; throws on the first failure. */
  executePlan(plan: Plan, context: ExecutionContext): Promise<void>;
  /** Waits `ms` milliseconds on the driver's clock; rejects when `signal` aborts. */
  delay(ms: number, signal?: AbortSignal): Promise<void>;
  /** Milliseconds on the driver's clock. */
  now(): number;
}

/** What a driver gets while executing a plan. */
export interface ExecutionContext {
  options: ApplyOptions;
  /** The desired state the plan leads to: profiles carry what it asked for, not what `show` reported. */
  desired: NetworkState;
  /** The host's state the plan was made against. */
  current: NetworkState;
  /** Call when an operation starts, for progress reporting. */
  startOperation(index: number, message: string): void;
  /** Aborts the apply (the pipeline then rolls back). */
  signal?: AbortSignal;
}

/** Pipeline settings that belong to the backend rather than to one apply. */
export interface PipelineSettings {
  planner: StatePlanner;
  /** Default: {@link VERIFY_RETRY_COUNT}. */
  verifyRetryCount?: number;
  /** Default: {@link VERIFY_RETRY_INTERVAL_MS}. */
  verifyRetryIntervalMs?: number;
  /** Extra verification the driver may impose (the simulated host injects failures here). */
  verifyExtra?: () => StateMismatch[];
}

/**
 * current → merge → plan → checkpoint → execute → verify (with retries) →
 * commit, and on any failure after the checkpoint: roll back, then throw a
 * {@link BackendError} that says what failed, where, and that the host was
 * rolled back. Errors before the checkpoint change nothing.
 */
export async function runApply(driver: HostDriver, settings: PipelineSettings, desired: NetworkState, options: ApplyOptions = {}): Promise<ApplyResult> {
  const started = driver.now();
  const progress = (event: ApplyProgressEvent): void => options.onProgress?.(event);
  throwIfAborted(options.signal, false);

  await handleStaleCheckpoints(driver, options);
  const current = await driver.readState();
  progress({ phase: 'plan', message: `planning against the current state of ${driver.hostName}` });
  const plan = planOrThrow(settings.planner, desired, current);

  const timeout = options.rollbackTimeoutSeconds ?? DEFAULT_ROLLBACK_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeout) || timeout < 1) {
    throw new BackendError('invalid-state', `rollbackTimeoutSeconds ${timeout} is invalid: expected a whole number of seconds ≥ 1`);
  }
  const checkpoint = await driver.createCheckpoint(options.noCommit ? Math.max(timeout, EXECUTION_ROLLBACK_TIMEOUT_SECONDS) : timeout);
  progress({ phase: 'checkpoint', message: `checkpoint ${checkpoint.id} created (rollback after ${timeout} s)` });

  let verifyAttempts = 0;
  try {
    const count = plan.operations.length;
    await driver.executePlan(plan, {
      options,
      desired,
      current,
      signal: options.signal,
      startOperation: (index, message) => progress({ phase: 'execute', operationIndex: index, operationCount: count, message }),
    });
    throwIfAborted(options.signal, true);
    if (!options.noVerify) {
      progress({ phase: 'verify', message: 'verifying the host against the desired state' });
      verifyAttempts = await verifyWithRetries(driver, settings, desired, options.signal);
    }
  } catch (error) {
    progress({ phase: 'rollback', message: `rolling back to checkpoint ${checkpoint.id}` });
    throw await rollBackAfter(driver, checkpoint.id, error);
  }

  if (options.noCommit) {
    await driver.adjustCheckpointTimeout(checkpoint.id, timeout);
  } else {
    progress({ phase: 'commit', message: `committing checkpoint ${checkpoint.id}` });
    await driver.commitCheckpoint(checkpoint.id);
  }
  return {
    checkpoint: options.noCommit ? checkpoint.id : undefined,
    changed: plan.operations.length > 0,
    operationCount: plan.operations.length,
    verifyAttempts,
    durationSeconds: (driver.now() - started) / 1000,
  };
}

function planOrThrow(planner: StatePlanner, desired: NetworkState, current: NetworkState): Plan {
  try {
    return planner.planChanges(desired, current);
  } catch (error) {
    if (error instanceof BackendError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new BackendError('invalid-state', `the desired state cannot be applied: ${message}; nothing was changed`, { cause: error, rolledBack: false });
  }
}

async function handleStaleCheckpoints(driver: HostDriver, options: ApplyOptions): Promise<void> {
  const open = await driver.listCheckpoints();
  if (open.length === 0) return;
  if ((options.staleCheckpoint ?? 'fail') === 'rollback') {
    for (const checkpoint of open) await driver.rollbackCheckpoint(checkpoint.id);
    return;
  }
  const ids = open.map((c) => `${c.id} (created ${c.createdAt.toISOString()})`).join(', ');
  throw new BackendError(
    'checkpoint',
    `an earlier apply left checkpoint ${ids} open: commit or roll it back first (nmfleet commit / nmfleet rollback); nothing was changed`,
    { where: 'checkpoint', rolledBack: false },
  );
}

async function verifyWithRetries(
  driver: HostDriver,
  settings: PipelineSettings,
  desired: NetworkState,
  signal: AbortSignal | undefined,
): Promise<number> {
  const attempts = settings.verifyRetryCount ?? VERIFY_RETRY_COUNT;
  const interval = settings.verifyRetryIntervalMs ?? VERIFY_RETRY_INTERVAL_MS;
  let mismatches: StateMismatch[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = await driver.readState();
    mismatches = [...settings.planner.verifyState(desired, current), ...(settings.verifyExtra?.() ?? [])];
    if (mismatches.length === 0) return attempt;
    if (attempt < attempts) await driver.delay(interval, signal);
  }
  const first = mismatches[0]!;
  throw new BackendError(
    'verification-failed',
    `verification failed after ${attempts} attempts: ${mismatches.map((m) => m.message).join('; ')}`,
    { where: first.path, cause: mismatches },
  );
}

async function rollBackAfter(driver: HostDriver, checkpoint: string, error: unknown): Promise<BackendError> {
  const original = toBackendError(error);
  try {
    await driver.rollbackCheckpoint(checkpoint);
  } catch (rollbackError) {
    const why = rollbackError instanceof Error ? rollbackError.message : String(rollbackError);
    return new BackendError('checkpoint', `${original.message}; rolling back checkpoint ${checkpoint} also failed: ${why}`, {
      where: original.details.where,
      rolledBack: false,
      cause: original,
    });
  }
  return new BackendError(original.kind, `${original.message}; the host was rolled back to checkpoint ${checkpoint}`, {
    where: original.details.where,
    rolledBack: true,
    cause: original.details.cause ?? original,
  });
}

function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BackendError('operation-failed', message, { cause: error });
}

function throwIfAborted(signal: AbortSignal | undefined, changed: boolean): void {
  if (signal?.aborted) {
    throw new BackendError('aborted', changed ? 'the apply was aborted' : 'the apply was aborted; nothing was changed', { rolledBack: false });
  }
}

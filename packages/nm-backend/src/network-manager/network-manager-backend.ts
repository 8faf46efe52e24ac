import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { NetworkState } from '@nmfleet/model';
import type { Plan, PlanOperation } from '@nmfleet/planner';
import { runApply, type ExecutionContext, type HostDriver } from '../apply/apply-pipeline.js';
import { defaultPlanner } from '../apply/planner-adapter.js';
import type { StatePlanner } from '../apply/planner-port.js';
import { BackendError, type CheckpointInfo, type NetworkBackend, type ShowOptions } from '../backend.js';
import { connectNmBus } from '../dbus/nm-bus.js';
import { NmClient, type NmProfile } from '../dbus/nm-client.js';
import { createHostCommands, type HostCommands } from '../kernel/host-commands.js';
import { readKernelFacts } from '../kernel/kernel-reader.js';
import { createRandomProfileUuid } from '../settings/profile-uuid.js';
import { areNmSettingsEqual } from '../settings/nm-settings.js';
import { buildShowState } from '../show/show-state.js';
import { isTree, viewState, type InterfaceTree } from '../state/state-tree.js';
import { executeInParallel } from './plan-executor.js';
import { assignProfileContexts, type ProfileContexts } from './profile-contexts.js';
import { builtinProfileRenderer, type ProfileRenderer } from './profile-renderer.js';

/** How long a rollback may take to settle (profiles active again, new devices gone), in milliseconds. */
export const ROLLBACK_SETTLE_TIMEOUT_MS = 30_000;

/** Options of {@link createNetworkManagerBackend}. */
export interface NetworkManagerBackendOptions {
  /** D-Bus address of NetworkManager's bus. Default: the system bus (`DBUS_SYSTEM_BUS_ADDRESS`, else the standard socket). */
  busAddress?: string;
  /** Network namespace whose kernel state `show` reads (`ip netns exec`). Default: the current namespace. */
  namespace?: string;
  /** How kernel commands run. Default: `ip` in `namespace`. */
  commands?: HostCommands;
  /** Default: `@nmfleet/planner`. */
  planner?: StatePlanner;
  /** Model → NetworkManager settings. Default: the built-in renderer. */
  renderer?: ProfileRenderer;
  /** Verification attempts. Default: `VERIFY_RETRY_COUNT`. */
  verifyRetryCount?: number;
  /** Pause between verification attempts, in milliseconds. Default: `VERIFY_RETRY_INTERVAL_MS`. */
  verifyRetryIntervalMs?: number;
  /** Called before each plan operation; throwing fails the apply there (fault injection in tests). Default: none. */
  beforeOperation?: (operation: PlanOperation, index: number) => void | Promise<void>;
  /** Called after the plan ran and before verification (tests disturb the host here). Default: none. */
  afterExecute?: () => void | Promise<void>;
}

/**
 * The real backend: NetworkManager over D-Bus for profiles, activations and
 * checkpoints, the kernel (`ip -json`) for what runs. Every apply goes through
 * the shared pipeline: checkpoint, execute, verify, commit or roll back.
 */
export async function createNetworkManagerBackend(options: NetworkManagerBackendOptions = {}): Promise<NetworkBackend> {
  const bus = await connectNmBus({ busAddress: options.busAddress });
  const nm = new NmClient(bus);
  const commands = options.commands ?? createHostCommands({ namespace: options.namespace });
  const renderer = options.renderer ?? builtinProfileRenderer;
  const settings = {
    planner: options.planner ?? defaultPlanner,
    verifyRetryCount: options.verifyRetryCount,
    verifyRetryIntervalMs: options.verifyRetryIntervalMs,
  };

  const readState = async (showOptions?: ShowOptions): Promise<NetworkState> => {
    const [kernel, profiles, objects, dnsRunning, configuredHostname] = await Promise.all([
      readKernelFacts(commands),
      nm.listProfiles(),
      nm.readObjects(),
      nm.readDnsConfiguration().catch(() => undefined),
      nm.readConfiguredHostname(),
    ]);
    const activeProfiles = objects.activeProfiles;
    return buildShowState(
      { kernel, profiles: pickProfilePerInterface(profiles, activeProfiles), dnsRunning, hostname: { running: hostname(), config: configuredHostname } },
      showOptions,
    );
  };

  const listCheckpoints = async (): Promise<CheckpointInfo[]> => {
    const [checkpoints, bootMs] = await Promise.all([nm.listCheckpoints(), readBootTimeMs()]);
    return checkpoints
      .map((c) => ({ id: c.path, createdAt: new Date(Date.now() - (bootMs - c.createdBootMs)), rollbackTimeoutSeconds: c.rollbackTimeoutSeconds }))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  };

  const newest = async (checkpoint: string | undefined): Promise<string> => {
    if (checkpoint !== undefined) return checkpoint;
    const open = await listCheckpoints();
    const last = open.at(-1);
    if (!last) throw new BackendError('checkpoint', 'there is no open checkpoint', { where: 'checkpoint' });
    return last.id;
  };

  const commitCheckpoint = async (id: string): Promise<void> => {
    devicesAtCheckpoint.delete(id);
    await nm.destroyCheckpoint(id).catch((error: unknown) => {
      throw new BackendError('checkpoint', `committing checkpoint ${id} failed: ${(error as Error).message}`, { where: 'checkpoint', cause: error });
    });
  };
  /** Interfaces that existed when each checkpoint this process created was taken: a rollback is done when exactly they exist again. */
  const devicesAtCheckpoint = new Map<string, ReadonlySet<string>>();
  const rollbackCheckpoint = async (id: string): Promise<void> => {
    const failed = await nm.rollbackCheckpoint(id).catch((error: unknown) => {
      throw new BackendError('checkpoint', `rolling back checkpoint ${id} failed: ${(error as Error).message}`, { where: 'checkpoint', cause: error });
    });
    if (failed.length > 0) {
      throw new BackendError('checkpoint', `rolling back checkpoint ${id} failed for devices ${failed.join(', ')}`, { where: 'checkpoint', rolledBack: false });
    }
    // NetworkManager answers before the restored profiles are active again and new devices are gone.
    await nm.waitForSettledDevices(devicesAtCheckpoint.get(id), ROLLBACK_SETTLE_TIMEOUT_MS);
    devicesAtCheckpoint.delete(id);
  };

  const driver: HostDriver = {
    hostName: 'NetworkManager',
    readState,
    listCheckpoints,
    createCheckpoint: async (rollbackTimeoutSeconds) => {
      const devices = await nm.listDevices();
      const id = await nm.createCheckpoint(rollbackTimeoutSeconds).catch((error: unknown) => {
        throw new BackendError('checkpoint', `creating a checkpoint failed: ${(error as Error).message}; nothing was changed`, { where: 'checkpoint', cause: error });
      });
      devicesAtCheckpoint.set(id, new Set(devices.map((d) => d.interface)));
      return { id, createdAt: new Date(), rollbackTimeoutSeconds };
    },
    adjustCheckpointTimeout: (id, seconds) => nm.adjustCheckpointTimeout(id, seconds),
    commitCheckpoint,
    rollbackCheckpoint,
    executePlan: async (plan, context) => {
      await executeNmPlan(nm, renderer, plan, context, options.beforeOperation);
      await options.afterExecute?.();
    },
    delay: (ms, signal) =>
      new Promise((resolve, reject) => {
        const abort = (): void => {
          clearTimeout(timer);
          reject(new BackendError('aborted', 'the apply was aborted'));
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', abort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', abort, { once: true });
      }),
    now: () => Date.now(),
  };

  return {
    show: readState,
    apply: (desired, applyOptions) => runApply(driver, settings, desired, applyOptions),
    commit: async (checkpoint) => commitCheckpoint(await newest(checkpoint)),
    rollback: async (checkpoint) => rollbackCheckpoint(await newest(checkpoint)),
    listCheckpoints,
    close: async () => bus.close(),
  };
}

/** Milliseconds since boot, the clock of NetworkManager's checkpoint timestamps (CLOCK_BOOTTIME). */
async function readBootTimeMs(): Promise<number> {
  const text = await readFile('/proc/uptime', 'utf8');
  return Number(text.split(' ')[0]) * 1000;
}

/** One profile per interface: the active one, else the first bound to it by name. */
function pickProfilePerInterface(profiles: NmProfile[], activeProfiles: ReadonlyMap<string, string>): Map<string, NmProfile> {
  const byPath = new Map(profiles.map((p) => [p.path, p]));
  const out = new Map<string, NmProfile>();
  for (const [iface, path] of activeProfiles) {
    const profile = byPath.get(path);
    if (profile) out.set(iface, profile);
  }
  for (const profile of profiles) {
    const iface = profile.interfaceName ?? profile.id;
    if (!out.has(iface)) out.set(iface, profile);
  }
  return out;
}

function describe(operation: PlanOperation): string {
  return operation.interface === undefined ? operation.kind : `${operation.kind} ${operation.interface} (${operation.type ?? 'unknown'})`;
}

/** The kernel says this when it lacks a link type (no bond, vlan, dummy, vrf module). */
const KERNEL_LACKS_TYPE = /Operation not supported|not supported/i;

async function executeNmPlan(
  nm: NmClient,
  renderer: ProfileRenderer,
  plan: Plan,
  context: ExecutionContext,
  beforeOperation: NetworkManagerBackendOptions['beforeOperation'],
): Promise<void> {
  const profiles = pickProfilePerInterface(await nm.listProfiles(), new Map());
  const contexts: ProfileContexts = assignProfileContexts(plan.merged);
  const mergedByName = new Map(viewState(plan.merged).interfaces.map((i) => [i.name, i]));
  const memoryOnly = context.options.memoryOnly === true;

  /** Writes the profile of `iface`; returns whether anything changed. */
  const writeProfile = async (iface: InterfaceTree): Promise<boolean> => {
    const existing = profiles.get(iface.name);
    const state = contexts.get(iface.name) ?? { routes: [], rules: [], dns: undefined };
    const uuid = existing?.uuid ?? createRandomProfileUuid();
    const generated = renderer.toNmSettings(iface, { uuid, ...state, existing: existing?.settings, getInterface: (n) => mergedByName.get(n) });
    if (!existing) {
      const path = await nm.addProfile(generated, { memoryOnly });
      profiles.set(iface.name, { path, id: iface.name, uuid, type: iface.type ?? '', interfaceName: iface.name, settings: generated, passthrough: {} });
      return true;
    }
    const merged = renderer.mergeNmSettings(existing.settings, generated);
    if (areNmSettingsEqual(merged, existing.settings)) return false;
    await nm.updateProfile(existing.path, merged, existing.passthrough, { memoryOnly });
    profiles.set(iface.name, { ...existing, settings: merged });
    return true;
  };

  const pairs = vethPairsActivated(plan);
  const activate = async (name: string, type: string | undefined): Promise<void> => {
    const profile = profiles.get(name);
    const what = `activating ${name} (${type ?? 'unknown'})`;
    if (!profile) throw new BackendError('operation-failed', `${what} failed: it has no profile`, { where: `interfaces.${name}` });
    // Either end's activation creates both veth devices: the second end waits until the first has created them.
    const peerStarted = pairs.waitForPeer(name, context.signal);
    if (peerStarted) await peerStarted;
    try {
      await nm.activate(profile.path, what, () => pairs.markStarted(name));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (KERNEL_LACKS_TYPE.test(message)) {
        throw new BackendError('unsupported', `${what} failed: the kernel does not support ${type} interfaces (NetworkManager: ${message})`, {
          where: `interfaces.${name}`,
          cause: error,
        });
      }
      throw error instanceof BackendError ? error : new BackendError('operation-failed', `${what} failed: ${message}`, { where: `interfaces.${name}`, cause: error });
    } finally {
      pairs.markStarted(name);
    }
  };

  const deactivate = async (name: string): Promise<void> => {
    const device = await nm.findDevice(name);
    const active = device && (await nm.findActiveConnection(device));
    if (active) await nm.deactivate(active, `deactivating ${name}`);
  };

  /** Rewrites every present profile whose routes, rules or DNS changed, and re-activates it. */
  const refreshStateWide = async (only?: string): Promise<void> => {
    const targets = [...mergedByName.values()].filter((i) => (only === undefined || i.name === only) && i.state !== 'absent' && i.state !== 'ignore');
    await Promise.all(
      targets.map(async (iface) => {
        if (!profiles.has(iface.name) && only === undefined) return;
        if ((await writeProfile(iface)) && iface.state !== 'down') await activate(iface.name, iface.type);
      }),
    );
  };

  const run = async (operation: PlanOperation, index: number): Promise<void> => {
    context.startOperation(index, describe(operation));
    await beforeOperation?.(operation, index);
    const name = operation.interface ?? '';
    const iface = (operation.merged ?? mergedByName.get(name)) as InterfaceTree | undefined;
    switch (operation.kind) {
      case 'create-profile':
      case 'modify-profile':
        await writeProfile(iface!);
        return;
      case 'activate':
        await activate(name, operation.type);
        return;
      case 'deactivate':
        await deactivate(name);
        return;
      case 'delete-profile':
        for (const profile of (await nm.listProfiles()).filter((p) => (p.interfaceName ?? p.id) === name)) await nm.deleteProfile(profile.path);
        profiles.delete(name);
        return;
      case 'delete-device': {
        const device = await nm.findDevice(name);
        // Deactivating a software device already removed it; only a leftover needs deleting.
        if (device) await nm.deleteDevice(device).catch(() => undefined);
        return;
      }
      case 'routes':
        await refreshStateWide(name);
        return;
      case 'route-rules':
      case 'dns':
        await refreshStateWide();
        return;
      case 'hostname':
        throw new BackendError('unsupported', 'changing the hostname is not supported by the NetworkManager backend: it would change the whole machine', {
          where: 'hostname',
        });
    }
  };

  const aborted = new AbortController();
  context.signal?.addEventListener('abort', () => aborted.abort());
  try {
    await executeInParallel(plan, run, aborted);
  } finally {
    pairs.releaseAll();
  }
}

/**
 * Activating either end of a veth creates both devices; activating the two ends
 * at the same moment would race to create the pair. The end with the smaller
 * name goes first; the other waits only until that activation has started (the
 * devices exist), not until it finished, so pairs still come up in parallel.
 */
function vethPairsActivated(plan: Plan): {
  waitForPeer(name: string, signal: AbortSignal | undefined): Promise<void> | undefined;
  markStarted(name: string): void;
  releaseAll(): void;
} {
  const activated = new Map<string, PlanOperation>();
  for (const op of plan.operations) if (op.kind === 'activate' && op.type === 'veth' && op.interface !== undefined) activated.set(op.interface, op);
  const started = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const gate = (name: string): { promise: Promise<void>; resolve: () => void } => {
    let entry = started.get(name);
    if (!entry) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      entry = { promise, resolve };
      started.set(name, entry);
    }
    return entry;
  };
  return {
    waitForPeer: (name, signal) => {
      const merged = activated.get(name)?.merged;
      const peer = merged && isTree(merged['veth']) ? merged['veth']['peer'] : undefined;
      if (typeof peer !== 'string' || peer > name || !activated.has(peer)) return undefined;
      const wait = gate(peer).promise;
      return signal ? Promise.race([wait, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]) : wait;
    },
    markStarted: (name) => gate(name).resolve(),
    releaseAll: () => {
      for (const entry of started.values()) entry.resolve();
    },
  };
}

import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { NetworkState } from '@nmfleet/model';
import type { PlanOperation } from '@nmfleet/planner';
import { runApply, type HostDriver } from '../apply/apply-pipeline.js';
import { defaultPlanner } from '../apply/planner-adapter.js';
import type { StatePlanner } from '../apply/planner-port.js';
import { BackendError, type CheckpointInfo, type NetworkBackend, type ShowOptions } from '../backend.js';
import { connectNmBus } from '../dbus/nm-bus.js';
import { NmClient, type NmDevice, type NmProfile } from '../dbus/nm-client.js';
import { createHostCommands, type HostCommands } from '../kernel/host-commands.js';
import { readKernelFacts } from '../kernel/kernel-reader.js';
import { buildShowState } from '../show/show-state.js';
import { executeNmPlan, type KnownProfile } from './execute-nm-plan.js';

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
  const settings = {
    planner: options.planner ?? defaultPlanner,
    verifyRetryCount: options.verifyRetryCount,
    verifyRetryIntervalMs: options.verifyRetryIntervalMs,
  };

  /**
   * What the last `readState` saw: an apply checkpoints and executes its plan
   * right after reading the state the plan was made from, so it takes the
   * devices and profiles from there instead of listing them again.
   */
  let profilesOfLastRead: KnownProfile[] | undefined;
  let devicesOfLastRead: NmDevice[] | undefined;
  const readState = async (showOptions?: ShowOptions): Promise<NetworkState> => {
    const [kernel, profiles, objects, dnsRunning, configuredHostname] = await Promise.all([
      readKernelFacts(commands),
      nm.listProfiles(),
      nm.readObjects(),
      nm.readDnsConfiguration().catch(() => undefined),
      nm.readConfiguredHostname(),
    ]);
    profilesOfLastRead = toKnownProfiles(profiles, objects);
    devicesOfLastRead = objects.devices;
    const shown = await withSecrets(nm, pickProfilePerInterface(profilesOfLastRead, objects.activeProfiles));
    return buildShowState({ kernel, profiles: shown, dnsRunning, hostname: { running: hostname(), config: configuredHostname } }, showOptions);
  };
  const takeProfilesOfLastRead = async (): Promise<KnownProfile[]> => {
    const known = profilesOfLastRead;
    profilesOfLastRead = undefined;
    if (known) return known;
    const [profiles, objects] = await Promise.all([nm.listProfiles(), nm.readObjects()]);
    return toKnownProfiles(profiles, objects);
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
      const devices = devicesOfLastRead ?? (await nm.listDevices());
      devicesOfLastRead = undefined;
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
      await executeNmPlan(plan, context, { nm, profiles: await takeProfilesOfLastRead(), beforeOperation: options.beforeOperation });
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

/** The profiles nmstate works with (not those NetworkManager generated for devices it found configured), marked active or not. */
function toKnownProfiles(profiles: NmProfile[], objects: { activeProfiles: ReadonlyMap<string, string>; generatedProfiles: ReadonlySet<string> }): KnownProfile[] {
  const activePaths = new Set(objects.activeProfiles.values());
  return profiles.filter((p) => !objects.generatedProfiles.has(p.path)).map((p) => ({ ...p, isActive: activePaths.has(p.path) }));
}

/** Settings whose secrets GetSettings leaves out. */
const SECRET_SETTINGS = ['802-1x', 'macsec', 'vpn'];

/**
 * The profiles with the secrets NetworkManager keeps for them, so `show` can
 * say a secret is set (hidden) or print it (`showSecrets`). Only profiles
 * with such settings cost a call.
 */
async function withSecrets(nm: NmClient, profiles: Map<string, NmProfile>): Promise<Map<string, NmProfile>> {
  const out = new Map(profiles);
  await Promise.all(
    [...profiles].map(async ([name, profile]) => {
      const settings = SECRET_SETTINGS.filter((s) => profile.settings[s] !== undefined);
      if (settings.length === 0) return;
      const merged = { ...profile.settings };
      for (const setting of settings) {
        const secrets = await nm.readSecrets(profile.path, setting).catch(() => ({}) as Record<string, never>);
        for (const [key, values] of Object.entries(secrets)) merged[key] = { ...(merged[key] ?? {}), ...values };
      }
      out.set(name, { ...profile, settings: merged });
    }),
  );
  return out;
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

import type { Plan, PlanOperation } from '@nmfleet/planner';
import type { ExecutionContext } from '../apply/apply-pipeline.js';
import { BackendError } from '../backend.js';
import type { NmClient, NmProfile } from '../dbus/nm-client.js';
import { getConnectionInterfaceName } from '../settings/nm-settings.js';
import { executeInParallel } from './plan-executor.js';
import { planProfiles, toInterfaceKey, type PlannedProfile } from './profile-plan.js';

/** A profile NetworkManager has, and whether it is active on its interface. */
export type KnownProfile = NmProfile & { readonly isActive: boolean };

/** What {@link executeNmPlan} needs besides the plan. */
export interface NmPlanExecution {
  readonly nm: NmClient;
  /** Every profile NetworkManager has, as read for the plan. */
  readonly profiles: readonly KnownProfile[];
  /** Called before each operation; throwing fails the apply there. Default: none. */
  readonly beforeOperation?: (operation: PlanOperation, index: number) => void | Promise<void>;
}

/** The kernel says this when it lacks a link type (no bond, vlan, dummy, vrf module). */
const KERNEL_LACKS_TYPE = /Operation not supported|not supported/i;

function describe(operation: PlanOperation): string {
  return operation.interface === undefined ? operation.kind : `${operation.kind} ${operation.interface} (${operation.type ?? 'unknown'})`;
}

/** The second end of a new veth pair may start activating once the first end's activation has created both devices. */
function isVethPeerStart(dependency: PlanOperation, dependent: PlanOperation): boolean {
  if (dependency.kind !== 'activate' || dependent.kind !== 'activate' || dependency.type !== 'veth' || dependent.type !== 'veth') return false;
  const veth = (dependent.merged as { veth?: { peer?: unknown } } | undefined)?.veth;
  return veth?.peer === dependency.interface;
}

/**
 * Carries out a plan against NetworkManager: profiles are written as
 * {@link planProfiles} decided (once each, by the operation that needs them
 * first), activations wait for NetworkManager's verdict, and operations run
 * in parallel as far as their dependencies allow.
 */
export async function executeNmPlan(plan: Plan, context: ExecutionContext, execution: NmPlanExecution): Promise<void> {
  if (plan.operations.length === 0) return;
  const { nm } = execution;
  const profilePlan = planProfiles({ plan, desired: context.desired, current: context.current, profiles: execution.profiles });
  const memoryOnly = context.options.memoryOnly === true;
  const mergedState = new Map<string, string | undefined>();
  for (const op of plan.operations) {
    if (op.interface !== undefined && op.merged !== undefined) mergedState.set(toInterfaceKey(op.interface, op.type), op.merged['state'] as string | undefined);
  }
  const ownsProfile = new Set(plan.operations.filter((op) => op.kind === 'create-profile' || op.kind === 'modify-profile').map((op) => toInterfaceKey(op.interface ?? '', op.type)));
  /** Activations in the plan: pending until their operation finished. */
  const activation = new Map(plan.operations.filter((op) => op.kind === 'activate').map((op) => [toInterfaceKey(op.interface ?? '', op.type), 'pending' as 'pending' | 'done']));
  const addedPath = new Map<string, string>();
  const written = new Set<string>();

  const writeOne = async (profile: PlannedProfile<KnownProfile>): Promise<string> => {
    if (profile.existing) {
      await nm.updateProfile(profile.existing.path, profile.settings, profile.existing.passthrough, { memoryOnly });
      return profile.existing.path;
    }
    return nm.addProfile(profile.settings, { memoryOnly });
  };

  /** Writes the interface's profiles once; returns whether any changed. */
  const writeProfiles = async (key: string): Promise<boolean> => {
    if (written.has(key)) return false;
    written.add(key);
    const planned = profilePlan.interfaces.get(key);
    if (!planned) return false;
    if (planned.own) {
      const path = await writeOne(planned.own);
      if (!planned.own.existing) addedPath.set(key, path);
    }
    // Companions (the OVS port profiles of a bridge) come up with the interface: NetworkManager activates a port's controller itself.
    for (const companion of planned.companions) await writeOne(companion);
    return planned.own !== undefined || planned.companions.length > 0;
  };

  const activate = async (name: string, type: string | undefined, started?: () => void): Promise<void> => {
    const key = toInterfaceKey(name, type);
    const path = addedPath.get(key) ?? profilePlan.existing.get(key)?.path;
    const what = `activating ${name} (${type ?? 'unknown'})`;
    if (path === undefined) throw new BackendError('operation-failed', `${what} failed: it has no profile`, { where: `interfaces.${name}` });
    try {
      await nm.activate(path, what, started);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (KERNEL_LACKS_TYPE.test(message)) {
        throw new BackendError('unsupported', `${what} failed: the kernel does not support ${type} interfaces (NetworkManager: ${message})`, {
          where: `interfaces.${name}`,
          cause: error,
        });
      }
      throw error instanceof BackendError ? error : new BackendError('operation-failed', `${what} failed: ${message}`, { where: `interfaces.${name}`, cause: error });
    }
  };

  /**
   * Writes profiles a state-wide operation (routes, rules, DNS) changes and
   * that no profile operation writes, and re-activates those that are up
   * unless an activation of theirs is still to come.
   */
  const refresh = async (keys: readonly string[]): Promise<void> => {
    await Promise.all(
      keys.map(async (key) => {
        if (ownsProfile.has(key) || !(await writeProfiles(key))) return;
        const planned = profilePlan.interfaces.get(key);
        const state = mergedState.get(key) ?? (planned ? findMergedState(plan, planned.name) : undefined);
        if (state === 'up' && activation.get(key) !== 'pending' && planned) await activate(planned.name, planned.type);
      }),
    );
  };

  const run = async (operation: PlanOperation, index: number, started: () => void): Promise<void> => {
    context.startOperation(index, describe(operation));
    await execution.beforeOperation?.(operation, index);
    const name = operation.interface ?? '';
    const key = toInterfaceKey(name, operation.type);
    switch (operation.kind) {
      case 'create-profile':
      case 'modify-profile':
        await writeProfiles(key);
        return;
      case 'activate':
        try {
          await activate(name, operation.type, started);
        } finally {
          activation.set(key, 'done');
        }
        return;
      case 'deactivate': {
        const device = await nm.findDevice(name);
        const active = device && (await nm.findActiveConnection(device));
        if (active) await nm.deactivate(active, `deactivating ${name}`);
        return;
      }
      case 'delete-profile':
        for (const profile of execution.profiles.filter((p) => (getConnectionInterfaceName(p.settings) ?? p.id) === name)) await nm.deleteProfile(profile.path);
        return;
      case 'delete-device': {
        const device = await nm.findDevice(name);
        // Deactivating a software device already removed it; only a leftover needs deleting.
        if (device) await nm.deleteDevice(device).catch(() => undefined);
        return;
      }
      case 'routes':
        await refresh([key]);
        return;
      case 'route-rules':
        await refresh(profilePlan.changedByRules);
        return;
      case 'dns':
        await refresh(profilePlan.changedByDns);
        return;
      case 'hostname':
        throw new BackendError('unsupported', 'changing the hostname is not supported by the NetworkManager backend: it would change the whole machine', {
          where: 'hostname',
        });
    }
  };

  const aborted = new AbortController();
  context.signal?.addEventListener('abort', () => aborted.abort(), { once: true });
  await executeInParallel(plan, run, { onFailure: aborted, isStartEnough: isVethPeerStart });
}

function findMergedState(plan: Plan, name: string): string | undefined {
  const iface = (plan.merged.interfaces ?? []).find((i) => i.name === name);
  return iface?.['state'] as string | undefined;
}

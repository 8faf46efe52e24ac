import type { NetworkState } from '@nmfleet/model';
import { BackendError, type ApplyOptions, type ApplyResult, type CheckpointInfo, type NetworkBackend, type ShowOptions } from '../backend.js';
import { runApply, type ExecutionContext, type HostDriver } from '../apply/apply-pipeline.js';
import { defaultPlanner } from '../apply/planner-adapter.js';
import type { Plan, PlanOperation } from '@nmfleet/planner';
import type { StateMismatch, StatePlanner } from '../apply/planner-port.js';
import { asNetworkState, cloneTree, isTree, viewState, type InterfaceTree, type Tree } from '../state/state-tree.js';
import { sleepOn, systemClock, type SimulatedClock } from './simulated-clock.js';
import { isFailureInjected, type SimulatedFailures } from './simulated-failures.js';

/** Verification attempts of a simulated apply: its state never lags, so one retry only covers injected failures. */
const SIMULATED_VERIFY_RETRY_COUNT = 2;
const SIMULATED_VERIFY_RETRY_INTERVAL_MS = 10;

/** Start or end of one apply on a simulated host, for a fleet timeline. */
export interface SimulatedApplyEvent {
  node: string;
  callNumber: number;
  /** Milliseconds on the host's clock. */
  startedAt: number;
  /** Set on `onApplyEnd`. */
  endedAt?: number;
  /** Set on `onApplyEnd`. */
  outcome?: 'success' | 'failure';
  error?: BackendError;
}

/**
 * One finished apply on a simulated host, as a fleet of them records it (one JSON line
 * per apply in a timeline file): the agent writes it, the fleet simulator and the
 * benchmark read it.
 */
export interface SimulatedApplyRecord {
  node: string;
  /** The policy whose job was applying, when the caller knows it. */
  policy?: string;
  generation?: number;
  /** Milliseconds since the epoch. */
  startedAt: number;
  endedAt: number;
  outcome: 'success' | 'failure';
}

/** Options of {@link createSimulatedHost}. */
export interface SimulatedHostOptions {
  /** The node's name, used in messages and events. */
  name: string;
  /** The host's network at start (interfaces as `show` prints them, routes, rules, DNS). Default: only `lo`. */
  initialState?: NetworkState;
  /** How long each apply takes, in milliseconds (a number or a function drawn per apply). Default: 0. */
  applyLatencyMs?: number | (() => number);
  /** Failures to inject. Default: none. Change later with {@link SimulatedHost.setFailures}. */
  failures?: SimulatedFailures;
  /** Time source for latency and checkpoint timeouts. Default: the system clock. */
  clock?: SimulatedClock;
  /** Merge, plan and verify. Default: the same planner the NetworkManager backend uses. */
  planner?: StatePlanner;
  /** Called when an apply starts. */
  onApplyStart?: (event: SimulatedApplyEvent) => void;
  /** Called when an apply ends (after its rollback, when it failed). */
  onApplyEnd?: (event: SimulatedApplyEvent) => void;
  /** Called when a checkpoint rolls back by itself because its timeout passed. */
  onAutoRollback?: (checkpoint: CheckpointInfo) => void;
}

/** What a test or the fleet simulator can see inside a simulated host. */
export interface SimulatedHostSnapshot {
  state: NetworkState;
  /** Names of the interfaces that have a profile. */
  profiles: string[];
  checkpoints: CheckpointInfo[];
  applyCount: number;
}

/** A simulated host: the backend interface plus inspection and failure controls. */
export interface SimulatedHost extends NetworkBackend {
  readonly name: string;
  /** Replaces the injected failures (e.g. to break a node mid-rollout). */
  setFailures(failures: SimulatedFailures): void;
  inspect(): SimulatedHostSnapshot;
  /** Whether a timer (latency or checkpoint timeout) is pending; false when idle. */
  hasPendingTimers(): boolean;
}

interface HostData {
  devices: Map<string, InterfaceTree>;
  profiles: Map<string, InterfaceTree>;
  routes: Tree[];
  rules: Tree[];
  dns: Tree | undefined;
  hostname: string | undefined;
}

interface OpenCheckpoint {
  info: CheckpointInfo;
  snapshot: HostData;
  timer: unknown;
}

/** Types that exist without a profile: removing their profile leaves the device (down). */
const PHYSICAL_TYPES = new Set(['ethernet', 'loopback', 'infiniband']);
const LOOPBACK: InterfaceTree = {
  name: 'lo',
  type: 'loopback',
  state: 'up',
  'mac-address': '00:00:00:00:00:00',
  mtu: 65536,
  ipv4: { enabled: true, address: [{ ip: '127.0.0.1', 'prefix-length': 8 }] },
  ipv6: { enabled: true, address: [{ ip: '::1', 'prefix-length': 128 }] },
};

/**
 * An in-memory host behind {@link NetworkBackend}: interfaces, profiles,
 * routes, rules, DNS and hostname, with checkpoints that roll back on timeout,
 * configurable apply latency and injected failures. It merges, plans and
 * verifies through the same pipeline as the NetworkManager backend, so both
 * behave alike; it keeps no timer while idle, so hundreds fit in one process.
 */
export function createSimulatedHost(options: SimulatedHostOptions): SimulatedHost {
  const clock = options.clock ?? systemClock;
  const planner = options.planner ?? defaultPlanner;
  let failures: SimulatedFailures = options.failures ?? {};
  let data = loadInitialState(options.initialState);
  const checkpoints: OpenCheckpoint[] = [];
  let checkpointCounter = 0;
  let applyCount = 0;
  let pendingDelays = 0;
  let closed = false;

  const rollbackTo = (checkpoint: OpenCheckpoint): void => {
    clock.clearTimeout(checkpoint.timer);
    data = checkpoint.snapshot;
    // NetworkManager drops every checkpoint newer than the one rolled back to.
    checkpoints.splice(checkpoints.indexOf(checkpoint));
  };

  const armRollbackTimer = (checkpoint: OpenCheckpoint, seconds: number): void => {
    checkpoint.timer = clock.setTimeout(() => {
      if (!checkpoints.includes(checkpoint)) return;
      rollbackTo(checkpoint);
      options.onAutoRollback?.({ ...checkpoint.info });
    }, seconds * 1000);
  };

  const findCheckpoint = (id: string | undefined): OpenCheckpoint => {
    const found = id === undefined ? checkpoints.at(-1) : checkpoints.find((c) => c.info.id === id);
    if (!found) {
      throw new BackendError('checkpoint', id === undefined ? `${options.name} has no open checkpoint` : `checkpoint ${id} does not exist on ${options.name}`, {
        where: 'checkpoint',
      });
    }
    return found;
  };

  const driverFor = (failMidPlan: boolean): HostDriver => ({
    hostName: options.name,
    readState: async (showOptions) => renderState(data, showOptions),
    listCheckpoints: async () => checkpoints.map((c) => ({ ...c.info })),
    createCheckpoint: async (rollbackTimeoutSeconds) => {
      if (checkpoints.length > 0) {
        throw new BackendError('checkpoint', `${options.name} already has checkpoint ${checkpoints[0]!.info.id} over all devices`, { where: 'checkpoint' });
      }
      checkpointCounter += 1;
      const info: CheckpointInfo = {
        id: `/org/freedesktop/NetworkManager/Checkpoint/${checkpointCounter}`,
        createdAt: new Date(clock.now()),
        rollbackTimeoutSeconds,
      };
      const checkpoint: OpenCheckpoint = { info, snapshot: cloneData(data), timer: undefined };
      armRollbackTimer(checkpoint, rollbackTimeoutSeconds);
      checkpoints.push(checkpoint);
      return { ...info };
    },
    adjustCheckpointTimeout: async (id, rollbackTimeoutSeconds) => {
      const checkpoint = findCheckpoint(id);
      clock.clearTimeout(checkpoint.timer);
      checkpoint.info.rollbackTimeoutSeconds = rollbackTimeoutSeconds;
      armRollbackTimer(checkpoint, rollbackTimeoutSeconds);
    },
    commitCheckpoint: async (id) => {
      const checkpoint = findCheckpoint(id);
      clock.clearTimeout(checkpoint.timer);
      checkpoints.splice(checkpoints.indexOf(checkpoint), 1);
    },
    rollbackCheckpoint: async (id) => rollbackTo(findCheckpoint(id)),
    executePlan: async (plan, context) => {
      await delay(drawLatency(options.applyLatencyMs), context.signal);
      executeSimulatedPlan(plan, context, failMidPlan);
    },
    delay: (ms, signal) => delay(ms, signal),
    now: () => clock.now(),
  });
  const driver = driverFor(false);

  async function delay(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0) return;
    pendingDelays += 1;
    try {
      await sleepOn(clock, ms, signal);
    } finally {
      pendingDelays -= 1;
    }
  }

  function executeSimulatedPlan(plan: Plan, context: ExecutionContext, failMidPlan: boolean): void {
    const failAt = failMidPlan ? Math.floor(plan.operations.length / 2) : -1;
    plan.operations.forEach((operation, index) => {
      if (index === failAt) throw injectedFailure(operation, index);
      context.startOperation(index, describeOperation(operation));
      executeOperation(data, operation, plan, failures, options.name);
    });
    if (failMidPlan && plan.operations.length === 0) {
      throw new BackendError('operation-failed', `injected failure on simulated host ${options.name} (empty plan)`, { where: 'plan' });
    }
  }

  const injectedFailure = (operation: PlanOperation, index: number): BackendError =>
    new BackendError('operation-failed', `injected failure at operation ${index + 1} (${describeOperation(operation)}) on simulated host ${options.name}`, {
      where: describeOperation(operation),
    });

  const verificationFailure: StateMismatch = {
    path: 'interfaces',
    expected: 'the desired state',
    actual: 'an injected difference',
    message: `injected verification failure on simulated host ${options.name}`,
  };

  return {
    name: options.name,
    show: async (showOptions?: ShowOptions) => {
      assertOpen();
      return renderState(data, showOptions);
    },
    apply: async (desired: NetworkState, applyOptions?: ApplyOptions): Promise<ApplyResult> => {
      assertOpen();
      applyCount += 1;
      const callNumber = applyCount;
      const event: SimulatedApplyEvent = { node: options.name, callNumber, startedAt: clock.now() };
      options.onApplyStart?.({ ...event });
      const injected = isFailureInjected(failures, { node: options.name, callNumber, desired });
      const phase = failures.phase ?? 'mid-plan';
      const applyDriver = driverFor(injected && phase === 'mid-plan');
      const settings = {
        planner,
        verifyRetryCount: SIMULATED_VERIFY_RETRY_COUNT,
        verifyRetryIntervalMs: SIMULATED_VERIFY_RETRY_INTERVAL_MS,
        verifyExtra: () => (injected && phase === 'verification' ? [verificationFailure] : []),
      };
      try {
        const result = await runApply(applyDriver, settings, desired, applyOptions);
        options.onApplyEnd?.({ ...event, endedAt: clock.now(), outcome: 'success' });
        return result;
      } catch (error) {
        const backendError = error instanceof BackendError ? error : new BackendError('operation-failed', String(error), { cause: error });
        options.onApplyEnd?.({ ...event, endedAt: clock.now(), outcome: 'failure', error: backendError });
        throw backendError;
      }
    },
    commit: async (checkpoint?: string) => {
      assertOpen();
      await driver.commitCheckpoint(findCheckpoint(checkpoint).info.id);
    },
    rollback: async (checkpoint?: string) => {
      assertOpen();
      await driver.rollbackCheckpoint(findCheckpoint(checkpoint).info.id);
    },
    listCheckpoints: () => driver.listCheckpoints(),
    close: async () => {
      closed = true;
    },
    setFailures: (next) => {
      failures = next;
    },
    inspect: () => ({
      state: renderState(data),
      profiles: [...data.profiles.keys()].sort(),
      checkpoints: checkpoints.map((c) => ({ ...c.info })),
      applyCount,
    }),
    hasPendingTimers: () => pendingDelays > 0 || checkpoints.length > 0,
  };

  function assertOpen(): void {
    if (closed) throw new BackendError('unavailable', `simulated host ${options.name} is closed`);
  }
}

function drawLatency(latency: SimulatedHostOptions['applyLatencyMs']): number {
  return typeof latency === 'function' ? latency() : (latency ?? 0);
}

function describeOperation(operation: PlanOperation): string {
  return operation.interface === undefined ? operation.kind : `${operation.kind} ${operation.interface} (${operation.type ?? 'unknown'})`;
}

function cloneData(data: HostData): HostData {
  return {
    devices: new Map([...data.devices].map(([k, v]) => [k, cloneTree(v)])),
    profiles: new Map([...data.profiles].map(([k, v]) => [k, cloneTree(v)])),
    routes: cloneTree(data.routes),
    rules: cloneTree(data.rules),
    dns: cloneTree(data.dns),
    hostname: data.hostname,
  };
}

function loadInitialState(initial: NetworkState | undefined): HostData {
  const view = viewState(initial ?? { interfaces: [LOOPBACK] });
  const data: HostData = {
    devices: new Map(),
    profiles: new Map(),
    routes: cloneTree(view.routes?.config ?? []),
    rules: cloneTree(view.routeRules?.config ?? []),
    dns: cloneTree(view.dnsResolver?.config),
    hostname: view.hostname?.config ?? view.hostname?.running,
  };
  for (const iface of view.interfaces) {
    data.devices.set(iface.name, withDeviceDefaults(iface));
    if (iface.type !== 'loopback') data.profiles.set(iface.name, cloneTree(iface));
  }
  return data;
}

/** What the kernel would show for a freshly activated interface that the desired state does not describe fully. */
function withDeviceDefaults(iface: InterfaceTree): InterfaceTree {
  const device: InterfaceTree = { ...cloneTree(iface), state: iface.state ?? 'up' };
  device['mac-address'] ??= deriveMacAddress(iface.name);
  device['mtu'] ??= 1500;
  device['ipv4'] ??= { enabled: false };
  device['ipv6'] ??= { enabled: false };
  return device;
}

/** A stable, locally administered MAC per interface name, so repeated runs show the same state. */
function deriveMacAddress(name: string): string {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  const bytes = [0x02, 0x00, (hash >>> 24) & 0xff, (hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

function executeOperation(data: HostData, operation: PlanOperation, plan: Plan, failures: SimulatedFailures, host: string): void {
  const name = operation.interface;
  const merged = viewState(plan.merged);
  switch (operation.kind) {
    case 'create-profile':
    case 'modify-profile':
      data.profiles.set(name!, cloneTree(operation.merged!));
      return;
    case 'activate': {
      const iface = operation.merged! as InterfaceTree;
      if (failures.unsupportedTypes?.includes(iface.type ?? '')) {
        throw new BackendError(
          'unsupported',
          `activating ${iface.name} (${iface.type}) failed: the kernel does not support ${iface.type} interfaces (simulated host ${host})`,
          { where: `interfaces.${iface.name}` },
        );
      }
      const previous = data.devices.get(iface.name);
      data.devices.set(iface.name, withDeviceDefaults({ ...pickRunning(previous), ...cloneTree(iface), state: 'up' }));
      const peer = iface.type === 'veth' && isTree(iface['veth']) ? iface['veth']['peer'] : undefined;
      if (typeof peer === 'string' && !data.devices.has(peer)) {
        data.devices.set(peer, withDeviceDefaults({ name: peer, type: 'veth', state: 'up', veth: { peer: iface.name } }));
      }
      return;
    }
    case 'deactivate': {
      const device = data.devices.get(name!);
      if (device) device.state = 'down';
      return;
    }
    case 'delete-profile':
      data.profiles.delete(name!);
      if (PHYSICAL_TYPES.has(operation.type ?? '')) {
        const device = data.devices.get(name!);
        if (device) data.devices.set(name!, withDeviceDefaults({ name: name!, type: device.type, state: 'down', 'mac-address': device['mac-address'] }));
      }
      return;
    case 'delete-device': {
      const device = data.devices.get(name!);
      data.devices.delete(name!);
      // The kernel removes both ends of a veth pair together.
      const peer = device?.type === 'veth' && isTree(device['veth']) ? device['veth']['peer'] : undefined;
      if (typeof peer === 'string') {
        data.devices.delete(peer);
        data.profiles.delete(peer);
      }
      return;
    }
    case 'routes':
      data.routes = cloneTree(merged.routes?.config ?? []);
      return;
    case 'route-rules':
      data.rules = cloneTree(merged.routeRules?.config ?? []);
      return;
    case 'dns':
      data.dns = cloneTree(merged.dnsResolver?.config);
      return;
    case 'hostname':
      data.hostname = merged.hostname?.config;
      return;
  }
}

/** Kernel facts an activation keeps (the MAC address of an existing device). */
function pickRunning(previous: InterfaceTree | undefined): Partial<InterfaceTree> {
  return previous?.['mac-address'] === undefined ? {} : { 'mac-address': previous['mac-address'] };
}

function renderState(data: HostData, options: ShowOptions = {}): NetworkState {
  // As nmstatectl 2.2 does, --running-config lists every interface and the hostname; it leaves out what only runs (routes, DNS).
  const interfaces = [...data.devices.values()].sort((a, b) => a.name.localeCompare(b.name));
  const out: Tree = {};
  if (data.hostname !== undefined) out['hostname'] = { running: data.hostname, config: data.hostname };
  const dns = data.dns ?? {};
  out['dns-resolver'] = options.runningConfig ? { config: cloneTree(dns) } : { running: cloneTree(dns), config: cloneTree(dns) };
  out['route-rules'] = { config: cloneTree(data.rules) };
  out['routes'] = options.runningConfig ? { config: cloneTree(data.routes) } : { running: cloneTree(data.routes), config: cloneTree(data.routes) };
  out['interfaces'] = interfaces.map((i) => cloneTree(i));
  return asNetworkState(out);
}

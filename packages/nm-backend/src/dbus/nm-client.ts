import type dbus from 'dbus-next';
import { BackendError } from '../backend.js';
import type { NmSettings } from '../settings/nm-settings.js';
import type { NmBus, NmSignal } from './nm-bus.js';
import { fromDbusSettings, toDbusSettings, type PassthroughSettings } from './settings-variant.js';

const NM_PATH = '/org/freedesktop/NetworkManager';
const NM_IFACE = 'org.freedesktop.NetworkManager';
const SETTINGS_PATH = '/org/freedesktop/NetworkManager/Settings';
const SETTINGS_IFACE = 'org.freedesktop.NetworkManager.Settings';
const CONNECTION_IFACE = 'org.freedesktop.NetworkManager.Settings.Connection';
const DEVICE_IFACE = 'org.freedesktop.NetworkManager.Device';
const ACTIVE_IFACE = 'org.freedesktop.NetworkManager.Connection.Active';
const CHECKPOINT_IFACE = 'org.freedesktop.NetworkManager.Checkpoint';
const NO_OBJECT = '/';

/** How long an activation or deactivation may take before it counts as failed, in milliseconds. */
export const ACTIVATION_TIMEOUT_MS = 30_000;

/** Longest pause between two checks of settling devices, in milliseconds. */
const SETTLE_RECHECK_MS = 250;

/** NMActiveConnectionState. */
const ACTIVE_STATE = { activating: 1, activated: 2, deactivating: 3, deactivated: 4 } as const;
/** NMSettingsAddConnection2Flags / NMSettingsUpdate2Flags. */
const SAVE_FLAG = { toDisk: 0x1, inMemory: 0x2, blockAutoconnect: 0x20 } as const;
/**
 * NMSettingsConnectionFlags NM_GENERATED | EXTERNAL: a profile NetworkManager
 * made up for a device it found configured (loopback, an `ip link add`):
 * nmstate neither shows nor updates those.
 */
const GENERATED_PROFILE_FLAGS = 0x2 | 0x8;
/** NMCheckpointCreateFlags: a rollback also removes what was created after the checkpoint. */
const CHECKPOINT_FLAGS = 0x2 /* DELETE_NEW_CONNECTIONS */ | 0x4; /* DISCONNECT_NEW_DEVICES */

/** NMActiveConnectionStateReason, for messages. */
const ACTIVE_STATE_REASONS = [
  'unknown', 'none', 'user-disconnected', 'device-disconnected', 'service-stopped', 'ip-config-invalid', 'connect-timeout',
  'service-start-timeout', 'service-start-failed', 'no-secrets', 'login-failed', 'connection-removed', 'dependency-failed',
  'device-realize-failed', 'device-removed',
];

/** A device NetworkManager knows. */
export interface NmDevice {
  path: string;
  interface: string;
  /** NMDeviceType number. */
  deviceType: number;
  /** NMDeviceState number (100 = activated). */
  state: number;
  /** Active connection object path, or `/`. */
  activeConnection: string;
  managed: boolean;
  /** Whether the device is a software device NetworkManager can delete. */
  isSoftware: boolean;
}

/** A saved profile. */
export interface NmProfile {
  path: string;
  id: string;
  uuid: string;
  type: string;
  interfaceName: string | undefined;
  settings: NmSettings;
  passthrough: PassthroughSettings;
}

/** An open checkpoint as NetworkManager reports it. */
export interface NmCheckpoint {
  path: string;
  /** Milliseconds since boot (CLOCK_BOOTTIME) when it was created. */
  createdBootMs: number;
  rollbackTimeoutSeconds: number;
}

/** Why an activation failed, for error messages. */
export interface ActivationFailure {
  reason: string;
  detail?: string;
}

/**
 * NetworkManager's D-Bus API, as the backend uses it: profiles, devices,
 * activations (waiting on `StateChanged` signals with a deadline, never
 * sleeping), and checkpoints.
 */
export class NmClient {
  constructor(private readonly bus: NmBus) {}

  /** Realized devices (placeholders of profiles for absent software devices are left out). */
  async listDevices(): Promise<NmDevice[]> {
    return (await this.readObjects()).devices;
  }

  /**
   * Devices and the profile active on each, from one ObjectManager call instead
   * of one property read per device and per active connection.
   */
  async readObjects(): Promise<{ devices: NmDevice[]; activeProfiles: Map<string, string>; generatedProfiles: Set<string> }> {
    const [objects] = (await this.bus.call('/org/freedesktop', 'org.freedesktop.DBus.ObjectManager', 'GetManagedObjects')) as [
      Record<string, Record<string, Record<string, dbus.Variant>>>,
    ];
    const value = (props: Record<string, dbus.Variant>, key: string): unknown => props[key]?.value;
    const activeProfile = new Map<string, string>();
    const generatedProfiles = new Set<string>();
    for (const [path, interfaces] of Object.entries(objects ?? {})) {
      const active = interfaces[ACTIVE_IFACE];
      if (active) activeProfile.set(path, String(value(active, 'Connection') ?? NO_OBJECT));
      const connection = interfaces[CONNECTION_IFACE];
      if (connection && (Number(value(connection, 'Flags') ?? 0) & GENERATED_PROFILE_FLAGS) !== 0) generatedProfiles.add(path);
    }
    const devices: NmDevice[] = [];
    const activeProfiles = new Map<string, string>();
    for (const [path, interfaces] of Object.entries(objects ?? {})) {
      const p = interfaces[DEVICE_IFACE];
      // Unrealized devices stand for profiles whose software device does not exist.
      if (!p || value(p, 'Real') === false) continue;
      const device: NmDevice = {
        path,
        interface: String(value(p, 'Interface') ?? ''),
        deviceType: Number(value(p, 'DeviceType') ?? 0),
        state: Number(value(p, 'State') ?? 0),
        activeConnection: String(value(p, 'ActiveConnection') ?? NO_OBJECT),
        managed: Boolean(value(p, 'Managed')),
        isSoftware: (Number(value(p, 'Capabilities') ?? 0) & 0x4) !== 0,
      };
      devices.push(device);
      const profile = activeProfile.get(device.activeConnection);
      if (profile !== undefined && profile !== NO_OBJECT) activeProfiles.set(device.interface, profile);
    }
    return { devices, activeProfiles, generatedProfiles };
  }

  async listProfiles(): Promise<NmProfile[]> {
    const [paths] = (await this.bus.call(SETTINGS_PATH, SETTINGS_IFACE, 'ListConnections')) as [string[]];
    const profiles = await Promise.all((paths ?? []).map((path) => this.readProfile(path).catch(() => undefined)));
    return profiles.filter((p): p is NmProfile => p !== undefined);
  }

  async readProfile(path: string): Promise<NmProfile> {
    const [raw] = (await this.bus.call(path, CONNECTION_IFACE, 'GetSettings')) as [Record<string, Record<string, dbus.Variant>>];
    const { settings, passthrough } = fromDbusSettings(raw);
    const connection = settings['connection'] ?? {};
    const text = (key: string): string | undefined => {
      const v = connection[key];
      return v?.type === 's' ? v.value : undefined;
    };
    return { path, id: text('id') ?? '', uuid: text('uuid') ?? '', type: text('type') ?? '', interfaceName: text('interface-name'), settings, passthrough };
  }

  /**
   * The secrets of one setting of a profile (`802-1x`, `macsec`, `vpn`), which
   * GetSettings leaves out; NetworkManager returns those it stores itself.
   */
  async readSecrets(path: string, setting: string): Promise<NmSettings> {
    const [raw] = (await this.bus.call(path, CONNECTION_IFACE, 'GetSecrets', 's', [setting])) as [Record<string, Record<string, dbus.Variant>>];
    return fromDbusSettings(raw ?? {}).settings;
  }

  /**
   * AddConnection2; returns the new profile's path. Autoconnect stays blocked until the
   * backend activates the profile itself, so NetworkManager does not activate it a second
   * time on its own (a new veth end appearing would otherwise trigger that).
   */
  async addProfile(settings: NmSettings, options: { memoryOnly?: boolean } = {}): Promise<string> {
    const flags = (options.memoryOnly ? SAVE_FLAG.inMemory : SAVE_FLAG.toDisk) | SAVE_FLAG.blockAutoconnect;
    const [path] = (await this.bus.call(SETTINGS_PATH, SETTINGS_IFACE, 'AddConnection2', 'a{sa{sv}}ua{sv}', [toDbusSettings(this.bus.Variant, settings), flags, {}])) as [string];
    return path;
  }

  /** Update2 with the whole profile: keys in `passthrough` that `settings` does not set are sent back unchanged, so NetworkManager keeps them. */
  async updateProfile(path: string, settings: NmSettings, passthrough: PassthroughSettings, options: { memoryOnly?: boolean } = {}): Promise<void> {
    const flags = (options.memoryOnly ? SAVE_FLAG.inMemory : SAVE_FLAG.toDisk) | SAVE_FLAG.blockAutoconnect;
    await this.bus.call(path, CONNECTION_IFACE, 'Update2', 'a{sa{sv}}ua{sv}', [toDbusSettings(this.bus.Variant, settings, passthrough), flags, {}]);
  }

  async deleteProfile(path: string): Promise<void> {
    await this.bus.call(path, CONNECTION_IFACE, 'Delete');
  }

  /** The device path of a kernel interface, or undefined when NetworkManager has none. */
  async findDevice(interfaceName: string): Promise<string | undefined> {
    try {
      const [path] = (await this.bus.call(NM_PATH, NM_IFACE, 'GetDeviceByIpIface', 's', [interfaceName])) as [string];
      return path;
    } catch (error) {
      if (error instanceof BackendError && /UnknownDevice/.test(error.message)) return undefined;
      throw error;
    }
  }

  /** The active connection on a device, or undefined. */
  async findActiveConnection(devicePath: string): Promise<string | undefined> {
    const path = String(await this.bus.getProperty(devicePath, DEVICE_IFACE, 'ActiveConnection'));
    return path === NO_OBJECT ? undefined : path;
  }

  /** The profile an active connection runs. */
  async findProfileOfActive(activePath: string): Promise<string | undefined> {
    const path = String(await this.bus.getProperty(activePath, ACTIVE_IFACE, 'Connection').catch(() => NO_OBJECT));
    return path === NO_OBJECT ? undefined : path;
  }

  /** NetworkManager's DNS configuration in use (nameservers and domains over every interface). */
  async readDnsConfiguration(): Promise<{ server: string[]; search: string[] }> {
    const entries = (await this.bus.getProperty('/org/freedesktop/NetworkManager/DnsManager', 'org.freedesktop.NetworkManager.DnsManager', 'Configuration')) as Record<
      string,
      dbus.Variant
    >[];
    const server: string[] = [];
    const search: string[] = [];
    for (const entry of entries ?? []) {
      server.push(...((entry['nameservers']?.value as string[] | undefined) ?? []));
      search.push(...((entry['domains']?.value as string[] | undefined) ?? []));
    }
    return { server: [...new Set(server)], search: [...new Set(search)] };
  }

  /** The persistent hostname NetworkManager knows (Settings.Hostname). */
  async readConfiguredHostname(): Promise<string | undefined> {
    const name = await this.bus.getProperty(SETTINGS_PATH, SETTINGS_IFACE, 'Hostname').catch(() => undefined);
    return typeof name === 'string' && name !== '' ? name : undefined;
  }

  async deleteDevice(path: string): Promise<void> {
    await this.bus.call(path, DEVICE_IFACE, 'Delete');
  }

  /**
   * Activates a profile and resolves once its active connection is ACTIVATED;
   * rejects with the reason NetworkManager gives when it ends DEACTIVATED instead.
   * `onStarted` runs when NetworkManager accepted the activation.
   */
  async activate(profilePath: string, describe: string, onStarted?: () => void): Promise<void> {
    const waiter = this.collectActiveStates();
    try {
      const [activePath] = (await this.bus.call(NM_PATH, NM_IFACE, 'ActivateConnection', 'ooo', [profilePath, NO_OBJECT, NO_OBJECT])) as [string];
      // NetworkManager answers once a software device exists; what remains is configuring it.
      onStarted?.();
      const current = Number(await this.bus.getProperty(activePath, ACTIVE_IFACE, 'State').catch(() => ACTIVE_STATE.deactivated));
      const outcome = await waiter.until(activePath, current, [ACTIVE_STATE.activated, ACTIVE_STATE.deactivated], ACTIVATION_TIMEOUT_MS, describe);
      if (outcome.state !== ACTIVE_STATE.activated) {
        throw new BackendError('operation-failed', `${describe} failed: NetworkManager reports ${outcome.reason}`, { where: describe, cause: outcome });
      }
    } finally {
      waiter.stop();
    }
  }

  /** Deactivates an active connection and resolves once it is DEACTIVATED (or gone). */
  async deactivate(activePath: string, describe: string): Promise<void> {
    const waiter = this.collectActiveStates();
    try {
      await this.bus.call(NM_PATH, NM_IFACE, 'DeactivateConnection', 'o', [activePath]);
      const current = Number(await this.bus.getProperty(activePath, ACTIVE_IFACE, 'State').catch(() => ACTIVE_STATE.deactivated));
      await waiter.until(activePath, current, [ACTIVE_STATE.deactivated], ACTIVATION_TIMEOUT_MS, describe);
    } finally {
      waiter.stop();
    }
  }

  async listCheckpoints(): Promise<NmCheckpoint[]> {
    const paths = (await this.bus.getProperty(NM_PATH, NM_IFACE, 'Checkpoints')) as string[];
    return Promise.all(
      (paths ?? []).map(async (path) => {
        const p = await this.bus.getAllProperties(path, CHECKPOINT_IFACE);
        return { path, createdBootMs: Number(p['Created'] ?? 0), rollbackTimeoutSeconds: Number(p['RollbackTimeout'] ?? 0) };
      }),
    );
  }

  /** A checkpoint over every device; its rollback also removes profiles and devices created after it. */
  async createCheckpoint(rollbackTimeoutSeconds: number): Promise<string> {
    const [path] = (await this.bus.call(NM_PATH, NM_IFACE, 'CheckpointCreate', 'aouu', [[], rollbackTimeoutSeconds, CHECKPOINT_FLAGS])) as [string];
    return path;
  }

  /** Restarts the rollback timer: the checkpoint now rolls back `seconds` from now. */
  async adjustCheckpointTimeout(path: string, seconds: number): Promise<void> {
    await this.bus.call(NM_PATH, NM_IFACE, 'CheckpointAdjustRollbackTimeout', 'ou', [path, seconds]);
  }

  async destroyCheckpoint(path: string): Promise<void> {
    await this.bus.call(NM_PATH, NM_IFACE, 'CheckpointDestroy', 'o', [path]);
  }

  /** Rolls back; returns the devices whose rollback failed (NMRollbackResult ≠ 0), by device path. */
  async rollbackCheckpoint(path: string): Promise<string[]> {
    const [results] = (await this.bus.call(NM_PATH, NM_IFACE, 'CheckpointRollback', 'o', [path])) as [Record<string, number>];
    return Object.entries(results ?? {})
      .filter(([, result]) => result !== 0)
      .map(([device]) => device);
  }

  /**
   * Resolves once every device is out of a transitional state (NMDeviceState 40–90
   * and 110) and, when `expected` is given, exactly those interfaces exist, so a
   * rollback is complete when it returns. Re-checks on every NetworkManager signal.
   */
  async waitForSettledDevices(expected: ReadonlySet<string> | undefined, timeoutMs: number): Promise<void> {
    let wake: (() => void) | undefined;
    const stop = this.bus.onSignal(() => wake?.());
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const devices = await this.listDevices();
        const transitional = devices.filter((d) => (d.state >= 40 && d.state <= 90) || d.state === 110);
        const names = new Set(devices.map((d) => d.interface));
        const leftovers = expected
          ? [...names].filter((n) => !expected.has(n))
          : devices.filter((d) => d.isSoftware && d.state === 30).map((d) => d.interface);
        const missing = expected ? [...expected].filter((n) => !names.has(n)) : [];
        if (transitional.length === 0 && leftovers.length === 0 && missing.length === 0) return;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new BackendError(
            'timeout',
            `devices did not settle within ${timeoutMs} ms (busy: ${transitional.map((d) => d.interface).join(', ') || 'none'}; left over: ${leftovers.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'})`,
            { where: 'checkpoint' },
          );
        }
        // Device changes come as signals; the short fallback covers changes that emit none (a kernel link removed).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, SETTLE_RECHECK_MS));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      stop();
    }
  }

  /**
   * Records active-connection state changes from before a call is made, so a
   * change that happens between the call and the wait is never missed.
   */
  private collectActiveStates(): ActiveStateWaiter {
    const seen = new Map<string, { state: number; reason: number }[]>();
    let wake: (() => void) | undefined;
    const stopListening = this.bus.onSignal((signal: NmSignal) => {
      if (signal.interface !== ACTIVE_IFACE || signal.member !== 'StateChanged') return;
      const [state, reason] = signal.body as [number, number];
      const list = seen.get(signal.path) ?? [];
      list.push({ state: Number(state), reason: Number(reason) });
      seen.set(signal.path, list);
      wake?.();
    });
    return {
      stop: stopListening,
      until: async (path, initial, targets, timeoutMs, describe) => {
        const deadline = Date.now() + timeoutMs;
        let lastReason = 0;
        const check = (): { state: number; reason: string } | undefined => {
          for (const change of seen.get(path) ?? []) {
            lastReason = change.reason;
            if (targets.includes(change.state as never)) return { state: change.state, reason: ACTIVE_STATE_REASONS[change.reason] ?? String(change.reason) };
          }
          return undefined;
        };
        if (targets.includes(initial as never)) return { state: initial, reason: 'none' };
        for (;;) {
          const found = check();
          if (found) return found;
          const left = deadline - Date.now();
          if (left <= 0) {
            throw new BackendError('timeout', `${describe} did not finish within ${timeoutMs} ms (last reason: ${ACTIVE_STATE_REASONS[lastReason] ?? lastReason})`, {
              where: describe,
            });
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, left);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
      },
    };
  }
}

interface ActiveStateWaiter {
  stop(): void;
  until(path: string, initial: number, targets: readonly number[], timeoutMs: number, describe: string): Promise<{ state: number; reason: string }>;
}

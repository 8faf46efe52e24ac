import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestenvError } from './errors.js';
import { createStderrLogger, type TestenvLogger } from './logger.js';
import { waitUntilReady } from './readiness.js';
import { runCommand, runCommandChecked, type CommandResult, type RunCommandOptions } from './run-command.js';
import { STOP_GRACE_MS, ServiceScope, sweepAbandonedLeases, type ServiceProcess } from './service-scope.js';

const SYSTEM_BUS_CONFIG = '/usr/share/dbus-1/system.conf';
const SYSTEM_BUS_POLICY_DIR = '/usr/share/dbus-1/system.d';
const NAMESPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** NetworkManager log levels. */
export type NetworkManagerLogLevel = 'ERR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';

/** Options of {@link startNetworkManager}. */
export interface StartNetworkManagerOptions {
  /**
   * Create the network namespace (and delete it on stop). With false the namespace
   * must exist already and is left in place on stop. Default: true.
   */
  readonly createNamespace?: boolean;
  /** NetworkManager's log level (`[logging] level`). Default: `INFO`. */
  readonly logLevel?: NetworkManagerLogLevel;
  /** Text appended to the instance's NetworkManager.conf, e.g. a `[device]` section. Default: none. */
  readonly extraConfig?: string;
  /** Deadline for `Startup` to become false. Default: 30 000 ms. */
  readonly startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on stop. Default: 10 000 ms. */
  readonly stopGraceMs?: number;
  /** Events. Default: logfmt lines on stderr. */
  readonly log?: TestenvLogger;
}

/** Options of {@link execInNamespace}. */
export interface ExecInNamespaceOptions extends Pick<RunCommandOptions, 'env' | 'input' | 'onLine'> {
  /** D-Bus address exported as `DBUS_SYSTEM_BUS_ADDRESS`. Default: none (the host's system bus, if any). */
  readonly busAddress?: string;
  /** Throw `command-failed` on a non-zero exit. Default: true. */
  readonly check?: boolean;
}

/** A private NetworkManager with its own system bus, confined to a network namespace. */
export interface NetworkManagerInstance {
  /** `unix:path=…/bus.sock`: the instance's system bus, for `DBUS_SYSTEM_BUS_ADDRESS` or dbus-next. */
  readonly busAddress: string;
  readonly namespace: string;
  /** PID of NetworkManager (dbus-daemon is {@link busPid}). */
  readonly pid: number;
  readonly busPid: number;
  /** NetworkManager's own log (`--debug` output). */
  readonly logFile: string;
  /** The instance's folder: `etc/` (NetworkManager.conf, system-connections), `lib/`, `run/`, `bus.sock`. */
  readonly dir: string;
  /** `{ DBUS_SYSTEM_BUS_ADDRESS }` for clients run elsewhere. */
  readonly env: Readonly<Record<string, string>>;
  /** Runs a command inside the namespace with the instance's bus (e.g. `nmstatectl apply`). */
  exec(command: string, args: readonly string[], options?: Omit<ExecInNamespaceOptions, 'busAddress'>): Promise<CommandResult>;
  /** Runs `nmcli` against this instance and returns its stdout; throws `command-failed` on error. */
  nmcli(args: readonly string[]): Promise<string>;
  /** Stops NetworkManager and starts it again over the same folders (profiles and runtime state survive). */
  restart(): Promise<void>;
  /** Stops NetworkManager and its bus by PID, deletes the namespace (if created here) and the folder. */
  stop(): Promise<void>;
}

/**
 * Runs `command` inside network namespace `namespace` (`ip netns exec`), with
 * `DBUS_SYSTEM_BUS_ADDRESS` set when `busAddress` is given.
 */
export async function execInNamespace(
  namespace: string,
  command: string,
  args: readonly string[],
  options: ExecInNamespaceOptions = {},
): Promise<CommandResult> {
  if (!NAMESPACE_NAME.test(namespace)) throw new TestenvError('invalid-argument', `"${namespace}" is not a network namespace name`);
  const env = { ...options.env, ...(options.busAddress ? { DBUS_SYSTEM_BUS_ADDRESS: options.busAddress } : {}) };
  const run = options.check === false ? runCommand : runCommandChecked;
  return run('ip', ['netns', 'exec', namespace, command, ...args], { env, input: options.input, onLine: options.onLine });
}

/** A copy of the host's system-bus config that listens on our socket, runs as root in the foreground and never activates services. */
function renderBusConfig(socketPath: string): string {
  const base = readFileSync(SYSTEM_BUS_CONFIG, 'utf8');
  return base
    .replace(/<user>[^<]*<\/user>/g, '')
    .replace(/<fork\/>/g, '')
    .replace(/<standard_system_servicedirs\/>/g, '')
    .replace(/<servicehelper>[^<]*<\/servicehelper>/g, '')
    .replace(/<syslog\/>/g, '')
    .replace(/<pidfile>[^<]*<\/pidfile>/g, '')
    .replace(/<include if_selinux_enabled[^>]*>[^<]*<\/include>/g, '')
    .replace(/<listen>[^<]*<\/listen>/g, `<listen>unix:path=${socketPath}</listen>`)
    .replace(/<includedir>system\.d<\/includedir>/g, `<includedir>${SYSTEM_BUS_POLICY_DIR}</includedir>`);
}

function renderNetworkManagerConfig(logLevel: NetworkManagerLogLevel, extra: string): string {
  // Never touch the host's DNS or hostname, no automatic "Wired connection N", no polkit, no connectivity probes.
  return [
    '[main]',
    'plugins=keyfile',
    'dns=none',
    'rc-manager=unmanaged',
    'systemd-resolved=false',
    'hostname-mode=none',
    'no-auto-default=*',
    'auth-polkit=false',
    'dhcp=internal',
    '[connectivity]',
    'enabled=false',
    '[logging]',
    `level=${logLevel}`,
    extra,
  ].join('\n');
}

/**
 * The shell that runs as the namespace's first process: `ip netns exec` gives it
 * a private mount namespace, so these mounts vanish with the process.
 */
const NETWORK_MANAGER_LAUNCHER = [
  'set -e',
  // Read-only /sys: NetworkManager then skips udev (none runs here) and manages devices at once.
  'mount -o remount,ro /sys',
  'mount -t tmpfs -o mode=755 tmpfs /run',
  'mkdir -p /run/NetworkManager',
  'mount --bind "$1/run" /run/NetworkManager',
  'mount --bind "$1/lib" /var/lib/NetworkManager',
  'mount --bind "$1/etc" /etc/NetworkManager',
  'exec NetworkManager --debug',
].join('\n');

async function namespaceExists(namespace: string): Promise<boolean> {
  const result = await runCommandChecked('ip', ['netns', 'list']);
  return result.stdout.split('\n').some((line) => line.split(' ')[0] === namespace);
}

/**
 * Starts a private NetworkManager confined to network namespace `namespace`:
 * its own `dbus-daemon --nofork` system bus on a socket in a temp folder, its own
 * configuration, profiles and runtime state (bind-mounted only inside the
 * namespace), both spawned as children and stopped by PID. Ready when
 * NetworkManager reports `STARTUP started` on its bus. Never touches the root
 * namespace's devices.
 */
export async function startNetworkManager(namespace: string, options: StartNetworkManagerOptions = {}): Promise<NetworkManagerInstance> {
  if (!NAMESPACE_NAME.test(namespace)) {
    throw new TestenvError('invalid-argument', `network namespace name "${namespace}" must be 1–32 letters, digits, "_", "." or "-"`);
  }
  if (process.getuid?.() !== 0) throw new TestenvError('missing-tool', 'a private NetworkManager needs root (network namespaces and mounts)');
  for (const program of ['/usr/sbin/NetworkManager', '/usr/bin/dbus-daemon', '/usr/bin/nmcli']) {
    if (!existsSync(program)) throw new TestenvError('missing-tool', `${program} is missing: run "npm run testenv -- install --for test"`);
  }
  const log = options.log ?? createStderrLogger();
  const createNamespace = options.createNamespace ?? true;
  const exists = await namespaceExists(namespace);
  if (createNamespace && exists) {
    throw new TestenvError('invalid-argument', `network namespace "${namespace}" already exists; pick another name or pass createNamespace: false`);
  }
  if (!createNamespace && !exists) throw new TestenvError('invalid-argument', `network namespace "${namespace}" does not exist`);
  await sweepAbandonedLeases();
  const startedAt = Date.now();
  const scope = new ServiceScope(`nm-${namespace}`);
  try {
    const dir = scope.dir;
    for (const sub of ['etc/conf.d', 'etc/system-connections', 'lib', 'run']) mkdirSync(join(dir, sub), { recursive: true });
    mkdirSync(join(dir, 'etc/system-connections'), { mode: 0o700, recursive: true });
    const socketPath = join(dir, 'bus.sock');
    const busAddress = `unix:path=${socketPath}`;
    writeFileSync(join(dir, 'dbus.conf'), renderBusConfig(socketPath));
    writeFileSync(join(dir, 'etc', 'NetworkManager.conf'), renderNetworkManagerConfig(options.logLevel ?? 'INFO', options.extraConfig ?? ''));
    if (createNamespace) {
      await runCommandChecked('ip', ['netns', 'add', namespace]);
      scope.addNamespace(namespace);
    }
    const bus = scope.spawn({
      name: `dbus-daemon[${namespace}]`,
      command: 'dbus-daemon',
      args: [`--config-file=${join(dir, 'dbus.conf')}`, '--nofork', '--nopidfile'],
      logFile: join(dir, 'dbus.log'),
    });
    await waitUntilReady(async () => existsSync(socketPath), {
      service: bus,
      timeoutMs: options.startTimeoutMs ?? 30_000,
      condition: `${socketPath} exists`,
    });
    const logFile = join(dir, 'NetworkManager.log');
    const nmcli = async (args: readonly string[]) =>
      (await runCommandChecked('nmcli', args, { env: { DBUS_SYSTEM_BUS_ADDRESS: busAddress } })).stdout;
    const launch = async (): Promise<ServiceProcess> => {
      const service = scope.spawn({
        name: `NetworkManager[${namespace}]`,
        command: 'ip',
        args: ['netns', 'exec', namespace, 'sh', '-c', NETWORK_MANAGER_LAUNCHER, 'nm-launcher', dir],
        logFile,
        env: { DBUS_SYSTEM_BUS_ADDRESS: busAddress },
      });
      await waitUntilReady(async () => (await nmcli(['-t', '-f', 'STARTUP', 'general'])).trim() === 'started', {
        service,
        timeoutMs: options.startTimeoutMs ?? 30_000,
        condition: 'nmcli -t -f STARTUP general says "started"',
      });
      return service;
    };
    let networkManager = await launch();
    const graceMs = options.stopGraceMs ?? STOP_GRACE_MS;
    log.info('NetworkManager ready', { namespace, pid: networkManager.pid, bus: busAddress, ms: Date.now() - startedAt });
    return {
      busAddress,
      namespace,
      get pid() {
        return networkManager.pid;
      },
      busPid: bus.pid,
      logFile,
      dir,
      env: { DBUS_SYSTEM_BUS_ADDRESS: busAddress },
      exec: (command, args, execOptions = {}) => execInNamespace(namespace, command, args, { ...execOptions, busAddress }),
      nmcli,
      restart: async () => {
        await scope.stopProcess(networkManager, graceMs);
        networkManager = await launch();
      },
      stop: () => scope.close(graceMs),
    };
  } catch (error) {
    await scope.close(1_000);
    throw error;
  }
}

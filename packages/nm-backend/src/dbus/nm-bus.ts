import type { Variant } from 'dbus-next';
import { BackendError } from '../backend.js';
import { DEFAULT_SYSTEM_BUS_ADDRESS, openDbusConnection, type DbusConnection } from './dbus-core.js';
import { translateDbusError } from './dbus-errors.js';

/** NetworkManager's bus name. */
export const NM_BUS_NAME = 'org.freedesktop.NetworkManager';
/** Default deadline of one D-Bus method call, in milliseconds. */
export const DBUS_CALL_TIMEOUT_MS = 25_000;

/**
 * The signals the backend waits on: activation outcomes, device state
 * changes (a rollback settling) and objects coming and going. NetworkManager
 * emits far more (a property change of every object it has, many per
 * activation); the bus daemon keeps those from us instead of us decoding and
 * dropping them.
 */
const SIGNAL_MATCHES = [
  `type='signal',sender='${NM_BUS_NAME}',interface='org.freedesktop.NetworkManager.Connection.Active',member='StateChanged'`,
  `type='signal',sender='${NM_BUS_NAME}',interface='org.freedesktop.NetworkManager.Device',member='StateChanged'`,
  `type='signal',sender='${NM_BUS_NAME}',interface='org.freedesktop.DBus.ObjectManager'`,
];

/** A signal NetworkManager emitted. */
export interface NmSignal {
  path: string;
  interface: string;
  member: string;
  body: unknown[];
}

/** Options of {@link connectNmBus}. */
export interface NmBusOptions {
  /**
   * D-Bus address of the bus NetworkManager is on (e.g. `unix:path=/run/nm-ns/bus.sock`).
   * Default: the system bus (`DBUS_SYSTEM_BUS_ADDRESS`, else `unix:path=/var/run/dbus/system_bus_socket`),
   * so `ip netns exec NS env DBUS_SYSTEM_BUS_ADDRESS=… nmfleet …` reaches a private instance.
   */
  busAddress?: string;
  /** Deadline of each method call, in milliseconds. Default: {@link DBUS_CALL_TIMEOUT_MS}. */
  callTimeoutMs?: number;
}

/**
 * A thin, typed layer over one D-Bus connection to NetworkManager: method calls
 * without proxy introspection (one round trip each), property reads, and the
 * NetworkManager signals the backend waits on, dispatched to listeners.
 */
export interface NmBus {
  /** dbus-next's Variant class, for building typed values to send. */
  readonly Variant: typeof Variant;
  call(path: string, iface: string, member: string, signature?: string, body?: unknown[]): Promise<unknown[]>;
  getProperty(path: string, iface: string, name: string): Promise<unknown>;
  getAllProperties(path: string, iface: string): Promise<Record<string, unknown>>;
  /** Listens to NetworkManager's signals; returns the function that stops listening. */
  onSignal(listener: (signal: NmSignal) => void): () => void;
  close(): void;
}

/** Connects to NetworkManager's bus and subscribes to the signals the backend waits on. */
export async function connectNmBus(options: NmBusOptions = {}): Promise<NmBus> {
  const address = options.busAddress ?? systemBusAddress();
  const timeoutMs = options.callTimeoutMs ?? DBUS_CALL_TIMEOUT_MS;
  let connection: DbusConnection;
  try {
    connection = await openDbusConnection(address);
  } catch (error) {
    throw translateDbusError(error, `connecting to ${address}`);
  }
  const { Message, Variant } = connection.classes;
  const listeners = new Set<(signal: NmSignal) => void>();
  let closed = false;
  let failure: Error | undefined;
  connection.onError((error) => {
    failure = error;
  });
  connection.onSignal((message) => {
    if (message.sender === 'org.freedesktop.DBus') return;
    const signal: NmSignal = { path: message.path ?? '', interface: message.interface ?? '', member: message.member ?? '', body: message.body ?? [] };
    for (const listener of listeners) listener(signal);
  });
  const unwrap = (value: unknown): unknown => (value instanceof Variant ? unwrap(value.value) : value);

  const call = async (path: string, iface: string, member: string, signature = '', body: unknown[] = [], destination = NM_BUS_NAME): Promise<unknown[]> => {
    if (closed) throw new BackendError('unavailable', 'the D-Bus connection to NetworkManager is closed');
    if (failure) throw translateDbusError(failure, `${iface}.${member}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BackendError('timeout', `NetworkManager did not answer ${iface}.${member} on ${path} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const reply = await Promise.race([connection.call(new Message({ destination, path, interface: iface, member, signature, body })), deadline]);
      return reply.body ?? [];
    } catch (error) {
      throw translateDbusError(error, `${iface}.${member} on ${path}`);
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    await Promise.all(SIGNAL_MATCHES.map((rule) => call('/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [rule], 'org.freedesktop.DBus')));
  } catch (error) {
    connection.close();
    throw error;
  }

  return {
    Variant,
    call: (path, iface, member, signature, body) => call(path, iface, member, signature, body),
    getProperty: async (path, iface, name) => {
      const [value] = await call(path, 'org.freedesktop.DBus.Properties', 'Get', 'ss', [iface, name]);
      return unwrap(value);
    },
    getAllProperties: async (path, iface) => {
      const [values] = await call(path, 'org.freedesktop.DBus.Properties', 'GetAll', 's', [iface]);
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries((values ?? {}) as Record<string, unknown>)) out[key] = unwrap(value);
      return out;
    },
    onSignal: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      if (closed) return;
      closed = true;
      listeners.clear();
      connection.close();
    },
  };
}

/**
 * The system bus as the D-Bus specification locates it: the address in
 * `DBUS_SYSTEM_BUS_ADDRESS`, else the standard socket. Every D-Bus client
 * library resolves it this way (dbus-next's `systemBus()` did it for us);
 * `ip netns exec NS env DBUS_SYSTEM_BUS_ADDRESS=… nmfleet …` relies on it.
 */
function systemBusAddress(): string {
  const fromEnvironment = process.env['DBUS_SYSTEM_BUS_ADDRESS'];
  return fromEnvironment !== undefined && fromEnvironment !== '' ? fromEnvironment : DEFAULT_SYSTEM_BUS_ADDRESS;
}

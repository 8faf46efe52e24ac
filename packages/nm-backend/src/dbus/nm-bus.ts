import dbus from 'dbus-next';
import { BackendError } from '../backend.js';
import { translateDbusError } from './dbus-errors.js';

/** NetworkManager's bus name. */
export const NM_BUS_NAME = 'org.freedesktop.NetworkManager';
/** Default deadline of one D-Bus method call, in milliseconds. */
export const DBUS_CALL_TIMEOUT_MS = 25_000;

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
   * Default: the system bus, which dbus-next locates through `DBUS_SYSTEM_BUS_ADDRESS`
   * (so `ip netns exec NS env DBUS_SYSTEM_BUS_ADDRESS=… nmfleet …` reaches a private instance).
   */
  busAddress?: string;
  /** Deadline of each method call, in milliseconds. Default: {@link DBUS_CALL_TIMEOUT_MS}. */
  callTimeoutMs?: number;
}

/**
 * A thin, typed layer over one D-Bus connection to NetworkManager: method calls
 * without proxy introspection (one round trip each), property reads, and one
 * subscription to every NetworkManager signal, dispatched to listeners.
 */
export interface NmBus {
  call(path: string, iface: string, member: string, signature?: string, body?: unknown[]): Promise<unknown[]>;
  getProperty(path: string, iface: string, name: string): Promise<unknown>;
  getAllProperties(path: string, iface: string): Promise<Record<string, unknown>>;
  /** Listens to NetworkManager's signals; returns the function that stops listening. */
  onSignal(listener: (signal: NmSignal) => void): () => void;
  close(): void;
}

/** Connects to NetworkManager's bus and subscribes to its signals. */
export async function connectNmBus(options: NmBusOptions = {}): Promise<NmBus> {
  const bus = options.busAddress ? dbus.sessionBus({ busAddress: options.busAddress }) : dbus.systemBus();
  const timeoutMs = options.callTimeoutMs ?? DBUS_CALL_TIMEOUT_MS;
  const listeners = new Set<(signal: NmSignal) => void>();
  let closed = false;
  let failure: Error | undefined;
  // A connection that breaks (socket missing, daemon gone) fails every call in flight, not just the next one.
  const broken = new Promise<never>((_, reject) => {
    bus.on('error', (error: Error) => {
      failure = error;
      reject(error);
    });
  });
  broken.catch(() => undefined);
  bus.on('message', (message: dbus.Message) => {
    if (message.type !== dbus.MessageType.SIGNAL || message.sender === 'org.freedesktop.DBus') return;
    const signal: NmSignal = { path: message.path ?? '', interface: message.interface ?? '', member: message.member ?? '', body: message.body ?? [] };
    for (const listener of listeners) listener(signal);
  });

  const call = async (path: string, iface: string, member: string, signature = '', body: unknown[] = [], destination = NM_BUS_NAME): Promise<unknown[]> => {
    if (closed) throw new BackendError('unavailable', 'the D-Bus connection to NetworkManager is closed');
    if (failure) throw translateDbusError(failure, `${iface}.${member}`);
    const message = new dbus.Message({ destination, path, interface: iface, member, signature, body });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BackendError('timeout', `NetworkManager did not answer ${iface}.${member} on ${path} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const reply = await Promise.race([bus.call(message), deadline, broken]);
      return reply?.body ?? [];
    } catch (error) {
      throw translateDbusError(error, `${iface}.${member} on ${path}`);
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    await call('/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [`type='signal',sender='${NM_BUS_NAME}'`], 'org.freedesktop.DBus');
  } catch (error) {
    bus.disconnect();
    throw error;
  }

  return {
    call: (path, iface, member, signature, body) => call(path, iface, member, signature, body),
    getProperty: async (path, iface, name) => {
      const [value] = await call(path, 'org.freedesktop.DBus.Properties', 'Get', 'ss', [iface, name]);
      return unwrapVariant(value);
    },
    getAllProperties: async (path, iface) => {
      const [values] = await call(path, 'org.freedesktop.DBus.Properties', 'GetAll', 's', [iface]);
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries((values ?? {}) as Record<string, unknown>)) out[key] = unwrapVariant(value);
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
      bus.disconnect();
    },
  };
}

/** The plain value inside a D-Bus variant (nested variants too). */
export function unwrapVariant(value: unknown): unknown {
  return value instanceof dbus.Variant ? unwrapVariant(value.value) : value;
}

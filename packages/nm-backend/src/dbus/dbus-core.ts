import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { DBusError, Message, MessageType, Variant } from 'dbus-next';

/*
 * dbus-next's main module also loads its service side and introspection
 * (xml2js, xmlbuilder: some forty files), which a command line run pays for
 * at every start. The backend only sends method calls and receives replies
 * and signals, so it loads the connection, marshalling and message types by
 * themselves (dbus-next declares types for its main module only, hence the
 * shapes below), when it first connects, and keeps its own small table of
 * pending calls instead of dbus-next's MessageBus.
 */

/** The socket of the system bus when `DBUS_SYSTEM_BUS_ADDRESS` is not set (the D-Bus specification's default). */
export const DEFAULT_SYSTEM_BUS_ADDRESS = 'unix:path=/var/run/dbus/system_bus_socket';

/** The classes of dbus-next the backend uses. */
export interface DbusClasses {
  readonly Message: typeof Message;
  readonly Variant: typeof Variant;
  readonly DBusError: typeof DBusError;
  readonly MessageType: typeof MessageType;
}

/** One authenticated connection: method calls with replies, and the signals the bus routes to it. */
export interface DbusConnection {
  readonly classes: DbusClasses;
  /** Sends a method call; resolves with the reply, rejects with a DBusError for an error reply. */
  call(message: Message): Promise<Message>;
  /** Called with every signal received. */
  onSignal(listener: (message: Message) => void): void;
  /** Called once when the connection breaks (socket gone, daemon stopped). */
  onError(listener: (error: Error) => void): void;
  close(): void;
}

/** dbus-next's connection after authentication: `message` sends, `'message'` events receive. */
interface RawConnection extends EventEmitter {
  message(message: Message): void;
  readonly stream: { end(): void };
}

interface LoadedDbusNext {
  readonly classes: DbusClasses;
  readonly createConnection: (options: { busAddress: string }) => RawConnection;
}

let loaded: LoadedDbusNext | undefined;

/** Loads the parts of dbus-next the backend uses (once per process). */
function loadDbusNext(): LoadedDbusNext {
  if (loaded) return loaded;
  const load = createRequire(import.meta.url);
  const { Message: MessageClass } = load('dbus-next/lib/message-type.js') as { Message: typeof Message };
  const { Variant: VariantClass } = load('dbus-next/lib/variant.js') as { Variant: typeof Variant };
  const { DBusError: DBusErrorClass } = load('dbus-next/lib/errors.js') as { DBusError: typeof DBusError };
  const { MessageType: Types } = load('dbus-next/lib/constants.js') as { MessageType: typeof MessageType };
  const createConnection = load('dbus-next/lib/connection.js') as LoadedDbusNext['createConnection'];
  loaded = { classes: { Message: MessageClass, Variant: VariantClass, DBusError: DBusErrorClass, MessageType: Types }, createConnection };
  return loaded;
}

/**
 * Connects to the bus at `busAddress` and says Hello (which the bus requires
 * before anything else). Rejects when the bus cannot be reached.
 */
export async function openDbusConnection(busAddress: string): Promise<DbusConnection> {
  const { classes, createConnection: connect } = loadDbusNext();
  const { Message: MessageClass, DBusError: DBusErrorClass, MessageType: Types } = classes;
  const connection = connect({ busAddress });
  const pending = new Map<number, { resolve: (reply: Message) => void; reject: (error: Error) => void }>();
  const signalListeners: ((message: Message) => void)[] = [];
  const errorListeners: ((error: Error) => void)[] = [];
  let serial = 1;
  let failure: Error | undefined;

  connection.on('message', (message: Message) => {
    if (message.type === Types.SIGNAL) {
      for (const listener of signalListeners) listener(message);
      return;
    }
    if (message.type !== Types.METHOD_RETURN && message.type !== Types.ERROR) return;
    const waiter = pending.get(Number(message.replySerial));
    if (!waiter) return;
    pending.delete(Number(message.replySerial));
    if (message.type === Types.ERROR) waiter.reject(new DBusErrorClass(message.errorName, String(message.body[0] ?? ''), message));
    else waiter.resolve(message);
  });
  const fail = (error: Error): void => {
    if (failure) return;
    failure = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
    for (const listener of errorListeners) listener(error);
  };
  connection.on('error', fail);
  connection.on('end', () => fail(new Error('the D-Bus connection was closed by the bus (ECONNRESET)')));

  const call = (message: Message): Promise<Message> =>
    new Promise((resolve, reject) => {
      if (failure) {
        reject(failure);
        return;
      }
      message.serial = serial++;
      pending.set(message.serial, { resolve, reject });
      try {
        connection.message(message);
      } catch (error) {
        pending.delete(message.serial);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });

  await call(new MessageClass({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello' }));
  return {
    classes,
    call,
    onSignal: (listener) => signalListeners.push(listener),
    onError: (listener) => {
      if (failure) listener(failure);
      else errorListeners.push(listener);
    },
    close: () => {
      failure ??= new Error('the D-Bus connection is closed');
      connection.stream.end();
    },
  };
}

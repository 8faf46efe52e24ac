import type { DBusError, Message, MessageType, Variant } from 'dbus-next';
import type createConnection from 'dbus-next/lib/connection.js';

/*
 * dbus-next's main module also loads its service side and introspection
 * (xml2js, xmlbuilder: some forty files), which a command line run pays for
 * at every start. The backend only sends method calls and receives replies
 * and signals, so it loads the connection, marshalling and message types by
 * themselves, when it first connects, and keeps its own small table of
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

interface LoadedDbusNext {
  readonly classes: DbusClasses;
  readonly createConnection: typeof createConnection;
}

let loading: Promise<LoadedDbusNext> | undefined;

/** Loads the parts of dbus-next the backend uses (once per process). */
function loadDbusNext(): Promise<LoadedDbusNext> {
  loading ??= Promise.all([
    import('dbus-next/lib/connection.js'),
    import('dbus-next/lib/message-type.js'),
    import('dbus-next/lib/variant.js'),
    import('dbus-next/lib/errors.js'),
    import('dbus-next/lib/constants.js'),
  ]).then(([connection, messages, variants, errors, constants]) => ({
    createConnection: connection.default,
    classes: { Message: messages.Message, Variant: variants.Variant, DBusError: errors.DBusError, MessageType: constants.MessageType },
  }));
  return loading;
}

/**
 * Connects to the bus at `busAddress` and says Hello (which the bus requires
 * before anything else). Rejects when the bus cannot be reached.
 */
export async function openDbusConnection(busAddress: string): Promise<DbusConnection> {
  const { classes, createConnection: connect } = await loadDbusNext();
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

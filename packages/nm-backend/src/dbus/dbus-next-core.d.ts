/*
 * The modules of dbus-next that nm-backend loads on their own (see
 * dbus-core.ts): its package declares types for its main entry only.
 */

declare module 'dbus-next/lib/connection.js' {
  import type { EventEmitter } from 'node:events';
  import type { Message } from 'dbus-next';

  /** A D-Bus connection after authentication; `message` sends, `'message'` events receive. */
  interface DbusConnection extends EventEmitter {
    message(message: Message): void;
    stream: { end(): void };
  }
  function createConnection(options: { busAddress: string }): DbusConnection;
  export = createConnection;
}

declare module 'dbus-next/lib/message-type.js' {
  export { Message } from 'dbus-next';
}

declare module 'dbus-next/lib/variant.js' {
  export { Variant } from 'dbus-next';
}

declare module 'dbus-next/lib/constants.js' {
  export { MessageType } from 'dbus-next';
}

declare module 'dbus-next/lib/errors.js' {
  export { DBusError } from 'dbus-next';
}

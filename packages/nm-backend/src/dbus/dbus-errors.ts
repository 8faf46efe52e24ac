import type { DBusError } from 'dbus-next';
import { BackendError, type BackendErrorKind } from '../backend.js';

/** D-Bus error names that mean NetworkManager (or the bus) cannot be reached. */
const UNAVAILABLE = new Set([
  'org.freedesktop.DBus.Error.ServiceUnknown',
  'org.freedesktop.DBus.Error.NameHasNoOwner',
  'org.freedesktop.DBus.Error.NoReply',
  'org.freedesktop.DBus.Error.Disconnected',
  'org.freedesktop.DBus.Error.NoServer',
  'org.freedesktop.DBus.Error.AccessDenied',
]);

/** NetworkManager error names and the kind they become. */
const BY_NAME: Record<string, BackendErrorKind> = {
  'org.freedesktop.NetworkManager.Settings.Connection.InvalidProperty': 'invalid-state',
  'org.freedesktop.NetworkManager.Settings.Connection.MissingProperty': 'invalid-state',
  'org.freedesktop.NetworkManager.Settings.InvalidConnection': 'invalid-state',
  'org.freedesktop.NetworkManager.Settings.InvalidHostname': 'invalid-state',
  'org.freedesktop.NetworkManager.Device.NotSoftware': 'operation-failed',
  'org.freedesktop.NetworkManager.UnknownConnection': 'operation-failed',
  'org.freedesktop.NetworkManager.UnknownDevice': 'operation-failed',
  'org.freedesktop.NetworkManager.ConnectionNotAvailable': 'operation-failed',
  'org.freedesktop.NetworkManager.DependencyFailed': 'operation-failed',
  'org.freedesktop.NetworkManager.Failed': 'operation-failed',
  'org.freedesktop.NetworkManager.InvalidArguments': 'checkpoint',
};

/** dbus-next's DBusError (an error reply of the bus or of NetworkManager), recognised without loading dbus-next. */
function isDbusError(error: unknown): error is DBusError {
  return error instanceof Error && error.name === 'DBusError' && typeof (error as Partial<DBusError>).type === 'string';
}

/**
 * A D-Bus failure as a {@link BackendError}: a missing NetworkManager or bus
 * becomes `unavailable`, NetworkManager's own errors keep their name in the
 * message, and `where` names the call that failed.
 */
export function translateDbusError(error: unknown, where: string): BackendError {
  if (error instanceof BackendError) return error;
  if (isDbusError(error)) {
    const name = error.type;
    const text = error.text || error.message;
    if (UNAVAILABLE.has(name)) {
      return new BackendError('unavailable', `NetworkManager cannot be reached over D-Bus (${name}: ${text})`, { where, cause: error });
    }
    const kind = BY_NAME[name] ?? 'operation-failed';
    return new BackendError(kind, `${where} failed: ${text} (${name})`, { where, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/ENOENT|ECONNREFUSED|EACCES|EPIPE|ECONNRESET/.test(message)) {
    return new BackendError('unavailable', `the D-Bus system bus cannot be reached (${message}); is DBUS_SYSTEM_BUS_ADDRESS right?`, { where, cause: error });
  }
  return new BackendError('operation-failed', `${where} failed: ${message}`, { where, cause: error });
}

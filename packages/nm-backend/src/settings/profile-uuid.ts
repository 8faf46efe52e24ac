import { createHash, randomUUID } from 'node:crypto';

/** RFC 4122 name space for URLs (6ba7b811-9dad-11d1-80b4-00c04fd430c8). */
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A name-based (version 5, SHA-1) UUID of `name` in the URL name space. */
export function createUuidV5(name: string): string {
  const hash = createHash('sha1').update(URL_NAMESPACE).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return formatUuid(bytes);
}

/**
 * The stable profile UUID `nmstatectl gc` gives an interface: a version 5 UUID
 * of `<nmstate type>://<interface name>` in the URL name space, so the same
 * desired state always yields the same keyfiles. `type` is nmstate's spelling
 * (`ethernet`, `ovs-interface`, `ovs-port`…).
 */
export function createStableProfileUuid(interfaceName: string, type: string): string {
  return createUuidV5(`${type}://${interfaceName}`);
}

/** A random (version 4) profile UUID, for profiles created on a live host. */
export function createRandomProfileUuid(): string {
  return randomUUID();
}

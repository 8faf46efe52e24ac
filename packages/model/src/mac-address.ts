/**
 * MAC address helpers. nmstate compares MAC addresses case-insensitively and prints the
 * ones it reports in upper case; InfiniBand addresses have 20 octets instead of 6.
 */

const MAC_PATTERN = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*$/;

/**
 * Whether `text` is a MAC address: hex octets separated by `:`.
 *
 * @param octets how many octets are required: 6 for Ethernet (default), 20 for
 *   InfiniBand, or `'any'` for link types with other address lengths (tunnels).
 */
export function isMacAddress(text: string, octets: 6 | 20 | 'any' = 6): boolean {
  if (!MAC_PATTERN.test(text)) return false;
  const count = (text.length + 1) / 3;
  return octets === 'any' ? count <= 32 : count === octets;
}

/** The form nmstate reports: upper case (`0E:F9:2B:28:42:D9`). Compare MACs through this. */
export function normalizeMacAddress(text: string): string {
  return text.toUpperCase();
}

/** One keyfile `nmfleet gc` generates. */
export interface KeyfileEntry {
  /** `<profile name>.nmconnection`. */
  readonly fileName: string;
  /** The keyfile text. */
  readonly content: string;
}

const YAML_INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
const YAML_RESERVED = /^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)$/;
const YAML_NUMBER = /^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+([eE][-+]?[0-9]+)?)$/;

function isPrintableLine(line: string): boolean {
  // libyaml only writes printable characters (tab excluded) in block scalars.
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

function formatPlainOrQuoted(text: string): string {
  const plain =
    text !== '' &&
    !YAML_INDICATORS.has(text[0] ?? '') &&
    !/^\s|\s$/.test(text) &&
    !text.includes(': ') &&
    !text.includes(' #') &&
    !text.endsWith(':') &&
    !YAML_RESERVED.test(text) &&
    !YAML_NUMBER.test(text) &&
    isPrintableLine(text);
  return plain ? text : `'${text.replace(/'/g, "''")}'`;
}

function formatDoubleQuoted(text: string): string {
  return JSON.stringify(text);
}

function formatBlock(content: string, indent: string): string {
  const lines = content.endsWith('\n') ? content.slice(0, -1).split('\n') : content.split('\n');
  const usable = lines.every((l) => isPrintableLine(l) && !/[ ]$/.test(l)) && !/^\s/.test(content);
  if (!usable) return formatDoubleQuoted(content);
  const chomp = content.endsWith('\n\n') ? '+' : content.endsWith('\n') ? '' : '-';
  return `|${chomp}\n${lines.map((l) => (l === '' ? '' : `${indent}${l}`)).join('\n')}`;
}

/**
 * The output of `nmfleet gc`, in the YAML layout `nmstatectl gc` prints:
 *
 * ```yaml
 * NetworkManager:
 * - - eth1.nmconnection
 *   - |
 *     [connection]
 *     ...
 * ```
 *
 * Keyfile text goes in literal blocks; text a literal block cannot hold
 * (trailing spaces, control characters) is double-quoted instead.
 */
export function formatGcOutput(files: readonly KeyfileEntry[]): string {
  if (files.length === 0) return 'NetworkManager: []\n';
  const items = files.map((f) => {
    const content = f.content.includes('\n') ? formatBlock(f.content, '    ') : formatPlainOrQuoted(f.content);
    return `- - ${formatPlainOrQuoted(f.fileName)}\n  - ${content}`;
  });
  return `NetworkManager:\n${items.join('\n')}\n`;
}

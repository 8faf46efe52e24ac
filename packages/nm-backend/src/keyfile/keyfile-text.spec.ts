import { describe, expect, it } from 'vitest';
import { BackendError } from '../backend.js';
import { formatKeyfile, parseKeyfile, toKeyfileMap } from './keyfile-text.js';

const SAMPLE = `[connection]
autoconnect=true
id=eth1
type=802-3-ethernet

[bridge-port]

[ipv4]
address0=192.0.2.10/24
method=manual
`;

describe('keyfile text', () => {
  it('parses sections in order, keeping empty sections, and prints them back byte for byte', () => {
    const doc = parseKeyfile(SAMPLE);
    expect(doc.map((s) => s.name)).toEqual(['connection', 'bridge-port', 'ipv4']);
    expect(doc[1]?.entries).toEqual([]);
    expect(toKeyfileMap(doc).get('ipv4')?.get('address0')).toBe('192.0.2.10/24');
    expect(formatKeyfile(doc)).toBe(SAMPLE);
  });

  it('escapes what would change the meaning of a line and reads it back', () => {
    const doc = [{ name: 'user', entries: [['note', ' leading space, a\\backslash\nand a line break'] as const] }];
    const text = formatKeyfile(doc);
    expect(text).toBe('[user]\nnote=\\sleading space, a\\\\backslash\\nand a line break\n');
    expect(parseKeyfile(text)).toEqual(doc);
  });

  it('skips comments and blank lines, and prints nothing for no sections', () => {
    expect(parseKeyfile('# generated\n\n[vrf]\ntable=100\n')).toEqual([{ name: 'vrf', entries: [['table', '100']] }]);
    expect(formatKeyfile([])).toBe('');
  });

  it.each([
    ['key=value\n', /line 1|keyfile:1.*before any \[section\]/],
    ['[ipv4]\nmethod\n', /keyfile:2: expected 'key=value'/],
    ['[ipv4]\nmethod=auto\nmethod=manual\n', /keyfile:3: duplicate key 'method' in \[ipv4\]/],
    ['[ipv4\n', /keyfile:1: expected a section header/],
    ['[ipv4]\nx=a\\qb\n', /invalid escape sequence '\\q'/],
  ])('rejects %j with a message naming the line', (text, message) => {
    expect(() => parseKeyfile(text)).toThrow(BackendError);
    expect(() => parseKeyfile(text)).toThrow(message);
  });
});

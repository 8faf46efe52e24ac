import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { formatGcOutput, type KeyfileEntry } from './gc-output.js';

const KEYFILE = '[connection]\nid=eth1\n\n[ipv4]\nmethod=disabled\n';

describe('formatGcOutput', () => {
  it('prints the layout nmstatectl gc prints', () => {
    expect(formatGcOutput([{ fileName: 'eth1.nmconnection', content: KEYFILE }])).toBe(
      'NetworkManager:\n- - eth1.nmconnection\n  - |\n    [connection]\n    id=eth1\n\n    [ipv4]\n    method=disabled\n',
    );
    expect(formatGcOutput([])).toBe('NetworkManager: []\n');
  });

  it.each<KeyfileEntry[]>([
    [{ fileName: '- dash.nmconnection', content: KEYFILE }],
    [{ fileName: "it's: quoted.nmconnection", content: KEYFILE }],
    [{ fileName: '#hash.nmconnection', content: KEYFILE }],
    [{ fileName: 'eth1.nmconnection', content: '[user]\nnote=trailing space \n' }],
    [{ fileName: 'eth1.nmconnection', content: '[user]\nnote=no final newline' }],
    [{ fileName: 'eth1.nmconnection', content: '  leading spaces\n' }],
    [{ fileName: 'eth1.nmconnection', content: '[user]\nnote=tab\there\n' }],
  ])('keeps names and contents intact through YAML: %j', (entry) => {
    const doc = yaml.load(formatGcOutput([entry])) as { NetworkManager: [string, string][] };
    expect(doc.NetworkManager).toEqual([[entry.fileName, entry.content]]);
  });
});

import { describe, expect, it } from 'vitest';
import { formatState, parseState } from '@nmfleet/model';
import { runCli } from './cli.js';
import { memoryIo } from '../test/memory-io.js';

const VALID = `interfaces:
  - name: eth1
    type: ethernet
    mtu: "1500"
    ipv4:
      enabled: yes
      address:
        - ip: 192.0.2.10
          prefix-length: 24
`;

const INVALID = `interfaces:
  - name: eth1.4095
    type: vlan
    vlan:
      base-iface: eth1
      id: 4095
  - name: eth2
    type: ethernet
    mtuu: 1500
`;

describe('nmfleet validate', () => {
  it('exits 0 and reports each valid file', async () => {
    const io = memoryIo({ files: { 'a.yml': VALID } });
    expect(await runCli(['validate', 'a.yml'], io)).toBe(0);
    expect(io.out.join('')).toBe('a.yml: valid (1 interface)\n');
    expect(io.err).toEqual([]);
  });

  it('exits 1 and prints every problem as FILE:LINE:COL: error: MESSAGE (at PATH)', async () => {
    const io = memoryIo({ files: { 'bad.yml': INVALID } });
    expect(await runCli(['validate', 'bad.yml'], io)).toBe(1);
    expect(io.err.join('')).toBe(
      'bad.yml:6:11: error: id 4095 is out of range: expected an integer 0..4094 for a VLAN id (4095 is reserved) (at interfaces[0].vlan.id)\n' +
        'bad.yml:9:5: error: unknown key "mtuu" in ethernet interface (did you mean "mtu"?): expected one of name, profile-name, description, type, driver, state, identifier, mac-address, permanent-mac-address, pci-address, mtu, min-mtu, max-mtu, wait-ip, ipv4, ipv6, mptcp, controller, accept-all-mac-addresses, copy-mac-from, ovs-db, 802.1x, lldp, ethtool, dispatch, alt-names, ethernet, veth (at interfaces[1].mtuu)\n',
    );
  });

  it('exits 2 when a file cannot be read, after checking the others', async () => {
    const io = memoryIo({ files: { 'a.yml': VALID, 'bad.yml': INVALID } });
    expect(await runCli(['validate', 'a.yml', 'missing.yml', 'bad.yml'], io)).toBe(2);
    expect(io.err.join('')).toContain('nmfleet: cannot read missing.yml: no such file or directory\n');
    expect(io.err.join('')).toContain('bad.yml:6:11: error:');
  });

  it('reads standard input for -', async () => {
    const io = memoryIo({ stdin: INVALID });
    expect(await runCli(['validate', '-'], io)).toBe(1);
    expect(io.err[0]).toMatch(/^<stdin>:6:11: error: /);
  });

  it('reads JSON, and reports JSON syntax errors with their position', async () => {
    const io = memoryIo({ files: { 'a.json': '{"interfaces": [{"name": "eth1", "type": "ethernet"}]}', 'b.json': '{"interfaces": [}' } });
    expect(await runCli(['validate', '--format', 'json', 'a.json'], io)).toBe(0);
    expect(await runCli(['validate', '--format', 'json', 'b.json'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/^b\.json:1:17: error: invalid (YAML|JSON): /);
  });

  it('checks the desiredState of an NNCP manifest, with positions in the manifest', async () => {
    const manifest = `apiVersion: nmstate.io/v1
kind: NodeNetworkConfigurationPolicy
metadata:
  name: vlan
spec:
  desiredState:
    interfaces:
    - name: eth1.102
      type: vlan
      vlan:
        id: 5000
`;
    const io = memoryIo({ files: { 'nncp.yaml': manifest } });
    expect(await runCli(['validate', 'nncp.yaml'], io)).toBe(1);
    expect(io.err.join('')).toBe(
      'nncp.yaml:11:13: error: id 5000 is out of range: expected an integer 0..4094 for a VLAN id (4095 is reserved) (at spec.desiredState.interfaces[0].vlan.id)\n',
    );
  });

  it('treats unknown options and missing files as usage errors (exit 2)', async () => {
    const io = memoryIo();
    expect(await runCli(['validate'], io)).toBe(2);
    expect(await runCli(['validate', '--bogus', 'a.yml'], io)).toBe(2);
    expect(await runCli(['validate', '--format', 'toml', 'a.yml'], io)).toBe(2);
    expect(io.err.join('')).toContain('--format must be yaml, json or auto, not "toml"');
  });
});

describe('nmfleet format', () => {
  it('prints the canonical YAML', async () => {
    const io = memoryIo({ files: { 'a.yml': VALID } });
    expect(await runCli(['format', 'a.yml'], io)).toBe(0);
    const parsed = parseState(VALID);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(io.out.join('')).toBe(formatState(parsed.state));
    expect(io.out.join('')).toBe(`interfaces:
- name: eth1
  type: ethernet
  state: up
  mtu: 1500
  ipv4:
    enabled: true
    address:
    - ip: 192.0.2.10
      prefix-length: 24
`);
  });

  it('prints nothing on stdout for an invalid document, and exits 1', async () => {
    const io = memoryIo({ files: { 'bad.yml': INVALID } });
    expect(await runCli(['format', 'bad.yml'], io)).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err.length).toBe(2);
  });

  it('takes exactly one file', async () => {
    const io = memoryIo({ files: { 'a.yml': VALID } });
    expect(await runCli(['format', 'a.yml', 'a.yml'], io)).toBe(2);
    expect(io.err.join('')).toContain('nmfleet format: expected exactly one FILE');
  });
});

describe('nmfleet', () => {
  it('prints help with the commands and exit codes', async () => {
    const io = memoryIo();
    expect(await runCli(['--help'], io)).toBe(0);
    const help = io.out.join('');
    expect(help).toContain('  validate  ');
    expect(help).toContain('  format    ');
    expect(help).not.toContain('demo-corpus');
    expect(help).toContain('Exit codes:\n  0  success\n  1  invalid input');
  });

  it('prints a command help for COMMAND --help and help COMMAND', async () => {
    for (const argv of [['validate', '--help'], ['help', 'validate'], ['validate', 'x.yml', '-h']]) {
      const io = memoryIo();
      expect(await runCli(argv, io)).toBe(0);
      expect(io.out.join('')).toMatch(/^Usage: nmfleet validate \[options\] FILE\.\.\./);
    }
  });

  it('prints the version', async () => {
    const io = memoryIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/^nmfleet \d+\.\d+\.\d+/);
  });

  it('rejects unknown commands with a suggestion (exit 2), and prints usage without a command', async () => {
    const io = memoryIo();
    expect(await runCli(['frmat', 'a.yml'], io)).toBe(2);
    expect(io.err.join('')).toContain('unknown command "frmat" (did you mean "format"?)');
    expect(await runCli([], memoryIo())).toBe(2);
  });
});

describe('nmfleet demo-corpus', () => {
  it('validates the upstream corpus and rejects the bad-input corpus', async () => {
    const io = memoryIo({ disk: true });
    expect(await runCli(['demo-corpus'], io)).toBe(0);
    const report = io.out.join('');
    expect(report).toMatch(/ {2}(\d+) of \1 valid\n/);
    expect(report).toMatch(/ {2}(\d+) of \1 rejected\n/);
    expect(report).toContain('✓ kubernetes-nmstate/examples/lldp.yaml (spec.desiredState): interfaces from a capture reference');
    expect(report).toContain('Result: every upstream example is valid and every bad input is rejected.');
  });
});

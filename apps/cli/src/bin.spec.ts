import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/nmfleet.mjs', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../testdata/upstream/nmstate/examples/bond_port_up.yml', import.meta.url));

function nmfleet(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, input, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built nmfleet command (bin/nmfleet.mjs)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['tools/scripts/bundle-app.mjs', 'apps/cli'], { cwd: REPO_ROOT, stdio: 'pipe' });
  }, 60_000);

  it('prints the version defined at build time', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(nmfleet(['--version'])).toMatchObject({ status: 0, stdout: `nmfleet ${pkg.version}\n` });
  });

  it('validates a file (exit 0) and formats standard input', () => {
    expect(nmfleet(['validate', EXAMPLE])).toMatchObject({ status: 0, stderr: '' });
    const formatted = nmfleet(['format', '-'], readFileSync(EXAMPLE, 'utf8'));
    expect(formatted.status).toBe(0);
    expect(formatted.stdout).toMatch(/^interfaces:\n- name: bond0\n {2}type: bond\n {2}state: up\n {2}link-aggregation:\n/);
  });

  it('exits 1 with located diagnostics for invalid input, 2 for an unreadable file', () => {
    const invalid = nmfleet(['validate', '-'], 'interfaces:\n- name: eth0\n  type: ethernet\n  mac-address: 02:00:00\n');
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toBe(
      '<stdin>:4:16: error: mac-address: invalid MAC address "02:00:00": expected a MAC address (6 hex octets separated by ":", e.g. 02:00:00:00:00:01) (at interfaces[0].mac-address)\n',
    );
    expect(nmfleet(['validate', 'no/such/file.yml'])).toMatchObject({ status: 2, stderr: 'nmfleet: cannot read no/such/file.yml: no such file or directory\n' });
  });
});

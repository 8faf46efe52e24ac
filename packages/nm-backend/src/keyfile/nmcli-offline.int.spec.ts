import { spawnSync } from 'node:child_process';
import { parseState } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import { getConnectionType } from '../settings/nm-settings.js';
import { listGcCases, readText } from './gc-fixtures.js';
import { generateKeyfiles } from './generate-keyfiles.js';
import { checkKeyfileWithNmcli, findNmcli, type KeyFinding } from './nmcli-offline-check.js';

/*
 * Every keyfile `nmfleet gc` generates for the golden cases goes through
 * NetworkManager's own keyfile parser (`nmcli --offline`); no key may be lost
 * or changed. What this host's NetworkManager cannot know yet is allowed by
 * version, with the reason, so a newer NetworkManager makes the test stricter.
 */

const nmcli = findNmcli();

function readNmVersion(binary: string): [number, number] {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout;
  const match = /(\d+)\.(\d+)\.\d+/.exec(out);
  if (!match) throw new Error(`cannot read the NetworkManager version from '${out.trim()}'`);
  return [Number(match[1]), Number(match[2])];
}

function isOlderThan(version: [number, number], major: number, minor: number): boolean {
  return version[0] < major || (version[0] === major && version[1] < minor);
}

describe.skipIf(!nmcli)(`keyfiles pass nmcli --offline without losing a key${nmcli ? '' : ' (SKIPPED: nmcli not installed; apt-get install network-manager)'}`, () => {
  const version = nmcli ? readNmVersion(nmcli) : ([0, 0] as [number, number]);
  /** Connection types NetworkManager gained after the installed version. */
  const unknownTypes = new Map<string, string>([
    ...(isOlderThan(version, 1, 46) ? ([['hsr', 'NetworkManager knows HSR profiles from 1.46']] as const) : []),
    ...(isOlderThan(version, 1, 52) ? ([['ipvlan', 'NetworkManager knows IPVLAN profiles from 1.52']] as const) : []),
  ]);
  /** Properties NetworkManager gained after the installed version. */
  const unknownKeys = new Map<string, string>([
    ...(isOlderThan(version, 1, 44) ? ([['bond-port.prio', 'bond-port.prio exists from NetworkManager 1.44']] as const) : []),
    ...(isOlderThan(version, 1, 46) ? ([['macsec.offload', 'macsec.offload exists from NetworkManager 1.46']] as const) : []),
    ...(isOlderThan(version, 1, 52) ? ([['ethtool.fec-mode', 'ethtool.fec-mode exists from NetworkManager 1.52']] as const) : []),
    ...(isOlderThan(version, 1, 54) ? ([['ipv4.forwarding', 'ipv4.forwarding exists from NetworkManager 1.54']] as const) : []),
  ]);

  for (const c of listGcCases().filter((gc) => gc.expectedFile)) {
    it(c.name, () => {
      const parsed = parseState(readText(c.desiredFile), { file: c.desiredFile });
      if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join('; '));
      const problems: string[] = [];
      for (const file of generateKeyfiles(parsed.state).files) {
        const check = checkKeyfileWithNmcli(file.content, nmcli as string);
        expect(check.keyCount).toBeGreaterThan(0);
        const type = getConnectionType(file.settings) ?? '';
        if (check.rejected !== undefined) {
          if (!unknownTypes.has(type)) problems.push(`${file.fileName}: rejected: ${check.rejected}`);
          continue;
        }
        const lost = check.findings.filter((f: KeyFinding) => f.verdict !== 'equivalent' && !unknownKeys.has(`${f.setting}.${f.key}`));
        for (const f of lost) problems.push(`${file.fileName}: ${f.setting}.${f.key}=${f.input} ${f.verdict}${f.output === undefined ? '' : ` (nmcli: ${f.output})`}${f.reason ? `: ${f.reason}` : ''}`);
      }
      expect(problems).toEqual([]);
    });
  }

  describe('the check itself', () => {
    const base = '[connection]\nid=eth1\ntype=ethernet\ninterface-name=eth1\nuuid=0523c0a1-5f5e-5603-bcf2-68155d5d322e\n\n';

    it('reports a key NetworkManager does not know as lost', () => {
      const check = checkKeyfileWithNmcli(`${base}[ethernet]\nno-such-key=1\n`, nmcli as string);
      expect(check.findings).toMatchObject([{ setting: '802-3-ethernet', key: 'no-such-key', verdict: 'lost' }]);
    });

    it('reports an out-of-range value as lost, and a file NetworkManager refuses as rejected', () => {
      expect(checkKeyfileWithNmcli(`${base}[ethernet]\nmtu=70000000000\n`, nmcli as string).findings).toMatchObject([{ key: 'mtu', verdict: 'lost' }]);
      expect(checkKeyfileWithNmcli(`${base}[ipv4]\nmethod=bogus\n`, nmcli as string).rejected).toMatch(/ipv4.method/);
    });

    it('accepts what NetworkManager only spells differently (defaults, renumbered addresses, enum names)', () => {
      const check = checkKeyfileWithNmcli(`${base}[ipv4]\naddress0=192.0.2.1/24\nmethod=manual\nroute0=198.51.100.0/24,,0\nroute0_options=table=254\n\n[ipv6]\naddr-gen-mode=0\nmethod=disabled\n`, nmcli as string);
      expect(check.findings.every((f) => f.verdict === 'equivalent')).toBe(true);
    });
  });
});

import type { NetworkState } from '@nmfleet/model';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startNetworkManager, type NetworkManagerInstance } from '@nmfleet/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlanner } from '../apply/planner-adapter.js';
import { BackendError, type NetworkBackend } from '../backend.js';
import { describeBackendConformance } from '../testing/backend-conformance.js';
import { DNS, VETH_STATIC } from '../testing/conformance-states.js';
import { toStableJson } from '../state/state-tree.js';
import { createNetworkManagerBackend } from './network-manager-backend.js';

/** This kernel has no bond, vlan, dummy or vrf: NetworkManager stores such profiles but cannot activate them. */
const KERNEL_LACKS = ['bond', 'vlan', 'dummy', 'vrf'];
/** The operation a mid-plan failure strikes at (CHANGE_OVER_VETH_STATIC has more than twice as many). */
const FAILING_OPERATION_INDEX = 3;

let counter = 0;
function nextNamespace(): string {
  counter += 1;
  return `nmf-be-${process.pid}-${counter}`;
}

/** Links, addresses, routes and rules from the kernel, and every profile NetworkManager holds. */
async function snapshotHost(nm: NetworkManagerInstance, backend: NetworkBackend): Promise<unknown> {
  const run = async (args: string[]): Promise<string> => (await nm.exec('ip', args)).stdout;
  const [links, routes4, routes6, rules4, rules6, profiles] = await Promise.all([
    run(['-json', 'addr', 'show']),
    run(['-4', '-json', 'route', 'show', 'table', 'all']),
    run(['-6', '-json', 'route', 'show', 'table', 'all']),
    run(['-4', '-json', 'rule', 'show']),
    run(['-6', '-json', 'rule', 'show']),
    nm.nmcli(['-t', '-f', 'NAME,UUID,TYPE,DEVICE', 'connection', 'show']),
  ]);
  // Lifetimes change by themselves; everything else must match exactly.
  const stable = (text: string): unknown[] =>
    JSON.parse(text || '[]', (key, value: unknown) => (['valid_life_time', 'preferred_life_time', 'txqlen', 'operstate'].includes(key) ? undefined : value)) as unknown[];
  // NetworkManager numbers the prefix routes of addresses per activation (100, 101, …), so a re-activated
  // profile gets a new metric for them; routes anyone configured keep theirs and are compared whole.
  const routesOf = (text: string): string[] =>
    stable(text)
      .map((r) => {
        const route = r as Record<string, unknown>;
        return toStableJson(route['protocol'] === 'kernel' && route['table'] === undefined ? { ...route, metric: undefined } : route);
      })
      .sort();
  return {
    links: stable(links),
    routes: [routesOf(routes4), routesOf(routes6)],
    rules: [stable(rules4), stable(rules6)],
    profiles: profiles.split('\n').filter(Boolean).sort(),
    show: withoutRunningTimers(await backend.show({ runningConfig: true })),
  };
}

/** A bridge's garbage-collection and hello timers tick on their own (nmstatectl prints them too). */
function withoutRunningTimers(state: NetworkState): unknown {
  return JSON.parse(JSON.stringify(state), (key, value: unknown) => (key === 'gc-timer' || key === 'hello-timer' ? undefined : value)) as unknown;
}

describeBackendConformance(
  'NetworkManager in a network namespace',
  async () => {
    const nm = await startNetworkManager(nextNamespace());
    let armed: 'mid-plan' | 'verification' | undefined;
    const backend = await createNetworkManagerBackend({
      busAddress: nm.busAddress,
      namespace: nm.namespace,
      verifyRetryCount: 4,
      beforeOperation: (operation, index) => {
        if (armed === 'mid-plan' && index === FAILING_OPERATION_INDEX) {
          armed = undefined;
          throw new BackendError('operation-failed', `injected failure before ${operation.kind} ${operation.interface ?? ''}`);
        }
      },
      afterExecute: async () => {
        if (armed !== 'verification') return;
        armed = undefined;
        // Something outside NetworkManager takes the new address away: verification can never pass.
        await nm.exec('ip', ['addr', 'flush', 'dev', 'nmf-v0']);
      },
    });
    return {
      backend,
      injectFailure: (phase) => {
        armed = phase;
      },
      snapshot: () => snapshotHost(nm, backend),
      unsupportedTypes: KERNEL_LACKS,
      dispose: async () => {
        await backend.close();
        await nm.stop();
      },
    };
  },
  { planner: defaultPlanner, shortRollbackTimeoutSeconds: 1 },
);

describe('NetworkManager backend specifics', () => {
  let nm: NetworkManagerInstance;
  let backend: NetworkBackend;
  beforeAll(async () => {
    nm = await startNetworkManager(nextNamespace());
    backend = await createNetworkManagerBackend({ busAddress: nm.busAddress, namespace: nm.namespace });
  });
  afterAll(async () => {
    await backend?.close();
    await nm?.stop();
  });

  it('keeps keys of a profile it does not model through an update', async () => {
    await backend.apply(VETH_STATIC);
    await nm.nmcli([
      'connection', 'modify', 'nmf-v0',
      'connection.zone', 'trusted', '802-3-ethernet.cloned-mac-address', '02:11:22:33:44:55', 'ipv4.dhcp-hostname', 'kept', 'ipv6.ip6-privacy', '2',
    ]);
    // Adding DNS rewrites nmf-v0's profile, a new address rewrites it again.
    await backend.apply(DNS);
    const v0 = (VETH_STATIC.interfaces ?? [])[0] as unknown as Record<string, unknown>;
    await backend.apply({ interfaces: [{ ...v0, ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.0.2.9', 'prefix-length': 24 }] } }] } as never);
    const kept = await nm.nmcli(['-g', 'connection.zone,802-3-ethernet.cloned-mac-address,ipv4.dhcp-hostname,ipv6.ip6-privacy,ipv4.addresses', 'connection', 'show', 'nmf-v0']);
    expect(kept.trim().replaceAll('\\:', ':').split('\n')).toEqual(['trusted', '02:11:22:33:44:55', 'kept', '2', '192.0.2.9/24']);
  });

  it('writes what the desired state asks for into profiles, not the MAC address and MTU the host shows', async () => {
    await backend.apply(VETH_STATIC);
    // The second apply merges over a current state that shows both ends' MAC address and MTU.
    const v0p = (VETH_STATIC.interfaces ?? [])[1] as unknown as Record<string, unknown>;
    await backend.apply({ interfaces: [{ ...v0p, ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.0.2.3', 'prefix-length': 24 }] } }] } as never);
    const keyfile = await readFile(join(nm.dir, 'etc', 'system-connections', 'nmf-v0p.nmconnection'), 'utf8');
    expect(keyfile).toContain('address1=192.0.2.3/24');
    expect(keyfile).not.toMatch(/cloned-mac-address|^mtu=/m);
  });

  it('writes profiles to disk unless --memory-only', async () => {
    const keyfile = async (name: string): Promise<boolean> => existsSync(join(nm.dir, 'etc', 'system-connections', `${name}.nmconnection`));
    await backend.apply({ interfaces: [{ name: 'nmf-mem', type: 'veth', state: 'up', veth: { peer: 'nmf-memp' } }, { name: 'nmf-memp', type: 'veth', state: 'up', veth: { peer: 'nmf-mem' } }] } as never, { memoryOnly: true });
    expect(await keyfile('nmf-mem')).toBe(false);
    expect(await keyfile('nmf-v0')).toBe(true);
  });

  it('refuses to change the hostname of the machine, before anything changes', async () => {
    await expect(backend.apply({ hostname: { config: 'nmfleet-test' } } as never)).rejects.toMatchObject({ kind: 'unsupported', details: { rolledBack: true } });
  });

  it('answers unavailable when NetworkManager is not on the bus', async () => {
    await expect(createNetworkManagerBackend({ busAddress: 'unix:path=/nonexistent/bus.sock' })).rejects.toMatchObject({ kind: 'unavailable' });
  });
});

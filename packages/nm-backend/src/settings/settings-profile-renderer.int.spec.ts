import { startNetworkManager, type NetworkManagerInstance } from '@nmfleet/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlanner } from '../apply/planner-adapter.js';
import { BackendError, type NetworkBackend } from '../backend.js';
import { createNetworkManagerBackend } from '../network-manager/network-manager-backend.js';
import { toStableJson } from '../state/state-tree.js';
import { describeBackendConformance } from '../testing/backend-conformance.js';
import { VETH_STATIC } from '../testing/conformance-states.js';
import { settingsProfileRenderer } from './settings-profile-renderer.js';

/** This kernel has no bond, vlan, dummy or vrf: NetworkManager stores such profiles but cannot activate them. */
const KERNEL_LACKS = ['bond', 'vlan', 'dummy', 'vrf'];
const FAILING_OPERATION_INDEX = 3;

let counter = 0;
function nextNamespace(): string {
  counter += 1;
  return `nmf-sr-${process.pid}-${counter}`;
}

/** Links, addresses, routes, rules and profiles: what a rolled-back apply must leave as it found. */
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
  const stable = (text: string): unknown[] =>
    JSON.parse(text || '[]', (key, value: unknown) => (['valid_life_time', 'preferred_life_time', 'txqlen', 'operstate'].includes(key) ? undefined : value)) as unknown[];
  // Prefix routes of addresses get a new metric on every activation.
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
    show: await backend.show({ runningConfig: true }),
  };
}

// The D-Bus backend's own conformance suite, with profiles rendered by src/settings instead of its built-in renderer.
describeBackendConformance(
  'NetworkManager with the src/settings profile renderer',
  async () => {
    const nm = await startNetworkManager(nextNamespace());
    let armed: 'mid-plan' | 'verification' | undefined;
    const backend = await createNetworkManagerBackend({
      busAddress: nm.busAddress,
      namespace: nm.namespace,
      renderer: settingsProfileRenderer,
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

describe('src/settings profiles through NetworkManager', () => {
  let nm: NetworkManagerInstance;
  let backend: NetworkBackend;
  beforeAll(async () => {
    nm = await startNetworkManager(nextNamespace());
    backend = await createNetworkManagerBackend({ busAddress: nm.busAddress, namespace: nm.namespace, renderer: settingsProfileRenderer });
  });
  afterAll(async () => {
    await backend?.close();
    await nm?.stop();
  });

  it('keeps keys of a profile it does not model through an update', async () => {
    await backend.apply(VETH_STATIC);
    await nm.nmcli(['connection', 'modify', 'nmf-v0', 'connection.zone', 'trusted', 'ipv4.dhcp-hostname', 'kept', 'ipv6.ip6-privacy', '2']);
    // A new address rewrites nmf-v0's profile.
    const v0 = (VETH_STATIC.interfaces ?? [])[0] as unknown as Record<string, unknown>;
    await backend.apply({ interfaces: [{ ...v0, ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.0.2.9', 'prefix-length': 24 }] } }] } as never);
    const kept = await nm.nmcli(['-g', 'connection.zone,ipv4.dhcp-hostname,ipv6.ip6-privacy,ipv4.addresses', 'connection', 'show', 'nmf-v0']);
    expect(kept.trim().split('\n')).toEqual(['trusted', 'kept', '2', '192.0.2.9/24']);
  });
});

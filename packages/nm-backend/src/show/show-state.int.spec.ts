import { findCachedNmstatectl, startNetworkManager, type NetworkManagerInstance } from '@nmfleet/testenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkBackend } from '../backend.js';
import { createNetworkManagerBackend } from '../network-manager/network-manager-backend.js';
import { toStableJson, viewState, type InterfaceTree, type Tree } from '../state/state-tree.js';
import { BRIDGE_WITH_PORTS, DNS, MAC_VLAN, ROUTE_RULES, VXLAN } from '../testing/conformance-states.js';

const nmstatectl = findCachedNmstatectl();
if (!nmstatectl) console.warn('show-state.int.spec: nmstatectl is not built (npm run testenv -- install --for test); the differential show test is skipped');

/**
 * What `nmfleet show` prints must agree with `nmstatectl show` on the same
 * host, for every property we print. nmstatectl prints more (ethtool, LLDP,
 * bridge and port options, dispatch, …); those are listed in ADR 0005.
 */
describe.skipIf(!nmstatectl)('show against nmstatectl show on the same NetworkManager', () => {
  let nm: NetworkManagerInstance;
  let backend: NetworkBackend;
  beforeAll(async () => {
    nm = await startNetworkManager(`nmf-show-${process.pid}`);
    backend = await createNetworkManagerBackend({ busAddress: nm.busAddress, namespace: nm.namespace });
    for (const state of [BRIDGE_WITH_PORTS, MAC_VLAN, VXLAN, ROUTE_RULES, DNS]) await backend.apply(state);
  });
  afterAll(async () => {
    await backend?.close();
    await nm?.stop();
  });

  it('agrees on interfaces, addresses, routes, rules and DNS', async () => {
    const theirs = JSON.parse((await nm.exec(nmstatectl!, ['show', '--json'])).stdout) as Tree;
    const ours = (await backend.show()) as unknown as Tree;
    const theirView = viewState(theirs);
    const ourView = viewState(ours);

    const byName = new Map(theirView.interfaces.map((i) => [i.name, i]));
    expect(ourView.interfaces.map((i) => i.name).sort()).toEqual(theirView.interfaces.map((i) => i.name).sort());
    for (const iface of ourView.interfaces) {
      const other = byName.get(iface.name)!;
      expect(project(iface), iface.name).toEqual(project(other));
    }
    expect(sortEntries(ourView.routes?.config)).toEqual(sortEntries(theirView.routes?.config));
    expect(sortEntries(ourView.routes?.running)).toEqual(sortEntries(theirView.routes?.running));
    expect(sortEntries(ourView.routeRules?.config)).toEqual(sortEntries(theirView.routeRules?.config));
    expect(ourView.dnsResolver?.config).toEqual(theirView.dnsResolver?.config);
  });
});

/** The properties `nmfleet show` prints, in a comparable form. */
function project(iface: InterfaceTree): Tree {
  const ip = (family: 'ipv4' | 'ipv6'): Tree => {
    const section = (iface[family] ?? {}) as Tree;
    const addresses = Array.isArray(section['address']) ? (section['address'] as Tree[]) : [];
    return {
      enabled: section['enabled'],
      dhcp: section['enabled'] === true ? section['dhcp'] : undefined,
      address: addresses.map((a) => `${String(a['ip'])}/${String(a['prefix-length'])}`).sort(),
    };
  };
  const out: Tree = {
    type: iface.type,
    state: iface.state,
    'mac-address': iface['mac-address'],
    mtu: iface['mtu'],
    controller: iface['controller'],
    ipv4: ip('ipv4'),
    ipv6: ip('ipv6'),
  };
  for (const key of ['veth', 'mac-vlan', 'vxlan']) if (iface[key] !== undefined) out[key] = iface[key];
  const bridge = iface['bridge'] as Tree | undefined;
  if (bridge) {
    const ports = Array.isArray(bridge['port']) ? (bridge['port'] as Tree[]) : [];
    out['bridge-ports'] = ports.map((p) => p['name']).sort();
    out['stp'] = ((bridge['options'] as Tree | undefined)?.['stp'] as Tree | undefined)?.['enabled'];
  }
  return out;
}

function sortEntries(entries: Tree[] | undefined): string[] {
  return (entries ?? []).map((e) => toStableJson(e)).sort();
}

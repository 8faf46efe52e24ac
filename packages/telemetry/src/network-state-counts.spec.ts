import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isTelemetryError } from './errors.js';
import { countNetworkState } from './network-state-counts.js';

const UPSTREAM_POLICY_EXAMPLES = new URL('../../../testdata/upstream/nmstate/examples/policy/', import.meta.url);

function readUpstreamCurrentState(example: string): unknown {
  return load(readFileSync(new URL(`${example}/current.yml`, UPSTREAM_POLICY_EXAMPLES), 'utf8'));
}

describe('countNetworkState', () => {
  // Expected counts read off the upstream files by hand.
  it.each([
    ['capture_all', { ethernet: 1 }, { ipv4: { static: 1, dynamic: 0 }, ipv6: { static: 0, dynamic: 0 } }],
    ['bridge-on-default-gw-dhcp', { ethernet: 1 }, { ipv4: { static: 0, dynamic: 2 }, ipv6: { static: 0, dynamic: 0 } }],
  ])('counts upstream current state %s', (example, interfaces, routes) => {
    expect(countNetworkState(readUpstreamCurrentState(example))).toEqual({ interfacesByType: interfaces, routes });
  });

  it('counts interfaces by type, IPv6 by a colon in the destination, static by a configured destination', () => {
    const counts = countNetworkState({
      interfaces: [
        { name: 'eth0', type: 'ethernet' },
        { name: 'eth1', type: 'ethernet' },
        { name: 'bond0', type: 'bond' },
        { name: 'mystery' },
        'not-an-interface',
      ],
      routes: {
        config: [
          { destination: '0.0.0.0/0', 'next-hop-address': '192.0.2.1' },
          { destination: '2001:db8::/64', 'next-hop-interface': 'eth1' },
        ],
        running: [
          { destination: '0.0.0.0/0', 'next-hop-address': '192.0.2.254' },
          { destination: '198.51.100.0/24' },
          { destination: '2001:db8::/64' },
          { destination: 'fe80::/64' },
          { destination: 'fe80::/64', 'table-id': 255 },
        ],
      },
    });
    expect(counts).toEqual({
      interfacesByType: { ethernet: 2, bond: 1 },
      routes: { ipv4: { static: 1, dynamic: 1 }, ipv6: { static: 1, dynamic: 2 } },
    });
  });

  it('counts nothing in an empty state', () => {
    expect(countNetworkState({})).toEqual({
      interfacesByType: {},
      routes: { ipv4: { static: 0, dynamic: 0 }, ipv6: { static: 0, dynamic: 0 } },
    });
  });

  it.each([
    [null, 'the network state must be a mapping, got null'],
    [[], 'the network state must be a mapping, got a list'],
    [{ interfaces: { eth0: {} } }, 'interfaces must be a list, got a mapping'],
    [{ routes: [] }, 'routes must be a mapping, got a list'],
    [{ routes: { running: 'none' } }, 'routes.running must be a list, got string "none"'],
  ])('refuses %j', (state, message) => {
    let caught: unknown;
    try {
      countNetworkState(state);
    } catch (error) {
      caught = error;
    }
    expect(isTelemetryError(caught, 'invalid-state')).toBe(true);
    expect((caught as Error).message).toBe(message);
  });
});

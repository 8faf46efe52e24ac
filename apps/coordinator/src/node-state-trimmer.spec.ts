import { describe, expect, it } from 'vitest';
import { trimNodeState } from './node-state-trimmer.js';

function hugeState(interfaces: number, routes: number) {
  return {
    routes: {
      config: [{ destination: '0.0.0.0/0', 'next-hop-address': '192.0.2.1' }],
      running: Array.from({ length: routes }, (_, i) => ({ destination: `10.${i >> 8}.${i & 255}.0/24`, 'next-hop-address': '192.0.2.1' })),
    },
    interfaces: Array.from({ length: interfaces }, (_, i) => ({
      name: `eth${i}`,
      type: 'ethernet',
      state: i % 2 === 0 ? 'up' : 'down',
      ethtool: { feature: Object.fromEntries(Array.from({ length: 60 }, (_, f) => [`feature-number-${f}`, f % 2 === 0])) },
      lldp: { enabled: true, neighbors: [[{ type: 1, 'system-name': 'switch' }]] },
    })),
  };
}

describe('trimNodeState', () => {
  it('keeps a small state untouched', () => {
    const state = hugeState(2, 2);
    expect(trimNodeState(state)).toEqual({ state, bytes: JSON.stringify(state).length, dropped: [] });
  });

  it('drops verbose interface fields first', () => {
    const state = hugeState(600, 10);
    const trimmed = trimNodeState(state, 200_000);
    expect(trimmed.bytes).toBeLessThanOrEqual(200_000);
    expect(trimmed.dropped).toHaveLength(1);
    const first = (trimmed.state as ReturnType<typeof hugeState>).interfaces[0];
    expect(first).toEqual({ name: 'eth0', type: 'ethernet', state: 'up', lldp: { enabled: true } });
  });

  it('then limits running routes, keeping configured ones', () => {
    const trimmed = trimNodeState(hugeState(4, 20_000), 150_000);
    expect(trimmed.bytes).toBeLessThanOrEqual(150_000);
    const routes = (trimmed.state as ReturnType<typeof hugeState>).routes;
    expect(routes.running).toHaveLength(1000);
    expect(routes.config).toHaveLength(1);
  });

  it('finally keeps the interfaces that fit, up ones first', () => {
    const trimmed = trimNodeState(hugeState(5000, 0), 40_000);
    expect(trimmed.bytes).toBeLessThanOrEqual(40_000);
    const kept = (trimmed.state as ReturnType<typeof hugeState>).interfaces;
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((i) => i.state === 'up')).toBe(true);
    expect(trimmed.dropped.at(-1)).toMatch(/of 5000 interfaces/);
  });
});

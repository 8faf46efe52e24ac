import type { Interface, RouteRuleEntry } from '@nmfleet/model';
import { describe, expect, it } from 'vitest';
import type { PlacedInterface, PlacedInterfaces } from './placed-interface.js';
import { findRuleInterface, storeRules } from './rule-placement.js';

const staticV4 = { enabled: true, dhcp: false, address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] };

function placed(name: string, options: { desired?: boolean; held?: RouteRuleEntry[]; type?: string } = {}): PlacedInterface {
  const iface = { name, type: options.type ?? 'ethernet', state: 'up', ipv4: staticV4 } as Interface;
  return {
    name,
    merged: iface,
    current: iface,
    ...(options.desired ? { desired: iface, forApply: iface } : {}),
    ...(options.held ? { held: { rules: { ipv4: options.held }, dns: {} } } : {}),
  };
}

function interfaces(...list: PlacedInterface[]): PlacedInterfaces {
  return { kernel: new Map(list.map((i) => [i.name, i])), user: new Map(), insertOrder: list.filter((i) => i.desired).map((i) => ({ name: i.name, type: i.merged.type })) };
}

const noRoutes = { byInterface: new Map(), changedInterfaces: [] };

describe('rule placement (shared by apply and gc)', () => {
  it('prefers the interface whose routes change and use the rule table, then changed, then unchanged ones by name', () => {
    const ifaces = interfaces(placed('a0', { desired: true }), placed('b0', { desired: true }), placed('c0'));
    const routes = { byInterface: new Map([['b0', [{ destination: '203.0.113.0/24', 'next-hop-interface': 'b0', 'table-id': 100 }]], ['c0', [{ destination: '198.51.100.0/24', 'next-hop-interface': 'c0', 'table-id': 200 }]]]), changedInterfaces: ['b0'] };
    expect(findRuleInterface({ 'ip-from': '192.0.2.0/24', 'route-table': 100, priority: 1 }, routes, ifaces)).toBe('b0');
    // Main-table rules: every interface routes the main table through its own auto routes; the first changed one wins.
    expect(findRuleInterface({ 'ip-from': '192.0.2.0/24', priority: 1 }, noRoutes, ifaces)).toBe('a0');
    expect(findRuleInterface({ 'ip-from': '192.0.2.0/24', 'route-table': 200, priority: 1 }, routes, ifaces)).toBe('c0');
    expect(findRuleInterface({ 'ip-from': '192.0.2.0/24', 'route-table': 300, priority: 1, iif: 'c0' }, routes, ifaces)).toBe('c0');
    expect(findRuleInterface({ 'ip-from': '192.0.2.0/24', 'route-table': 300, priority: 1 }, routes, interfaces(placed('c0')))).toBe('lo');
  });

  it('leaves a rule where a profile holds it (a mark written in hex too), and removes what an absent entry matches', () => {
    const held: RouteRuleEntry = { family: 'ipv4', 'ip-from': '198.51.100.0/24', 'route-table': 100, priority: 1000, fwmark: 48 };
    const gone: RouteRuleEntry = { family: 'ipv4', 'ip-to': '10.9.0.0/16', 'route-table': 100, priority: 1001 };
    const b0 = placed('b0', { held: [held, gone] });
    const a0 = placed('a0', { desired: true });
    const ifaces = interfaces(a0, b0);
    storeRules([{ ...held, fwmark: '0x30' as unknown as number }, { 'ip-to': '10.9.0.0/16', state: 'absent' }], noRoutes, ifaces);
    expect(a0.rules).toBeUndefined();
    expect(b0.rules).toEqual({ ipv4: [held] });
    expect(b0.forApply).toMatchObject({ name: 'b0', type: 'ethernet' });
  });
});

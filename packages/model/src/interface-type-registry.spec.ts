import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTERFACE_TYPES, interfaceTypeRegistry, parseState } from './index.js';
import { baseInterfaceFields } from './base-interface.js';

describe('the interface type registry', () => {
  it('has one entry per type, under its own name, with distinct nmstate positions', () => {
    for (const type of INTERFACE_TYPES) expect(interfaceTypeRegistry[type].type).toBe(type);
    const orders = INTERFACE_TYPES.map((type) => interfaceTypeRegistry[type].nmstateOrder);
    expect(new Set(orders).size).toBe(orders.length);
  });

  it('gives no type a key that the base interface already has', () => {
    const baseKeys = Object.keys(baseInterfaceFields(6));
    for (const type of INTERFACE_TYPES) {
      expect(Object.keys(interfaceTypeRegistry[type].fields).filter((key) => baseKeys.includes(key))).toEqual([]);
    }
  });

  it('has a valid example for every type', () => {
    for (const type of INTERFACE_TYPES) {
      const result = parseState(`interfaces:\n${interfaceTypeRegistry[type].example}\n`);
      expect(result.ok ? result.state.interfaces[0]?.type : result.issues).toBe(type);
    }
  });

  it('has every modelled type in the golden fixture that is checked against nmstatectl', () => {
    const fixture = readFileSync(new URL('./__fixtures__/valid/all-interface-types.yml', import.meta.url), 'utf8');
    const result = parseState(fixture);
    if (!result.ok) throw new Error('the fixture must be valid');
    const covered = new Set(result.state.interfaces.map((iface) => iface.type));
    expect(INTERFACE_TYPES.filter((type) => type !== 'unknown' && !covered.has(type))).toEqual([]);
  });
});

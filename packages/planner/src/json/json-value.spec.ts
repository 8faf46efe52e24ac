import { describe, expect, it } from 'vitest';
import { cloneJson, isJsonEqual, type JsonObject } from './json-value.js';

describe('cloneJson', () => {
  it('copies objects and arrays at every depth, sharing nothing with the original', () => {
    const original: JsonObject = { interfaces: [{ name: 'eth0', ipv4: { address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] } }], hostname: null };
    const copy = cloneJson(original);
    expect(copy).toEqual(original);
    expect(isJsonEqual(copy, original)).toBe(true);
    const iface = (copy['interfaces'] as JsonObject[])[0] as JsonObject;
    ((iface['ipv4'] as JsonObject)['address'] as JsonObject[]).push({ ip: '192.0.2.2', 'prefix-length': 24 });
    iface['name'] = 'eth1';
    expect(original).toEqual({ interfaces: [{ name: 'eth0', ipv4: { address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] } }], hostname: null });
  });

  it('returns primitives and undefined as they are, and keeps keys whose value is undefined', () => {
    expect(cloneJson(undefined)).toBeUndefined();
    expect(cloneJson(null)).toBeNull();
    expect(cloneJson('up')).toBe('up');
    expect(cloneJson(1500)).toBe(1500);
    const withUndefined = cloneJson({ a: undefined, b: [1, 'x', false] } as unknown as JsonObject);
    expect(Object.keys(withUndefined)).toEqual(['a', 'b']);
    expect(withUndefined).toStrictEqual({ a: undefined, b: [1, 'x', false] });
  });
});

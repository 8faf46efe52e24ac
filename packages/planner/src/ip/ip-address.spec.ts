import { describe, expect, it } from 'vitest';
import { isPlannerError } from '../errors.js';
import { canonicalizeIp, canonicalizeNetwork, isIpAddress, isIpv6LinkLocal } from './ip-address.js';

describe('canonicalizeIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7331', '2001:db8:85a3::8a2e:370:7331'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::', '::'],
    ['fe80::', 'fe80::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::FFFF:c000:0201', '::ffff:192.0.2.1'],
  ])('%s → %s', (input, expected) => expect(canonicalizeIp(input)).toBe(expected));

  it.each(['256.1.1.1', '1.2.3', '2001:db8:::1', '2001:db8::1::2', 'g::1', '1:2:3:4:5:6:7:8:9', ''])('rejects %s naming what was expected', (input) => {
    let caught: unknown;
    try {
      canonicalizeIp(input, 'route next-hop-address');
    } catch (e) {
      caught = e;
    }
    expect(isPlannerError(caught, 'invalid-argument')).toBe(true);
    expect((caught as Error).message).toMatch(/^Invalid route next-hop-address '.*': expected an IPv[46] address$/);
    expect(isIpAddress(input)).toBe(false);
  });
});

describe('canonicalizeNetwork', () => {
  it.each([
    ['192.0.2.77/24', '192.0.2.0/24'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.0.2.1', '192.0.2.1/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:db8:1:2::5/64', '2001:db8:1:2::/64'],
    ['2001:db8:ffff::/33', '2001:db8:8000::/33'],
    ['::/0', '::/0'],
    ['2001:db8::1', '2001:db8::1/128'],
  ])('%s → %s', (input, expected) => expect(canonicalizeNetwork(input)).toBe(expected));

  it.each(['192.0.2.0/33', '2001:db8::/129', '192.0.2.0/x'])('rejects the prefix of %s', (input) => {
    expect(() => canonicalizeNetwork(input, 'route destination')).toThrow(/^Invalid route destination .*prefix must be an integer 0\.\.(32|128)$/);
  });
});

describe('isIpv6LinkLocal', () => {
  it.each([
    ['fe80::50ad:95ff:fe1b:2066', true],
    ['febf::1', true],
    ['fec0::1', false],
    ['2001:db8::1', false],
    ['169.254.1.1', false],
  ])('%s → %s', (input, expected) => expect(isIpv6LinkLocal(input)).toBe(expected));
});

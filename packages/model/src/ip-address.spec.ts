import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToIp, ipFamilyOf, ipToBytes, isIpv4Address, isIpv6Address, networkAddress, normalizeIp, parseIpPrefix } from './ip-address.js';

describe('IP addresses', () => {
  it.each([
    ['2001:DB8:0:0:0:0:0:A', '2001:db8::a'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:0:0:1:0:0:1:1', '2001::1:0:0:1:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::102:304'],
    ['fe80::0001', 'fe80::1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['192.0.2.1', '192.0.2.1'],
  ])('prints %s as nmstate does: %s', (text, canonical) => {
    expect(normalizeIp(text)).toBe(canonical);
  });

  it.each(['192.000.2.1', '192.0.2.256', '1.2.3', '1.2.3.4.5', '01.2.3.4', ' 1.2.3.4', '1.2.3.4 ', ''])(
    'rejects the IPv4 text %j',
    (text) => expect(isIpv4Address(text)).toBe(false),
  );

  it.each([':1', '1:', ':::', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', 'fe80::1%eth0', '::1.2.3', '1.2.3.4::'])(
    'rejects the IPv6 text %j',
    (text) => expect(isIpv6Address(text)).toBe(false),
  );

  it('accepts what Node accepts for IPv4 without leading zeros, and every IPv6 Node accepts', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        expect(isIpv4Address(text)).toBe(true);
        expect(normalizeIp(text)).toBe(text);
      }),
      { seed: 42, numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        expect(isIpv6Address(text)).toBe(isIP(text) === 6);
        const canonical = normalizeIp(text) as string;
        expect(isIP(canonical)).toBe(6);
        expect(normalizeIp(canonical)).toBe(canonical);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('parses prefixes as route destinations: a bare address is a host', () => {
    expect(parseIpPrefix('198.51.100.0/24')).toEqual({ family: 4, ip: '198.51.100.0', prefixLength: 24 });
    expect(parseIpPrefix('2001:DB8::/64')).toEqual({ family: 6, ip: '2001:db8::', prefixLength: 64 });
    expect(parseIpPrefix('192.0.2.1')).toEqual({ family: 4, ip: '192.0.2.1', prefixLength: 32 });
    expect(parseIpPrefix('::1')).toEqual({ family: 6, ip: '::1', prefixLength: 128 });
    expect(parseIpPrefix('192.0.2.0/33')).toBeUndefined();
    expect(parseIpPrefix('192.0.2.0/')).toBeUndefined();
    expect(parseIpPrefix('192.0.2.0/x')).toBeUndefined();
    expect(ipFamilyOf('example.com')).toBeUndefined();
  });

  it('converts addresses to network-order bytes and back, canonically', () => {
    expect(Array.from(ipToBytes('192.0.2.10') ?? [])).toEqual([192, 0, 2, 10]);
    expect(Array.from(ipToBytes('::ffff:192.0.2.1') ?? [])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
    expect(ipToBytes('192.0.2.010')).toBeUndefined();
    expect(bytesToIp(ipToBytes('2001:DB8:0:0:0:0:0:A') as Uint8Array)).toBe('2001:db8::a');
    expect(() => bytesToIp(new Uint8Array(5))).toThrow(/4 or 16 bytes/);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(Array.from(ipToBytes(bytesToIp(bytes)) ?? [])).toEqual(Array.from(bytes));
      }),
      { seed: 7, numRuns: 1000 },
    );
  });

  it('clears host bits for a network address', () => {
    expect(networkAddress('192.0.2.77', 24)).toBe('192.0.2.0');
    expect(networkAddress('10.1.2.3', 0)).toBe('0.0.0.0');
    expect(networkAddress('2001:db8:ffff::1', 33)).toBe('2001:db8:8000::');
    expect(networkAddress('2001:db8::1', 128)).toBe('2001:db8::1');
    expect(networkAddress('192.0.2.1', 33)).toBeUndefined();
    expect(networkAddress('192.0.2.1', 1.5)).toBeUndefined();
    expect(networkAddress('not-an-ip', 8)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { isMacAddress, normalizeMacAddress } from './mac-address.js';

describe('MAC addresses', () => {
  it('accepts six hex octets separated by colons, in any case', () => {
    expect(isMacAddress('02:00:00:00:00:01')).toBe(true);
    expect(isMacAddress('0E:f9:2b:28:42:D9')).toBe(true);
  });

  it.each(['02:00:00:00:00', '02:00:00:00:00:01:02', '02-00-00-00-00-01', '0200.0000.0001', '2:0:0:0:0:1', 'zz:00:00:00:00:01', ''])(
    'rejects %j as an Ethernet address',
    (text) => expect(isMacAddress(text)).toBe(false),
  );

  it('knows InfiniBand addresses have 20 octets, and other links any length', () => {
    const ib = '80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:01:02:03';
    expect(isMacAddress(ib, 20)).toBe(true);
    expect(isMacAddress(ib)).toBe(false);
    expect(isMacAddress('0a:00:00:01', 'any')).toBe(true);
  });

  it('normalizes to the upper case nmstate reports', () => {
    expect(normalizeMacAddress('0e:f9:2b:28:42:d9')).toBe('0E:F9:2B:28:42:D9');
  });
});

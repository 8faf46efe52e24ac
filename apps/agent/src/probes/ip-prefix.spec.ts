import { describe, expect, it } from 'vitest';
import { isInSubnet, parseAddress } from './ip-prefix.js';

describe('isInSubnet', () => {
  it.each([
    ['192.0.2.1', '192.0.2.10', 24, true],
    ['192.0.3.1', '192.0.2.10', 24, false],
    ['10.0.0.1', '0.0.0.0', 0, true],
    ['192.0.2.1', '192.0.2.1', 32, true],
    ['2001:db8::1', '2001:db8::ff', 64, true],
    ['2001:db8:1::1', '2001:db8::', 48, false],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.0', 120, true],
    ['192.0.2.1', '2001:db8::', 0, false],
    ['fe80::1%eth0', 'fe80::', 64, true],
  ])('%s in %s/%d is %s', (address, network, prefix, expected) => {
    expect(isInSubnet(address, network, prefix)).toBe(expected);
  });

  it.each(['256.0.0.1', '1.2.3', '1::2::3', 'zz::1', '1:2:3:4:5:6:7:8:9'])('refuses %s', (text) => {
    expect(parseAddress(text)).toBeUndefined();
  });
});

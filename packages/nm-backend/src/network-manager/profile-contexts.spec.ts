import { describe, expect, it } from 'vitest';
import { assignProfileContexts } from './profile-contexts.js';

const staticIp = { enabled: true, dhcp: false, address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] };

describe('assignProfileContexts', () => {
  it('puts routes on their next-hop interface, rules with the routes of their table, DNS on the default-route interface', () => {
    const contexts = assignProfileContexts({
      interfaces: [
        { name: 'a', type: 'veth', state: 'up', ipv4: staticIp },
        { name: 'b', type: 'veth', state: 'up', ipv4: staticIp },
        { name: 'gone', type: 'veth', state: 'absent' },
      ],
      routes: {
        config: [
          { destination: '0.0.0.0/0', 'next-hop-interface': 'b', 'next-hop-address': '192.0.2.254', 'table-id': 254 },
          { destination: '203.0.113.0/24', 'next-hop-interface': 'b', 'table-id': 100 },
        ],
      },
      'route-rules': { config: [{ 'ip-from': '198.51.100.0/24', 'route-table': 100 }, { 'ip-to': '10.0.0.0/8', 'route-table': 200 }] },
      'dns-resolver': { config: { server: ['192.0.2.53'], search: ['example.com'] } },
    });
    expect([...contexts.keys()]).toEqual(['a', 'b']);
    expect(contexts.get('b')!.routes).toHaveLength(2);
    expect(contexts.get('b')!.rules).toEqual([{ 'ip-from': '198.51.100.0/24', 'route-table': 100 }]);
    // No route uses table 200: the rule goes to the first interface with IPv4.
    expect(contexts.get('a')!.rules).toEqual([{ 'ip-to': '10.0.0.0/8', 'route-table': 200 }]);
    expect(contexts.get('b')!.dns).toEqual({ server: ['192.0.2.53'], search: ['example.com'] });
    expect(contexts.get('a')!.dns).toBeUndefined();
  });

  it('refuses DNS servers no interface can hold, naming what is missing', () => {
    expect(() =>
      assignProfileContexts({
        interfaces: [{ name: 'a', type: 'veth', state: 'up', ipv4: staticIp, ipv6: { enabled: false } }],
        'dns-resolver': { config: { server: ['2001:db8::53'] } },
      }),
    ).toThrow(/no interface can hold the DNS configuration: expected one with static ipv6 addresses/);
  });
});

import { describe, expect, it } from 'vitest';
import { BackendError } from '../backend.js';
import { ipv4ToNetworkUint32, ipv6ToBytes } from '../settings/ip-bytes.js';
import type { NmSettings } from '../settings/nm-settings.js';
import { nmValue as v } from '../settings/nm-value.js';
import { renderKeyfile } from './keyfile-writer.js';

const ETH1_CONNECTION = {
  id: v.string('eth1'),
  uuid: v.string('0523c0a1-5f5e-5603-bcf2-68155d5d322e'),
  type: v.string('802-3-ethernet'),
  'interface-name': v.string('eth1'),
  autoconnect: v.bool(true),
  'autoconnect-slaves': v.int32(-1),
};

describe('renderKeyfile', () => {
  it('prints addresses, routes, DNS and rules the way nmstatectl gc does (dns_edit_eth1 + route rule)', () => {
    const settings: NmSettings = {
      ipv6: {
        method: v.string('manual'),
        'address-data': v.dictList([{ address: v.string('2001:db8:1::a'), prefix: v.uint32(64) }]),
        'route-data': v.dictList([{ dest: v.string('::'), prefix: v.uint32(0), 'next-hop': v.string('2001:db8:1::1'), metric: v.uint32(1024), table: v.uint32(254) }]),
        'routing-rules': v.dictList([]),
        dns: v.bytesList([ipv6ToBytes('2001:4860:4860::8888') ?? new Uint8Array()]),
        'dns-search': v.stringList(['example.com', 'example.org']),
        'dns-options': v.stringList(['rotate', 'debug']),
        'dns-priority': v.int32(40),
        'addr-gen-mode': v.int32(0),
        'dhcp-timeout': v.int32(2147483647),
      },
      connection: ETH1_CONNECTION,
      ipv4: {
        method: v.string('manual'),
        'address-data': v.dictList([{ address: v.string('192.0.2.10'), prefix: v.uint32(24) }]),
        'route-data': v.dictList([{ dest: v.string('0.0.0.0'), prefix: v.uint32(0), 'next-hop': v.string('192.0.2.1'), metric: v.uint32(0), table: v.uint32(254) }]),
        'routing-rules': v.dictList([
          {
            family: v.int32(2),
            priority: v.uint32(100),
            from: v.string('198.51.100.0'),
            'from-len': v.byte(24),
            to: v.string('192.0.2.0'),
            'to-len': v.byte(24),
            table: v.uint32(254),
            fwmark: v.uint32(48),
            fwmask: v.uint32(16),
          },
        ]),
        dns: v.uint32List([ipv4ToNetworkUint32('8.8.8.8') ?? 0]),
        'dns-priority': v.int32(50),
        'dhcp-timeout': v.int32(2147483647),
      },
    };
    expect(renderKeyfile(settings)).toBe(`[connection]
autoconnect=true
autoconnect-slaves=-1
id=eth1
interface-name=eth1
type=802-3-ethernet
uuid=0523c0a1-5f5e-5603-bcf2-68155d5d322e

[ipv4]
address0=192.0.2.10/24
dhcp-timeout=2147483647
dns=8.8.8.8
dns-priority=50
method=manual
route0=0.0.0.0/0,192.0.2.1,0
route0_options=table=254
routing-rule0=priority 100 to 192.0.2.0/24 from 198.51.100.0/24 table 254 fwmark 48/16

[ipv6]
addr-gen-mode=0
address0=2001:db8:1::a/64
dhcp-timeout=2147483647
dns=2001:4860:4860::8888
dns-options=rotate;debug
dns-priority=40
dns-search=example.com;example.org
method=manual
route0=::/0,2001:db8:1::1,1024
route0_options=table=254
`);
  });

  it('prints route options in nmstate order, an empty next hop, and rule defaults', () => {
    const text = renderKeyfile({
      ipv4: {
        'route-data': v.dictList([
          { dest: v.string('198.51.100.0'), prefix: v.uint32(24), 'next-hop': v.string('192.0.2.1'), metric: v.uint32(150), table: v.uint32(254), cwnd: v.uint32(20), 'lock-cwnd': v.bool(true), src: v.string('192.0.2.251') },
          { dest: v.string('198.51.200.0'), prefix: v.uint32(24), metric: v.uint32(0), table: v.uint32(254), type: v.string('blackhole') },
        ]),
        'routing-rules': v.dictList([{ family: v.int32(10), priority: v.uint32(5), action: v.byte(6) }]),
      },
    });
    expect(text).toBe(`[ipv4]
route0=198.51.100.0/24,192.0.2.1,150
route0_options=table=254,cwnd=20,lock-cwnd=true,src=192.0.2.251
route1=198.51.200.0/24,,0
route1_options=table=254,type=blackhole
routing-rule0=priority 5 from ::/0 type blackhole table 254
`);
  });

  it('flattens bond options, VLAN ranges, SR-IOV VFs, OVS data, EAP and certificate paths; renames 802-3-ethernet', () => {
    const text = renderKeyfile({
      'bridge-port': {
        vlans: v.dictList([
          { 'vid-start': v.uint16(500), 'vid-end': v.uint16(599), pvid: v.bool(false), untagged: v.bool(false) },
          { 'vid-start': v.uint16(100), 'vid-end': v.uint16(100), pvid: v.bool(true), untagged: v.bool(true) },
        ]),
      },
      bond: { options: v.stringDict({ mode: 'active-backup', miimon: '140' }) },
      'ovs-port': { trunks: v.dictList([{ start: v.uint64(10), end: v.uint64(20) }, { start: v.uint64(1), end: v.uint64(1) }]) },
      sriov: {
        vfs: v.dictList([{ index: v.uint32(0), mac: v.string('EE:2A:4E:8E:71:F5'), 'spoof-check': v.bool(true), trust: v.bool(false), vlans: v.dictList([{ id: v.uint32(102), qos: v.uint32(5), protocol: v.uint32(0) }]) }]),
        'total-vfs': v.uint32(1),
      },
      '802-3-ethernet': { 'cloned-mac-address': v.bytes([0x02, 0xff, 0, 0, 0, 1]), mtu: v.uint32(1500) },
      '802-1x': { eap: v.stringList(['tls']), 'ca-cert': v.bytes(new TextEncoder().encode('file:///etc/pki/ca.crt\0')) },
      'ovs-external-ids': { data: v.stringDict({ owner: 'nmstate' }) },
      vpn: { data: v.stringDict({ right: '192.0.2.252' }), secrets: v.stringDict({ pskvalue: 'secret' }), 'service-type': v.string('org.freedesktop.NetworkManager.libreswan') },
    });
    expect(text).toBe(`[bond]
miimon=140
mode=active-backup

[bridge-port]
vlans=100 pvid untagged,500-599

[ovs-port]
trunks=1,10-20

[ethernet]
cloned-mac-address=02:FF:00:00:00:01
mtu=1500

[sriov]
total-vfs=1
vf.0=mac=EE:2A:4E:8E:71:F5 spoof-check=true trust=false vlans=102.5.q

[802-1x]
ca-cert=/etc/pki/ca.crt
eap=tls;

[ovs-external-ids]
data.owner=nmstate

[vpn]
right=192.0.2.252
service-type=org.freedesktop.NetworkManager.libreswan

[vpn-secrets]
pskvalue=secret
`);
  });

  it('puts settings nmstate never prints after its own, in name order, and drops empty values', () => {
    const text = renderKeyfile({ proxy: { method: v.int32(0) }, hsr: { port1: v.string('eth1'), 'interlink': v.string('') }, connection: { id: v.string('hsr0') } });
    expect(text).toBe('[connection]\nid=hsr0\n\n[hsr]\nport1=eth1\n\n[proxy]\nmethod=0\n');
  });

  it('refuses a value with no keyfile spelling, naming the property', () => {
    expect(() => renderKeyfile({ bridge: { odd: v.dict({ a: v.bool(true) }) } })).toThrow(BackendError);
    expect(() => renderKeyfile({ bridge: { odd: v.dict({ a: v.bool(true) }) } })).toThrow(/bridge\.odd: a 'a\{sv\}' value has no generic keyfile form/);
  });
});

import { describe, expect, it } from 'vitest';
import { RenderError, prepareTemplate, renderForNode } from './desired-state-renderer.js';

const node = (address: string) => ({
  routes: { running: [{ destination: '0.0.0.0/0', 'next-hop-address': '192.0.2.1', 'next-hop-interface': 'eth0', 'table-id': 254 }] },
  interfaces: [
    { name: 'eth0', type: 'ethernet', state: 'up', 'mac-address': '02:00:00:00:00:01', ipv4: { enabled: true, address: [{ ip: address, 'prefix-length': 24 }] } },
    { name: 'eth1', type: 'ethernet', state: 'up' },
  ],
});

const bridgeOnGateway = {
  capture: {
    'default-gw': 'routes.running.destination=="0.0.0.0/0"',
    'base-iface': 'interfaces.name==capture.default-gw.routes.running.0.next-hop-interface',
  },
  desiredState: {
    interfaces: [
      {
        name: 'br1',
        type: 'linux-bridge',
        state: 'up',
        ipv4: '{{ capture.base-iface.interfaces.0.ipv4 }}',
        bridge: { options: { stp: { enabled: false } }, port: [{ name: '{{ capture.base-iface.interfaces.0.name }}' }] },
      },
    ],
  },
};

describe('prepareTemplate', () => {
  it('renders a policy without capture once, in the model’s normal form', () => {
    const prepared = prepareTemplate({ desiredState: { interfaces: [{ name: 'eth1', type: 'ethernet', state: 'up', mtu: '1400' }] } });
    expect(prepared.ok).toBe(true);
    if (!prepared.ok || prepared.template.kind !== 'static') throw new Error('expected a static template');
    expect(prepared.template.rendered.state).toMatchObject({ interfaces: [{ name: 'eth1', mtu: 1400 }] });
    expect(prepared.template.rendered.hash).toMatch(/^[0-9a-f]{24}$/);
    const again = prepareTemplate({ desiredState: { interfaces: [{ mtu: 1400, state: 'up', type: 'ethernet', name: 'eth1' }] } });
    expect(again.ok && again.template.kind === 'static' && again.template.rendered.hash).toBe(prepared.template.rendered.hash);
  });

  it('refuses an invalid desired state with the model’s issues', () => {
    const prepared = prepareTemplate({
      desiredState: { interfaces: [{ name: 'eth1', type: 'ethernet', ipv4: { enabled: true, address: [{ ip: '10.0.0.1', 'prefix-length': 33 }] } }] },
    });
    expect(prepared.ok).toBe(false);
    expect(!prepared.ok && prepared.message).toMatch(/^invalid desiredState: interfaces\[0\]\.ipv4\.address\[0\]\.prefix-length: .*33/);
  });

  it('accepts capture references only in policies with a capture section', () => {
    expect(prepareTemplate(bridgeOnGateway).ok).toBe(true);
    expect(prepareTemplate({ desiredState: bridgeOnGateway.desiredState }).ok).toBe(false);
  });
});

describe('renderForNode', () => {
  it('resolves captures against each node’s own state', () => {
    const prepared = prepareTemplate(bridgeOnGateway);
    if (!prepared.ok) throw new Error(prepared.message);
    const a = renderForNode(prepared.template, node('192.0.2.10'));
    const b = renderForNode(prepared.template, node('192.0.2.11'));
    expect(a.state).toMatchObject({ interfaces: [{ name: 'br1', ipv4: { address: [{ ip: '192.0.2.10' }] }, bridge: { port: [{ name: 'eth0' }] } }] });
    expect(b.hash).not.toBe(a.hash);
    expect(Object.keys(a.capturedStates ?? {})).toEqual(['default-gw', 'base-iface']);
  });

  it('fails with a RenderError when a capture finds nothing to reference', () => {
    const prepared = prepareTemplate(bridgeOnGateway);
    if (!prepared.ok) throw new Error(prepared.message);
    expect(() => renderForNode(prepared.template, { interfaces: [] })).toThrow(RenderError);
  });
});

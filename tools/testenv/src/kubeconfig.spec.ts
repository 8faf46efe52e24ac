import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { renderKubeconfig } from './kubeconfig.js';

describe('renderKubeconfig', () => {
  const users = [
    { name: 'admin', token: 'admin-token' },
    { name: 'viewer', token: 'viewer-token' },
  ];

  it('writes a kubeconfig client-node reads: admin current, one context per extra user', () => {
    const config = new KubeConfig();
    config.loadFromString(renderKubeconfig({ server: 'https://127.0.0.1:6443', caData: 'Q0E=', users }));
    expect(config.getCurrentContext()).toBe('testenv');
    expect(config.getCurrentCluster()).toMatchObject({ server: 'https://127.0.0.1:6443', caData: 'Q0E=', skipTLSVerify: false });
    expect(config.getCurrentUser()).toMatchObject({ name: 'admin', token: 'admin-token' });
    config.setCurrentContext('testenv-viewer');
    expect(config.getCurrentUser()).toMatchObject({ name: 'viewer', token: 'viewer-token' });
  });

  it('skips TLS verification only when there is no CA', () => {
    const config = new KubeConfig();
    config.loadFromString(renderKubeconfig({ server: 'https://127.0.0.1:6443', caData: undefined, users }));
    expect(config.getCurrentCluster()?.skipTLSVerify).toBe(true);
  });
});

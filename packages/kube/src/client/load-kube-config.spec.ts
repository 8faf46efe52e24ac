import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeError } from './kube-error.js';
import { loadKubeConfig } from './load-kube-config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function writeKubeconfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  dirs.push(dir);
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, text);
  return path;
}

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: secret}
contexts:
- name: local
  context: {cluster: local, user: admin}
current-context: local
`;

describe('loadKubeConfig', () => {
  it('reads the current context of a kubeconfig file', () => {
    const kubeConfig = loadKubeConfig(writeKubeconfig(KUBECONFIG));
    expect(kubeConfig.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(kubeConfig.getCurrentUser()?.token).toBe('secret');
  });

  it('names the file it cannot read, as a KubeError', () => {
    const missing = join(tmpdir(), 'no-such-dir-for-nmfleet', 'kubeconfig');
    expect(() => loadKubeConfig(missing)).toThrow(KubeError);
    expect(() => loadKubeConfig(missing)).toThrow(`cannot load kubeconfig ${missing}`);
  });

  it('refuses a kubeconfig without a current cluster', () => {
    const path = writeKubeconfig('apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    expect(() => loadKubeConfig(path)).toThrow(`kubeconfig ${path} names no API server`);
  });
});

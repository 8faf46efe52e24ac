import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { TestenvError } from './errors.js';
import { getHttpsText } from './https-get.js';
import { ensureKubeBinaries, type KubeBinaries } from './kube-binaries.js';
import { contextName, renderKubeconfig, type KubeconfigUser } from './kubeconfig.js';
import { createStderrLogger, type TestenvLogger } from './logger.js';
import { findFreePort, retryOnPortRace, waitUntilReady } from './readiness.js';
import { STOP_GRACE_MS, ServiceScope, sweepAbandonedLeases, type ScopeRecord, type ServiceProcess } from './service-scope.js';

const ADMIN_USER = 'admin';
const SERVICE_CLUSTER_IP_RANGE = '10.0.0.0/24';

/** An extra identity with a static token, e.g. to test RBAC as a non-admin. */
export interface StaticTokenUser {
  readonly name: string;
  /** Groups of the user. Default: none (only `system:authenticated`). */
  readonly groups?: readonly string[];
  /** The token. Default: 32 random hex digits. */
  readonly token?: string;
}

/** Options of {@link startControlPlane}. */
export interface StartControlPlaneOptions {
  /** The binaries to run. Default: {@link ensureKubeBinaries} (builds them on first use). */
  readonly binaries?: KubeBinaries;
  /** Further kube-apiserver flags, appended after envtest's, e.g. `['--feature-gates=…']`. Default: none. */
  readonly extraApiServerArgs?: readonly string[];
  /** Extra static-token users besides the `admin` user in `system:masters`. Default: none. */
  readonly users?: readonly StaticTokenUser[];
  /** Deadline for etcd health and for kube-apiserver `/readyz`, each. Default: 120 000 ms. */
  readonly startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on stop, per process. Default: 10 000 ms. */
  readonly stopGraceMs?: number;
  /** Keep running after this process exits (the CLI's `up`). Default: false. */
  readonly detached?: boolean;
  /** Events. Default: logfmt lines on stderr. */
  readonly log?: TestenvLogger;
}

/** A running etcd + kube-apiserver pair. */
export interface ControlPlane {
  /** A kubeconfig file: context `testenv` is the admin, `testenv-<user>` each extra user. */
  readonly kubeconfigPath: string;
  /** `https://127.0.0.1:<port>`. */
  readonly server: string;
  /** Bearer token of the admin user (group `system:masters`). */
  readonly token: string;
  /** Tokens of the extra users, by name. */
  readonly userTokens: Readonly<Record<string, string>>;
  /** Base64 PEM of the serving CA bundle; `undefined` only if the server wrote none. */
  readonly caData: string | undefined;
  /** `http://127.0.0.1:<port>` of etcd. */
  readonly etcdUrl: string;
  readonly pids: { readonly etcd: number; readonly kubeApiserver: number };
  /** Milliseconds from the call to a ready API server (binaries already built). */
  readonly startupMs: number;
  /** The server's version, e.g. `v1.36.3`. */
  readonly kubernetesVersion: string;
  /** A client-node KubeConfig for the admin, or for one of the extra users. */
  kubeConfig(user?: string): KubeConfig;
  /** The server's own Prometheus metrics (`GET /metrics` as admin). */
  metricsText(): Promise<string>;
  /** What a detached control plane needs to be stopped later. */
  record(): ScopeRecord;
  /** Stops kube-apiserver then etcd by PID and removes the temp folder. */
  stop(): Promise<void>;
}

function validateUsers(users: readonly StaticTokenUser[]): void {
  const seen = new Set([ADMIN_USER]);
  for (const user of users) {
    if (!/^[\w@.:-]+$/.test(user.name) || seen.has(user.name)) {
      throw new TestenvError('invalid-argument', `static token user "${user.name}" must be a unique name of letters, digits and @.:_- (and not "${ADMIN_USER}")`);
    }
    seen.add(user.name);
    for (const value of [user.token ?? '', ...(user.groups ?? [])]) {
      if (/[",\n]/.test(value)) throw new TestenvError('invalid-argument', `tokens and groups of "${user.name}" may not contain quotes, commas or newlines`);
    }
  }
}

async function startEtcd(scope: ServiceScope, binary: string, timeoutMs: number): Promise<{ service: ServiceProcess; url: string }> {
  let attempt = 0;
  return retryOnPortRace(async () => {
    attempt++;
    const clientPort = await findFreePort();
    const peerPort = await findFreePort();
    const url = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const service = scope.spawn({
      name: 'etcd',
      command: binary,
      args: [
        '--name=testenv',
        // A fresh data folder per attempt: a member that bootstrapped with other peer URLs refuses to start again.
        `--data-dir=${join(scope.dir, `etcd-${attempt}`)}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=testenv=${peerUrl}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      logFile: join(scope.dir, 'etcd.log'),
    });
    try {
      await waitUntilReady(
        async () => {
          const response = await fetch(`${url}/health`);
          return response.ok && ((await response.json()) as { health?: string }).health === 'true';
        },
        { service, timeoutMs, condition: `GET ${url}/health says healthy` },
      );
    } catch (error) {
      await scope.stopProcess(service, 1_000);
      throw error;
    }
    return { service, url };
  });
}

interface ApiServerFiles {
  readonly certDir: string;
  readonly tokensFile: string;
  readonly serviceAccountPublicKey: string;
  readonly serviceAccountPrivateKey: string;
}

function writeApiServerFiles(dir: string, users: readonly (KubeconfigUser & { groups: readonly string[] })[]): ApiServerFiles {
  const certDir = join(dir, 'certs');
  mkdirSync(certDir);
  const tokensFile = join(dir, 'tokens.csv');
  writeFileSync(tokensFile, users.map((user) => `${user.token},${user.name},${user.name}-uid,"${user.groups.join(',')}"\n`).join(''), { mode: 0o600 });
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccountPublicKey = join(dir, 'sa.pub');
  const serviceAccountPrivateKey = join(dir, 'sa.key');
  writeFileSync(serviceAccountPublicKey, keys.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(serviceAccountPrivateKey, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { certDir, tokensFile, serviceAccountPublicKey, serviceAccountPrivateKey };
}

async function startApiServer(
  scope: ServiceScope,
  binary: string,
  etcdUrl: string,
  files: ApiServerFiles,
  adminToken: string,
  extraArgs: readonly string[],
  timeoutMs: number,
): Promise<{ service: ServiceProcess; server: string; caPem: string | undefined }> {
  return retryOnPortRace(async () => {
    const port = await findFreePort();
    const server = `https://127.0.0.1:${port}`;
    const service = scope.spawn({
      name: 'kube-apiserver',
      command: binary,
      // envtest's flags; --endpoint-reconciler-type=none because a loopback advertise address is otherwise rejected.
      args: [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        '--advertise-address=127.0.0.1',
        '--endpoint-reconciler-type=none',
        `--cert-dir=${files.certDir}`,
        `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
        '--allow-privileged=true',
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${files.serviceAccountPublicKey}`,
        `--service-account-signing-key-file=${files.serviceAccountPrivateKey}`,
        `--token-auth-file=${files.tokensFile}`,
        '--authorization-mode=RBAC',
        '--disable-admission-plugins=ServiceAccount',
        '--profiling=false',
        ...extraArgs,
      ],
      logFile: join(scope.dir, 'kube-apiserver.log'),
    });
    // The server writes a self-signed CA and serving certificate into --cert-dir before it listens.
    const certFile = join(files.certDir, 'apiserver.crt');
    let caPem: string | undefined;
    const get = (path: string) => getHttpsText(`${server}${path}`, { token: adminToken, ca: caPem, timeoutMs: 5_000 });
    try {
      await waitUntilReady(
        async () => {
          if (!caPem && existsSync(certFile)) caPem = readFileSync(certFile, 'utf8');
          if (!caPem) return false;
          const ready = await get('/readyz');
          if (ready.status !== 200 || ready.body.trim() !== 'ok') return false;
          // /readyz can pass before the bootstrap controller has created the default namespace tests use.
          return (await get('/api/v1/namespaces/default')).status === 200;
        },
        { service, timeoutMs, condition: `GET ${server}/readyz answers ok and namespace default exists` },
      );
    } catch (error) {
      await scope.stopProcess(service, 1_000);
      throw error;
    }
    return { service, server, caPem };
  });
}

/**
 * Starts etcd and kube-apiserver on free 127.0.0.1 ports in their own temp folder,
 * with envtest's flags: a static token for `admin` (group `system:masters`) in a
 * generated kubeconfig, RBAC, `--endpoint-reconciler-type=none`, a generated
 * service-account key pair. Ready when `/readyz` says ok and the `default`
 * namespace exists. Builds the binaries on first use.
 */
export async function startControlPlane(options: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? createStderrLogger();
  const extraUsers = options.users ?? [];
  validateUsers(extraUsers);
  const binaries = options.binaries ?? (await ensureKubeBinaries({ log }));
  if (!options.detached) await sweepAbandonedLeases();
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const startedAt = Date.now();
  const scope = new ServiceScope('kube', { detached: options.detached });
  try {
    const users = [
      { name: ADMIN_USER, token: randomBytes(16).toString('hex'), groups: ['system:masters'] },
      ...extraUsers.map((user) => ({ name: user.name, token: user.token ?? randomBytes(16).toString('hex'), groups: user.groups ?? [] })),
    ];
    const admin = users[0];
    if (!admin) throw new Error('unreachable: the admin user is always first');
    const files = writeApiServerFiles(scope.dir, users);
    const etcd = await startEtcd(scope, binaries.etcd, timeoutMs);
    const apiServer = await startApiServer(scope, binaries.kubeApiserver, etcd.url, files, admin.token, options.extraApiServerArgs ?? [], timeoutMs);
    const caData = apiServer.caPem ? Buffer.from(apiServer.caPem).toString('base64') : undefined;
    const kubeconfigPath = join(scope.dir, 'kubeconfig');
    const kubeconfigText = renderKubeconfig({ server: apiServer.server, caData, users });
    writeFileSync(kubeconfigPath, kubeconfigText, { mode: 0o600 });
    const startupMs = Date.now() - startedAt;
    log.info('control plane ready', { server: apiServer.server, etcd: etcd.url, startup_ms: startupMs, kubeconfig: kubeconfigPath });
    const contexts = new Map(users.map((user, index) => [user.name, contextName(user, index)]));
    return {
      kubeconfigPath,
      server: apiServer.server,
      token: admin.token,
      userTokens: Object.fromEntries(users.slice(1).map((user) => [user.name, user.token])),
      caData,
      etcdUrl: etcd.url,
      pids: { etcd: etcd.service.pid, kubeApiserver: apiServer.service.pid },
      startupMs,
      kubernetesVersion: binaries.kubernetesVersion,
      kubeConfig: (user = ADMIN_USER) => {
        const context = contexts.get(user);
        if (!context) throw new TestenvError('invalid-argument', `no static token user "${user}"; known: ${[...contexts.keys()].join(', ')}`);
        const config = new KubeConfig();
        config.loadFromString(kubeconfigText);
        config.setCurrentContext(context);
        return config;
      },
      metricsText: async () => {
        const response = await getHttpsText(`${apiServer.server}/metrics`, { token: admin.token, ca: apiServer.caPem }).catch((error: unknown) => {
          throw new TestenvError('not-running', `kube-apiserver at ${apiServer.server} did not answer GET /metrics`, { cause: error });
        });
        if (response.status !== 200) throw new TestenvError('not-running', `GET ${apiServer.server}/metrics answered ${response.status}`);
        return response.body;
      },
      record: () => scope.record(),
      stop: () => scope.close(options.stopGraceMs ?? STOP_GRACE_MS),
    };
  } catch (error) {
    await scope.close(1_000);
    throw error;
  }
}

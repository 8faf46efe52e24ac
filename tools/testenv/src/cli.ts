#!/usr/bin/env node
// The testenv command: `npm run -s testenv -- <command>` (see usage below).
// Progress goes to stderr; stdout carries only lines meant for `eval`.
import {
  SERVICE_KINDS,
  isEntryRunning,
  readUpState,
  renderExports,
  upStatePath,
  writeUpState,
  type ServiceKind,
  type UpEntry,
  type UpState,
} from './cli-state.js';
import { TestenvError } from './errors.js';
import { ensureKubeBinaries } from './kube-binaries.js';
import { createStderrLogger, formatLogLine } from './logger.js';
import { ensureNmstatectl } from './nmstatectl.js';
import { startPrometheus } from './prometheus.js';
import { startRedis } from './redis.js';
import { releaseScopeRecord } from './service-scope.js';
import { ensureSystemPackages } from './system-packages.js';

const USAGE = `usage: npm run -s testenv -- <command>

  install --for test|demo     install what tests (everything) or the demo needs:
                              Debian packages, kube-apiserver + etcd (built once, cached),
                              nmstatectl (test: required; demo: built only if cargo exists)
  up [--k8s] [--redis] [--prometheus TARGET...]
                              start services on free loopback ports, detached, and print
                              export lines: eval "$(npm run -s testenv -- up --k8s --redis)"
                              (no flags: --k8s --redis). Also written to .testenv/env.sh.
  down                        stop exactly what up started (by PID) and remove its folders
  status                      show what up started and whether it still runs (exit 1 if not)
`;

const log = createStderrLogger();

function fail(message: string, code = 2): never {
  process.stderr.write(`${formatLogLine('warn', message)}\n`);
  process.exit(code);
}

async function install(args: readonly string[]): Promise<void> {
  const index = args.indexOf('--for');
  const purpose = index >= 0 ? args[index + 1] : 'test';
  if (purpose !== 'test' && purpose !== 'demo') fail(`install --for takes "test" or "demo", not "${purpose ?? ''}"`);
  const startedAt = Date.now();
  log.info('install', { for: purpose });
  await ensureSystemPackages({ log });
  const kube = await ensureKubeBinaries({ log });
  log.info('kube binaries', { apiserver: kube.kubeApiserver, etcd: kube.etcd, built: kube.built });
  if (purpose === 'test') {
    log.info('nmstatectl', { path: await ensureNmstatectl({ log }) });
  } else {
    try {
      log.info('nmstatectl', { path: await ensureNmstatectl({ log }) });
    } catch (error) {
      if (!(error instanceof TestenvError) || error.kind !== 'missing-tool') throw error;
      log.warn('nmstatectl skipped: the demo runs without the oracle', { reason: error.message });
    }
  }
  log.info('install done', { for: purpose, seconds: ((Date.now() - startedAt) / 1000).toFixed(1) });
}

interface UpRequest {
  readonly kinds: ReadonlySet<ServiceKind>;
  readonly prometheusTargets: readonly string[];
}

function parseUpArgs(args: readonly string[]): UpRequest {
  const kinds = new Set<ServiceKind>();
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--k8s') kinds.add('k8s');
    else if (arg === '--redis') kinds.add('redis');
    else if (arg === '--prometheus') {
      kinds.add('prometheus');
      while (i + 1 < args.length && !args[i + 1]?.startsWith('--')) targets.push(args[++i] ?? '');
      if (targets.length === 0) fail('--prometheus needs at least one scrape target (host:port or http://host:port/path)');
    } else fail(`up: unknown argument "${arg}"\n${USAGE}`);
  }
  if (kinds.size === 0) {
    kinds.add('k8s');
    kinds.add('redis');
  }
  return { kinds, prometheusTargets: targets };
}

async function startKind(kind: ServiceKind, request: UpRequest): Promise<UpEntry> {
  const startedAt = new Date().toISOString();
  switch (kind) {
    case 'k8s': {
      // Loaded on demand: @kubernetes/client-node takes half a second to import, which status and down never need.
      const { startControlPlane } = await import('./control-plane.js');
      const plane = await startControlPlane({ detached: true, log });
      return {
        startedAt,
        exports: { KUBECONFIG: plane.kubeconfigPath },
        details: { server: plane.server, etcd: plane.etcdUrl, kubeApiserverPid: plane.pids.kubeApiserver, etcdPid: plane.pids.etcd, startupMs: plane.startupMs },
        record: plane.record(),
      };
    }
    case 'redis': {
      const redis = await startRedis({ detached: true, log });
      return { startedAt, exports: { REDIS_URL: redis.url }, details: { url: redis.url, pid: redis.pid }, record: redis.record() };
    }
    case 'prometheus': {
      const prometheus = await startPrometheus(request.prometheusTargets, { detached: true, log });
      return {
        startedAt,
        exports: { PROMETHEUS_URL: prometheus.url },
        details: { url: prometheus.url, pid: prometheus.pid, targets: prometheus.targets.join(' ') },
        record: prometheus.record(),
      };
    }
  }
}

async function up(args: readonly string[]): Promise<void> {
  const request = parseUpArgs(args);
  let state: UpState = readUpState();
  for (const kind of SERVICE_KINDS) {
    if (!request.kinds.has(kind)) continue;
    const existing = state.services[kind];
    if (existing && isEntryRunning(existing)) {
      log.info('already up', { service: kind, ...existing.details });
      continue;
    }
    if (existing) {
      log.info('replacing a stopped instance', { service: kind });
      await releaseScopeRecord(existing.record, 2_000);
    }
    const entry = await startKind(kind, request);
    // Saved after each service, so that a later failure still leaves `down` able to stop this one.
    state = { version: 1, services: { ...state.services, [kind]: entry } };
    writeUpState(state);
  }
  const requested: UpState = {
    version: 1,
    services: Object.fromEntries(SERVICE_KINDS.filter((kind) => request.kinds.has(kind)).map((kind) => [kind, state.services[kind]])),
  };
  process.stdout.write(`${renderExports(requested).join('\n')}\n`);
}

async function down(): Promise<void> {
  const state = readUpState();
  const kinds = SERVICE_KINDS.filter((kind) => state.services[kind]);
  if (kinds.length === 0) {
    log.info('nothing is up');
    return;
  }
  const remaining: Partial<Record<ServiceKind, UpEntry>> = { ...state.services };
  for (const kind of [...kinds].reverse()) {
    const entry = state.services[kind];
    if (!entry) continue;
    await releaseScopeRecord(entry.record);
    delete remaining[kind];
    writeUpState({ version: 1, services: remaining });
    log.info('stopped', { service: kind, pids: entry.record.processes.map((p) => p.pid).join(',') });
  }
  for (const name of ['KUBECONFIG', 'REDIS_URL', 'PROMETHEUS_URL']) {
    if (kinds.some((kind) => state.services[kind]?.exports[name])) process.stdout.write(`unset ${name}\n`);
  }
}

function status(): void {
  const state = readUpState();
  const kinds = SERVICE_KINDS.filter((kind) => state.services[kind]);
  if (kinds.length === 0) {
    process.stdout.write('nothing is up\n');
    return;
  }
  let allRunning = true;
  for (const kind of kinds) {
    const entry = state.services[kind];
    if (!entry) continue;
    const running = isEntryRunning(entry);
    allRunning &&= running;
    const facts = Object.entries(entry.details).map(([key, value]) => `${key}=${value}`);
    process.stdout.write(`${kind} ${running ? 'running' : 'STOPPED'} since=${entry.startedAt} ${facts.join(' ')}\n`);
  }
  process.stdout.write(`state: ${upStatePath()}\n`);
  if (!allRunning) process.exitCode = 1;
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'install':
      return install(args);
    case 'up':
      return up(args);
    case 'down':
      return down();
    case 'status':
      return status();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stderr.write(USAGE);
      return;
    default:
      fail(`unknown command "${command}"\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${formatLogLine('warn', 'failed', { kind: error instanceof TestenvError ? error.kind : 'unexpected' })}\n${message}\n`);
  process.exit(1);
});

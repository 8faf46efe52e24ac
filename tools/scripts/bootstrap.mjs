#!/usr/bin/env node
// Sets up a fresh machine for `npm test` or `npm run demo`, idempotently, with visible progress.
// Plain Node with no dependencies: it runs before node_modules exists.
//
//   node tools/scripts/bootstrap.mjs [--for test|demo] [--npm-only]
//
// 1. npm packages (npm ci when package-lock.json changed since the last install)
// 2. system dependencies and binaries through tools/testenv (`testenv install --for …`):
//    Debian packages, kube-apiserver + etcd built from the Go module proxy, nmstatectl
// 3. the apps' bundles (nx build of every project tagged type:app)
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const purpose = args.includes('--for') ? args[args.indexOf('--for') + 1] : 'test';
const npmOnly = args.includes('--npm-only');
if (!['test', 'demo'].includes(purpose)) {
  console.error(`bootstrap: --for takes "test" or "demo", not "${purpose}"`);
  process.exit(2);
}

function step(title) {
  process.stderr.write(`\x1b[1m[bootstrap]\x1b[0m ${title}\n`);
}

function run(command, commandArgs, options = {}) {
  // Every step's output goes to stderr: stdout belongs to the command that follows the bootstrap
  // (`npm run -s bench:rollout -- --json > figures.json` must get JSON only).
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: ['inherit', 2, 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    step(`failed: ${command} ${commandArgs.join(' ')} (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

function installNpmPackages() {
  const lock = readFileSync(join(root, 'package-lock.json'));
  const wanted = createHash('sha256').update(lock).digest('hex');
  const stampFile = join(root, 'node_modules', '.nmfleet-lock-hash');
  const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (current === wanted) {
    step('npm packages: up to date');
    return;
  }
  step('npm packages: installing (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  writeFileSync(stampFile, `${wanted}\n`);
}

installNpmPackages();
if (npmOnly) process.exit(0);

const testenvCli = join(root, 'tools', 'testenv', 'src', 'cli.ts');
if (existsSync(testenvCli)) {
  step(`system dependencies for ${purpose}: through tools/testenv`);
  run(process.execPath, ['--conditions=@nmfleet/source', '--import', 'tsx', testenvCli, 'install', '--for', purpose]);
}

step('building the apps (nx build, type:app)');
run(join(root, 'node_modules', '.bin', 'nx'), ['run-many', '-t', 'build', '--projects=tag:type:app', '--output-style=stream'], {
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
});
step('ready');

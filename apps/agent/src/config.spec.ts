import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgentConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-config-'));
const nodesFile = join(dir, 'nodes.json');
writeFileSync(nodesFile, JSON.stringify([{ name: 'sim-node-000', labels: {} }, 'sim-node-001']));

describe('loadAgentConfig', () => {
  it('reads a simulated fleet from flags', () => {
    const config = loadAgentConfig(
      ['--simulated', '--nodes-file', nodesFile, '--latency-ms', '20', '--fail-rate', '0.25', '--fail-nodes', 'sim-node-001', '--lock-duration-ms', '900'],
      { REDIS_URL: 'redis://127.0.0.1:1' },
    );
    expect(config).toMatchObject({
      simulated: true,
      nodes: ['sim-node-000', 'sim-node-001'],
      redisUrl: 'redis://127.0.0.1:1',
      keyPrefix: 'default',
      lockDurationMs: 900,
      simulation: { applyLatencyMs: 20, failRate: 0.25, failNodes: ['sim-node-001'], seed: 1 },
    });
  });

  it('takes the real node and the in-cluster API server from the environment', () => {
    const config = loadAgentConfig(['--api-ca-file', nodesFile], {
      NODE_NAME: 'worker-1',
      REDIS_URL: 'redis://r:6379',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    });
    expect(config).toMatchObject({ simulated: false, nodes: ['worker-1'], apiServerUrl: 'https://10.96.0.1:443' });
  });

  it.each([
    [[], {}, /no node to serve: expected --node NAME/],
    [['--node', 'n'], {}, /no Redis: expected --redis-url/],
    [['--node', 'n', '--fail-rate', '2'], { REDIS_URL: 'redis://x' }, /--fail-rate "2" is invalid: expected a probability from 0 to 1/],
    [['--node', 'n', '--latency-ms', 'soon'], { REDIS_URL: 'redis://x' }, /--latency-ms "soon" is invalid/],
    [['--nodes-file', nodesFile], { REDIS_URL: 'redis://x' }, /needs --simulated/],
    [['--simulated', '--nodes-file', join(dir, 'missing.json')], { REDIS_URL: 'redis://x' }, /cannot be read/],
    [['--simulated', '--nodes-file', nodesFile, '--fail-nodes', 'other'], { REDIS_URL: 'redis://x' }, /does not serve: other/],
    [['--node', 'n', '--log-level', 'loud'], { REDIS_URL: 'redis://x' }, /--log-level "loud" is invalid: expected one of/],
    [['--node', 'n', '--bogus'], { REDIS_URL: 'redis://x' }, /Unknown option '--bogus'/],
  ])('refuses %j', (argv, env, message) => {
    expect(() => loadAgentConfig(argv, env)).toThrow(message);
  });
});

import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TestenvError, isTestenvError } from './errors.js';
import { findFreePort, retryOnPortRace, waitUntilReady } from './readiness.js';
import { ServiceScope } from './service-scope.js';

describe('ports and readiness', () => {
  const scopes: ServiceScope[] = [];
  afterEach(async () => {
    await Promise.all(scopes.splice(0).map((scope) => scope.close(1_000)));
  });
  const newScope = () => {
    const scope = new ServiceScope('readiness-spec');
    scopes.push(scope);
    return scope;
  };

  it('finds a port that can be bound on 127.0.0.1', async () => {
    const port = await findFreePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('retries only lost port races, and at most the given number of times', async () => {
    let attempts = 0;
    const value = await retryOnPortRace(async () => {
      if (++attempts < 3) throw new TestenvError('port-in-use', 'taken');
      return 'started';
    });
    expect([value, attempts]).toEqual(['started', 3]);
    attempts = 0;
    const error = await retryOnPortRace(async () => {
      attempts++;
      throw new TestenvError('start-failed', 'broken');
    }).catch((e: unknown) => e);
    expect([isTestenvError(error, 'start-failed'), attempts]).toEqual([true, 1]);
    attempts = 0;
    await retryOnPortRace(async () => {
      attempts++;
      throw new TestenvError('port-in-use', 'taken');
    }, 2).catch(() => undefined);
    expect(attempts).toBe(2);
  });

  it('reports a service that exits saying its address is in use as port-in-use, with its log', async () => {
    const scope = newScope();
    const service = scope.spawn({
      name: 'fake-server',
      command: 'sh',
      args: ['-c', 'echo "listen tcp 127.0.0.1:1: bind: address already in use" >&2; exit 1'],
      logFile: `${scope.dir}/fake.log`,
    });
    const error = await waitUntilReady(async () => false, { service, timeoutMs: 10_000, condition: 'never' }).catch((e: unknown) => e);
    expect(isTestenvError(error, 'port-in-use')).toBe(true);
    expect((error as TestenvError).logTail).toContain('address already in use');
  });

  it('gives up at the deadline with start-failed, the condition and the log tail', async () => {
    const scope = newScope();
    const service = scope.spawn({ name: 'slow-server', command: 'sh', args: ['-c', 'echo warming up; exec sleep 30'], logFile: `${scope.dir}/slow.log` });
    const error = await waitUntilReady(
      async () => {
        throw new Error('connection refused');
      },
      { service, timeoutMs: 200, condition: 'GET /ready answers 200' },
    ).catch((e: unknown) => e);
    expect(isTestenvError(error, 'start-failed')).toBe(true);
    expect((error as Error).message).toMatch(/not ready within 200 ms: waited until GET \/ready answers 200 \(last probe: connection refused\)/);
    expect((error as TestenvError).logTail).toBe('warming up');
  });
});

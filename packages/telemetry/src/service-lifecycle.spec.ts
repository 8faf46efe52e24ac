import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';
import { stopOnSignals } from './service-lifecycle.js';

function capture() {
  const chunks: string[] = [];
  const logger = createLogger({ name: 'service', destination: { write: (chunk: string) => chunks.push(chunk) }, format: 'json' });
  const messages = () => chunks.map((chunk) => (JSON.parse(chunk) as { msg?: string; message?: string; signal?: string }));
  return { logger, messages };
}

describe('stopOnSignals', () => {
  const before = { term: process.listeners('SIGTERM'), int: process.listeners('SIGINT') };
  afterEach(() => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      for (const listener of process.listeners(signal)) if (!(signal === 'SIGTERM' ? before.term : before.int).includes(listener)) process.off(signal, listener);
    }
    vi.restoreAllMocks();
  });

  it('stops once on the first signal and exits 0', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const { logger, messages } = capture();
    const stop = vi.fn(() => Promise.resolve());
    stopOnSignals(logger, stop);
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(stop).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(messages())).toContain('"signal":"SIGTERM"');
    expect(JSON.stringify(messages())).not.toContain('SIGINT');
  });

  it('logs a failed stop and exits 1', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const { logger, messages } = capture();
    stopOnSignals(logger, () => Promise.reject(new Error('redis went away')));
    process.emit('SIGINT', 'SIGINT');
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1));
    expect(JSON.stringify(messages())).toContain('shutdown failed');
    expect(JSON.stringify(messages())).toContain('redis went away');
  });
});

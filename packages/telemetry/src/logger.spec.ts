import { describe, expect, it } from 'vitest';
import { isTelemetryError } from './errors.js';
import { parseLogThreshold } from './log-level.js';
import { createLogger, type LoggerOptions } from './logger.js';

const FIXED_TIME = Date.UTC(2024, 4, 6, 7, 8, 9, 123);

function capture(options: Partial<LoggerOptions> = {}, isTTY?: boolean) {
  const chunks: string[] = [];
  const destination = { write: (chunk: string) => chunks.push(chunk), ...(isTTY === undefined ? {} : { isTTY }) };
  const logger = createLogger({ name: 'coordinator', destination, now: () => FIXED_TIME, ...options });
  const lines = () => chunks.join('').split('\n').filter((line) => line !== '');
  const records = () => lines().map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, chunks, lines, records };
}

function expectOptionError(action: () => unknown, messagePart: string): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(isTelemetryError(caught, 'invalid-option'), String(caught)).toBe(true);
  expect((caught as Error).message).toContain(messagePart);
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, name, message and fields', () => {
    const { logger, chunks, records } = capture();
    logger.info('policy admitted', { policy: 'br1', generation: 3, nodes: ['a', 'b'] });
    logger.warn('slow write');
    expect(chunks.every((chunk) => chunk.endsWith('\n') && chunk.indexOf('\n') === chunk.length - 1)).toBe(true);
    expect(records()).toEqual([
      { time: '2024-05-06T07:08:09.123Z', level: 'info', name: 'coordinator', msg: 'policy admitted', policy: 'br1', generation: 3, nodes: ['a', 'b'] },
      { time: '2024-05-06T07:08:09.123Z', level: 'warn', name: 'coordinator', msg: 'slow write' },
    ]);
  });

  it('writes info and above by default, and honours the level it is given', () => {
    const byDefault = capture();
    byDefault.logger.debug('hidden');
    byDefault.logger.info('shown');
    byDefault.logger.error('shown too');
    expect(byDefault.records().map((record) => record['level'])).toEqual(['info', 'error']);
    expect(byDefault.logger.isLevelEnabled('debug')).toBe(false);

    const debug = capture({ level: 'debug' });
    debug.logger.debug('visible');
    expect(debug.records()).toHaveLength(1);

    const errorOnly = capture({ level: 'error' });
    errorOnly.logger.warn('dropped');
    errorOnly.logger.error('kept');
    expect(errorOnly.records().map((record) => record['msg'])).toEqual(['kept']);

    const silent = capture({ level: 'silent' });
    silent.logger.error('nothing');
    expect(silent.chunks).toHaveLength(0);
  });

  it('binds fields in child loggers; a call overrides a bound field; reserved keys stay intact', () => {
    const { logger, records } = capture({ fields: { component: 'rollout' } });
    const policyLogger = logger.child({ policy: 'br1', generation: 2 });
    const nodeLogger = policyLogger.child({ node: 'worker-1' });
    nodeLogger.info('applied', { generation: 3 });
    policyLogger.info('settled', { msg: 'user text', level: 'x' });
    logger.info('plain');
    expect(records()).toEqual([
      expect.objectContaining({ component: 'rollout', policy: 'br1', node: 'worker-1', generation: 3, msg: 'applied' }),
      expect.objectContaining({ policy: 'br1', generation: 2, msg: 'settled', level: 'info', msg_: 'user text', level_: 'x' }),
      { time: '2024-05-06T07:08:09.123Z', level: 'info', name: 'coordinator', msg: 'plain', component: 'rollout' },
    ]);
    expect(nodeLogger.name).toBe('coordinator');
  });

  it('serialises errors with kind, message and cause', () => {
    const { logger, records } = capture();
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = Object.assign(new Error('redis unreachable', { cause }), { kind: 'unavailable' });
    logger.error('report stream failed', { err: error, node: 'n1' });
    const [record] = records();
    expect(record).toMatchObject({
      level: 'error',
      node: 'n1',
      err: { kind: 'unavailable', message: 'redis unreachable', cause: { kind: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' } },
    });
  });

  it('writes short human lines to a TTY, JSON otherwise, unless told', () => {
    const tty = capture({}, true);
    const conflict = Object.assign(new Error('refused'), { kind: 'conflict' });
    tty.logger.warn('write retried', { policy: 'br1', attempt: 2, err: conflict });
    tty.logger.error('bug', { err: new TypeError('x is undefined') });
    const [first, second, ...stack] = tty.lines();
    expect(first).toBe('07:08:09.123 WARN  coordinator: write retried policy=br1 attempt=2 err="conflict: refused"');
    expect(second).toBe('07:08:09.123 ERROR coordinator: bug err="TypeError: x is undefined"');
    expect(stack[0]).toMatch(/^ {4}TypeError: x is undefined/);

    const forcedJson = capture({ format: 'json' }, true);
    forcedJson.logger.info('x');
    expect(forcedJson.records()).toHaveLength(1);

    const forcedPretty = capture({ format: 'pretty' });
    forcedPretty.logger.info('hello', { text: 'two words' });
    expect(forcedPretty.lines()).toEqual(['07:08:09.123 INFO  coordinator: hello text="two words"']);
  });

  it('refuses an empty name, an unknown level or format', () => {
    expectOptionError(() => createLogger({ name: '' }), 'non-empty name');
    expectOptionError(() => createLogger({ name: 'x', level: 'verbose' as never }), 'debug, info, warn, error, silent');
    expectOptionError(() => createLogger({ name: 'x', format: 'xml' as never }), 'json, pretty, auto');
  });
});

describe('parseLogThreshold', () => {
  it('reads levels as configuration writes them', () => {
    expect(parseLogThreshold('info')).toBe('info');
    expect(parseLogThreshold(' WARN ')).toBe('warn');
    expect(parseLogThreshold('silent')).toBe('silent');
    expectOptionError(() => parseLogThreshold('trace'), 'log level "trace" is not one of debug, info, warn, error, silent');
  });
});

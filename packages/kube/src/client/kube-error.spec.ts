import { describe, expect, it } from 'vitest';
import { createKubeErrorFromNetwork, createKubeErrorFromResponse, isKubeError } from './kube-error.js';

const status = (code: number, reason: string, extra: Record<string, unknown> = {}) => ({
  kind: 'Status',
  code,
  reason,
  message: `${reason} happened`,
  ...extra,
});

describe('KubeError from an API answer', () => {
  it.each([
    [400, 'BadRequest', 'invalid'],
    [401, 'Unauthorized', 'unauthorized'],
    [403, 'Forbidden', 'forbidden'],
    [404, 'NotFound', 'not-found'],
    [409, 'Conflict', 'conflict'],
    [409, 'AlreadyExists', 'already-exists'],
    [410, 'Expired', 'gone'],
    [413, 'RequestEntityTooLarge', 'invalid'],
    [422, 'Invalid', 'invalid'],
    [429, 'TooManyRequests', 'too-many-requests'],
    [500, 'InternalError', 'unavailable'],
    [503, 'ServiceUnavailable', 'unavailable'],
    [418, 'Teapot', 'unexpected'],
  ] as const)('%i %s is %s', (code, reason, kind) => {
    const error = createKubeErrorFromResponse('PATCH /x', code, {}, status(code, reason));
    expect(error).toMatchObject({ kind, statusCode: code, reason, message: `PATCH /x: ${reason} happened` });
  });

  it('reads Retry-After as seconds, as an HTTP date, or from the Status details', () => {
    expect(createKubeErrorFromResponse('x', 429, { 'retry-after': '7' }, {}).retryAfterSeconds).toBe(7);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const fromDate = createKubeErrorFromResponse('x', 429, { 'retry-after': inTenSeconds }, {}).retryAfterSeconds;
    expect(fromDate).toBeGreaterThanOrEqual(9);
    expect(fromDate).toBeLessThanOrEqual(10);
    expect(createKubeErrorFromResponse('x', 429, {}, status(429, 'TooManyRequests', { details: { retryAfterSeconds: 3 } })).retryAfterSeconds).toBe(3);
    expect(createKubeErrorFromResponse('x', 429, {}, {}).retryAfterSeconds).toBeUndefined();
  });

  it('says which errors are worth retrying unchanged', () => {
    expect(createKubeErrorFromResponse('x', 503, {}, '').isTransient()).toBe(true);
    expect(createKubeErrorFromResponse('x', 409, {}, status(409, 'Conflict')).isTransient()).toBe(true);
    expect(createKubeErrorFromResponse('x', 422, {}, status(422, 'Invalid')).isTransient()).toBe(false);
    const network = createKubeErrorFromNetwork('GET /y', new Error('connect ECONNREFUSED 127.0.0.1:1'));
    expect(network.kind).toBe('unavailable');
    expect(network.message).toBe('GET /y: no response from the API server (connect ECONNREFUSED 127.0.0.1:1)');
    expect(isKubeError(network, 'unavailable', 'gone')).toBe(true);
    expect(isKubeError(new Error('x'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { isTestenvError } from './errors.js';
import { SUITE_LABEL, isolatedKubeScope, isolatedNetnsName, isolatedRedisPrefix } from './isolation.js';

describe('isolation helpers', () => {
  it('gives every call its own Redis prefix, named after the suite', () => {
    const a = isolatedRedisPrefix('Queue: round trip');
    const b = isolatedRedisPrefix('Queue: round trip');
    expect(a).toMatch(/^nmfleet-test:queue-round-trip:[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
  });

  it('gives Kubernetes names that are valid namespaces, labels and object names', () => {
    const scope = isolatedKubeScope('Coordinator rollout suite with a very long descriptive name indeed');
    expect(scope.namespace.length).toBeLessThanOrEqual(63);
    expect(scope.namespace).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(scope.labels).toEqual({ [SUITE_LABEL]: scope.namespace });
    expect(scope.labelSelector).toBe(`${SUITE_LABEL}=${scope.namespace}`);
    expect(scope.name('node-1')).toBe(`node-1-${scope.namespace}`);
    expect(isolatedKubeScope('x').namespace).not.toBe(isolatedKubeScope('x').namespace);
  });

  it('rejects names that Kubernetes would reject, and suite names without letters', () => {
    const scope = isolatedKubeScope('suite');
    expect(() => scope.name('Upper_Case')).toThrow(/not a valid Kubernetes object name/);
    const error = (() => {
      try {
        isolatedRedisPrefix('***');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isTestenvError(error, 'invalid-argument')).toBe(true);
  });

  it('keeps network namespace names short and distinct', () => {
    const name = isolatedNetnsName('NetworkManager backend suite');
    expect(name).toMatch(/^networkm-[0-9a-f]{6}$/);
    expect(name.length).toBeLessThanOrEqual(15);
  });
});

import { randomBytes } from 'node:crypto';
import { TestenvError } from './errors.js';

const SLUG_MAX_LENGTH = 40;

function slugify(suiteName: string): string {
  const slug = suiteName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/, '');
  if (!slug) throw new TestenvError('invalid-argument', `suite name "${suiteName}" has no letters or digits to name resources after`);
  return slug;
}

function randomSuffix(): string {
  return randomBytes(3).toString('hex');
}

/**
 * A Redis key prefix no other suite uses, e.g. `nmfleet-test:queue-roundtrip:3fa2c1`,
 * for BullMQ's `prefix` option or hand-made keys, so suites can share one Redis.
 */
export function isolatedRedisPrefix(suiteName: string): string {
  return `nmfleet-test:${slugify(suiteName)}:${randomSuffix()}`;
}

/** Where one suite's Kubernetes objects live, so suites can share one API server. */
export interface KubeScope {
  /** A namespace name no other suite uses (DNS-1123 label, ≤ 63 characters); create it yourself. */
  readonly namespace: string;
  /** Labels to put on every cluster-scoped object of the suite (Nodes, NNCPs). */
  readonly labels: Readonly<Record<string, string>>;
  /** `key=value` selecting exactly the suite's labelled objects. */
  readonly labelSelector: string;
  /** A cluster-scoped object name unique to the suite: `<base>-<suite id>`. */
  name(base: string): string;
}

/** The label key of {@link KubeScope.labels}. */
export const SUITE_LABEL = 'testenv.nmfleet.io/suite';

/**
 * Names and labels for one suite's Kubernetes objects: a namespace for
 * namespaced ones, and a suffix plus a label for cluster-scoped ones.
 */
export function isolatedKubeScope(suiteName: string): KubeScope {
  const id = `${slugify(suiteName)}-${randomSuffix()}`;
  return {
    namespace: id,
    labels: { [SUITE_LABEL]: id },
    labelSelector: `${SUITE_LABEL}=${id}`,
    name: (base) => {
      const name = `${base}-${id}`;
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
        throw new TestenvError('invalid-argument', `"${name}" is not a valid Kubernetes object name (lower-case DNS subdomain)`);
      }
      return name;
    },
  };
}

/** A network namespace name unique to the suite, ≤ 15 characters so it also fits interface-name limits if reused as one. */
export function isolatedNetnsName(prefix: string): string {
  const slug = slugify(prefix).replace(/-/g, '').slice(0, 8) || 'ns';
  return `${slug}-${randomSuffix()}`;
}

import { isJsonEqual, isJsonObject, type JsonValue } from '../json/json-value.js';
import { asStateDoc, type StateInput } from '../state/network-state.js';

/** Two policies setting one property of one interface to different values. */
export interface PolicyConflict {
  /** The node, when the caller said which. */
  readonly node?: string;
  readonly interface: string;
  /** Path of the property inside the interface, e.g. `ipv4.address` or `mtu`. */
  readonly path: string;
  /** The two policies, in application order. */
  readonly policies: readonly [string, string];
  /** Their values, in the same order. */
  readonly values: readonly [JsonValue, JsonValue];
}

/** Options of {@link findPolicyConflicts}. */
export interface FindPolicyConflictsOptions {
  /** Node name copied into every conflict. Default: none. */
  readonly node?: string;
}

function collectLeaves(value: JsonValue, path: string, out: Map<string, JsonValue>): void {
  if (isJsonObject(value)) {
    for (const [k, v] of Object.entries(value)) collectLeaves(v, path === '' ? k : `${path}.${k}`, out);
    return;
  }
  // Lists (addresses, ports) are one value each: nmstate replaces them whole.
  out.set(path, value);
}

/**
 * Finds properties that two of the policies rendered for one node set
 * differently. Policies are taken in name order; each conflicting pair is
 * reported once per property, against the first policy that set it. Linear
 * in the total size of the rendered states.
 */
export function findPolicyConflicts(renderedByPolicy: ReadonlyMap<string, StateInput> | Readonly<Record<string, StateInput>>, options: FindPolicyConflictsOptions = {}): PolicyConflict[] {
  const entries = (renderedByPolicy instanceof Map ? [...renderedByPolicy.entries()] : Object.entries(renderedByPolicy as Record<string, StateInput>)).map(([k, v]) => [k, asStateDoc(v)] as const);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const first = new Map<string, { policy: string; value: JsonValue }>();
  const out: PolicyConflict[] = [];
  for (const [policy, state] of entries) {
    for (const iface of state.interfaces ?? []) {
      const leaves = new Map<string, JsonValue>();
      const { name, ...rest } = iface;
      collectLeaves(rest, '', leaves);
      for (const [path, value] of leaves) {
        const key = `${name}\u0000${path}`;
        const seen = first.get(key);
        if (!seen) first.set(key, { policy, value });
        else if (seen.policy !== policy && !isJsonEqual(seen.value, value)) {
          out.push({ ...(options.node !== undefined ? { node: options.node } : {}), interface: name, path, policies: [seen.policy, policy], values: [seen.value, value] });
        }
      }
    }
  }
  return out;
}

/** etcd refuses objects above 1.5 MiB; a NodeNetworkState stays under 1 MiB with room for metadata. */
export const MAX_NODE_STATE_BYTES = 1024 * 1024 - 16 * 1024;

/** Running routes kept when a state is too large (configured routes are always kept). */
export const MAX_RUNNING_ROUTES = 1000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed state and what was dropped from it, for a log line and an annotation. */
export interface TrimmedState {
  state: unknown;
  bytes: number;
  dropped: string[];
}

function withoutInterfaceFields(state: Json, fields: readonly string[]): Json {
  const interfaces = Array.isArray(state.interfaces) ? state.interfaces : [];
  return {
    ...state,
    interfaces: interfaces.map((iface) => {
      if (!isObject(iface)) return iface;
      const copy = { ...iface };
      for (const field of fields) delete copy[field];
      if (isObject(copy.lldp)) copy.lldp = { enabled: copy.lldp.enabled };
      return copy;
    }),
  };
}

/**
 * Keeps a node's reported state under `maxBytes` of JSON (upstream #1505: large hosts
 * exceeded etcd's object limit and their NodeNetworkState stopped updating). Steps, each
 * only when still too large: drop volatile and verbose interface fields (`ethtool`
 * feature lists and statistics, LLDP neighbours, SR-IOV VF details, `permanent-mac-address`),
 * then keep only the first {@link MAX_RUNNING_ROUTES} running routes, then drop
 * `routes.running` and `route-rules.running`, and finally interfaces beyond what fits
 * (down ones first). What was dropped is listed.
 */
export function trimNodeState(state: unknown, maxBytes: number = MAX_NODE_STATE_BYTES): TrimmedState {
  let current = state;
  let bytes = Buffer.byteLength(JSON.stringify(current));
  const dropped: string[] = [];
  if (bytes <= maxBytes || !isObject(state)) return { state, bytes, dropped };

  const steps: [string, (s: Json) => Json][] = [
    ['interfaces[*].ethtool, lldp neighbours, sr-iov vfs, permanent-mac-address', (s) =>
      withoutInterfaceFields(s, ['ethtool', 'permanent-mac-address', 'statistics', 'sr-iov'])],
    [`routes.running beyond ${MAX_RUNNING_ROUTES}`, (s) => {
      const routes = isObject(s.routes) ? s.routes : {};
      const running = Array.isArray(routes.running) ? routes.running : [];
      return { ...s, routes: { ...routes, running: running.slice(0, MAX_RUNNING_ROUTES) } };
    }],
    ['routes.running, route-rules.running', (s) => {
      const routes = isObject(s.routes) ? { ...s.routes } : {};
      const rules = isObject(s['route-rules']) ? { ...s['route-rules'] } : {};
      delete routes.running;
      delete rules.running;
      return { ...s, routes, 'route-rules': rules };
    }],
  ];
  for (const [what, step] of steps) {
    current = step(current as Json);
    dropped.push(what);
    bytes = Buffer.byteLength(JSON.stringify(current));
    if (bytes <= maxBytes) return { state: current, bytes, dropped };
  }
  // Last resort: keep the interfaces that fit, up ones first, in name order.
  const all = (Array.isArray((current as Json).interfaces) ? ((current as Json).interfaces as unknown[]) : []).slice();
  all.sort((a, b) => Number(isObject(b) && b.state === 'up') - Number(isObject(a) && a.state === 'up'));
  const base = { ...(current as Json), interfaces: [] as unknown[] };
  let size = Buffer.byteLength(JSON.stringify(base));
  let kept = 0;
  for (const iface of all) {
    const extra = Buffer.byteLength(JSON.stringify(iface)) + 1;
    if (size + extra > maxBytes) break;
    base.interfaces.push(iface);
    size += extra;
    kept += 1;
  }
  dropped.push(`${all.length - kept} of ${all.length} interfaces`);
  return { state: base, bytes: Buffer.byteLength(JSON.stringify(base)), dropped };
}

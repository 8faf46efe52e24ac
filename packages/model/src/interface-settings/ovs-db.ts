import { custom, optional, stringMap, struct } from '../schema/shape.js';
import { INVALID, isMapping } from '../schema/validation-context.js';
import type { Shape } from '../schema/shape.js';
import { scalarText } from '../schema/scalars.js';
import { compareCodePoints } from '../yaml/compare-code-points.js';
import { YamlScalar } from '../yaml/yaml-scalar.js';

/**
 * OpenvSwitch database columns of one interface (`ovs-db`). A `null` value removes the key.
 *
 * ```yaml
 * ovs-db:
 *   external_ids:
 *     owner: nmfleet
 * ```
 */
export interface OvsDbInterfaceConfig {
  external_ids?: Record<string, string | null>;
  other_config?: Record<string, string | null>;
}

/** Global OpenvSwitch database settings (top-level `ovs-db`). A `null` value removes the key. */
export interface OvsDbGlobalConfig {
  external_ids?: Record<string, string | null>;
  other_config?: Record<string, string | null>;
}

const IFACE_EXPECTED = 'a mapping with external_ids and/or other_config';

/**
 * nmstate reads an interface's `ovs-db` leniently: numbers and booleans become strings,
 * `null` removes a key, lists and mappings are skipped, and a section that is not a
 * mapping reads as empty. Anything but the two known sections is an error.
 */
function readColumn(value: unknown, ctx: Parameters<Shape<unknown>['validate']>[1]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (!isMapping(value)) {
    ctx.warn(`${ctx.subject()} is not a mapping: nmstate reads it as empty`);
    return out;
  }
  for (const key in value) {
    const item = value[key];
    if (item === null) out[key] = null;
    else if (typeof item === 'string') out[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean' || typeof item === 'bigint') out[key] = String(item);
    else if (item instanceof YamlScalar) out[key] = String(item.value);
    else {
      ctx.path.push(key);
      ctx.warn(`${key}: lists and mappings are not OVS database values: nmstate skips them`);
      ctx.path.pop();
    }
  }
  return out;
}

function sortedColumn(column: Record<string, string | null>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of Object.keys(column).sort(compareCodePoints)) out[key] = column[key] as string | null;
  return out;
}

export const ovsDbInterfaceConfig: Shape<OvsDbInterfaceConfig> = custom<OvsDbInterfaceConfig>(
  IFACE_EXPECTED,
  (value, ctx) => {
    if (!isMapping(value)) return ctx.mismatch(value, IFACE_EXPECTED);
    const out: OvsDbInterfaceConfig = {};
    let ok = true;
    for (const key in value) {
      ctx.path.push(key);
      if (key === 'external_ids' || key === 'other_config') out[key] = readColumn(value[key], ctx);
      else {
        ctx.error(`unsupported section "${key}" in ovs-db: expected only external_ids and other_config`, 'external_ids or other_config', 'key');
        ok = false;
      }
      ctx.path.pop();
    }
    return ok ? out : INVALID;
  },
  {
    // nmstate prints these from a HashMap (unordered); we print them sorted so output is stable.
    canonical: (value) => {
      const out: Record<string, unknown> = {};
      if (value.external_ids !== undefined) out.external_ids = sortedColumn(value.external_ids);
      if (value.other_config !== undefined) out.other_config = sortedColumn(value.other_config);
      return out;
    },
  },
);

const globalValue = custom<string | null>(
  'a string or null',
  (value, ctx) => (value === null ? null : scalarText.validate(value, ctx)),
  { readsScalarText: true },
);

export const ovsDbGlobalConfig = struct<OvsDbGlobalConfig>(
  {
    external_ids: optional(stringMap(globalValue, { expected: 'a mapping of strings', sorted: true })),
    other_config: optional(stringMap(globalValue, { expected: 'a mapping of strings', sorted: true })),
  },
  { name: 'ovs-db', unknownKeys: 'deny' },
);

import { ABSENT_INTERFACE_KEYS, MINIMUM_IPV6_MTU, baseInterfaceFields } from './base-interface.js';
import type { BaseInterface } from './base-interface.js';
import { INTERFACE_TYPES, interfaceTypeRegistry } from './interface-type-registry.js';
import type { Interface } from './interface-type.js';
import type { InterfaceTypeSpec } from './interface-type-spec.js';
import { canonicalStruct, struct, toJsonValue } from './schema/shape.js';
import type { Field, Shape, StructShape } from './schema/shape.js';
import { INVALID, isMapping, isTemplateString } from './schema/validation-context.js';
import type { Invalid, ValidationContext } from './schema/validation-context.js';
import { compareCodePoints } from './yaml/compare-code-points.js';

interface CompiledType {
  readonly spec: InterfaceTypeSpec;
  readonly shape: StructShape<BaseInterface>;
}

// nmstate rejects a desired MTU below 1280 on an interface with IPv6 enabled.
function checkIpv6Mtu(iface: BaseInterface, ctx: ValidationContext): boolean {
  if (iface.ipv6?.enabled === true && iface.mtu !== undefined && iface.mtu < MINIMUM_IPV6_MTU) {
    ctx.path.push('mtu');
    ctx.error(
      `mtu ${iface.mtu} is too small for IPv6: expected at least ${MINIMUM_IPV6_MTU} while ipv6 is enabled`,
      `an integer >= ${MINIMUM_IPV6_MTU}`,
    );
    ctx.path.pop();
    return false;
  }
  return true;
}

const compiledTypes = new Map<string, CompiledType>();
for (const type of INTERFACE_TYPES) {
  if (type === 'unknown') continue;
  const spec = interfaceTypeRegistry[type] as unknown as InterfaceTypeSpec;
  const shape = struct<BaseInterface>(
    { ...baseInterfaceFields(spec.macOctets), ...(spec.fields as object) } as never,
    { name: `${type} interface`, unknownKeys: 'deny', refine: checkIpv6Mtu },
  );
  compiledTypes.set(type, { spec, shape });
}

/** The base properties, used for interfaces whose type the model does not know. */
const unknownBase = struct<BaseInterface>(baseInterfaceFields('any'), {
  name: 'interface',
  unknownKeys: 'deny',
  refine: checkIpv6Mtu,
});
const UNKNOWN_ORDER = interfaceTypeRegistry.unknown.nmstateOrder;

/**
 * Reads an interface nmstate does not model: base properties are checked, other keys are
 * kept as written (in their order, so that `format` can print them as nmstate does).
 */
function validateUnknownInterface(input: Record<string, unknown>, ctx: ValidationContext): Interface | Invalid {
  const baseInput: Record<string, unknown> = {};
  for (const key in input) if (unknownBase.lookup(key) !== undefined) baseInput[key] = input[key];
  const base: Record<string, unknown> = {};
  let ok = unknownBase.validateInto(baseInput, base, ctx);
  if (ok) ok = checkIpv6Mtu(base as unknown as BaseInterface, ctx);
  if (!ok) return INVALID;
  const out: Record<string, unknown> = {};
  for (const key in input) {
    const entry = unknownBase.lookup(key);
    if (entry === undefined) out[key] = toJsonValue(input[key]);
    else if (entry.name in base) out[entry.name] = base[entry.name];
  }
  for (const key in base) if (!(key in out)) out[key] = base[key];
  return out as Interface;
}

function validateInterface(value: unknown, ctx: ValidationContext): Interface | Invalid {
  if (!isMapping(value)) return ctx.mismatch(value, 'a mapping (an interface)');
  let input = value;
  if (value.state === 'absent') {
    // nmstate keeps only these keys of an absent interface and ignores the rest unread.
    const discarded: string[] = [];
    input = {};
    for (const key in value) {
      if (ABSENT_INTERFACE_KEYS.has(key)) input[key] = value[key];
      else discarded.push(key);
    }
    if (discarded.length > 0) {
      ctx.warn(`ignoring ${discarded.join(', ')} of absent interface ${JSON.stringify(value.name ?? 'unknown')}`);
    }
  }
  const type = input.type;
  if (type === undefined || type === null) return validateUnknownInterface(input, ctx);
  if (typeof type !== 'string') {
    ctx.path.push('type');
    ctx.mismatch(type, 'an interface type name such as ethernet, bond or linux-bridge');
    ctx.path.pop();
    validateUnknownInterface({ ...input, type: 'unknown' }, ctx);
    return INVALID;
  }
  if (ctx.templates && isTemplateString(type)) return validateUnknownInterface(input, ctx);
  const compiled = compiledTypes.get(type);
  if (compiled !== undefined) return compiled.shape.validate(input, ctx) as Interface | Invalid;
  if (type !== 'unknown') {
    ctx.path.push('type');
    ctx.warn(`unsupported interface type "${type}": only its base properties are checked, the rest is kept as written`);
    ctx.path.pop();
  }
  return validateUnknownInterface(input, ctx);
}

/** nmstate keys kernel interfaces by name and user-space ones (OVS bridge, IPsec) by name and type. */
export function interfaceIdentity(iface: Pick<BaseInterface, 'name' | 'type'>): string {
  const compiled = compiledTypes.get(iface.type);
  return compiled !== undefined && compiled.spec.userspace ? `${iface.name}\u0000${iface.type}` : iface.name;
}

function orderOf(iface: BaseInterface): number {
  return compiledTypes.get(iface.type)?.spec.nmstateOrder ?? UNKNOWN_ORDER;
}

/** Sorts interfaces as `nmstatectl format` prints them: by name, then by nmstate's type order. */
export function sortInterfaces<T extends BaseInterface>(interfaces: readonly T[]): T[] {
  return [...interfaces].sort(
    (a, b) =>
      compareCodePoints(a.name, b.name) || orderOf(a) - orderOf(b) || compareCodePoints(a.type, b.type),
  );
}

/**
 * Prints an interface nmstate does not model: name, type, state, then the other keys in
 * the order they were written (nmstate keeps them as raw JSON).
 *
 * nmstatectl itself permutes those keys (removing `name` and `state` from an IndexMap with
 * `swap_remove` moves the last key into each hole), so its output changes each time it is
 * formatted again once there are two or more of them; we keep the written order so that
 * `format` is idempotent.
 */
function canonicalUnknownInterface(iface: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: iface.name, type: iface.type, state: iface.state };
  for (const key in iface) if (!(key in out)) out[key] = iface[key];
  return out;
}

function canonicalInterface(iface: Interface): unknown {
  if (typeof iface === 'string') return iface;
  const compiled = compiledTypes.get(iface.type);
  if (compiled === undefined) return canonicalUnknownInterface(iface as Record<string, unknown>);
  return canonicalStruct(
    iface as unknown as Record<string, unknown>,
    compiled.shape.fields as unknown as Record<string, Field<unknown>>,
    compiled.shape.keyOrder,
  );
}

const INTERFACES_EXPECTED = 'a list of interfaces';

/**
 * The `interfaces` list. Reading it does what nmstate does: absent interfaces keep only
 * their identifying keys, each interface is read by its type, and of two entries for the
 * same interface the last wins (with a warning). Printing sorts by name and type.
 */
export const interfacesShape: Shape<Interface[]> = {
  expected: INTERFACES_EXPECTED,
  nullIsAbsent: false,
  validate(value, ctx) {
    if (!Array.isArray(value)) return ctx.mismatch(value, INTERFACES_EXPECTED);
    const out: Interface[] = [];
    let ok = true;
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      ctx.path.push(i);
      const result = ctx.templates && isTemplateString(element) ? (element as unknown as Interface) : validateInterface(element, ctx);
      ctx.path.pop();
      if (result === INVALID) ok = false;
      else out.push(result);
    }
    if (!ok) return INVALID;
    return removeDuplicates(out, ctx);
  },
  canonical(value) {
    return sortInterfaces(value.filter((iface) => typeof iface !== 'string')).map(canonicalInterface);
  },
};

function removeDuplicates(interfaces: Interface[], ctx: ValidationContext): Interface[] {
  if (interfaces.length < 2) return interfaces;
  const lastIndex = new Map<string, number>();
  interfaces.forEach((iface, index) => {
    if (typeof iface !== 'string') lastIndex.set(interfaceIdentity(iface), index);
  });
  if (lastIndex.size === interfaces.length) return interfaces;
  return interfaces.filter((iface, index) => {
    if (typeof iface === 'string') return true;
    const keep = lastIndex.get(interfaceIdentity(iface)) === index;
    if (!keep) {
      ctx.path.push(index);
      ctx.warn(`duplicate entry for interface ${JSON.stringify(iface.name)}: the last entry wins, as in nmstate`);
      ctx.path.pop();
    }
    return keep;
  });
}

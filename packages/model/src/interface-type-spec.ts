import type { BaseInterface, MacOctets } from './base-interface.js';
import type { Fields } from './schema/shape.js';

/**
 * Everything the model knows about one interface type. Each type's file exports one of
 * these; `interfaceTypeRegistry` collects them, and the compiler checks that every
 * {@link InterfaceType} has one.
 *
 * @typeParam T the TypeScript shape of the interface (its `BaseInterface` keys plus its own)
 */
export interface InterfaceTypeSpec<T extends BaseInterface = BaseInterface> {
  /** The `type` value, e.g. `bond`. */
  readonly type: string;
  /** One line for docs and `--help`. */
  readonly summary: string;
  /** A short YAML example of a desired interface of this type. */
  readonly example: string;
  /**
   * Keys of this type beyond the base interface, in nmstate's serialization order
   * (they follow the base keys). Unknown keys are errors, as in nmstate.
   */
  readonly fields: Fields<Omit<T, keyof BaseInterface>>;
  /** MAC address length of this link type. */
  readonly macOctets: MacOctets;
  /**
   * User-space interfaces (OVS bridges, IPsec connections) may share a name with a kernel
   * interface; nmstate keys them by name and type, kernel interfaces by name only.
   */
  readonly userspace: boolean;
  /** Whether other interfaces can be its ports (bond, bridges, VRF, HSR). */
  readonly controller: boolean;
  /**
   * Position of the type in nmstate's `InterfaceType` enum. `format` sorts interfaces by
   * name, then by this; types nmstate does not model sort as `unknown` (21).
   */
  readonly nmstateOrder: number;
}

/** Declares an interface type; the type parameter ties the fields to the TypeScript shape. */
export function defineInterfaceType<T extends BaseInterface>(spec: InterfaceTypeSpec<T>): InterfaceTypeSpec<T> {
  return spec;
}

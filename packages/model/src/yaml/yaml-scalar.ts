/**
 * A YAML scalar whose JavaScript value loses something nmstate can see:
 * - a float JavaScript cannot tell from an integer (`1500.0`, `1e3`) or put in JSON
 *   (`.inf`); nmstate rejects floats where it expects integers;
 * - a number or boolean written in a non-canonical way (`0x10`, `+5`, `True`), whose text
 *   serde_yaml hands to string fields of the top-level sections (`next-hop-interface: 0x10`
 *   is the interface named `0x10`).
 *
 * The loader produces these only for such spellings; validators unwrap them (or take the
 * text) and validated states never contain them.
 */
export class YamlScalar {
  constructor(
    readonly value: number | bigint | boolean,
    readonly text: string,
    readonly kind: 'int' | 'float' | 'bool',
  ) {}
}

/** The value of a wrapped integer or boolean; floats and everything else are returned as they are. */
export function unwrapScalar(value: unknown): unknown {
  return value instanceof YamlScalar && value.kind !== 'float' ? value.value : value;
}

/**
 * A YAML floating-point scalar whose value JavaScript cannot tell from an integer
 * (`1500.0`, `1e3`) or cannot put in JSON (`.inf`, `.nan`).
 *
 * nmstate rejects floats where it expects integers (`mtu: 1500.0`), so the loader keeps
 * such scalars distinguishable; every other float is a plain `number`. Validated states
 * never contain this class: values kept as written are converted back to numbers.
 */
export class YamlFloat {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

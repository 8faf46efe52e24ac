import { networkStateShape } from './network-state.js';
import type { NetworkState } from './network-state.js';
import { emitYaml } from './yaml/yaml-emitter.js';

/**
 * The canonical YAML of a validated state: the text `nmstatectl format` prints (without
 * the blank line its `println!` adds). Keys follow nmstate's struct order, empty sections
 * are omitted, interfaces are sorted by name and type, and hex fields print as nmstate
 * prints them (`fwmark: '0x30'`).
 */
export function formatState(state: NetworkState): string {
  return emitYaml(networkStateShape.canonical(state) as Record<string, unknown>);
}

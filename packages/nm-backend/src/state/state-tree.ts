import type { NetworkState } from '@nmfleet/model';
import { cloneJson, type JsonValue } from '@nmfleet/planner';

/**
 * States travel as plain JSON objects with nmstate's key spelling (see
 * `@nmfleet/model`). The backend reads and writes only a handful of sections,
 * so it works on this loose view and leaves every key it does not know alone.
 */
export type Tree = Record<string, unknown>;

/** One interface as a JSON object (`name`, `type`, `state`, and the rest). */
export type InterfaceTree = Tree & { name: string; type?: string; state?: string };

/** The sections of a state document the backend touches. */
export interface StateView {
  interfaces: InterfaceTree[];
  routes: { config?: Tree[]; running?: Tree[] } | undefined;
  routeRules: { config?: Tree[] } | undefined;
  dnsResolver: { config?: Tree; running?: Tree } | undefined;
  hostname: { running?: string; config?: string } | undefined;
}

/** Whether `value` is a plain object (not an array, not null). */
export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of a JSON value (states hold no classes, dates or cycles). */
export function cloneTree<T>(value: T): T {
  return cloneJson(value as JsonValue | undefined) as T;
}

/** Reads the sections the backend uses; missing sections come back empty. */
export function viewState(state: NetworkState | Tree): StateView {
  const tree = state as Tree;
  const interfaces = Array.isArray(tree['interfaces']) ? (tree['interfaces'] as InterfaceTree[]) : [];
  return {
    interfaces,
    routes: isTree(tree['routes']) ? (tree['routes'] as StateView['routes']) : undefined,
    routeRules: isTree(tree['route-rules']) ? (tree['route-rules'] as StateView['routeRules']) : undefined,
    dnsResolver: isTree(tree['dns-resolver']) ? (tree['dns-resolver'] as StateView['dnsResolver']) : undefined,
    hostname: isTree(tree['hostname']) ? (tree['hostname'] as StateView['hostname']) : undefined,
  };
}

/** Treats a JSON tree built by the backend as a model state. */
export function asNetworkState(tree: Tree): NetworkState {
  return tree as unknown as NetworkState;
}

/**
 * JSON text with object keys sorted, so equal values print identically
 * whatever order their keys were built in (used to compare states).
 */
export function toStableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toStableJson).join(',')}]`;
  const tree = value as Tree;
  const keys = Object.keys(tree)
    .filter((k) => tree[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${toStableJson(tree[k])}`).join(',')}}`;
}

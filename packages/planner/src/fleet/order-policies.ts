/**
 * The order several policies apply on one node: by name, byte-wise, as
 * kubernetes-nmstate processes them. Returns a new array.
 */
export function orderPoliciesOnNode<P extends { readonly name: string }>(policies: readonly P[]): P[] {
  return [...policies].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

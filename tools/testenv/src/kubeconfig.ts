/** A static-token identity of the test API server. */
export interface KubeconfigUser {
  readonly name: string;
  readonly token: string;
}

/** What {@link renderKubeconfig} needs. */
export interface KubeconfigSpec {
  readonly server: string;
  /** Base64 PEM of the CA bundle; without it the kubeconfig skips TLS verification. */
  readonly caData: string | undefined;
  /** The first user is the current context's. */
  readonly users: readonly KubeconfigUser[];
}

/** The context name of `user` in kubeconfigs written here: `testenv` for the admin, `testenv-<user>` for the others. */
export function contextName(user: KubeconfigUser, index: number): string {
  return index === 0 ? 'testenv' : `testenv-${user.name}`;
}

/** Renders a kubeconfig (JSON, which is YAML) with one context per user. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const cluster = spec.caData
    ? { server: spec.server, 'certificate-authority-data': spec.caData }
    : { server: spec.server, 'insecure-skip-tls-verify': true };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'testenv', cluster }],
    users: spec.users.map((user) => ({ name: user.name, user: { token: user.token } })),
    contexts: spec.users.map((user, index) => ({ name: contextName(user, index), context: { cluster: 'testenv', user: user.name } })),
    'current-context': 'testenv',
    preferences: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

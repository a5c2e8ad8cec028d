/** kubeconfig YAML pointing at the fake (http needs `insecure-skip-tls-verify: true` for client-node). */
import YAML from 'yaml';
import type { TlsMaterial } from '../tls';

export interface KubeconfigOptions {
  contextName?: string;
  namespace?: string;
  /** Default: 'token' when a token is set, else 'cert' with mtls, else 'anonymous'. */
  user?: 'token' | 'cert' | 'exec' | 'anonymous';
  /** exec user: the command (default: this Node binary printing an ExecCredential with the server's token). */
  execCommand?: string;
  execArgs?: string[];
  execEnv?: { name: string; value: string }[];
}

export interface KubeconfigServer {
  readonly url: string;
  readonly tlsMode: 'none' | 'tls' | 'mtls';
  readonly tls?: TlsMaterial;
  readonly token?: string;
}

export function buildKubeconfig(server: KubeconfigServer, o: KubeconfigOptions = {}): string {
  const { url, tls, tlsMode, token } = server;
  const context = o.contextName ?? 'fake';
  const cluster: Record<string, unknown> = { server: url };
  if (tls) cluster['certificate-authority-data'] = Buffer.from(tls.caCertPem).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  const mode = o.user ?? (token !== undefined ? 'token' : tlsMode === 'mtls' ? 'cert' : 'anonymous');
  let user: Record<string, unknown> = {};
  if (mode === 'token') {
    if (token === undefined) throw new Error('kubeconfig user "token" needs startFakeKube({ token })');
    user = { token: token };
  } else if (mode === 'cert') {
    if (!tls) throw new Error('kubeconfig user "cert" needs startFakeKube({ tls: "mtls" })');
    user = {
      'client-certificate-data': Buffer.from(tls.clientCertPem).toString('base64'),
      'client-key-data': Buffer.from(tls.clientKeyPem).toString('base64'),
    };
  } else if (mode === 'exec') {
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: token ?? 'exec-token', expirationTimestamp: new Date(Date.now() + 3_600_000).toISOString() },
    });
    user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: o.execCommand ?? process.execPath,
        args: o.execArgs ?? (o.execCommand ? [] : ['-e', `process.stdout.write(${JSON.stringify(credential)})`]),
        ...(o.execEnv ? { env: o.execEnv } : {}),
        interactiveMode: 'Never',
        provideClusterInfo: false,
      },
    };
  }
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: `${context}-cluster`, cluster }],
    users: [{ name: `${context}-user`, user }],
    contexts: [
      {
        name: context,
        context: { cluster: `${context}-cluster`, user: `${context}-user`, ...(o.namespace ? { namespace: o.namespace } : {}) },
      },
    ],
    'current-context': context,
    preferences: {},
  });
}

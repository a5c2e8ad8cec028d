import { ClusterDeckError } from '../../core/errors';
import { isCredentialStale, type ExecCredential } from '../../core/kube/execCredential';
import type { KubeClient } from '../../core/kube/kubeClient';
import type { ResolvedContext } from '../../core/kube/kubeconfig';

interface Entry {
  credential?: ExecCredential;
  obtainedAtMs: number;
  pending?: Promise<ExecCredential>;
}

/**
 * Exec credentials by cache key (kubeconfig file + user entry + hash of the command, as the approval key): one
 * plugin run serves every client of that user until the credential is about to expire or a 401 invalidates it.
 * Concurrent requests share one run.
 */
export class ExecCredentialCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string, run: () => Promise<ExecCredential>): Promise<ExecCredential> {
    const entry = this.entries.get(key) ?? { obtainedAtMs: 0 };
    this.entries.set(key, entry);
    if (entry.credential && !isCredentialStale(entry.credential, entry.obtainedAtMs, this.now())) return Promise.resolve(entry.credential);
    entry.pending ??= run().then(
      (credential) => {
        entry.credential = credential;
        entry.obtainedAtMs = this.now();
        entry.pending = undefined;
        return credential;
      },
      (e: unknown) => {
        entry.pending = undefined;
        throw e;
      },
    );
    return entry.pending;
  }

  /** Forgets every credential held (the "Forget Credentials" command); the next request asks for a new one. */
  clear(): number {
    const held = [...this.entries.values()].filter((e) => e.credential).length;
    this.entries.clear();
    return held;
  }

  /** Forgets `credential` (a 401 rejected it), unless a newer one has replaced it meanwhile. */
  invalidate(key: string, credential: ExecCredential): void {
    const entry = this.entries.get(key);
    if (entry?.credential === credential) entry.credential = undefined;
  }
}

/** The context with the plugin's credential in place of the exec entry (client-node then never runs a plugin). */
export function withExecCredential(resolved: ResolvedContext, credential: ExecCredential): ResolvedContext {
  const user = { ...resolved.user };
  delete (user as { exec?: unknown }).exec;
  return {
    ...resolved,
    user: {
      ...user,
      ...(credential.token ? { token: credential.token } : {}),
      // Our KubeConfig takes certificate data base64-encoded, as kubeconfig files carry it.
      ...(credential.clientCertificateData
        ? { clientCertificateData: Buffer.from(credential.clientCertificateData).toString('base64') }
        : {}),
      ...(credential.clientKeyData ? { clientKeyData: Buffer.from(credential.clientKeyData).toString('base64') } : {}),
    },
  };
}

/**
 * A KubeClient whose credential comes from an exec plugin: every call uses the current credential (a new client
 * per credential), and a 401 runs the plugin again once and retries the call once. A Proxy, so that every
 * method of the port (also ones added later) gets the same treatment.
 */
export function createExecAuthClient(
  credential: () => Promise<ExecCredential>,
  invalidate: (credential: ExecCredential) => void,
  build: (credential: ExecCredential) => Promise<KubeClient>,
): KubeClient {
  const clients = new WeakMap<ExecCredential, Promise<KubeClient>>();
  const clientFor = (c: ExecCredential): Promise<KubeClient> => {
    let client = clients.get(c);
    if (!client) {
      client = build(c);
      clients.set(c, client);
    }
    return client;
  };
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    const first = await credential();
    try {
      return await invoke(await clientFor(first), method, args);
    } catch (e) {
      if (!(e instanceof ClusterDeckError) || e.reason !== 'unauthorized') throw e;
      invalidate(first);
      const second = await credential();
      return invoke(await clientFor(second), method, args);
    }
  };
  return new Proxy({} as KubeClient, {
    // Not a thenable: `await factory.createClient()` must resolve to the proxy itself.
    get: (_target, method) => (typeof method === 'string' && method !== 'then' ? (...args: unknown[]) => call(method, args) : undefined),
  });
}

function invoke(client: KubeClient, method: string, args: unknown[]): Promise<unknown> {
  const fn = (client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
  if (typeof fn !== 'function') return Promise.reject(new TypeError(`KubeClient has no method ${method}`));
  return fn.apply(client, args);
}

// The KubeClient methods of the remote actions: discovery lookup, full-object lists, server-side apply,
// port-forward and exec. Part of the client chunk (dist/kubeSdk.js): kubeSdk.ts spreads them into its client.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeClient } from '../../core/kube/kubeClient';
import { collectionPath, type ResourceKind } from '../../core/kube/resourceKinds';
import { findResourceInDiscovery } from '../../core/remote/remoteTargets';
import { startExec } from './execSession';
import { startPortForward } from './portForward';

/** `rawGet` of kubeSdk.ts: a request with the context's TLS agent, credentials, timeout and error mapping. */
export type RawRequest = (
  path: string,
  signal: AbortSignal,
  what: { verb: string; resource: string; namespace?: string },
  accept?: string,
  method?: string,
  body?: unknown,
  contentType?: string,
) => Promise<unknown>;

export interface RemoteActionDeps {
  readonly kc: KubeConfig;
  readonly rawGet: RawRequest;
  readonly contextName: string;
  readonly server: string;
  readonly onRequest?: (line: string) => void;
}

type RemoteMethods = Pick<KubeClient, 'resolveKind' | 'applyObject' | 'portForward' | 'exec'>;

/** The remote-action methods of one context's client. */
export function remoteActions(deps: RemoteActionDeps): RemoteMethods {
  const { rawGet, contextName } = deps;
  const discovery = new Map<string, Promise<unknown>>();
  const logged = async <T>(line: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    let outcome = 'error';
    try {
      const r = await fn();
      outcome = 'ok';
      return r;
    } catch (e) {
      outcome = String(
        (e as { detail?: { status?: number }; reason?: string }).detail?.status ?? (e as { reason?: string }).reason ?? 'error',
      );
      throw e;
    } finally {
      deps.onRequest?.(`> kube ${line} ${contextName} [${Date.now() - started}ms] ${outcome}`);
    }
  };

  return {
    async resolveKind(apiVersion, kind, o): Promise<ResourceKind | undefined> {
      const path = apiVersion.includes('/') ? `apis/${apiVersion}` : `api/${apiVersion}`;
      let doc = discovery.get(path);
      if (!doc) {
        doc = logged(`get /${path}`, () => rawGet(path, o.signal, { verb: 'get', resource: `/${path}` }));
        discovery.set(path, doc);
        // A failed lookup (404 for an unknown group, a timeout) is not cached.
        doc.catch(() => discovery.delete(path));
      }
      try {
        return findResourceInDiscovery(await doc, apiVersion, kind);
      } catch (e) {
        if ((e as { reason?: string }).reason === 'notFound') return undefined;
        throw e;
      }
    },

    async applyObject(resource, namespace, name, body, o) {
      const query = new URLSearchParams({ fieldManager: 'clusterdeck' });
      if (o.dryRun) query.set('dryRun', 'All');
      if (o.force) query.set('force', 'true');
      const path = `${collectionPath(resource, namespace).slice(1)}/${encodeURIComponent(name)}?${query.toString()}`;
      // JSON is YAML: the apply-patch+yaml body is sent as JSON, as kubectl does.
      return (await logged(
        `apply${o.dryRun ? ' (dry run)' : ''}${o.force ? ' (force)' : ''} ${resource.plural}/${name}${namespace ? ` ${namespace}` : ''}`,
        () =>
          rawGet(
            path,
            o.signal,
            { verb: 'patch', resource: resource.plural, ...(namespace ? { namespace } : {}) },
            'application/json',
            'PATCH',
            body,
            'application/apply-patch+yaml',
          ),
      )) as Record<string, unknown>;
    },

    portForward(namespace, pod, remotePort, o) {
      return startPortForward(deps.kc, {
        namespace,
        pod,
        remotePort,
        localPort: o.localPort,
        server: deps.server,
        contextName,
        ...(deps.onRequest ? { log: deps.onRequest } : {}),
      });
    },

    exec(namespace, pod, container, command, o) {
      return startExec(deps.kc, {
        namespace,
        pod,
        container,
        command,
        columns: o.columns,
        rows: o.rows,
        server: deps.server,
        contextName,
        ...(deps.onRequest ? { log: deps.onRequest } : {}),
      });
    },
  };
}

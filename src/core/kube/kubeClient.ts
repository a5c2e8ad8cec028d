import type { ClusterOpenApi } from '../manifests/schema/clusterSchemas';
import type { ResolvedContext } from './kubeconfig';
import type { ResourceKind } from './resourceKinds';

/** One page of a Kubernetes list. `continueToken` is absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly continueToken?: string;
  readonly resourceVersion?: string;
}

/** The few fields the explorer shows of a namespace. */
export interface NamespaceSummary {
  readonly name: string;
  readonly phase?: string;
  readonly uid: string;
  readonly createdAt?: string;
}

/** The few fields the explorer shows of a pod. */
export interface PodSummary {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly phase?: string;
  readonly readyContainers: number;
  readonly totalContainers: number;
  readonly restarts: number;
  readonly createdAt?: string;
}

/** One row of a server-side Table list: the object's identity and the printer's cells by column name. */
export interface TableRowSummary {
  readonly name: string;
  readonly namespace?: string;
  readonly uid: string;
  /** Column name → printed cell (`Ready` → `2/3`, `Status` → `Running`, `Age` → `5m`). */
  readonly cells: Readonly<Record<string, string>>;
}

/** Options every call takes. Cancelling the signal aborts the request (CancelledError). */
export interface CallOptions {
  readonly signal: AbortSignal;
}

export interface ListOptions extends CallOptions {
  /** Page size; the server may return fewer. */
  readonly limit?: number;
  readonly continueToken?: string;
}

/**
 * The port to one cluster's API server. Implementations time out every request (`requestTimeoutMs`) and throw
 * ClusterDeckError with a reason (`unreachable`, `timeout`, `unauthorized`, `forbidden` with verb and
 * resource, `tls`, …); cancellation throws CancelledError.
 */
export interface KubeClient {
  listNamespaces(options: ListOptions): Promise<Page<NamespaceSummary>>;
  /** One page of the pods of a namespace, reduced to PodSummary so a page of 10,000 pods stays small. */
  listPods(namespace: string, options: ListOptions): Promise<Page<PodSummary>>;
  /**
   * One page of any resource as a server-side Table (`as=Table;g=meta.k8s.io`): only the printed columns travel,
   * so a page of a big namespace stays small. A 403 names the verb, resource and namespace.
   */
  listTable(resource: ResourceKind, namespace: string | undefined, options: ListOptions): Promise<Page<TableRowSummary>>;
  /** One object as the API server returns it (JSON). A 404 is `notFound`. */
  getObject(resource: ResourceKind, namespace: string | undefined, name: string, options: CallOptions): Promise<Record<string, unknown>>;
  /** A JSON merge patch of an object or its `scale` subresource (field manager `clusterdeck`). */
  patchObject(
    resource: ResourceKind,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: CallOptions & { readonly subresource?: 'scale' },
  ): Promise<void>;
  /** Deletes one object, only if it still has `uid` (DeleteOptions preconditions; a mismatch is `conflict`). */
  deleteObject(
    resource: ResourceKind,
    namespace: string | undefined,
    name: string,
    options: CallOptions & { readonly uid: string },
  ): Promise<void>;
  /**
   * The cluster's /version and the /openapi/v3 documents of the API groups `wantGroup` accepts (custom groups:
   * the built-in ones are bundled). One request per group-version, each with the request timeout.
   */
  fetchOpenApi(options: CallOptions & { readonly wantGroup: (group: string) => boolean }): Promise<ClusterOpenApi>;
  /** One page of any resource as full JSON objects (custom resources included); selectors as the API takes them. */
  listObjects(
    resource: ResourceKind,
    namespace: string | undefined,
    options: ListOptions & { readonly labelSelector?: string; readonly fieldSelector?: string },
  ): Promise<Page<Record<string, unknown>>>;
  /** POSTs a new object to its collection (field manager `clusterdeck`; `dryRun=All` when asked); returns what the server stored. */
  createObject(
    resource: ResourceKind,
    namespace: string | undefined,
    body: Record<string, unknown>,
    options: CallOptions & { readonly dryRun?: boolean },
  ): Promise<Record<string, unknown>>;
}

/** Builds clients for contexts; the implementation loads the Kubernetes client library on first use. */
export interface KubeClientFactory {
  createClient(context: ResolvedContext): Promise<KubeClient>;
}

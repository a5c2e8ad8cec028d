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

/** A list of full objects, narrowed like `kubectl get -l … --field-selector …`. */
export interface ObjectListOptions extends ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/** The query of `GET …/pods/{name}/log` (`kubectl logs` flags). */
export interface LogOptions {
  /** Required by the server when the pod has several containers (init containers count as choices). */
  readonly container?: string;
  /** Keep the response open and stream new lines until the container stops or the signal aborts. */
  readonly follow?: boolean;
  readonly sinceSeconds?: number;
  readonly tailLines?: number;
  /** The previous (terminated) instance of the container. */
  readonly previous?: boolean;
  /** Prefix every line with its RFC 3339 timestamp. */
  readonly timestamps?: boolean;
  readonly limitBytes?: number;
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
    options: CallOptions & {
      readonly subresource?: 'scale';
      /** `merge` (default): JSON merge patch; `json`: an RFC 6902 operation list. */
      readonly patchType?: 'merge' | 'json';
    },
  ): Promise<void>;
  /** One page of full objects (events, ReplicaSets, ControllerRevisions, a workload's pods), with selectors. */
  listObjects(resource: ResourceKind, namespace: string | undefined, options: ObjectListOptions): Promise<Page<Record<string, unknown>>>;
  /**
   * Streams a container's log: `onChunk` receives decoded text as it arrives (not split into lines). Resolves when
   * the server ends the response (the container stopped, or the whole log was sent without `follow`). The request
   * timeout applies until the answer starts and, without `follow`, between chunks; a following stream may stay
   * quiet for as long as the container is. Aborting the signal ends it with CancelledError; a 400 (a container
   * must be named, no previous instance) is a ClusterDeckError quoting the server.
   */
  streamLogs(namespace: string, pod: string, options: CallOptions & LogOptions, onChunk: (text: string) => void): Promise<void>;
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
}

/** Builds clients for contexts; the implementation loads the Kubernetes client library on first use. */
export interface KubeClientFactory {
  createClient(context: ResolvedContext): Promise<KubeClient>;
}

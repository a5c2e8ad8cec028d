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

/** One event of a watch stream (`?watch=1`): ADDED/MODIFIED/DELETED carry the object, BOOKMARK only metadata, ERROR a Status. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: Record<string, unknown>;
}

export interface WatchOptions extends CallOptions {
  /** Watch changes after this resourceVersion (from a list or the last event); absent: the current state first. */
  readonly resourceVersion?: string;
  /** Asks the server to end the stream after this many seconds (default 300); the caller then watches again. */
  readonly timeoutSeconds?: number;
  /** Called for every event, in order. An exception it throws ends the stream and the promise rejects with it. */
  readonly onEvent: (event: WatchEvent) => void;
}

/** Options every call takes. Cancelling the signal aborts the request (CancelledError). */
export interface CallOptions {
  readonly signal: AbortSignal;
}

export interface ListOptions extends CallOptions {
  /** Page size; the server may return fewer. */
  readonly limit?: number;
  readonly continueToken?: string;
  /** A label selector (`app=web,tier in (a,b)`) the server filters by. */
  readonly labelSelector?: string;
}

/** What a SelfSubjectAccessReview asks: may the current user do `verb` on this resource (in this namespace)? */
export interface AccessQuery {
  readonly verb: string;
  /** API group ('' for core). */
  readonly group: string;
  /** Plural resource name. */
  readonly resource: string;
  readonly subresource?: string;
  /** Undefined: cluster-wide (or all namespaces). */
  readonly namespace?: string;
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
  /**
   * One page of full objects as JSON (events, ReplicaSets, ControllerRevisions, nodes and their metrics, CRDs),
   * with selectors; items carry apiVersion/kind. A 404 is `notFound` (e.g. no metrics-server).
   */
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
   * Streams changes of a collection (`?watch=1&allowWatchBookmarks=true`, newline-delimited JSON) until the server
   * ends the stream (resolves), the connection fails (rejects: `unreachable`, an HTTP 410 is a ClusterDeckError with
   * `detail.status` 410) or the signal aborts (CancelledError). Connecting is bounded by the request timeout; a
   * stream silent for longer than `timeoutSeconds` plus a margin is cut (rejects `timeout`).
   */
  watch(resource: ResourceKind, namespace: string | undefined, options: WatchOptions): Promise<void>;
  /**
   * Asks the API server with a SelfSubjectAccessReview whether the current user may do this. Resolves the
   * review's `status.allowed`; a failed review throws (callers treat that as "unknown").
   */
  canI(query: AccessQuery, options: CallOptions): Promise<boolean>;
  /**
   * The cluster's /version and the /openapi/v3 documents of the API groups `wantGroup` accepts (custom groups:
   * the built-in ones are bundled). One request per group-version, each with the request timeout.
   */
  fetchOpenApi(options: CallOptions & { readonly wantGroup: (group: string) => boolean }): Promise<ClusterOpenApi>;
  // ---- remote actions (apply, port-forward, exec): see src/core/remote/
  /** The resource serving `kind` of `apiVersion`, from the discovery document (cached per client); undefined when not served. */
  resolveKind(apiVersion: string, kind: string, options: CallOptions): Promise<ResourceKind | undefined>;
  /**
   * Server-side apply (`application/apply-patch+yaml`, field manager `clusterdeck`); `dryRun` persists nothing.
   * Returns the resulting object. A 409 is `conflict` with the other managers in `detail.causes`; a 422 `invalid`.
   */
  applyObject(
    resource: ResourceKind,
    namespace: string | undefined,
    name: string,
    body: Record<string, unknown>,
    options: CallOptions & { readonly dryRun?: boolean; readonly force?: boolean },
  ): Promise<Record<string, unknown>>;
  /** Listens on 127.0.0.1:`localPort` (0: a random free port) and forwards each connection to the pod's port. */
  portForward(namespace: string, pod: string, remotePort: number, options: { readonly localPort: number }): Promise<PortForwardHandle>;
  /** Runs `command` (an argument array) in a container with a TTY of the given size. */
  exec(
    namespace: string,
    pod: string,
    container: string,
    command: readonly string[],
    options: { readonly columns: number; readonly rows: number },
  ): Promise<ExecHandle>;
  /**
   * GET through the API server's service proxy (`/api/v1/namespaces/{ns}/services/{service}/proxy/{path}`), e.g. to
   * reach an in-cluster Prometheus. `service` is `name:port` (port name or number), optionally `https:name:port`.
   * Resolves with whatever HTTP answer came back (its status may come from the API server or from the service);
   * throws ClusterDeckError only when the API server cannot be reached (`unreachable`, `timeout`, `tls`), and
   * CancelledError on cancel. One log line per call, without the query string.
   */
  proxyGet(
    namespace: string,
    service: string,
    path: string,
    options: CallOptions & { readonly query?: Readonly<Record<string, string>> },
  ): Promise<ProxyResponse>;
  /** POSTs a new object to its collection (field manager `clusterdeck`; `dryRun=All` when asked); returns what the server stored. */
  createObject(
    resource: ResourceKind,
    namespace: string | undefined,
    body: Record<string, unknown>,
    options: CallOptions & { readonly dryRun?: boolean },
  ): Promise<Record<string, unknown>>;
}

/** A raw HTTP answer of `proxyGet`. */
export interface ProxyResponse {
  readonly status: number;
  readonly contentType?: string;
  readonly body: string;
  /** The raw `Retry-After` header, when the answer had one (a 429 or 503). */
  readonly retryAfter?: string;
}

/** A running port-forward: connections to 127.0.0.1:`localPort` reach the pod's port. */
export interface PortForwardHandle {
  readonly localPort: number;
  /** Closes the listener and every open connection. */
  stop(): Promise<void>;
  /** Called once when the session ends by itself (pod gone, stream error), with a one-sentence reason. */
  onEnded(listener: (reason: string) => void): void;
}

/** A running exec with a TTY. */
export interface ExecHandle {
  write(data: string): void;
  resize(columns: number, rows: number): void;
  /** Ends the session (closes the socket). */
  close(): void;
  onOutput(listener: (data: string) => void): void;
  /** Called once when the socket ends, with the exit status of the error channel (1 with a message when none came). */
  onExit(listener: (exit: { code: number; message?: string }) => void): void;
}

/** Builds clients for contexts; the implementation loads the Kubernetes client library on first use. */
export interface KubeClientFactory {
  createClient(context: ResolvedContext): Promise<KubeClient>;
}

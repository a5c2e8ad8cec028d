// The port every cloud implements (EKS, GKE, AKS). Features ask the registry; nothing outside
// src/node/clouds/<cloud>/ knows which SDK sits behind a provider.
import type { ProvisioningProvider } from '../provisioning/provisioning';

/** The clouds ClusterDeck lists. */
export type CloudKind = 'eks' | 'gke' | 'aks';

/** How a cluster or pool is doing, mapped from each cloud's own status string (which is kept as `status`). */
export type CloudHealth = 'ok' | 'progressing' | 'failed' | 'unknown';

/**
 * Who the user is on a cloud: an AWS profile (or "env" for environment credentials), a Google Cloud project, an
 * Azure subscription. `id` is what the provider needs to list clusters; `label` is what the tree shows.
 */
export interface CloudAccount {
  readonly cloud: CloudKind;
  readonly id: string;
  readonly label: string;
  /** AWS account number, GCP project number, Azure tenant: shown as the description. */
  readonly detail?: string;
}

/** A managed Kubernetes cluster as the Clouds view and `clusterdeck clusters list` show it. */
export interface CloudCluster {
  readonly cloud: CloudKind;
  /** The CloudAccount id it was listed under. */
  readonly account: string;
  /** AWS region, GCP location (zone or region), Azure location. */
  readonly location: string;
  /** Azure only: the resource group (the tree level under a subscription). */
  readonly resourceGroup?: string;
  readonly name: string;
  /** ARN, GKE selfLink-style name (`projects/p/locations/l/clusters/c`) or ARM id. */
  readonly id: string;
  /** Control-plane Kubernetes version, e.g. "1.33" or "1.33.4-gke.100". */
  readonly version: string;
  /** The cloud's own status word (ACTIVE, RUNNING, Succeeded…). */
  readonly status: string;
  readonly health: CloudHealth;
  /** The API server URL (https://…), when the cloud reports it. */
  readonly endpoint?: string;
  /** Base64 PEM of the cluster CA, when the cloud reports it (used by Connect). */
  readonly caData?: string;
  readonly endpointAccess?: { readonly public: boolean; readonly private: boolean; readonly publicCidrs?: readonly string[] };
  /** The next control-plane version the cloud offers, when one exists. */
  readonly upgradeAvailable?: string;
  /** Total nodes when the cloud reports it without a second call. */
  readonly nodeCount?: number;
}

/** An EKS managed node group, GKE node pool or AKS agent pool. */
export interface CloudNodePool {
  readonly name: string;
  /** Instance types / machine type / VM size, comma-joined when several. */
  readonly instanceType: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
  readonly capacityType?: 'on-demand' | 'spot';
  readonly version?: string;
  readonly status: string;
  readonly health: CloudHealth;
  /** AKS: System or User. */
  readonly mode?: string;
}

/** An EKS add-on or a GKE/AKS feature worth showing under a cluster. */
export interface CloudAddon {
  readonly name: string;
  readonly version?: string;
  readonly status: string;
  readonly health: CloudHealth;
}

/**
 * The result for one scope (region, location or resource group) of a listing: the clusters, or why that scope
 * failed. One scope failing never hides the others.
 */
export interface ScopeResult<T> {
  /** Region or location name; '' when the cloud lists everything in one call. */
  readonly scope: string;
  readonly items: readonly T[];
  /** A one-sentence reason when this scope failed (items then empty). */
  readonly error?: string;
}

/** A bearer token for a cluster's API server, made in-process (no cloud CLI). */
export interface ClusterToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** A running cloud operation; `wait` resolves when it is done and rejects with the cloud's reason on failure. */
export interface CloudOperation {
  /** The cloud's operation or update id (persisted so a restarted editor can find it again). */
  readonly id: string;
  readonly description: string;
  wait(signal?: AbortSignal, onProgress?: (status: string) => void): Promise<void>;
}

/**
 * More about a cluster for the Details document, grouped in titled sections (e.g. "Networking": VPC, subnets,
 * service CIDR; "Logging": control-plane log types). Values are plain text, never secrets.
 */
export interface CloudClusterDetails {
  readonly sections: readonly { readonly title: string; readonly rows: readonly (readonly [string, string])[] }[];
}

/** Scale bounds for a node pool; unspecified fields are left as they are. */
export interface NodePoolScale {
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
}

/**
 * One cloud. Every method takes an AbortSignal, applies its own timeouts, and throws ClusterDeckError (core/errors.ts)
 * with a FailureReason ('unauthorized', 'forbidden', 'notFound', 'timeout', 'unreachable', 'conflict',
 * 'throttled', 'serverError', 'invalid') and a one-sentence message with the next step; never a raw SDK error.
 */
export interface CloudProvider {
  readonly cloud: CloudKind;
  /** Accounts the user can use now (profiles, projects, subscriptions). Never runs a default credential chain. */
  listAccounts(signal?: AbortSignal): Promise<readonly CloudAccount[]>;
  /** Clusters of an account, per scope; `scopes` restricts regions/locations (default: the provider's choice). */
  listClusters(account: string, scopes: readonly string[] | undefined, signal?: AbortSignal): Promise<readonly ScopeResult<CloudCluster>[]>;
  listNodePools(cluster: CloudCluster, signal?: AbortSignal): Promise<readonly CloudNodePool[]>;
  listAddons(cluster: CloudCluster, signal?: AbortSignal): Promise<readonly CloudAddon[]>;
  /** Kubernetes versions the control plane can move to (newest first). */
  listUpgradeVersions(cluster: CloudCluster, signal?: AbortSignal): Promise<readonly string[]>;
  /** A token for the cluster's API server (EKS presigned STS, GKE OAuth, AKS Entra ID). */
  getClusterToken(
    cluster: Pick<CloudCluster, 'account' | 'location' | 'name' | 'resourceGroup'>,
    signal?: AbortSignal,
  ): Promise<ClusterToken>;
  scaleNodePool(cluster: CloudCluster, pool: string, scale: NodePoolScale, signal?: AbortSignal): Promise<CloudOperation>;
  upgradeCluster(cluster: CloudCluster, version: string, signal?: AbortSignal): Promise<CloudOperation>;
  deleteNodePool(cluster: CloudCluster, pool: string, signal?: AbortSignal): Promise<CloudOperation>;
  deleteCluster(cluster: CloudCluster, signal?: AbortSignal): Promise<CloudOperation>;
  /** Moves a node pool to `version` (a version the control plane runs or allows; EKS/AKS: the control plane's). */
  upgradeNodePool(cluster: CloudCluster, pool: string, version: string, signal?: AbortSignal): Promise<CloudOperation>;
  /**
   * Follows an operation again after a restart, from the `id` a CloudOperation of this provider gave (persisted by
   * the caller before waiting). The id is self-contained for the provider (it may encode the pool or the poller state).
   */
  resumeOperation(cluster: CloudCluster, id: string, description: string): CloudOperation;
  /** Optional: networking, logging and other facts for the Details document (absent → only the listed fields). */
  describeCluster?(cluster: CloudCluster, signal?: AbortSignal): Promise<CloudClusterDetails>;
  /** Creating clusters and node pools (core/provisioning/provisioning.ts); absent → this cloud cannot provision yet. */
  readonly provisioning?: ProvisioningProvider;
}

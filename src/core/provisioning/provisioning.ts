// The provisioning port (issue #6). Config first: a wizard writes a standard file (eksctl ClusterConfig, GKE
// Cluster resource, ARM managedClusters resource, kubeadm config); "Create from file" (command, CodeLens, CLI)
// reads such a file back through a ProvisioningFormat into a ProvisionPlan; runPlan (runPlan.ts) journals each
// step, then asks the cloud's provider to create it exactly once and follows the operation.
import type { CloudKind, CloudOperation } from '../clouds/cloudProvider';
import type { WizardStep } from '../wizard/wizard';

/** Where a resource is created: the account/project/subscription, region/location, Azure resource group. */
export interface CreateTarget {
  readonly cloud: CloudKind;
  /** AWS profile, GCP project id, Azure subscription id (a CloudAccount id). */
  readonly account: string;
  /** AWS region, GCP location (region or zone), Azure location. */
  readonly location: string;
  readonly resourceGroup?: string;
  /** The cluster (created, or the one a node pool goes into). */
  readonly cluster: string;
}

/**
 * One create call: a cluster, a node pool of `target.cluster`, (AKS, `x-clusterdeck.createResourceGroup`) the
 * Azure resource group `target.resourceGroup` the cluster goes into, created before it, or (EKS, "create the
 * standard role") the IAM role `name` the cluster or its node groups use, created before them.
 */
export interface ProvisionStep {
  readonly kind: 'cluster' | 'nodePool' | 'resourceGroup' | 'iamRole';
  readonly target: CreateTarget;
  /** The cluster name, or the node pool name. */
  readonly name: string;
  /**
   * The request exactly as the SDK takes it, every value explicit (provisioning.md P1): EKS CreateClusterRequest /
   * CreateNodegroupRequest without clientRequestToken; GKE `{ parent, cluster }` / `{ parent, nodePool }`; ARM
   * ManagedCluster / AgentPool. JSON-serialisable.
   */
  readonly body: unknown;
  /** Estimated nodes this step adds (for the summary). */
  readonly estimatedNodes: number;
}

/** What a file asks for, ready to show ("what, where, how many nodes") and to run. */
export interface ProvisionPlan {
  readonly cloud: CloudKind;
  /** "EKS cluster shop-prod (Kubernetes 1.34)". */
  readonly what: string;
  /** "profile prod, region eu-west-1". */
  readonly where: string;
  readonly estimatedNodes: number;
  /** Run in order; a node-pool step waits for the cluster step before it (EKS managed node groups). */
  readonly steps: readonly ProvisionStep[];
  /** The equivalent eksctl / gcloud / az command line(s), shown beside the file (illustrative; the body rules). */
  readonly equivalentCommand: string;
  /** Non-blocking remarks (extended-support version, 0.0.0.0/0 endpoint, spot with one instance type…). */
  readonly warnings: readonly string[];
}

/** A problem in a provisioning file, at a path into the parsed document (for diagnostics with positions). */
export interface SpecProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Values the file does not carry and the caller supplies (a CLI flag or the wizard's answers). */
export interface PlanOverrides {
  readonly account?: string;
  readonly location?: string;
  readonly resourceGroup?: string;
}

/**
 * One standard file format. Pure: parse/plan never touch the network. `matches` decides from the parsed document
 * (e.g. `apiVersion: eksctl.io/v1alpha5` + `kind: ClusterConfig`), so the Manifests engine can route files here.
 */
export interface ProvisioningFormat<Spec = unknown> {
  readonly cloud: CloudKind | 'kubeadm';
  /** "eksctl ClusterConfig", "GKE Cluster", "ARM managedClusters", "kubeadm config". */
  readonly label: string;
  matches(doc: unknown): boolean;
  /** Reads a parsed document into the spec, or problems (errors block creating; warnings do not). */
  read(doc: unknown): { readonly spec?: Spec; readonly problems: readonly SpecProblem[] };
  /** The file text for a spec (what the wizard writes); reading it back gives an equal spec. */
  write(spec: Spec): string;
  /** The plan for a valid spec; throws ClusterDeckError('invalid' | 'badConfig') when a required value is missing. */
  plan(spec: Spec, overrides?: PlanOverrides): ProvisionPlan;
}

/**
 * What a provider did with a create call:
 * - `started`: it sent the create; `operation` follows it;
 * - `inProgress`: the resource is already being created by us (same token, our `clusterdeck-op` tag/label, or an
 *   operation found for it); `operation` follows that one;
 * - `exists`: the resource exists and is done (ours): nothing was sent.
 * A name taken by someone else's resource throws ClusterDeckError('conflict') saying so, with "rename" as the step.
 */
export interface CreateOutcome {
  readonly state: 'started' | 'inProgress' | 'exists';
  readonly operation?: CloudOperation;
  /** One sentence for the user ("EKS cluster shop-prod already exists in eu-west-1."). */
  readonly message: string;
}

/** The provisioning half of a cloud provider (implemented beside it in src/node/clouds/<cloud>/). */
export interface ProvisioningProvider {
  readonly cloud: CloudKind;
  /**
   * Creates exactly once (provisioning.md §1.6, §2.6, §3.5): `opId` is the journal id, put on the resource as the
   * `clusterdeck-op` tag/label; `token` is the idempotency token (EKS clientRequestToken, derived from the step and
   * stored in the journal before the call). Never retries a non-idempotent create blindly.
   */
  create(step: ProvisionStep, ids: { readonly opId: string; readonly token: string }, signal?: AbortSignal): Promise<CreateOutcome>;
  /** Follows a create again after a restart, from the operation id a CreateOutcome's operation gave. */
  resumeCreate(step: ProvisionStep, operationId: string): CloudOperation;
  /** What of a failed step exists now (e.g. "cluster shop-prod (FAILED)"), for the failure message. Never deletes. */
  partialResources(step: ProvisionStep, signal?: AbortSignal): Promise<readonly string[]>;
  /**
   * Choices for a wizard step, by the cloud's own query names ("versions", "regions", "instanceTypes", "subnets",
   * "roles", "machineTypes", "networks", "resourceGroups", "vmSizes"…); `params` carries what the query depends on.
   */
  choices(query: string, params: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<readonly ChoiceItem[]>;
}

/** A loaded choice (mapped to a WizardChoice by the step). */
export interface ChoiceItem {
  readonly value: string;
  readonly label?: string;
  readonly description?: string;
  readonly isDefault?: boolean;
}

/** The `clusterdeck-op` key every created resource carries (provisioning.md P3). */
export const OWNERSHIP_KEY = 'clusterdeck-op';

/** Answers a tree node gives a wizard in advance (its steps are then skipped). */
export interface WizardPrefill {
  readonly account?: string;
  readonly location?: string;
  readonly resourceGroup?: string;
  /** For a node-pool wizard: the cluster it adds to. */
  readonly cluster?: string;
  /**
   * Availability zones to pre-select (subnets in them picked, others not): a create again after the cloud refused a
   * zone and named the ones it accepts (EKS UnsupportedAvailabilityZoneException `validZones`).
   */
  readonly zones?: readonly string[];
}

/** Loads choices through the cloud's ProvisioningProvider.choices (the host binds it to the signed-in account). */
export type ChoiceLoader = (
  query: string,
  params: Readonly<Record<string, string>>,
  signal?: AbortSignal,
) => Promise<readonly ChoiceItem[]>;

/**
 * A wizard as data: steps (core/wizard/wizard.ts) over a State, and how the final State becomes the spec the
 * format writes. The host runs it with the one renderer, writes `format.write(toSpec(state))` to `fileName`,
 * opens it with the equivalent command beside it, and offers Create (the same path as "Create from file").
 */
export interface ProvisioningWizard<State, Spec> {
  /** "New EKS Cluster", "New GKE Node Pool". */
  readonly title: string;
  steps(choices: ChoiceLoader): readonly WizardStep<State>[];
  initial(prefill: WizardPrefill): State;
  toSpec(state: State): Spec;
  /** Workspace-relative path to write, e.g. "clusters/shop-prod.eksctl.yaml". */
  fileName(spec: Spec): string;
}

/**
 * Everything one cloud contributes to provisioning that is pure (core): the cluster and node-pool file formats and
 * wizards. Exported as `<cloud>Provisioning` from src/core/provisioning/<cloud>/index.ts; the I/O half is the
 * provider's `provisioning` (ProvisioningProvider).
 */
export interface CloudProvisioningModule<ClusterState, ClusterSpec, PoolState, PoolSpec> {
  readonly cloud: CloudKind;
  readonly clusterFormat: ProvisioningFormat<ClusterSpec>;
  readonly nodePoolFormat: ProvisioningFormat<PoolSpec>;
  readonly clusterWizard: ProvisioningWizard<ClusterState, ClusterSpec>;
  readonly nodePoolWizard: ProvisioningWizard<PoolState, PoolSpec>;
}

/**
 * The wizard pre-fill for creating again after the cloud refused an availability zone (EKS
 * UnsupportedAvailabilityZoneException): the same account and region, and the zones the error names
 * (`detail.validZones`) pre-selected. Undefined when the failure is not of that kind.
 */
export function zoneRetryPrefill(error: unknown, prefill: WizardPrefill): WizardPrefill | undefined {
  const zones = (error as { detail?: { validZones?: unknown } } | undefined)?.detail?.validZones;
  if (!Array.isArray(zones) || zones.length === 0 || !zones.every((z) => typeof z === 'string')) return undefined;
  return { ...prefill, zones };
}

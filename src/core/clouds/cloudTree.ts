// The Clouds view as plain data: cloud → account → region/location (or resource group) → cluster → node pools and
// add-ons. Pure: the host asks the providers and hands the answers to these builders; `presentCloudNode` is the one
// mapping to what a tree item shows.
import type { CloudAccount, CloudAddon, CloudCluster, CloudHealth, CloudKind, CloudNodePool, ScopeResult } from './cloudProvider';
import { entryStatus, type JournalEntry } from '../provisioning/journal';

/** A next step offered on a message node (a command id and its arguments). */
export interface CloudNextStep {
  readonly command: string;
  readonly title: string;
  readonly args: readonly unknown[];
}

/** The nodes of the Clouds view, a union on `kind`. Ids are stable across refreshes (expansion survives). */
export type CloudTreeNode =
  | { readonly kind: 'cloud'; readonly id: string; readonly cloud: CloudKind }
  | { readonly kind: 'account'; readonly id: string; readonly cloud: CloudKind; readonly account: CloudAccount }
  | {
      readonly kind: 'scope';
      readonly id: string;
      readonly cloud: CloudKind;
      readonly account: CloudAccount;
      /** Region (AWS), location (GCP) or resource group (Azure). */
      readonly scope: string;
      readonly scopeKind: 'region' | 'location' | 'resourceGroup';
      readonly clusters: readonly CloudCluster[];
    }
  | {
      readonly kind: 'cluster';
      readonly id: string;
      readonly cluster: CloudCluster;
      readonly account: CloudAccount;
      /** The kubeconfig context that points at this cluster, when there is one. */
      readonly kubeContext?: string;
      /** Set while the operations journal says ClusterDeck is creating it ("provisioning (1/2: cluster)"). */
      readonly provisioning?: string;
    }
  | {
      readonly kind: 'poolFolder';
      readonly id: string;
      readonly cluster: CloudCluster;
      readonly account: CloudAccount;
      readonly kubeContext?: string;
    }
  | {
      readonly kind: 'pool';
      readonly id: string;
      readonly cluster: CloudCluster;
      readonly account: CloudAccount;
      readonly pool: CloudNodePool;
      readonly kubeContext?: string;
    }
  | { readonly kind: 'addonFolder'; readonly id: string; readonly cluster: CloudCluster; readonly account: CloudAccount }
  | { readonly kind: 'addon'; readonly id: string; readonly cluster: CloudCluster; readonly addon: CloudAddon }
  /** "Provisioning": the operations journal's entries (creating, failed, just created), first in the view. */
  | { readonly kind: 'opsFolder'; readonly id: string; readonly entries: readonly JournalEntry[] }
  | { readonly kind: 'op'; readonly id: string; readonly entry: JournalEntry }
  | {
      readonly kind: 'message';
      readonly id: string;
      readonly severity: 'info' | 'warning' | 'error';
      readonly text: string;
      readonly nextStep?: CloudNextStep;
    };

export type CloudClusterNode = Extract<CloudTreeNode, { kind: 'cluster' }>;
export type CloudPoolNode = Extract<CloudTreeNode, { kind: 'pool' }>;

/** What a tree item shows for a node. `icon` is a codicon id with an optional theme color id. */
export interface CloudNodePresentation {
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  readonly icon?: { readonly id: string; readonly color?: string };
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  readonly command?: CloudNextStep;
}

/** The kubeconfig contexts a cluster may be linked to: name, the cluster entry's name and its server URL. */
export interface KubeContextRef {
  readonly name: string;
  readonly clusterName: string;
  readonly server: string;
}

export const cloudLabels: Readonly<Record<CloudKind, string>> = {
  eks: 'AWS (EKS)',
  gke: 'Google Cloud (GKE)',
  aks: 'Azure (AKS)',
};

/** What each cloud calls its accounts, pools and extras. */
export const cloudWords: Readonly<
  Record<CloudKind, { account: string; pools: string; pool: string; addons: string; scope: 'region' | 'location' | 'resourceGroup' }>
> = {
  eks: { account: 'profile', pools: 'Node groups', pool: 'node group', addons: 'Add-ons', scope: 'region' },
  gke: { account: 'project', pools: 'Node pools', pool: 'node pool', addons: 'Features', scope: 'location' },
  aks: { account: 'subscription', pools: 'Agent pools', pool: 'agent pool', addons: 'Features', scope: 'resourceGroup' },
};

/** Codicon and theme color per health. */
export function healthIcon(health: CloudHealth): { id: string; color?: string } {
  switch (health) {
    case 'ok':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'progressing':
      return { id: 'sync', color: 'charts.yellow' };
    case 'failed':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'unknown':
      return { id: 'question' };
  }
}

/** The command ids message nodes and presentation refer to (the host registers them under these ids). */
export const cloudStepCommands = {
  refresh: 'clusterdeck.cloud.refresh',
  signInAzure: 'clusterdeck.cloud.signInAzure',
  chooseAwsProfile: 'clusterdeck.cloud.chooseAwsProfile',
  setGoogleCredentials: 'clusterdeck.cloud.setGoogleCredentials',
  manageTrust: 'workbench.trust.manage',
} as const;

/** The next step for "no account" / "not signed in" on a cloud. */
export function signInStep(cloud: CloudKind): CloudNextStep {
  switch (cloud) {
    case 'eks':
      return { command: cloudStepCommands.chooseAwsProfile, title: 'Choose AWS Profile…', args: [] };
    case 'gke':
      return { command: cloudStepCommands.setGoogleCredentials, title: 'Set Google Credentials…', args: [] };
    case 'aks':
      return { command: cloudStepCommands.signInAzure, title: 'Sign in to Azure', args: [] };
  }
}

/**
 * "Not signed in" for a cloud with no account at all: the exact way to sign in (reliability B66). Nothing was sent
 * to the cloud to find that out; the sentence names the command line tools' own sign-in, which writes the files
 * ClusterDeck reads (AWS, Google), or VS Code's Microsoft sign-in (Azure).
 */
export function notSignedInText(cloud: CloudKind): string {
  switch (cloud) {
    case 'eks':
      return 'Not signed in to AWS: no profile found. Run `aws configure` (access keys) or `aws configure sso` then `aws sso login`, then refresh.';
    case 'gke':
      return 'Not signed in to Google Cloud. Run `gcloud auth application-default login` (or set a service-account key), then refresh.';
    case 'aks':
      return 'Not signed in to Azure. Use "Sign in to Azure" (your Microsoft account in VS Code), then refresh.';
  }
}

/** The top level: one node per enabled cloud, in the order given. */
export function cloudRootNodes(clouds: readonly CloudKind[]): CloudTreeNode[] {
  return clouds.map((cloud) => ({ kind: 'cloud', id: `cloud:${cloud}`, cloud }));
}

/** Under a cloud: its accounts, or a message with the sign-in step when there are none. */
export function accountNodes(cloud: CloudKind, accounts: readonly CloudAccount[]): CloudTreeNode[] {
  if (accounts.length === 0) {
    const step = signInStep(cloud);
    return [
      {
        kind: 'message',
        id: `cloud:${cloud}:none`,
        severity: 'info',
        text: notSignedInText(cloud),
        nextStep: step,
      },
    ];
  }
  return accounts.map((account) => ({ kind: 'account', id: accountId(cloud, account.id), cloud, account }));
}

/** A failure loading a level, as a message node with the next step that fits its reason. */
export function cloudErrorNode(parentId: string, cloud: CloudKind, message: string, reason?: string): CloudTreeNode {
  const nextStep: CloudNextStep | undefined =
    reason === 'untrusted'
      ? { command: cloudStepCommands.manageTrust, title: 'Manage Workspace Trust', args: [] }
      : reason === 'unauthorized' || reason === 'forbidden'
        ? signInStep(cloud)
        : { command: cloudStepCommands.refresh, title: 'Retry', args: [] };
  return { kind: 'message', id: `${parentId}:error`, severity: 'error', text: message, nextStep };
}

/**
 * Under an account: AWS regions and GCP locations that hold clusters (empty ones hidden; a failed one becomes a
 * message naming it), Azure resource groups. Nothing at all → one info message.
 */
export function scopeNodes(account: CloudAccount, results: readonly ScopeResult<CloudCluster>[]): CloudTreeNode[] {
  const cloud = account.cloud;
  const parent = accountId(cloud, account.id);
  const scopeKind = cloudWords[cloud].scope;
  const out: CloudTreeNode[] = [];
  const errors: CloudTreeNode[] = [];
  for (const r of results) {
    if (r.error) {
      errors.push({
        kind: 'message',
        id: `${parent}:scope:${r.scope}:error`,
        severity: 'error',
        text: r.scope ? `${r.scope}: ${r.error}` : r.error,
        nextStep: { command: cloudStepCommands.refresh, title: 'Retry', args: [] },
      });
    }
  }
  if (scopeKind === 'resourceGroup') {
    const groups = new Map<string, CloudCluster[]>();
    for (const r of results) for (const c of r.items) groups.set(c.resourceGroup ?? '', [...(groups.get(c.resourceGroup ?? '') ?? []), c]);
    for (const [group, clusters] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      out.push({ kind: 'scope', id: `${parent}:scope:${group}`, cloud, account, scope: group, scopeKind, clusters: sortByName(clusters) });
    }
  } else {
    const byScope = new Map<string, CloudCluster[]>();
    for (const r of results) for (const c of r.items) byScope.set(c.location, [...(byScope.get(c.location) ?? []), c]);
    for (const [scope, clusters] of [...byScope].sort(([a], [b]) => a.localeCompare(b))) {
      out.push({ kind: 'scope', id: `${parent}:scope:${scope}`, cloud, account, scope, scopeKind, clusters: sortByName(clusters) });
    }
  }
  if (out.length === 0 && errors.length === 0) {
    return [{ kind: 'message', id: `${parent}:empty`, severity: 'info', text: `No clusters in ${account.label}.` }];
  }
  return [...out, ...errors];
}

/** Under a region/location/resource group: its clusters, each linked to its kubeconfig context when one exists. */
export function clusterNodes(scope: Extract<CloudTreeNode, { kind: 'scope' }>, contexts: readonly KubeContextRef[]): CloudTreeNode[] {
  return scope.clusters.map((cluster) => {
    const kubeContext = findKubeContext(cluster, contexts);
    return {
      kind: 'cluster',
      id: `${scope.id}:cluster:${cluster.name}`,
      cluster,
      account: scope.account,
      ...(kubeContext ? { kubeContext } : {}),
    };
  });
}

/** Under a cluster: the pools folder and the add-ons/features folder. */
export function clusterChildren(node: CloudClusterNode): CloudTreeNode[] {
  return [
    {
      kind: 'poolFolder',
      id: `${node.id}:pools`,
      cluster: node.cluster,
      account: node.account,
      ...(node.kubeContext ? { kubeContext: node.kubeContext } : {}),
    },
    { kind: 'addonFolder', id: `${node.id}:addons`, cluster: node.cluster, account: node.account },
  ];
}

export function poolNodes(folder: Extract<CloudTreeNode, { kind: 'poolFolder' }>, pools: readonly CloudNodePool[]): CloudTreeNode[] {
  const kubeContext = folder.kubeContext;
  if (pools.length === 0)
    return [
      { kind: 'message', id: `${folder.id}:empty`, severity: 'info', text: `No ${cloudWords[folder.cluster.cloud].pools.toLowerCase()}.` },
    ];
  return sortByName(pools).map((pool) => ({
    kind: 'pool',
    id: `${folder.id}:${pool.name}`,
    cluster: folder.cluster,
    account: folder.account,
    pool,
    ...(kubeContext ? { kubeContext } : {}),
  }));
}

export function addonNodes(folder: Extract<CloudTreeNode, { kind: 'addonFolder' }>, addons: readonly CloudAddon[]): CloudTreeNode[] {
  if (addons.length === 0)
    return [
      { kind: 'message', id: `${folder.id}:empty`, severity: 'info', text: `No ${cloudWords[folder.cluster.cloud].addons.toLowerCase()}.` },
    ];
  return sortByName(addons).map((addon) => ({ kind: 'addon', id: `${folder.id}:${addon.name}`, cluster: folder.cluster, addon }));
}

/** Min/desired/max as "1 ≤ 3 ≤ 5" (unknown bounds as "?"). */
export function formatScale(pool: Pick<CloudNodePool, 'min' | 'desired' | 'max'>): string {
  // A fixed-size pool (no autoscaler bounds) is just its node count.
  if (pool.min === undefined && pool.max === undefined && pool.desired !== undefined)
    return `${pool.desired} node${pool.desired === 1 ? '' : 's'}`;
  const n = (v: number | undefined) => (v === undefined ? '?' : String(v));
  return `${n(pool.min)} ≤ ${n(pool.desired)} ≤ ${n(pool.max)}`;
}

/** "public", "private" or "public + private" (with the public CIDRs when restricted). */
export function formatEndpointAccess(access: CloudCluster['endpointAccess']): string | undefined {
  if (!access) return undefined;
  const parts = [access.public ? 'public' : '', access.private ? 'private' : ''].filter(Boolean);
  if (parts.length === 0) return 'no endpoint';
  const cidrs =
    access.public && access.publicCidrs?.length && access.publicCidrs.join(',') !== '0.0.0.0/0'
      ? ` (${access.publicCidrs.join(', ')})`
      : '';
  return parts.join(' + ') + cidrs;
}

/** The Provisioning folder and its entries (undefined when the journal holds nothing to show). */
export function opsFolderNode(entries: readonly JournalEntry[]): CloudTreeNode | undefined {
  if (entries.length === 0) return undefined;
  return { kind: 'opsFolder', id: 'ops', entries: [...entries].sort((a, b) => b.createdAtMs - a.createdAtMs) };
}

export function opNodes(folder: Extract<CloudTreeNode, { kind: 'opsFolder' }>): CloudTreeNode[] {
  return folder.entries.map((entry) => ({ kind: 'op', id: `ops:${entry.id}`, entry }));
}

/** The journal's word for a cluster being created here ("provisioning (2/3: node pool ng-1)"), if any. */
export function provisioningStateOf(
  entries: readonly JournalEntry[],
  c: Pick<CloudCluster, 'cloud' | 'name' | 'location'>,
): string | undefined {
  const e = entries.find(
    (x) =>
      x.state === 'active' &&
      x.cloud === c.cloud &&
      x.steps.some((s) => s.step.target.cluster === c.name && s.step.target.location === c.location),
  );
  return e ? entryStatus(e) : undefined;
}

function presentOp(e: JournalEntry): CloudNodePresentation {
  const status = entryStatus(e);
  const when = new Date(e.createdAtMs).toISOString().replace('T', ' ').slice(0, 16);
  const tooltip = [
    `**${md(e.what)}**`,
    `Where: ${md(e.where)}`,
    `Started: ${when} UTC · ${md(status)}`,
    e.message ? `Last message: ${md(e.message)}` : '',
    e.partial?.length ? `Left in place (nothing was deleted):\n${e.partial.map((p) => `- ${md(p)}`).join('\n')}` : '',
    ...e.steps.map(
      (s, i) =>
        `${i + 1}. ${s.step.kind === 'cluster' ? 'cluster' : s.step.kind === 'resourceGroup' ? 'resource group' : s.step.kind === 'iamRole' ? 'IAM role' : 'node pool'} \`${s.step.name}\`: ${s.state}`,
    ),
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    label: e.what,
    description: [status, e.where].join(' · '),
    tooltip,
    icon:
      e.state === 'failed'
        ? { id: 'error', color: 'errorForeground' }
        : e.state === 'succeeded'
          ? { id: 'pass', color: 'testing.iconPassed' }
          : { id: 'sync~spin' },
    contextValue: `cloudOp ${e.state}`,
    collapsible: 'none',
  };
}

/** The one mapping from a node to what its tree item shows. */
export function presentCloudNode(node: CloudTreeNode): CloudNodePresentation {
  switch (node.kind) {
    case 'cloud':
      return { label: cloudLabels[node.cloud], icon: { id: 'cloud' }, contextValue: `cloud ${node.cloud}`, collapsible: 'collapsed' };
    case 'account':
      return {
        label: node.account.label,
        ...(node.account.detail ? { description: node.account.detail } : {}),
        tooltip: `**${md(node.account.label)}** (${cloudWords[node.cloud].account})${node.account.detail ? `\n\n${md(node.account.detail)}` : ''}`,
        icon: { id: 'account' },
        contextValue: `cloudAccount ${node.cloud}`,
        collapsible: 'collapsed',
      };
    case 'scope':
      return {
        label: node.scope || '(no resource group)',
        description: `${node.clusters.length} cluster${node.clusters.length === 1 ? '' : 's'}`,
        icon: { id: node.scopeKind === 'resourceGroup' ? 'folder' : 'globe' },
        contextValue: `cloudScope ${node.cloud}`,
        collapsible: 'collapsed',
      };
    case 'cluster':
      return presentCluster(node);
    case 'poolFolder':
      return {
        label: cloudWords[node.cluster.cloud].pools,
        icon: { id: 'server' },
        contextValue: `cloudPools ${node.cluster.cloud}`,
        collapsible: 'collapsed',
      };
    case 'addonFolder':
      return {
        label: cloudWords[node.cluster.cloud].addons,
        icon: { id: 'extensions' },
        contextValue: `cloudAddons ${node.cluster.cloud}`,
        collapsible: 'collapsed',
      };
    case 'pool':
      return presentPool(node);
    case 'addon':
      return {
        label: node.addon.name,
        description: [node.addon.version, node.addon.status].filter(Boolean).join(' · '),
        icon: healthIcon(node.addon.health),
        contextValue: `cloudAddon ${node.cluster.cloud} ${node.addon.health}`,
        collapsible: 'none',
      };
    case 'opsFolder': {
      const active = node.entries.filter((e) => e.state === 'active').length;
      return {
        label: 'Provisioning',
        description: active > 0 ? `${active} in progress` : `${node.entries.length} finished`,
        icon: active > 0 ? { id: 'loading~spin' } : { id: 'history' },
        contextValue: 'cloudOps',
        collapsible: 'expanded',
      };
    }
    case 'op':
      return presentOp(node.entry);
    case 'message':
      return {
        label: node.text,
        icon:
          node.severity === 'error'
            ? { id: 'error', color: 'errorForeground' }
            : node.severity === 'warning'
              ? { id: 'warning' }
              : { id: 'info' },
        contextValue: `cloudMessage ${node.severity}`,
        collapsible: 'none',
        ...(node.nextStep ? { command: node.nextStep, description: node.nextStep.title } : {}),
      };
  }
}

function presentCluster(node: CloudClusterNode): CloudNodePresentation {
  const c = node.cluster;
  const access = formatEndpointAccess(c.endpointAccess);
  const description = [
    node.provisioning ?? '',
    c.status,
    c.version,
    c.upgradeAvailable ? `upgrade to ${c.upgradeAvailable} available` : '',
    access ?? '',
    c.nodeCount !== undefined ? `${c.nodeCount} node${c.nodeCount === 1 ? '' : 's'}` : '',
    node.kubeContext ? `in kubeconfig as ${node.kubeContext}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const tooltip = [
    `**${md(c.name)}** (${cloudLabels[c.cloud]})`,
    `Account: ${md(node.account.label)}`,
    `${c.resourceGroup !== undefined ? `Resource group: \`${c.resourceGroup}\` · ` : ''}Location: \`${c.location}\``,
    `Status: ${md(c.status)} · Version: ${md(c.version)}${c.upgradeAvailable ? ` · upgrade to ${md(c.upgradeAvailable)} available` : ''}`,
    c.endpoint ? `Endpoint: \`${c.endpoint}\`${access ? ` (${access})` : ''}` : '',
    c.nodeCount !== undefined ? `Nodes: ${c.nodeCount}` : '',
    `Id: \`${c.id}\``,
    node.kubeContext ? `In kubeconfig as \`${node.kubeContext}\`` : 'Not in your kubeconfig: use **Connect** to add it.',
  ]
    .filter(Boolean)
    .join('\n\n');
  const tokens = [
    'cloudCluster',
    c.cloud,
    c.health,
    node.kubeContext ? 'inKubeconfig' : '',
    c.upgradeAvailable ? 'upgradable' : '',
    c.endpoint ? 'connectable' : '',
  ];
  return {
    label: c.name,
    description,
    tooltip,
    icon: healthIcon(c.health),
    contextValue: tokens.filter(Boolean).join(' '),
    collapsible: 'collapsed',
  };
}

function presentPool(node: CloudPoolNode): CloudNodePresentation {
  const p = node.pool;
  const description = [p.instanceType, formatScale(p), p.capacityType === 'spot' ? 'spot' : '', p.mode ?? '', p.version ?? '', p.status]
    .filter(Boolean)
    .join(' · ');
  const tooltip = [
    `**${md(p.name)}** (${cloudWords[node.cluster.cloud].pool} of ${md(node.cluster.name)})`,
    `Instance type: \`${p.instanceType}\``,
    `Min / desired / max: ${formatScale(p)}`,
    p.capacityType ? `Capacity: ${p.capacityType}` : '',
    p.mode ? `Mode: ${p.mode}` : '',
    p.version ? `Version: ${p.version}` : '',
    `Status: ${md(p.status)}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    label: p.name,
    description,
    tooltip,
    icon: healthIcon(p.health),
    contextValue: `cloudNodePool ${node.cluster.cloud} ${p.health}`,
    collapsible: 'none',
  };
}

/**
 * The kubeconfig context pointing at a cluster: same server URL (ignoring a trailing slash, case of the host and a
 * default :443), or named the way the clouds' CLIs name it (EKS: the ARN; GKE: gke_<project>_<location>_<name>;
 * AKS: the cluster name for both context and cluster entry).
 */
export function findKubeContext(cluster: CloudCluster, contexts: readonly KubeContextRef[]): string | undefined {
  if (cluster.endpoint) {
    const server = normalizeServer(cluster.endpoint);
    const hit = contexts.find((c) => c.server && normalizeServer(c.server) === server);
    if (hit) return hit.name;
  }
  const names = cliNames(cluster);
  const byName = contexts.find((c) => names.includes(c.name) || (cluster.cloud !== 'aks' && names.includes(c.clusterName)));
  if (byName) return byName.name;
  if (cluster.cloud === 'aks') return contexts.find((c) => c.name === cluster.name && c.clusterName === cluster.name)?.name;
  return undefined;
}

/** The context name the cloud's own CLI gives a cluster. */
export function cliContextName(cluster: Pick<CloudCluster, 'cloud' | 'account' | 'location' | 'name' | 'id'>): string {
  switch (cluster.cloud) {
    case 'eks':
      return cluster.id;
    case 'gke':
      return `gke_${cluster.account}_${cluster.location}_${cluster.name}`;
    case 'aks':
      return cluster.name;
  }
}

function cliNames(cluster: CloudCluster): string[] {
  return cluster.cloud === 'aks' ? [] : [cliContextName(cluster)];
}

function normalizeServer(url: string): string {
  try {
    const u = new URL(url.trim());
    const port = u.port && u.port !== '443' ? `:${u.port}` : '';
    return `${u.protocol}//${u.hostname.toLowerCase()}${port}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url.trim().replace(/\/+$/, '').toLowerCase();
  }
}

function accountId(cloud: CloudKind, account: string): string {
  return `cloud:${cloud}:acct:${account}`;
}

function sortByName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}

function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

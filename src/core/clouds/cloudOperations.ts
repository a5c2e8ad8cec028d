// The pure halves of the Clouds view's operations: scale input checks, upgrade choices, what a delete names, the
// Details document. The host asks, confirms and shows progress; these decide.
import type { CloudAccount, CloudAddon, CloudCluster, CloudClusterDetails, CloudNodePool, NodePoolScale } from './cloudProvider';
import { cloudLabels, cloudWords, formatEndpointAccess, formatScale } from './cloudTree';

/** Largest node count accepted in a scale input (a typo guard, not a cloud quota). */
export const maxNodeCount = 5000;

/** A whole number 0…maxNodeCount, or undefined for anything else (the InputBox shows why). */
export function parseNodeCount(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n <= maxNodeCount ? n : undefined;
}

/**
 * The message an InputBox shows while the user types one of min/desired/max (undefined = valid). `known` holds the
 * values already answered (or the pool's current ones) so min ≤ desired ≤ max is checked as the user types.
 */
export function validateScaleField(field: keyof NodePoolScale, text: string, known: NodePoolScale): string | undefined {
  const n = parseNodeCount(text);
  if (n === undefined) return `A whole number from 0 to ${maxNodeCount}`;
  const min = field === 'min' ? n : known.min;
  const desired = field === 'desired' ? n : known.desired;
  const max = field === 'max' ? n : known.max;
  if (min !== undefined && max !== undefined && min > max) return `Minimum (${min}) must not be above maximum (${max})`;
  if (min !== undefined && desired !== undefined && desired < min) return `Desired (${desired}) must not be below minimum (${min})`;
  if (max !== undefined && desired !== undefined && desired > max) return `Desired (${desired}) must not be above maximum (${max})`;
  return undefined;
}

/** The whole answer checked once more (the same rules), before anything is sent. */
export function checkScale(scale: NodePoolScale): string | undefined {
  for (const field of ['min', 'desired', 'max'] as const) {
    const v = scale[field];
    if (v === undefined) continue;
    const msg = validateScaleField(field, String(v), scale);
    if (msg) return msg;
  }
  return undefined;
}

/** The upgrade versions offered: newer than the current one, newest first, duplicates dropped. */
export function upgradeChoices(current: string, versions: readonly string[]): string[] {
  const cur = versionParts(current);
  const newer = [...new Set(versions)].filter((v) => compareParts(versionParts(v), cur) > 0);
  return newer.sort((a, b) => compareParts(versionParts(b), versionParts(a)));
}

function versionParts(v: string): number[] {
  return (v.replace(/^v/, '').match(/\d+/g) ?? []).map(Number);
}

function compareParts(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Where a cluster lives, in words: "AWS (EKS) · profile prod · eu-west-1". */
export function clusterWhere(cluster: CloudCluster, account: CloudAccount): string {
  const scope = cluster.resourceGroup !== undefined ? `resource group ${cluster.resourceGroup} · ${cluster.location}` : cluster.location;
  return `${cloudLabels[cluster.cloud]} · ${cloudWords[cluster.cloud].account} ${account.label} · ${scope}`;
}

/** What the delete confirmation of a cluster names: the question, what else goes, the name to type. */
export function clusterDeletion(
  cluster: CloudCluster,
  account: CloudAccount,
  pools: readonly CloudNodePool[] | undefined,
): { title: string; consequence: string; typeToConfirm: string; where: string } {
  const word = cloudWords[cluster.cloud].pools.toLowerCase();
  const poolText =
    pools === undefined
      ? `Its ${word} could not be listed; they are deleted with it.`
      : pools.length === 0
        ? `It has no ${word}.`
        : `Its ${pools.length} ${pools.length === 1 ? cloudWords[cluster.cloud].pool : word} (${pools.map((p) => p.name).join(', ')}) and their nodes are deleted with it.`;
  const extra =
    cluster.cloud === 'aks'
      ? ' The node resource group and its disks go too.'
      : cluster.cloud === 'gke'
        ? ' Persistent disks created by the cluster may remain.'
        : ' Load balancers and volumes created from inside the cluster may remain.';
  return {
    title: `Delete cluster "${cluster.name}"?`,
    consequence: `${poolText}${extra} Workloads running there stop.`,
    typeToConfirm: cluster.name,
    where: clusterWhere(cluster, account),
  };
}

/** What the delete confirmation of a node pool names. */
export function poolDeletion(
  cluster: CloudCluster,
  account: CloudAccount,
  pool: CloudNodePool,
): { title: string; consequence: string; typeToConfirm: string; where: string } {
  const word = cloudWords[cluster.cloud].pool;
  return {
    title: `Delete ${word} "${pool.name}" of cluster "${cluster.name}"?`,
    consequence: `Its ${pool.desired ?? 'current'} node${pool.desired === 1 ? '' : 's'} (${pool.instanceType}) are drained and removed; pods there are rescheduled elsewhere if room exists.`,
    typeToConfirm: pool.name,
    where: clusterWhere(cluster, account),
  };
}

/** The Details document of a cluster, as Markdown. */
export function renderClusterDetails(input: {
  cluster: CloudCluster;
  account: CloudAccount;
  pools?: readonly CloudNodePool[];
  addons?: readonly CloudAddon[];
  details?: CloudClusterDetails;
  kubeContext?: string;
  /** Failures of the optional reads, shown in place of their section. */
  problems?: Readonly<Record<string, string>>;
}): string {
  const { cluster: c, account } = input;
  const lines: string[] = [`# ${esc(c.name)}`, '', `${esc(clusterWhere(c, account))}`, ''];
  lines.push('## Overview', '', '| | |', '|---|---|');
  const row = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== '') lines.push(`| ${k} | ${esc(v)} |`);
  };
  row('Status', c.status);
  row('Version', c.version);
  row('Upgrade available', c.upgradeAvailable);
  row('Nodes', c.nodeCount === undefined ? undefined : String(c.nodeCount));
  row('Id', c.id);
  row('In kubeconfig as', input.kubeContext ?? 'not connected');
  lines.push('', '## Networking and endpoint access', '', '| | |', '|---|---|');
  row('API server', c.endpoint ?? 'not reported');
  row('Endpoint access', formatEndpointAccess(c.endpointAccess) ?? 'not reported');
  if (c.endpointAccess?.publicCidrs?.length) row('Public access CIDRs', c.endpointAccess.publicCidrs.join(', '));
  const sections = input.details?.sections ?? [];
  const networking = sections.find((s) => /network/i.test(s.title));
  for (const [k, v] of networking?.rows ?? []) row(k, v);
  const logging = sections.find((s) => /logging/i.test(s.title));
  lines.push('', '## Logging', '');
  if (logging?.rows.length) {
    lines.push('| | |', '|---|---|');
    for (const [k, v] of logging.rows) row(k, v);
  } else lines.push(input.problems?.details ? `_Not available: ${esc(input.problems.details)}_` : '_Not reported by the cloud._');
  for (const s of sections) {
    if (s === networking || s === logging) continue;
    lines.push('', `## ${esc(s.title)}`, '', '| | |', '|---|---|');
    for (const [k, v] of s.rows) row(k, v);
  }
  lines.push('', `## ${cloudWords[c.cloud].pools}`, '');
  if (input.pools?.length) {
    lines.push('| Name | Instance type | Min ≤ desired ≤ max | Capacity | Version | Status |', '|---|---|---|---|---|---|');
    for (const p of input.pools)
      lines.push(
        `| ${esc(p.name)} | ${esc(p.instanceType)} | ${formatScale(p)} | ${p.capacityType ?? ''} | ${esc(p.version ?? '')} | ${esc(p.status)} |`,
      );
  } else lines.push(input.problems?.pools ? `_Not available: ${esc(input.problems.pools)}_` : '_None._');
  lines.push('', `## ${cloudWords[c.cloud].addons}`, '');
  if (input.addons?.length) {
    lines.push('| Name | Version | Status |', '|---|---|---|');
    for (const a of input.addons) lines.push(`| ${esc(a.name)} | ${esc(a.version ?? '')} | ${esc(a.status)} |`);
  } else lines.push(input.problems?.addons ? `_Not available: ${esc(input.problems.addons)}_` : '_None._');
  return `${lines.join('\n')}\n`;
}

function esc(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/[<>]/g, (m) => (m === '<' ? '&lt;' : '&gt;'))
    .replace(/\r?\n/g, ' ');
}

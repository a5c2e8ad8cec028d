import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { hasChildren } from '../../core/explorer/workloadChildren';
import { commandIds } from '../commandIds';
import { resourceContextValue } from '../../core/explorer/contextValues';
import { containerItem } from './treeItemParts';
import { markdownCode, markdownText, showInvisible } from '../../core/explorer/displayText';
import { describeCoverage, type NamespaceCoverage } from '../../core/velero/namespaceCoverage';
import {
  describeUsage,
  describeWorkloadUsage,
  usageTooltip,
  workloadUsageTooltip,
  type UsageFigures,
  type WorkloadUsageFigures,
} from '../../core/tuning/podUsage';
import { describeHpaHints, type HpaRowHints } from '../../core/tuning/hpaRowHints';
import { describeSignIn, type SignInRequired } from '../../core/kube/signInState';

/** Host-side facts about a node's context that the plain node does not carry. */
export interface TreeItemOptions {
  /** The context is in read-only mode: no mutating action is offered. */
  readonly readOnly?: boolean;
  /** The context's "All namespaces" toggle is on. */
  readonly allNamespaces?: boolean;
  /** Contexts: the credential plugin asked for a sign-in (device code) and waits, or gave up without one. */
  readonly signIn?: SignInRequired;
  /** Namespaces: Velero schedules covering it and its last backup (only where Velero is installed). */
  readonly backupCoverage?: NamespaceCoverage;
  /** Pods and containers: live usage from metrics-server. */
  readonly usage?: UsageFigures;
  /** Deployments, StatefulSets, DaemonSets: their pods' usage against the summed requests (and limits). */
  readonly workloadUsage?: WorkloadUsageFigures;
  /** HorizontalPodAutoscalers: the static hints (cannot compute, min = max, …). */
  readonly hpaHints?: HpaRowHints;
  /** Folders of pods and workloads: why no live usage is shown and how to get it (metrics-server missing…). */
  readonly usageMissing?: string;
}

const providerLabels = { eks: 'Amazon EKS', gke: 'Google GKE', aks: 'Azure AKS', local: 'Local', kubeadm: 'Self-managed' } as const;

/** The one mapping from plain nodes to VS Code tree items. */
export function toTreeItem(node: ClusterNode, extensionUri: vscode.Uri, options: TreeItemOptions = {}): vscode.TreeItem {
  switch (node.kind) {
    case 'context': {
      const item = new vscode.TreeItem(showInvisible(node.contextName), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const host = hostOf(node.server);
      // Plain http (B14): only ever anonymous, and only by the user's per-context opt-in; still worth a badge.
      const plainHttp = /^http:\/\//i.test(node.server);
      const signIn = describeSignIn(options.signIn);
      const shadows = node.shadowed?.length ? ` · ${node.shadowed.length} shadowed` : '';
      item.description = `${node.isCurrent ? '● ' : ''}${signIn ? `${signIn.badge} · ` : ''}${options.readOnly ? 'read-only · ' : ''}${host}${plainHttp ? ' ⚠ plain http' : node.insecure ? ' ⚠ TLS unverified' : ''}${shadows}`;
      item.iconPath = vscode.Uri.joinPath(extensionUri, 'media', `${node.provider}.svg`);
      item.tooltip = new vscode.MarkdownString(
        [
          `**${markdownText(node.contextName)}**${node.isCurrent ? ' (current context)' : ''}`,
          `Provider: ${providerLabels[node.provider]}`,
          `Server: ${markdownCode(node.server)}`,
          node.namespace ? `Namespace: ${markdownCode(node.namespace)}` : '',
          `From: ${markdownCode(node.sourcePath)}`,
          ...(node.shadowed ?? []).map((line) => `${markdownText(line)} kubectl ignores that definition.`),
          plainHttp
            ? '⚠ Plain `http://`: nothing is encrypted; ClusterDeck sends no credentials to it, and contacts it only when the context is listed in `clusterdeck.clusters.allowPlainHttp`.'
            : node.insecure
              ? '⚠ `insecure-skip-tls-verify` is set: the server certificate is not checked.'
              : '',
          options.readOnly ? '**Read-only mode**: ClusterDeck refuses every change to this cluster.' : '',
          options.allNamespaces ? 'All namespaces: shown' : '',
          signIn ? escapeMd(signIn.tooltip) : '',
        ]
          .filter(Boolean)
          .join('\n\n'),
      );
      item.contextValue = `context ${node.provider}${node.isCurrent ? ' current' : ''}${options.readOnly ? ' readonly' : ''}${options.allNamespaces ? ' allNamespaces' : ''}${signIn ? ' signInRequired' : ''}`;
      return item;
    }
    case 'namespace': {
      const item = new vscode.TreeItem(showInvisible(node.name), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const phase = node.phase && node.phase !== 'Active' ? node.phase : '';
      const coverage = options.backupCoverage;
      item.description = [phase, coverage ? describeCoverage(coverage, Date.now()) : ''].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.contextValue = 'namespace';
      if (coverage) {
        item.tooltip = new vscode.MarkdownString(
          [
            `**${markdownText(node.name)}**`,
            coverage.schedules.length
              ? `Backed up by schedule ${coverage.schedules.map(markdownCode).join(', ')}`
              : 'No enabled Velero schedule includes this namespace.',
            coverage.pausedSchedules.length ? `Paused: ${coverage.pausedSchedules.map(markdownCode).join(', ')}` : '',
            coverage.lastBackup
              ? `Last backup: ${markdownCode(coverage.lastBackup.name)} (${markdownText(coverage.lastBackup.phase)}, ${coverage.lastBackup.at})`
              : 'Never backed up.',
          ]
            .filter(Boolean)
            .join('\n\n'),
        );
      }
      return item;
    }
    case 'category': {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(categoryIcons[node.name] ?? 'folder');
      item.contextValue = 'category';
      return item;
    }
    case 'clusterGroup': {
      const item = new vscode.TreeItem('Cluster', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('server-environment');
      item.tooltip = new vscode.MarkdownString('Cluster-level objects: Nodes, Namespaces, PersistentVolumes, StorageClasses, CRDs, Events');
      item.contextValue = 'clusterGroup';
      return item;
    }
    case 'allNamespaces': {
      const item = new vscode.TreeItem('All namespaces', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('globe');
      item.tooltip = new vscode.MarkdownString('Every category across all namespaces (cluster-wide lists); items show their namespace.');
      item.contextValue = 'allNamespaces';
      return item;
    }
    case 'container':
      return withUsage(containerItem(node), options.usage);
    case 'resourceFolder': {
      const item = new vscode.TreeItem(node.label ?? node.resource.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('folder');
      if (!node.namespace && node.resource.namespaced) item.description = 'all namespaces';
      item.tooltip = new vscode.MarkdownString(
        `${node.resource.kind} (\`${node.resource.group ? `${node.resource.group}/` : ''}${node.resource.version}\`)`,
      );
      item.contextValue = `resourceFolder ${node.resource.plural}`;
      if (options.usageMissing) {
        item.description = [typeof item.description === 'string' ? item.description : '', 'no live usage'].filter(Boolean).join(' · ');
        // A string tooltip would become the screen reader's label: name the folder first.
        item.accessibilityInformation = { label: `${node.label ?? node.resource.label}, no live usage: ${options.usageMissing}` };
        // Plain text: the install command stays readable and copyable.
        item.tooltip = `${node.resource.kind} (${node.resource.group ? `${node.resource.group}/` : ''}${node.resource.version})\n\n${options.usageMissing}`;
      }
      return item;
    }
    case 'resource': {
      const label = showInvisible(node.name || node.cells.Reason || node.resource.kind);
      const item = new vscode.TreeItem(
        label,
        hasChildren(node) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
      );
      item.id = node.id;
      const summary = summarize(node.resource.kind, node.cells);
      item.description = node.showNamespace && node.namespace ? `${node.namespace} · ${summary}` : summary;
      item.tooltip = new vscode.MarkdownString(
        [
          `**${node.resource.kind}** ${markdownCode(`${node.namespace ? `${node.namespace}/` : ''}${node.name}`)}`,
          ...Object.entries(node.cells).map(([k, v]) => `${k}: ${markdownText(v)}`),
          ...(node.details?.length ? ['**Conditions**', ...node.details.map(markdownText)] : []),
        ].join('\n\n'),
      );
      item.iconPath = new vscode.ThemeIcon(stateIcon(node.cells), stateColor(node.cells));
      item.contextValue = resourceContextValue(node, options.readOnly ?? false);
      item.command = { command: commandIds.resourceOpenYaml, title: 'Open as YAML', arguments: [node] };
      if (options.workloadUsage) withWorkloadUsage(item, options.workloadUsage);
      if (options.hpaHints) withHpaHints(item, options.hpaHints);
      return withUsage(item, options.usage);
    }
    case 'loadMore': {
      const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = `${node.loaded} shown`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: commandIds.clustersLoadMore, title: 'Load more', arguments: [node] };
      item.contextValue = 'loadMore';
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      const icon = node.severity === 'error' ? 'error' : node.severity === 'warning' ? 'warning' : 'info';
      const color = node.severity === 'error' ? 'errorForeground' : node.severity === 'warning' ? 'editorWarning.foreground' : undefined;
      item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
      item.tooltip = [node.text, node.detail, node.action ? `Click: ${node.action.title}` : ''].filter(Boolean).join('\n');
      if (node.action) item.command = { command: node.action.command, title: node.action.title, arguments: [...node.action.args] };
      item.contextValue = `message ${node.severity}`;
      return item;
    }
  }
}

const categoryIcons: Record<string, string> = {
  Workloads: 'server-process',
  Network: 'globe',
  Config: 'settings-gear',
  Storage: 'database',
  Autoscaling: 'graph-line',
  Access: 'shield',
};

/** The columns that matter at a glance, per kind (the rest are in the tooltip). */
function summarize(kind: string, cells: Readonly<Record<string, string>>): string {
  const pick = (...names: string[]) =>
    names.map((n) => (cells[n] ? `${n === 'Ready' || n === 'Status' ? '' : `${n.toLowerCase()} `}${cells[n]}` : '')).filter(Boolean);
  switch (kind) {
    case 'Pod':
      return [...pick('Ready', 'Status'), cells.Restarts && cells.Restarts !== '0' ? `↻ ${cells.Restarts}` : '', cells.Age ?? '']
        .filter(Boolean)
        .join(' · ');
    case 'Deployment':
    case 'StatefulSet':
      return [...pick('Ready'), cells.Age ?? ''].filter(Boolean).join(' · ');
    case 'ReplicaSet':
    case 'DaemonSet':
      return [cells.Ready !== undefined ? `${cells.Ready}/${cells.Desired ?? '?'}` : '', cells.Age ?? ''].filter(Boolean).join(' · ');
    case 'Node':
      return [cells.Status ?? '', cells.CPU ? `cpu ${cells.CPU}` : '', cells.Memory ? `mem ${cells.Memory}` : '', cells.Version ?? '']
        .filter(Boolean)
        .join(' · ');
    case 'HorizontalPodAutoscaler':
      return [
        cells.Targets ?? '',
        cells.MinPods && cells.MaxPods ? `${cells.MinPods}–${cells.MaxPods} pods` : '',
        cells.Replicas ? `now ${cells.Replicas}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
    case 'Event':
      return [cells.Type ?? '', cells.Reason ?? '', cells.Object ?? '', cells['Last Seen'] ?? ''].filter(Boolean).join(' · ');
    default:
      return [...pick('Status'), cells.Age ?? ''].filter(Boolean).join(' · ');
  }
}

/** An icon by state: ready/total, pod phase and reasons such as CrashLoopBackOff. */
function stateIcon(cells: Readonly<Record<string, string>>): string {
  const status = cells.Status ?? '';
  if (/CrashLoopBackOff|Error|Failed|ImagePullBackOff|ErrImagePull|OOMKilled|NotReady|Lost/i.test(status)) return 'error';
  if (cells.Type === 'Warning') return 'warning';
  const ready = /^(\d+)\/(\d+)$/.exec(cells.Ready ?? '');
  if (ready && ready[1] !== ready[2]) return 'warning';
  if (/Pending|ContainerCreating|Terminating/i.test(status)) return 'loading';
  return 'pass';
}

function stateColor(cells: Readonly<Record<string, string>>): vscode.ThemeColor | undefined {
  const icon = stateIcon(cells);
  return icon === 'error'
    ? new vscode.ThemeColor('errorForeground')
    : icon === 'warning'
      ? new vscode.ThemeColor('editorWarning.foreground')
      : icon === 'pass'
        ? new vscode.ThemeColor('testing.iconPassed')
        : undefined;
}

function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|]/g, '\\$&');
}

/** Adds live usage to a pod's or container's item: in the description (⚠ near a limit) and the tooltip. */
function withUsage(item: vscode.TreeItem, usage: UsageFigures | undefined): vscode.TreeItem {
  if (!usage) return item;
  const text = `${usage.nearLimit ? '⚠ ' : ''}${describeUsage(usage)}`;
  item.description = [typeof item.description === 'string' ? item.description : '', text].filter(Boolean).join(' · ');
  const before = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : typeof item.tooltip === 'string' ? item.tooltip : '';
  item.tooltip = new vscode.MarkdownString([before, ...usageTooltip(usage)].filter(Boolean).join('\n\n'));
  return item;
}

/** Adds a workload's usage against its requests to its item (⚠ when a container is near a limit). */
function withWorkloadUsage(item: vscode.TreeItem, usage: WorkloadUsageFigures): void {
  item.description = [typeof item.description === 'string' ? item.description : '', describeWorkloadUsage(usage)]
    .filter(Boolean)
    .join(' · ');
  const before = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : '';
  item.tooltip = new vscode.MarkdownString([before, ...workloadUsageTooltip(usage)].filter(Boolean).join('\n\n'));
}

/** Puts an HPA's hints first in its description and lists them in the tooltip; an error turns the icon red. */
function withHpaHints(item: vscode.TreeItem, row: HpaRowHints): void {
  const before = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : '';
  const lines = row.hints.map(
    (h) => `${h.severity === 'error' ? '✖' : h.severity === 'warning' ? '⚠' : 'ℹ'} **${h.ruleId}**: ${escapeMd(h.message)}`,
  );
  if (row.unchecked) lines.push(`Not checked: ${escapeMd(row.unchecked)}`);
  if (row.hints.length === 0 && !row.unchecked) return;
  const short = describeHpaHints(row);
  if (short) item.description = [short, typeof item.description === 'string' ? item.description : ''].filter(Boolean).join(' · ');
  item.tooltip = new vscode.MarkdownString([before, '**HPA hints**', ...lines].filter(Boolean).join('\n\n'));
  if (row.hints.some((h) => h.severity === 'error'))
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  else if (row.hints.some((h) => h.severity === 'warning'))
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
}

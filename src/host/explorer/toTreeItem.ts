import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { commandIds } from '../commandIds';

const providerLabels = { eks: 'Amazon EKS', gke: 'Google GKE', aks: 'Azure AKS', local: 'Local', kubeadm: 'Self-managed' } as const;

/** The one mapping from plain nodes to VS Code tree items. */
export function toTreeItem(node: ClusterNode, extensionUri: vscode.Uri): vscode.TreeItem {
  switch (node.kind) {
    case 'context': {
      const item = new vscode.TreeItem(node.contextName, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const host = hostOf(node.server);
      item.description = `${node.isCurrent ? '● ' : ''}${host}${node.insecure ? ' ⚠ TLS unverified' : ''}`;
      item.iconPath = vscode.Uri.joinPath(extensionUri, 'media', `${node.provider}.svg`);
      item.tooltip = new vscode.MarkdownString(
        [
          `**${escapeMd(node.contextName)}**${node.isCurrent ? ' (current context)' : ''}`,
          `Provider: ${providerLabels[node.provider]}`,
          `Server: \`${node.server}\``,
          node.namespace ? `Namespace: \`${node.namespace}\`` : '',
          `From: \`${node.sourcePath}\``,
          node.insecure ? '⚠ `insecure-skip-tls-verify` is set: the server certificate is not checked.' : '',
        ]
          .filter(Boolean)
          .join('\n\n'),
      );
      item.contextValue = `context ${node.provider}${node.isCurrent ? ' current' : ''}`;
      return item;
    }
    case 'namespace': {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = node.phase && node.phase !== 'Active' ? node.phase : '';
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.contextValue = 'namespace';
      return item;
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

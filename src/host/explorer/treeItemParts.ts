import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';

/** A container of a pod: state, ready, restarts and last termination reason at a glance; icon by state. */
export function containerItem(node: Extract<ClusterNode, { kind: 'container' }>): vscode.TreeItem {
  const s = node.state;
  const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const stateText = s.reason ? `${s.phase} (${s.reason})` : s.phase;
  item.description = [
    node.init ? 'init' : '',
    stateText,
    node.init ? '' : s.ready ? 'ready' : 'not ready',
    s.restarts > 0 ? `↻ ${s.restarts}` : '',
    s.lastTerminationReason ? `last: ${s.lastTerminationReason}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  item.tooltip = new vscode.MarkdownString(
    [
      `**${node.init ? 'Init container' : 'Container'}** \`${node.name}\` of pod \`${node.namespace}/${node.podName}\``,
      `Image: \`${node.image}\``,
      `State: ${stateText}${s.exitCode !== undefined ? `, exit code ${s.exitCode}` : ''}${s.startedAt ? `, started ${s.startedAt}` : ''}`,
      s.message ? `Message: ${s.message}` : '',
      `Ready: ${s.ready ? 'yes' : 'no'} · Restarts: ${s.restarts}`,
      s.lastTerminationReason
        ? `Last termination: ${s.lastTerminationReason}${s.lastExitCode !== undefined ? ` (exit code ${s.lastExitCode})` : ''}`
        : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
  const [icon, color] = containerIcon(node);
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = `container${node.init ? ' init' : ''} ${s.phase}`;
  return item;
}

function containerIcon(node: Extract<ClusterNode, { kind: 'container' }>): [string, string | undefined] {
  const s = node.state;
  switch (s.phase) {
    case 'running':
      return s.ready || node.init ? ['pass', 'testing.iconPassed'] : ['warning', 'editorWarning.foreground'];
    case 'waiting':
      return /BackOff|Err|Invalid/i.test(s.reason ?? '') ? ['error', 'errorForeground'] : ['clock', undefined];
    case 'terminated':
      return s.exitCode === 0 ? ['check', undefined] : ['error', 'errorForeground'];
    case 'unknown':
      return ['question', undefined];
  }
}

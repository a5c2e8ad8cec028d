import * as vscode from 'vscode';
import { loadEvents, renderEventsTable } from '../../core/explorer/events';
import type { MergedKubeconfig } from '../../core/kube/kubeconfig';
import { resolveContext } from '../../core/kube/kubeconfig';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import type { ResourceKind } from '../../core/kube/resourceKinds';

export const describeScheme = 'clusterdeck-describe';
export const eventsScheme = 'clusterdeck-events';

/** What a describe or events document shows; `resource`/`name` absent: all events of the namespace. */
export interface OpsDocumentTarget {
  readonly contextName: string;
  readonly namespace?: string;
  readonly resource?: ResourceKind;
  readonly name?: string;
}

/** The URI of a describe or events document: a readable path for the tab, the target in the query. */
export function opsDocumentUri(view: 'describe' | 'events', t: OpsDocumentTarget): vscode.Uri {
  const title =
    view === 'describe'
      ? `Describe ${t.resource?.kind ?? ''} ${t.name ?? ''}`
      : t.resource
        ? `Events of ${t.resource.kind} ${t.name ?? ''}`
        : `Events of namespace ${t.namespace ?? ''}`;
  return vscode.Uri.from({
    scheme: view === 'describe' ? describeScheme : eventsScheme,
    path: `/${pathSegment(t.contextName)}/${pathSegment(title)}`,
    query: JSON.stringify(t),
  });
}

/** A name shown in the tab and breadcrumbs (the URI encodes it; a slash would split it). */
export function pathSegment(name: string): string {
  return name.replace(/[/\\]/g, '∕');
}

/** Serves Describe and Events documents, read from the cluster when opened and again on refresh. */
export class OpsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly loadConfig: () => Promise<MergedKubeconfig>,
    private readonly factory: KubeClientFactory,
  ) {}

  /** Re-reads one document, or every open one. */
  refresh(uri?: vscode.Uri): void {
    if (uri) return this.changed.fire(uri);
    for (const d of vscode.workspace.textDocuments)
      if (d.uri.scheme === describeScheme || d.uri.scheme === eventsScheme) this.changed.fire(d.uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const t = JSON.parse(uri.query) as OpsDocumentTarget;
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    const where = `${t.resource ? `${t.resource.kind} "${t.namespace ? `${t.namespace}/` : ''}${t.name ?? ''}"` : `namespace "${t.namespace ?? ''}"`} on ${t.contextName}`;
    try {
      const client = await this.factory.createClient(resolveContext(await this.loadConfig(), t.contextName));
      if (uri.scheme === describeScheme && t.resource && t.name) {
        // kubectl-describe rendering: its own chunk (dist/describe.js), loaded by the first Describe.
        const { loadDescription } = await import('../../core/explorer/describe');
        const text = await loadDescription(client, t.resource, t.namespace, t.name, controller.signal);
        return `${text}\n(Read ${new Date().toLocaleTimeString()} from ${t.contextName}; "Refresh Clusters" re-reads it.)\n`;
      }
      const obj = t.resource && t.name ? await client.getObject(t.resource, t.namespace, t.name, { signal: controller.signal }) : undefined;
      const rows = await loadEvents(
        client,
        t.resource?.namespaced === false ? undefined : t.namespace,
        obj && { ...obj, kind: obj.kind ?? t.resource?.kind },
        {
          signal: controller.signal,
        },
      );
      return renderEventsTable(`Events of ${where}`, rows, Date.now());
    } catch (e) {
      if (controller.signal.aborted) return '';
      // The document says why instead of failing to open (the message never holds a secret).
      return `ClusterDeck could not read ${where}:\n${(e as Error).message}\n`;
    } finally {
      sub.dispose();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

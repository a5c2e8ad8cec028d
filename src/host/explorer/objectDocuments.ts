import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { objectYaml } from '../../core/explorer/objectYaml';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import { resourceKindOf } from '../../core/kube/resourceKinds';

export const objectScheme = 'clusterdeck-object';

/** The read-only document URI of an object: `clusterdeck-object:/<context>/<namespace|->/<group|core>/<plural>/<name>.yaml`. */
export function objectUri(node: Extract<ClusterNode, { kind: 'resource' }>, reveal = false): vscode.Uri {
  const parts = [node.contextName, node.namespace ?? '-', node.resource.group || 'core', node.resource.plural, `${node.name}.yaml`];
  return vscode.Uri.from({
    scheme: objectScheme,
    path: `/${parts.map(encodeURIComponent).join('/')}`,
    ...(reveal ? { query: 'reveal' } : {}),
  });
}

/** Serves objects as read-only YAML documents, fetched when opened and on "Refresh". */
export class ObjectDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly loadConfig: () => Promise<MergedKubeconfig>,
    private readonly factory: KubeClientFactory,
  ) {}

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  /** Re-reads every open object document (after a refresh, a scale, a restart…). */
  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === objectScheme) this.changed.fire(d.uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const [contextName = '', ns = '-', group = 'core', plural = '', file = ''] = uri.path.split('/').slice(1).map(decodeURIComponent);
    const resource = resourceKindOf(plural, group === 'core' ? '' : group);
    if (!resource) return `# ClusterDeck cannot show ${plural} objects.\n`;
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const client = await this.factory.createClient(resolveContext(await this.loadConfig(), contextName));
      const obj = await client.getObject(resource, ns === '-' ? undefined : ns, file.replace(/\.yaml$/, ''), { signal: controller.signal });
      return objectYaml(obj, { revealSecrets: uri.query === 'reveal' });
    } catch (e) {
      if (controller.signal.aborted) return '';
      // The document says why instead of failing to open (the message never holds a secret).
      return `# ClusterDeck could not read ${plural}/${file.replace(/\.yaml$/, '')} from "${contextName}":\n# ${(e as Error).message}\n`;
    } finally {
      sub.dispose();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

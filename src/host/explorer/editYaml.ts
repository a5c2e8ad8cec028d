import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { editableObjectYaml } from '../../core/explorer/objectYaml';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import { resourceKindOf } from '../../core/kube/resourceKinds';
import { objectScheme } from './objectDocuments';

type ResourceNode = Extract<ClusterNode, { kind: 'resource' }>;

/** Editable copies opened by "Edit and Apply", by document URI → the context they came from (Apply's default). */
const editedFrom = new Map<string, string>();

export function contextOfEditedCopy(uri: vscode.Uri): string | undefined {
  return editedFrom.get(uri.toString());
}

/** The object an open read-only object document shows (`clusterdeck-object:/<ctx>/<ns>/<group>/<plural>/<name>.yaml`). */
function nodeOfObjectUri(uri: vscode.Uri): ResourceNode | undefined {
  if (uri.scheme !== objectScheme) return undefined;
  const [contextName = '', ns = '-', group = 'core', plural = '', file = ''] = uri.path.split('/').slice(1).map(decodeURIComponent);
  const resource = resourceKindOf(plural, group === 'core' ? '' : group);
  if (!resource) return undefined;
  const name = file.replace(/\.yaml$/, '');
  return {
    kind: 'resource',
    id: `edit:${contextName}:${ns}:${plural}:${name}`,
    contextName,
    ...(ns === '-' ? {} : { namespace: ns }),
    resource,
    name,
    cells: {},
  };
}

/**
 * "Edit and Apply": opens an editable copy of an object (an untitled YAML document) from a tree item or from its
 * read-only document. Nothing is sent until the user runs Apply on it, which does the server-side dry run, the diff
 * and the confirmation naming the context and server.
 */
export async function openEditableCopy(
  deps: { readonly loadConfig: () => Promise<MergedKubeconfig>; readonly factory: KubeClientFactory },
  target: ClusterNode | vscode.Uri | undefined,
): Promise<vscode.TextEditor | undefined> {
  const node =
    target instanceof vscode.Uri
      ? nodeOfObjectUri(target)
      : target?.kind === 'resource'
        ? target
        : nodeOfObjectUri(vscode.window.activeTextEditor?.document.uri ?? vscode.Uri.parse('untitled:none'));
  if (!node) return undefined;
  if (node.resource.kind === 'Secret')
    throw new ClusterDeckError('badConfig', 'Secrets are not opened for editing: their values would be written into an editor.');
  const client = await deps.factory.createClient(resolveContext(await deps.loadConfig(), node.contextName));
  const obj = await client.getObject(node.resource, node.namespace, node.name, { signal: new AbortController().signal });
  const content = `# Edit, then run "ClusterDeck: Apply Current File to a Cluster…" (a dry run and a diff come first).\n# From context "${node.contextName}".\n${editableObjectYaml(obj)}`;
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  editedFrom.set(doc.uri.toString(), node.contextName);
  return vscode.window.showTextDocument(doc, { preview: false });
}

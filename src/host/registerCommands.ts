import * as vscode from 'vscode';
import type { ClusterNode } from '../core/explorer/clusterNodes';
import type { ExecApprovals } from '../core/kube/execApproval';
import { resolveContext, type MergedKubeconfig } from '../core/kube/kubeconfig';
import type { KubeClientFactory } from '../core/kube/kubeClient';
import { confirmDestructive } from './shared/confirmDestructive';
import { commandIds } from './commandIds';
import type { ClustersTreeProvider } from './explorer/clustersTreeProvider';
import { registerLiveCommands } from './explorer/liveCommands';
import { objectUri } from './explorer/objectDocuments';
import { registerOpsCommands } from './explorer/opsCommands';
import type { Log } from './shared/log';
import { registerCommand } from './shared/runCommand';
import { ensureWritable } from './shared/readOnly';
import { registerTreeCommands } from './explorer/treeCommands';
import { registerRemoteCommands } from './remote/registerRemoteCommands';
import { pickResourceNode } from './remote/pickResource';
import { namespaceCategories } from '../core/kube/resourceKinds';
import { openEditableCopy } from './explorer/editYaml';
import { registerBackupCommands, type BackupCommandDeps } from './backups/backupCommands';
import { deleteSelection } from './explorer/bulkDelete';
import { runSetCurrentContext } from './explorer/setCurrentContextCommand';
import { registerCloudCommands, type CloudCommandDeps } from './clouds/cloudCommands';
import { runApproveExec } from './shared/approveExecCommand';

export interface CommandDeps {
  readonly log: Log;
  readonly clusters: ClustersTreeProvider;
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly approvals: ExecApprovals;
  readonly factory: KubeClientFactory;
  /** Writes current-context as `kubectl config use-context` does; returns the file written. */
  readonly setCurrentContext: (contextName: string) => Promise<string>;
  /** The Backups view (Velero) and what its commands need. */
  readonly backups: BackupCommandDeps;
  /** The Clouds view and what its commands need. */
  readonly clouds: CloudCommandDeps;
}

/** Every namespaced kind of the explorer's catalogue, for the palette's "what kind?" step. */
function everyPlural(): { plural: string; group: string }[] {
  return namespaceCategories.flatMap((c) => c.kinds.map((k) => ({ plural: k.plural, group: k.group })));
}

/** The one list of ClusterDeck's commands; each goes through the error wrapper. Palette calls ask what is missing. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { log, clusters } = deps;
  return [
    ...registerTreeCommands(deps),
    ...registerOpsCommands(deps),
    ...registerRemoteCommands(deps),
    ...registerBackupCommands(deps.backups),
    ...registerCloudCommands(deps.clouds),
    registerCommand(commandIds.clustersRefresh, () => clusters.refresh(), log),
    registerCommand(commandIds.clustersLoadMore, (node: ClusterNode) => clusters.loadMore(node), log),
    registerCommand(commandIds.logShow, () => log.show(), log),
    ...registerLiveCommands(clusters, log),
    registerCommand(
      commandIds.resourceOpenYaml,
      async (picked?: ClusterNode) => {
        const node = picked?.kind === 'resource' ? picked : await pickResourceNode(deps, everyPlural(), 'Open as YAML');
        if (!node) return;
        const doc = await vscode.workspace.openTextDocument(objectUri(node));
        await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
        await vscode.window.showTextDocument(doc, { preview: true });
      },
      log,
    ),
    registerCommand(commandIds.resourceEditYaml, (target?: ClusterNode | vscode.Uri) => openEditableCopy(deps, target), log),
    registerCommand(
      commandIds.resourceRevealSecret,
      async (picked?: ClusterNode) => {
        const node =
          picked?.kind === 'resource' ? picked : await pickResourceNode(deps, [{ plural: 'secrets', group: '' }], 'Reveal Secret');
        if (node?.resource.kind !== 'Secret') return;
        const ok = await vscode.window.showWarningMessage(
          `Show the values of Secret "${node.namespace ?? ''}/${node.name}" of "${node.contextName}" in an editor?`,
          { modal: true, detail: 'The values are shown decoded from the API as base64 and are never written to the log.' },
          'Reveal',
        );
        if (ok !== 'Reveal') return;
        const doc = await vscode.workspace.openTextDocument(objectUri(node, true));
        await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
        await vscode.window.showTextDocument(doc, { preview: true });
      },
      log,
    ),
    registerCommand(
      commandIds.resourceDelete,
      async (picked?: ClusterNode, selection?: readonly ClusterNode[]) => {
        // Several objects selected in the tree: one confirmation for all of them (typed name above five).
        const selected = (selection ?? []).filter((n): n is Extract<ClusterNode, { kind: 'resource' }> => n.kind === 'resource');
        if (selected.length > 1) {
          await deleteSelection(deps, selected);
          clusters.refreshAfterChange(selected[0]!);
          return;
        }
        // From the palette every part is asked for; nothing ever defaults to "all".
        const node = picked?.kind === 'resource' ? picked : await pickResourceNode(deps, everyPlural(), 'Delete');
        if (!node) return;
        ensureWritable(node.contextName, `delete ${node.resource.kind} "${node.name}"`);
        const resolved = resolveContext(await deps.loadConfig(), node.contextName);
        const client = await deps.factory.createClient(resolved);
        const signal = new AbortController().signal;
        // The uid of what the user sees: a same-named object recreated meanwhile is not deleted (409).
        const obj = await client.getObject(node.resource, node.namespace, node.name, { signal });
        const uid = String((obj.metadata as { uid?: string } | undefined)?.uid ?? '');
        const ok = await confirmDestructive({
          verb: 'delete',
          kind: node.resource.kind,
          ...(node.namespace ? { namespace: node.namespace } : {}),
          name: node.name,
          contextName: node.contextName,
          server: resolved.cluster.server,
          // A namespace takes everything in it along; a PersistentVolume may take its data: type the name.
          ...(node.resource.kind === 'Namespace' || node.resource.kind === 'PersistentVolume' ? { typeToConfirm: node.name } : {}),
          ...(node.resource.kind === 'Namespace'
            ? { detail: `Every object in namespace "${node.name}" is deleted with it. This cannot be undone.` }
            : {}),
        });
        if (!ok) return;
        await client.deleteObject(node.resource, node.namespace, node.name, { signal, uid });
        log.info('explorer', `deleted ${node.resource.kind} ${node.namespace ?? ''}/${node.name} on ${node.contextName}`);
        clusters.refreshAfterChange(node);
      },
      log,
      { selection: true },
    ),
    registerCommand(
      commandIds.resourceScale,
      async (picked?: ClusterNode, replicasArg?: number) => {
        const node =
          picked?.kind === 'resource'
            ? picked
            : await pickResourceNode(
                deps,
                [
                  { plural: 'deployments', group: 'apps' },
                  { plural: 'statefulsets', group: 'apps' },
                ],
                'Scale',
              );
        if (!node) return;
        ensureWritable(node.contextName, `scale ${node.resource.kind} "${node.name}"`);
        const current = /^\d+\/(\d+)$/.exec(node.cells.Ready ?? '')?.[1] ?? '';
        const answer =
          replicasArg !== undefined
            ? String(replicasArg)
            : await vscode.window.showInputBox({
                title: `Scale ${node.resource.kind} "${node.namespace ?? ''}/${node.name}" on ${node.contextName}`,
                prompt: 'Number of replicas',
                value: current,
                validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) <= 10_000 ? undefined : 'A whole number from 0 to 10000'),
              });
        if (answer === undefined) return;
        const replicas = Number(answer.trim());
        const client = await deps.factory.createClient(resolveContext(await deps.loadConfig(), node.contextName));
        await client.patchObject(
          node.resource,
          node.namespace,
          node.name,
          { spec: { replicas } },
          { signal: new AbortController().signal, subresource: 'scale' },
        );
        log.info('explorer', `scaled ${node.resource.kind} ${node.namespace ?? ''}/${node.name} to ${replicas} on ${node.contextName}`);
        clusters.refreshAfterChange(node);
      },
      log,
    ),
    registerCommand(
      commandIds.resourceRestart,
      async (picked?: ClusterNode) => {
        const node =
          picked?.kind === 'resource'
            ? picked
            : await pickResourceNode(
                deps,
                ['deployments', 'statefulsets', 'daemonsets'].map((plural) => ({ plural, group: 'apps' })),
                'Restart',
              );
        if (!node) return;
        ensureWritable(node.contextName, `restart ${node.resource.kind} "${node.name}"`);
        const client = await deps.factory.createClient(resolveContext(await deps.loadConfig(), node.contextName));
        // What `kubectl rollout restart` does: a new pod-template annotation makes the controller roll the pods.
        const patch = {
          spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } },
        };
        await client.patchObject(node.resource, node.namespace, node.name, patch, { signal: new AbortController().signal });
        log.info('explorer', `restarted ${node.resource.kind} ${node.namespace ?? ''}/${node.name} on ${node.contextName}`);
        void vscode.window.showInformationMessage(`Restarting ${node.resource.kind} "${node.name}": its pods are replaced one by one.`);
        clusters.refreshAfterChange(node);
      },
      log,
    ),
    registerCommand(
      commandIds.resourceCopyName,
      async (picked?: ClusterNode) => {
        const node = picked ?? (await pickResourceNode(deps, everyPlural(), 'Copy Name'));
        const name =
          node?.kind === 'resource' || node?.kind === 'namespace' ? node.name : node?.kind === 'context' ? node.contextName : undefined;
        if (name) await vscode.env.clipboard.writeText(name);
      },
      log,
    ),
    registerCommand(
      commandIds.contextSetCurrent,
      (node?: ClusterNode) =>
        runSetCurrentContext(
          { loadConfig: deps.loadConfig, setCurrentContext: deps.setCurrentContext, log, refresh: () => clusters.refresh() },
          node,
        ),
      log,
    ),
    registerCommand(
      commandIds.helpGetStarted,
      () => vscode.commands.executeCommand('workbench.action.openWalkthrough', 'clusterdeck.clusterdeck#clusterdeck.getStarted', false),
      log,
    ),
    registerCommand(
      commandIds.kubeconfigOpen,
      async (path: string, line?: string, column?: string) => {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
        const zeroBased = Math.max(0, Number(line ?? 1) - 1);
        const col = Math.max(0, Number(column ?? 1) - 1);
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(zeroBased, col, zeroBased, col), preview: true });
      },
      log,
    ),
    registerCommand(
      commandIds.kubeconfigAdd,
      async () => {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: true,
          openLabel: 'Add Kubeconfig',
          title: 'Add kubeconfig files to ClusterDeck',
        });
        if (!picked?.length) return;
        const config = vscode.workspace.getConfiguration('clusterdeck');
        const current = config.inspect<string[]>('kubeconfigs')?.globalValue ?? [];
        const next = [...new Set([...current, ...picked.map((u) => u.fsPath)])];
        await config.update('kubeconfigs', next, vscode.ConfigurationTarget.Global);
        clusters.refresh();
      },
      log,
    ),
    registerCommand(
      commandIds.authApproveExec,
      (contextName?: string) =>
        runApproveExec({ loadConfig: deps.loadConfig, approvals: deps.approvals, log, refresh: () => clusters.refresh() }, contextName),
      log,
    ),
  ];
}

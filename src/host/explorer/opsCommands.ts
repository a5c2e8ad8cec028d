import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { defaultContainer, parseSince, podContainers, selectorString, type LogContainer } from '../../core/explorer/logOptions';
import { ageOf, arr, podKind, rec, str } from '../../core/explorer/opsKinds';
import { loadRevisions, rollbackTo, type Revision } from '../../core/explorer/rollout';
import type { LogOptions } from '../../core/kube/kubeClient';
import type { MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import { commandIds } from '../commandIds';
import { confirmDestructive } from '../shared/confirmDestructive';
import type { Log } from '../shared/log';
import { ensureWritable } from '../shared/readOnly';
import { registerCommand } from '../shared/runCommand';
import type { ClustersTreeProvider } from './clustersTreeProvider';
import { LogsView, logsScheme } from './logsView';
import { OpsDocuments, describeScheme, eventsScheme, opsDocumentUri, type OpsDocumentTarget } from './opsDocuments';
import { everyKind, kindsNamed, pickContext, pickKind, pickNamespace, pickObject, resolveObject, type ObjectTarget } from './opsTargets';

export interface OpsCommandDeps {
  readonly log: Log;
  readonly clusters: ClustersTreeProvider;
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
}

/** What `clusterdeck.resource.logs` accepts after the node (from tests, links, other commands); missing parts are asked. */
export interface LogsArgs extends LogOptions {
  readonly pod?: string;
}

const signal = () => new AbortController().signal;

/** Logs, Describe, Events and Rollback: the commands and the documents they open. */
export function registerOpsCommands(deps: OpsCommandDeps): vscode.Disposable[] {
  const { log, clusters } = deps;
  const logs = new LogsView(log);
  const documents = new OpsDocuments(deps.loadConfig, deps.factory);

  async function openDocument(view: 'describe' | 'events', t: OpsDocumentTarget): Promise<void> {
    const uri = opsDocumentUri(view, t);
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    const doc = await vscode.workspace.openTextDocument(uri);
    if (open) documents.refresh(uri);
    if (doc.languageId !== (view === 'events' ? 'log' : 'plaintext'))
      await vscode.languages.setTextDocumentLanguage(doc, view === 'events' ? 'log' : 'plaintext');
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  return [
    logs,
    documents,
    vscode.workspace.registerTextDocumentContentProvider(describeScheme, documents),
    vscode.workspace.registerTextDocumentContentProvider(eventsScheme, documents),
    clusters.onDidChangeTreeData(() => documents.refresh()),

    registerCommand(
      commandIds.resourceLogs,
      async (node?: ClusterNode, args: LogsArgs = {}) => {
        const target = await resolveObject(deps, node, kindsNamed('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job'), 'Logs');
        if (!target?.namespace) return;
        const pod = await podOf(target, args.pod);
        if (!pod) return;
        const container = await containerOf(pod, args.container);
        if (!container) return;
        const given = Object.keys(args).some((k) => k !== 'pod' && k !== 'container');
        const options = given ? { ...args, container: container.name } : await askLogOptions(container);
        if (!options) return;
        await logs.open(
          target.client,
          { contextName: target.contextName, namespace: target.namespace, pod: str(rec(pod.metadata).name), container: container.name },
          options,
        );
      },
      log,
    ),
    registerCommand(
      commandIds.logsStop,
      async (uri?: vscode.Uri) => {
        const active = vscode.window.activeTextEditor?.document.uri;
        let target = uri instanceof vscode.Uri ? uri : active?.scheme === logsScheme ? active : undefined;
        if (!target || !logs.isStreaming(target)) {
          const running = logs.streaming();
          if (running.length === 0) {
            void vscode.window.showInformationMessage('No log is being followed.');
            return;
          }
          const picked = await vscode.window.showQuickPick(
            running.map((r) => ({
              label: `${r.target.pod} [${r.target.container}]`,
              description: `${r.target.namespace} on ${r.target.contextName}`,
              uri: r.uri,
            })),
            { title: 'Stop following which log?' },
          );
          target = picked?.uri;
        }
        if (target) logs.stop(target);
      },
      log,
    ),
    registerCommand(
      commandIds.resourceDescribe,
      async (node?: ClusterNode) => {
        const target = await resolveObject(deps, node, everyKind(), 'Describe');
        if (!target) return;
        await openDocument('describe', documentTarget(target));
      },
      log,
    ),
    registerCommand(
      commandIds.resourceEvents,
      async (node?: ClusterNode) => {
        if (node?.kind === 'resource') {
          const target = await resolveObject(deps, node, everyKind(), 'Events');
          if (target) await openDocument('events', documentTarget(target));
          return;
        }
        const ctx = await pickContext(deps, node, 'Events');
        if (!ctx) return;
        const namespace = await pickNamespace(ctx, node, 'Events');
        if (!namespace) return;
        const kind =
          node?.kind === 'namespace'
            ? 'namespace'
            : await pickKind(everyKind(), 'Events', [{ label: `$(list-flat) All events of namespace "${namespace}"`, id: 'namespace' }]);
        if (!kind) return;
        if (kind === 'namespace') return openDocument('events', { contextName: ctx.contextName, namespace });
        const name = await pickObject(ctx, kind, namespace, 'Events');
        if (name) await openDocument('events', { contextName: ctx.contextName, namespace, resource: kind, name });
      },
      log,
    ),
    registerCommand(
      commandIds.resourceRollback,
      async (node?: ClusterNode) => {
        if (node && 'contextName' in node) ensureWritable(node.contextName, 'roll it back');
        const target = await resolveObject(deps, node, kindsNamed('Deployment', 'StatefulSet', 'DaemonSet'), 'Roll Back');
        if (!target?.namespace) return;
        ensureWritable(target.contextName, `roll back ${target.resource.kind} "${target.name}"`);
        const { namespace } = target;
        const loaded = loadRevisions(target.client, target.resource, namespace, target.name, signal());
        const items: Promise<RevisionItem[]> = loaded.then(({ revisions }): RevisionItem[] => {
          if (revisions.length === 0)
            throw new ClusterDeckError('notFound', `${target.resource.kind} "${namespace}/${target.name}" has no recorded revisions.`);
          return revisions.map((r) => revisionItem(r));
        });
        const picked = await vscode.window.showQuickPick(items, {
          title: `Roll back ${target.resource.kind} "${namespace}/${target.name}" on ${target.contextName} to revision…`,
          placeHolder: 'The current revision is marked; pick an earlier one',
          matchOnDescription: true,
          matchOnDetail: true,
        });
        if (!picked) return;
        const { workload, revisions } = await loaded;
        const revision = picked.revision;
        const current = revisions.find((r) => r.current);
        if (revision.current) {
          void vscode.window.showInformationMessage(`${target.resource.kind} "${target.name}" already runs revision ${revision.revision}.`);
          return;
        }
        const ok = await confirmDestructive({
          verb: 'roll back',
          kind: target.resource.kind,
          namespace,
          name: target.name,
          contextName: target.contextName,
          server: target.resolved.cluster.server,
          detail: `To revision ${revision.revision} (${revision.images.join(', ')})${current ? `, replacing revision ${current.revision} (${current.images.join(', ')})` : ''}. The pods are replaced as the update strategy says; rolling back again undoes it.`,
        });
        if (!ok) return;
        await rollbackTo(target.client, target.resource, workload, revision, signal());
        log.info(
          'explorer',
          `rolled back ${target.resource.kind} ${namespace}/${target.name} to revision ${revision.revision} on ${target.contextName}`,
        );
        void vscode.window.showInformationMessage(
          `Rolling back ${target.resource.kind} "${target.name}" to revision ${revision.revision}.`,
        );
        clusters.refresh();
      },
      log,
    ),
  ];
}

function documentTarget(t: ObjectTarget): OpsDocumentTarget {
  return { contextName: t.contextName, ...(t.namespace ? { namespace: t.namespace } : {}), resource: t.resource, name: t.name };
}

type RevisionItem = vscode.QuickPickItem & { revision: Revision };

function revisionItem(r: Revision): RevisionItem {
  return {
    label: `${r.current ? '$(check)' : '$(history)'} Revision ${r.revision}${r.current ? ' (current)' : ''}`,
    description: r.images.join(', '),
    detail: [r.source, r.createdAt ? `${ageOf(r.createdAt, Date.now())} ago` : '', r.changeCause ?? ''].filter(Boolean).join(' · '),
    revision: r,
  };
}

/** The pod whose log to show: the target itself, or one of a workload's pods (asked when there are several). */
async function podOf(target: ObjectTarget, podName: string | undefined): Promise<Record<string, unknown> | undefined> {
  const namespace = target.namespace ?? 'default';
  if (target.resource.kind === 'Pod' || podName)
    return target.client.getObject(podKind, namespace, podName ?? target.name, { signal: signal() });
  const workload = await target.client.getObject(target.resource, namespace, target.name, { signal: signal() });
  const labelSelector = selectorString(rec(workload.spec).selector);
  if (!labelSelector) throw new ClusterDeckError('notFound', `${target.resource.kind} "${target.name}" has no pod selector.`);
  const page = await target.client.listObjects(podKind, namespace, { signal: signal(), labelSelector, limit: 500 });
  const uid = str(rec(workload.metadata).uid);
  // A Deployment's pods belong to its ReplicaSets (the selector is what `kubectl logs deploy/x` uses); the others own theirs.
  const pods =
    target.resource.kind === 'Deployment'
      ? page.items
      : page.items.filter((p) => arr(rec(p.metadata).ownerReferences).some((r) => str(r.uid) === uid));
  if (pods.length === 0) throw new ClusterDeckError('notFound', `${target.resource.kind} "${namespace}/${target.name}" has no pods.`);
  if (pods.length === 1) return pods[0];
  const picked = await vscode.window.showQuickPick(
    pods.map((p) => {
      const status = rec(p.status);
      const restarts = podContainers(p).reduce((n, c) => n + c.restartCount, 0);
      return {
        label: str(rec(p.metadata).name),
        description: [str(status.phase), restarts ? `↻ ${restarts}` : '', ageOf(rec(p.metadata).creationTimestamp, Date.now())]
          .filter(Boolean)
          .join(' · '),
        pod: p,
      };
    }),
    { title: `Logs: which pod of ${target.resource.kind} "${target.name}"?` },
  );
  return picked?.pod;
}

/** The container: the given one, the only one, or asked (the default container first, init containers marked). */
async function containerOf(pod: Record<string, unknown>, given: string | undefined): Promise<LogContainer | undefined> {
  const containers = podContainers(pod);
  if (given) {
    const found = containers.find((c) => c.name === given);
    if (!found) throw new ClusterDeckError('notFound', `Pod "${str(rec(pod.metadata).name)}" has no container "${given}".`);
    return found;
  }
  if (containers.length === 1) return containers[0];
  const preferred = defaultContainer(pod);
  const ordered = [...containers].sort((a, b) => Number(b.name === preferred) - Number(a.name === preferred));
  const picked = await vscode.window.showQuickPick(
    ordered.map((c) => ({
      label: c.name,
      description: [c.init ? 'init container' : '', c.image ?? ''].filter(Boolean).join(' · '),
      detail: `${c.state}${c.restartCount ? ` · restarted ${c.restartCount}×` : ''}`,
      container: c,
    })),
    { title: `Logs: which container of pod "${str(rec(pod.metadata).name)}"?` },
  );
  return picked?.container;
}

/** Follow / timestamps / previous, then how much: the last N lines (500 by default) or a time window. */
async function askLogOptions(container: LogContainer): Promise<LogOptions | undefined> {
  const toggles = await vscode.window.showQuickPick(
    [
      {
        label: 'Follow',
        description: 'keep streaming new lines',
        picked: !container.init || container.state.startsWith('running'),
        id: 'follow',
      },
      { label: 'Timestamps', description: 'prefix each line with its time', picked: false, id: 'timestamps' },
      ...(container.hasPrevious
        ? [
            {
              label: 'Previous instance',
              description: `the container restarted ${container.restartCount}×: show the log before the last restart`,
              picked: false,
              id: 'previous',
            },
          ]
        : []),
    ],
    { title: `Logs of ${container.name}: options`, canPickMany: true },
  );
  if (!toggles) return undefined;
  const on = (id: string) => toggles.some((t) => t.id === id);
  const range = await vscode.window.showQuickPick(
    [
      { label: 'Last 500 lines', options: { tailLines: 500 } },
      { label: 'Last 5 minutes', options: { sinceSeconds: 300 } },
      { label: 'Last hour', options: { sinceSeconds: 3600 } },
      { label: 'Last 24 hours', options: { sinceSeconds: 86_400 } },
      { label: 'Everything', options: {} },
      { label: 'Other…', description: 'a number of lines or a duration such as 10m, 2h', options: undefined },
    ],
    { title: `Logs of ${container.name}: how much` },
  );
  if (!range) return undefined;
  let amount = range.options;
  if (!amount) {
    const text = await vscode.window.showInputBox({
      title: `Logs of ${container.name}: how much`,
      prompt: 'Lines from the end (e.g. 2000), or a time window (30s, 10m, 2h, 1d), or "all"',
      value: '500',
      validateInput: (v) => {
        if (/^\d+$/.test(v.trim())) return undefined;
        try {
          parseSince(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    if (text === undefined) return undefined;
    const since = /^\d+$/.test(text.trim()) ? undefined : parseSince(text);
    amount = /^\d+$/.test(text.trim()) ? { tailLines: Number(text.trim()) } : since ? { sinceSeconds: since } : {};
  }
  return {
    container: container.name,
    ...amount,
    ...(on('follow') && !on('previous') ? { follow: true } : {}),
    ...(on('timestamps') ? { timestamps: true } : {}),
    ...(on('previous') ? { previous: true } : {}),
  };
}

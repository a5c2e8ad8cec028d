// The remote actions of the explorer: Apply the current file, Port-forward (with the session list) and Exec.
import { externalUrlRefusal } from '../../core/externalUrls';
import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import { resourceKindOf } from '../../core/kube/resourceKinds';
import {
  containerPortsOf,
  execShellCommand,
  labelSelectorOf,
  parseLocalPort,
  pickReadyPod,
  servicePortsOf,
  type RemotePortChoice,
} from '../../core/remote/remoteTargets';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import { ApplyDiffDocuments, applyDiffScheme } from './applyDiffDocuments';
import { contextOfEditedCopy } from '../explorer/editYaml';
import { ExecPseudoterminal } from './execTerminal';
import { pickResourceNode } from './pickResource';
import { describe, PortForwardSessions, type PortForwardSession } from './portForwardSessions';
import { ensureWritable } from '../shared/readOnly';

export interface RemoteCommandDeps {
  readonly log: Log;
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
  readonly clusters: { refresh(): void };
}

type ResourceNode = Extract<ClusterNode, { kind: 'resource' }>;

const FORWARDABLE = new Set(['pods', 'services', 'deployments', 'statefulsets', 'daemonsets', 'replicasets']);

function nameOf(obj: Record<string, unknown>): string {
  const name = (obj.metadata as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

/** The pod behind a node (itself for a Pod, a ready pod of the selector otherwise) and its forwardable ports. */
async function forwardTarget(client: KubeClient, node: ResourceNode): Promise<{ pod: string; choices: RemotePortChoice[] }> {
  const signal = new AbortController().signal;
  const obj = await client.getObject(node.resource, node.namespace, node.name, { signal });
  if (node.resource.plural === 'pods') return { pod: node.name, choices: containerPortsOf(obj) };
  const selector = labelSelectorOf({ ...obj, kind: node.resource.kind });
  const podKind = resourceKindOf('pods');
  if (!selector || !podKind)
    throw new ClusterDeckError('notFound', `${node.resource.kind} "${node.namespace ?? ''}/${node.name}" selects no pods.`);
  const pods = await client.listObjects(podKind, node.namespace, { signal, labelSelector: selector, limit: 500 });
  const pod = pickReadyPod(pods.items);
  if (!pod)
    throw new ClusterDeckError(
      'notFound',
      `No ready pod behind ${node.resource.kind} "${node.namespace ?? ''}/${node.name}" (selector ${selector}) on "${node.contextName}".`,
    );
  return { pod: nameOf(pod), choices: node.resource.kind === 'Service' ? servicePortsOf(obj, pod) : containerPortsOf(pod) };
}

async function askRemotePort(node: ResourceNode, pod: string, choices: RemotePortChoice[]): Promise<number | undefined> {
  const other = { label: 'Other port…', description: 'type a port number', port: 0 };
  const items = [...choices.map((c) => ({ label: String(c.port), description: c.description, port: c.port })), other];
  const picked =
    choices.length === 0
      ? other
      : await vscode.window.showQuickPick(items, {
          title: `Forward to which port of pod "${pod}"?`,
          placeHolder: `${node.resource.kind} ${node.name}`,
        });
  if (!picked) return undefined;
  if (picked.port) return picked.port;
  const typed = await vscode.window.showInputBox({
    title: `Port of pod "${pod}"`,
    prompt: 'Remote port (1-65535)',
    validateInput: (v) => {
      const r = parseLocalPort(v);
      return 'error' in r || r.port === 0 ? 'A port from 1 to 65535' : undefined;
    },
  });
  return typed ? Number(typed.trim()) : undefined;
}

export function registerRemoteCommands(deps: RemoteCommandDeps): vscode.Disposable[] {
  const { log } = deps;
  const documents = new ApplyDiffDocuments();
  const sessions = new PortForwardSessions(log, commandIds.portForwardList);
  const clientFor = async (contextName: string) => deps.factory.createClient(resolveContext(await deps.loadConfig(), contextName));

  const stopPicked = async (picked: PortForwardSession[]) => {
    for (const s of picked) await sessions.stop(s.id);
    if (picked.length) void vscode.window.showInformationMessage(`Stopped ${picked.length} port-forward${picked.length === 1 ? '' : 's'}.`);
  };

  return [
    documents,
    sessions,
    vscode.workspace.registerTextDocumentContentProvider(applyDiffScheme, documents),
    registerCommand(
      commandIds.resourceApply,
      // The apply flow is its own chunk (dist/applyCommand.js), loaded by the first Apply.
      async (uri?: vscode.Uri, preset?: { contextName?: string }) =>
        (await import('./applyCommand')).applyCurrentFile(
          {
            log,
            loadConfig: deps.loadConfig,
            factory: deps.factory,
            documents,
            refresh: () => deps.clusters.refresh(),
            editedCopyContext: contextOfEditedCopy,
          },
          uri,
          preset,
        ),
      log,
    ),
    registerCommand(
      commandIds.resourcePortForward,
      async (picked?: ClusterNode, preset?: { remotePort?: number; localPort?: number }) => {
        const node =
          picked?.kind === 'resource'
            ? picked
            : await pickResourceNode(
                deps,
                [
                  { plural: 'pods', group: '' },
                  { plural: 'services', group: '' },
                  { plural: 'deployments', group: 'apps' },
                ],
                'Port-forward',
              );
        if (!node) return undefined;
        if (!FORWARDABLE.has(node.resource.plural) || !node.namespace) {
          void vscode.window.showInformationMessage('Port-forward works on Pods, Services and Deployments.');
          return undefined;
        }
        const client = await clientFor(node.contextName);
        const { pod, choices } = await forwardTarget(client, node);
        const remotePort = preset?.remotePort ?? (await askRemotePort(node, pod, choices));
        if (!remotePort) return undefined;
        let localPort = preset?.localPort;
        if (localPort === undefined) {
          const typed = await vscode.window.showInputBox({
            title: `Forward 127.0.0.1 → ${node.resource.kind} ${node.namespace}/${node.name} port ${remotePort}`,
            prompt: 'Local port on 127.0.0.1 (empty: a random free port)',
            value: remotePort > 1023 ? String(remotePort) : '',
            validateInput: (v) => {
              const r = parseLocalPort(v);
              return 'error' in r ? r.error : undefined;
            },
          });
          if (typed === undefined) return undefined;
          const r = parseLocalPort(typed);
          if ('error' in r) return undefined;
          localPort = r.port;
        }
        const handle = await client.portForward(node.namespace, pod, remotePort, { localPort });
        const session = sessions.add({
          contextName: node.contextName,
          namespace: node.namespace,
          target: `${node.resource.kind} ${node.namespace}/${node.name}`,
          pod,
          remotePort,
          localPort: handle.localPort,
          handle,
        });
        log.info('explorer', `port-forward ${describe(session)} started`);
        void vscode.window
          .showInformationMessage(`Forwarding ${describe(session)}.`, 'Open in Browser', 'Copy Address')
          .then(async (choice) => {
            const address = `http://127.0.0.1:${session.localPort}`;
            if (choice === 'Open in Browser' && !externalUrlRefusal(address, [session.localPort]))
              await vscode.env.openExternal(vscode.Uri.parse(address));
            else if (choice === 'Copy Address') await vscode.env.clipboard.writeText(address);
          });
        return { id: session.id, localPort: session.localPort, pod, remotePort };
      },
      log,
    ),
    registerCommand(
      commandIds.portForwardList,
      async () => {
        const all = sessions.list();
        if (all.length === 0) {
          void vscode.window.showInformationMessage('No port-forward is running.');
          return all.map((s) => s.id);
        }
        const picked = await vscode.window.showQuickPick(
          all.map((s) => ({
            label: `127.0.0.1:${s.localPort} → ${s.target}`,
            description: `pod ${s.pod} port ${s.remotePort} · ${s.contextName}`,
            session: s,
          })),
          { title: `Port-forwards (${all.length}) — pick one to stop it` },
        );
        if (picked) await stopPicked([picked.session]);
        return all.map((s) => s.id);
      },
      log,
    ),
    registerCommand(
      commandIds.portForwardStop,
      async (id?: string) => {
        if (typeof id === 'string') return sessions.stop(id);
        const all = sessions.list();
        if (all.length === 0) {
          void vscode.window.showInformationMessage('No port-forward is running.');
          return false;
        }
        const picked = await vscode.window.showQuickPick(
          all.map((s) => ({ label: `127.0.0.1:${s.localPort} → ${s.target}`, description: `${s.contextName}`, session: s })),
          { title: 'Stop which port-forwards?', canPickMany: true },
        );
        await stopPicked((picked ?? []).map((p) => p.session));
        return (picked ?? []).length > 0;
      },
      log,
    ),
    registerCommand(
      commandIds.resourceExec,
      async (picked?: ClusterNode, preset?: { container?: string }) => {
        const node = picked?.kind === 'resource' ? picked : await pickResourceNode(deps, [{ plural: 'pods', group: '' }], 'Open a shell');
        if (!node) return undefined;
        // A shell can change anything inside the container: a read-only context refuses it.
        ensureWritable(node.contextName, `open a shell in "${node.name}"`);
        if (node.resource.plural !== 'pods' || !node.namespace) {
          void vscode.window.showInformationMessage('A shell opens in a container of a Pod.');
          return undefined;
        }
        const client = await clientFor(node.contextName);
        const pod = await client.getObject(node.resource, node.namespace, node.name, { signal: new AbortController().signal });
        const containers = ((pod.spec as { containers?: { name?: string }[] } | undefined)?.containers ?? [])
          .map((c) => c.name ?? '')
          .filter(Boolean);
        const container =
          preset?.container ??
          (containers.length === 1
            ? containers[0]
            : await vscode.window.showQuickPick(containers, { title: `Open a shell in which container of "${node.name}"?` }));
        if (!container) return undefined;
        const namespace = node.namespace;
        const what = `${namespace}/${node.name} (${container}) on ${node.contextName}`;
        const pty = new ExecPseudoterminal(
          (columns, rows) => client.exec(namespace, node.name, container, execShellCommand, { columns, rows }),
          what,
          log,
        );
        const terminal = vscode.window.createTerminal({
          name: `${node.name}/${container}`,
          pty,
          iconPath: new vscode.ThemeIcon('terminal'),
        });
        terminal.show();
        log.info('explorer', `exec ${what}`);
        return terminal.name;
      },
      log,
    ),
  ];
}

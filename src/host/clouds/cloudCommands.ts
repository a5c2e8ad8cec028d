import * as vscode from 'vscode';
import { ClusterDeckError, isCancellation } from '../../core/errors';
import type { CloudCluster, CloudKind, CloudOperation, NodePoolScale } from '../../core/clouds/cloudProvider';
import { pendingToResume, poolBehind, withPending, withoutPending, type PendingOperation } from '../../core/clouds/pendingOperations';
import type { CloudProviderSource } from '../../core/clouds/cloudSettings';
import {
  checkScale,
  clusterDeletion,
  poolDeletion,
  renderClusterDetails,
  upgradeChoices,
  validateScaleField,
} from '../../core/clouds/cloudOperations';
import {
  cliContextName,
  cloudLabels,
  cloudWords,
  findKubeContext,
  formatScale,
  type CloudClusterNode,
  type CloudPoolNode,
  type CloudTreeNode,
  type KubeContextRef,
} from '../../core/clouds/cloudTree';
import { connectCluster, type ConnectDeps } from '../../core/clouds/connectCluster';
import { commandIds } from '../commandIds';
import { confirmDestructive } from '../shared/confirmDestructive';
import type { Log } from '../shared/log';
import { ensureWritable } from '../shared/readOnly';
import { registerCommand } from '../shared/runCommand';
import type { CloudDocuments } from './cloudDocuments';
import type { CloudsTreeProvider } from './cloudsTreeProvider';
import type { VscodeAzureCredential } from './vscodeAzureCredential';

export interface CloudCommandDeps {
  readonly log: Log;
  readonly tree: CloudsTreeProvider;
  readonly source: CloudProviderSource;
  readonly documents: CloudDocuments;
  /** Connect's file I/O (node/ implementations from the composition root); `targetPath` read at each Connect. */
  readonly connect: Omit<ConnectDeps, 'confirmReplace' | 'targetPath' | 'ownCommand'> & {
    /** The file to write for this context name (the one defining it already, else client-go's choice). */
    readonly targetPath: (contextName: string) => Promise<string>;
    readonly ownCommand: () => ConnectDeps['ownCommand'];
  };
  /** `kubectl config use-context`; returns the file written. */
  readonly setCurrentContext: (contextName: string) => Promise<string>;
  readonly kubeContexts: () => Promise<readonly KubeContextRef[]>;
  readonly azure: VscodeAzureCredential;
  /** Accounts hidden by "Forget" (globalState). */
  readonly hiddenAccounts: { add(cloud: CloudKind, id: string): Thenable<void> };
  /** Operations being followed, kept across restarts (globalState). */
  readonly pending: { get(): unknown; set(list: readonly PendingOperation[]): Thenable<void> };
  /** Clock (tests). */
  readonly now?: () => number;
}

/** The Clouds view's commands; each goes through the one error wrapper. */
export function registerCloudCommands(deps: CloudCommandDeps): vscode.Disposable[] {
  const { log, tree } = deps;
  return [
    registerCommand(commandIds.cloudRefresh, () => tree.refresh(), log),
    registerCommand(commandIds.cloudConnect, (n?: CloudTreeNode) => withCluster(deps, n, 'Connect', (c) => connect(deps, c)), log),
    registerCommand(commandIds.cloudDetails, (n?: CloudTreeNode) => withCluster(deps, n, 'Details', (c) => details(deps, c)), log),
    registerCommand(commandIds.cloudUpgrade, (n?: CloudTreeNode) => withCluster(deps, n, 'Upgrade', (c) => upgrade(deps, c)), log),
    registerCommand(
      commandIds.cloudDeleteCluster,
      (n?: CloudTreeNode) => withCluster(deps, n, 'Delete', (c) => deleteCluster(deps, c)),
      log,
    ),
    registerCommand(commandIds.nodePoolScale, (n?: CloudTreeNode) => withPool(n, (p) => scalePool(deps, p)), log),
    registerCommand(commandIds.nodePoolDelete, (n?: CloudTreeNode) => withPool(n, (p) => deletePool(deps, p)), log),
    registerCommand(commandIds.nodePoolUpgrade, (n?: CloudTreeNode) => withPool(n, (p) => upgradePool(deps, p)), log),
    registerCommand(commandIds.cloudSignOut, (n?: CloudTreeNode) => signOut(deps, n), log),
    registerCommand(commandIds.cloudForget, (n?: CloudTreeNode) => forget(deps, n), log),
    registerCommand(commandIds.cloudChooseAwsProfile, () => chooseAwsProfile(deps), log),
    registerCommand(commandIds.cloudSignInAzure, () => signInAzure(deps), log),
    registerCommand(commandIds.cloudSetGoogleCredentials, () => setGoogleCredentials(deps), log),
  ];
}

function requireTrust(action: string): void {
  if (!vscode.workspace.isTrusted)
    throw new ClusterDeckError('untrusted', `ClusterDeck does not ${action} in Restricted Mode; trust this workspace first.`);
}

async function withCluster(
  deps: CloudCommandDeps,
  n: CloudTreeNode | undefined,
  verb: string,
  run: (c: CloudClusterNode) => Promise<void>,
): Promise<void> {
  let node = n?.kind === 'cluster' ? n : undefined;
  if (!node) {
    const loaded = deps.tree.loadedClusters();
    if (loaded.length === 0) {
      void vscode.window.showInformationMessage('Expand a cloud in the Clouds view first, then pick a cluster there.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      loaded.map((c) => ({
        label: c.cluster.name,
        description: `${cloudLabels[c.cluster.cloud]} · ${c.account.label} · ${c.cluster.location}`,
        node: c,
      })),
      { title: `${verb}: which cluster?`, matchOnDescription: true },
    );
    node = picked?.node;
  }
  if (node) await run(node);
}

async function withPool(n: CloudTreeNode | undefined, run: (p: CloudPoolNode) => Promise<void>): Promise<void> {
  if (n?.kind !== 'pool') {
    void vscode.window.showInformationMessage('Run this from a node pool in the Clouds view.');
    return;
  }
  await run(n);
}

/** A cluster linked to a read-only kube context refuses changes, as the Clusters view does. */
async function ensureClusterWritable(deps: CloudCommandDeps, node: CloudClusterNode | CloudPoolNode, action: string): Promise<void> {
  const context = findKubeContext(node.cluster, await deps.kubeContexts().catch(() => []));
  if (context) ensureWritable(context, action);
}

async function connect(deps: CloudCommandDeps, node: CloudClusterNode): Promise<void> {
  requireTrust('write kubeconfig entries');
  const outcome = await connectCluster(node.cluster, {
    ...deps.connect,
    targetPath: await deps.connect.targetPath(cliContextName(node.cluster)),
    ownCommand: deps.connect.ownCommand(),
    confirmReplace: async (question) =>
      (await vscode.window.showWarningMessage(
        question,
        { modal: true, detail: 'The previous file is kept as a timestamped backup.' },
        'Replace',
      )) === 'Replace',
  });
  if (outcome.kind === 'declined') return;
  if (outcome.kind === 'written') {
    deps.log.info(
      'clouds',
      `connect ${node.cluster.name}: wrote context ${outcome.contextName} to ${outcome.path}${outcome.backupPath ? ` (backup ${outcome.backupPath})` : ''}`,
    );
    deps.tree.refresh();
  }
  const text =
    outcome.kind === 'written'
      ? `${outcome.replaced ? 'Replaced' : 'Added'} context "${outcome.contextName}" in ${outcome.path}.${outcome.backupPath ? ` Backup: ${outcome.backupPath}.` : ''}${
          outcome.usesStandardPlugin ? '' : ' kubectl gets its tokens from "clusterdeck token" (no cloud CLI needed).'
        }`
      : `Context "${outcome.contextName}" is already in ${outcome.path}.`;
  const choice = await vscode.window.showInformationMessage(text, 'Set as Current', 'Open File');
  if (choice === 'Set as Current') {
    const file = await deps.setCurrentContext(outcome.contextName);
    void vscode.window.showInformationMessage(`Current context: ${outcome.contextName} (${file}).`);
  } else if (choice === 'Open File') {
    await vscode.window.showTextDocument(vscode.Uri.file(outcome.path));
  }
}

async function details(deps: CloudCommandDeps, node: CloudClusterNode): Promise<void> {
  requireTrust('contact clouds');
  const c = node.cluster;
  const markdown = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reading details of ${c.name}…`, cancellable: true },
    async (_p, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const provider = await deps.source.provider(c.cloud);
      const problems: Record<string, string> = {};
      const settle = async <T>(key: string, p: Promise<T> | undefined): Promise<T | undefined> => {
        try {
          return await p;
        } catch (e) {
          if (isCancellation(e)) throw e;
          problems[key] = e instanceof ClusterDeckError ? e.message : 'unexpected failure (see the log)';
          return undefined;
        }
      };
      const [pools, addons, more] = await Promise.all([
        settle('pools', provider.listNodePools(c, controller.signal)),
        settle('addons', provider.listAddons(c, controller.signal)),
        settle('details', provider.describeCluster?.(c, controller.signal)),
      ]);
      return renderClusterDetails({
        cluster: c,
        account: node.account,
        ...(pools ? { pools } : {}),
        ...(addons ? { addons } : {}),
        ...(more ? { details: more } : {}),
        ...(node.kubeContext ? { kubeContext: node.kubeContext } : {}),
        problems,
      });
    },
  );
  await deps.documents.show(c.id, `${c.name} details`, markdown);
}

async function upgrade(deps: CloudCommandDeps, node: CloudClusterNode): Promise<void> {
  requireTrust('contact clouds');
  const c = node.cluster;
  await ensureClusterWritable(deps, node, `upgrade cluster "${c.name}"`);
  const provider = await deps.source.provider(c.cloud);
  const versions = upgradeChoices(c.version, await provider.listUpgradeVersions(c));
  if (versions.length === 0) {
    void vscode.window.showInformationMessage(
      `${c.name} runs ${c.version}; ${cloudLabels[c.cloud]} offers no newer control-plane version.`,
    );
    return;
  }
  const version = await vscode.window.showQuickPick(versions, {
    title: `Upgrade the control plane of ${c.name} (now ${c.version})`,
    placeHolder: 'Kubernetes version',
  });
  if (!version) return;
  const ok = await vscode.window.showWarningMessage(
    `Upgrade the control plane of "${c.name}" from ${c.version} to ${version}?`,
    {
      modal: true,
      detail: `${cloudLabels[c.cloud]} · ${cloudWords[c.cloud].account} ${node.account.label} · ${c.location}\n\nA control-plane upgrade cannot be rolled back. ${cloudWords[c.cloud].pools} are upgraded separately afterwards.`,
    },
    'Upgrade',
  );
  if (ok !== 'Upgrade') return;
  const done = await follow(deps, c, await provider.upgradeCluster(c, version), `Upgrading ${c.name} to ${version}`);
  if (!done) return;
  // Then the node pools: the control plane first, the pools after (they may not run ahead of it).
  const upgraded = { ...c, version };
  const behind = (await provider.listNodePools(upgraded)).filter((p) => poolBehind(p.version, version));
  if (behind.length === 0) return;
  const button = `Upgrade ${cloudWords[c.cloud].pools}`;
  const go = await vscode.window.showInformationMessage(
    `The control plane of "${c.name}" runs ${version}. Upgrade its ${behind.length} ${cloudWords[c.cloud].pools.toLowerCase()} (${behind.map((p) => p.name).join(', ')}) too?`,
    button,
  );
  if (go !== button) return;
  for (const p of behind) {
    const finished = await follow(
      deps,
      upgraded,
      await provider.upgradeNodePool(upgraded, p.name, version),
      `Upgrading ${p.name} of ${c.name} to ${version}`,
    );
    if (!finished) return;
  }
}

async function upgradePool(deps: CloudCommandDeps, node: CloudPoolNode): Promise<void> {
  requireTrust('contact clouds');
  const { cluster: c, pool } = node;
  await ensureClusterWritable(deps, node, `upgrade ${cloudWords[c.cloud].pool} "${pool.name}"`);
  if (!poolBehind(pool.version, c.version)) {
    void vscode.window.showInformationMessage(`${pool.name} already runs the control plane's version (${c.version}).`);
    return;
  }
  const ok = await vscode.window.showWarningMessage(
    `Upgrade ${cloudWords[c.cloud].pool} "${pool.name}" of "${c.name}" from ${pool.version ?? '?'} to ${c.version}?`,
    {
      modal: true,
      detail: `${cloudLabels[c.cloud]} · ${cloudWords[c.cloud].account} ${node.account.label} · ${c.location}\n\nIts nodes are replaced a batch at a time; their pods are evicted and rescheduled.`,
    },
    'Upgrade',
  );
  if (ok !== 'Upgrade') return;
  const provider = await deps.source.provider(c.cloud);
  await follow(deps, c, await provider.upgradeNodePool(c, pool.name, c.version), `Upgrading ${pool.name} of ${c.name} to ${c.version}`);
}

async function deleteCluster(deps: CloudCommandDeps, node: CloudClusterNode): Promise<void> {
  requireTrust('contact clouds');
  const c = node.cluster;
  await ensureClusterWritable(deps, node, `delete cluster "${c.name}"`);
  const provider = await deps.source.provider(c.cloud);
  const pools = await provider.listNodePools(c).catch((e: unknown) => {
    if (isCancellation(e)) throw e;
    return undefined;
  });
  const d = clusterDeletion(c, node.account, pools);
  const ok = await confirmDestructive({
    verb: 'delete',
    kind: 'cluster',
    name: c.name,
    contextName: node.kubeContext ?? '',
    server: c.endpoint ?? '',
    title: d.title,
    where: d.where,
    consequence: d.consequence,
    typeToConfirm: d.typeToConfirm,
  });
  if (!ok) return;
  await follow(deps, c, await provider.deleteCluster(c), `Deleting cluster ${c.name}`);
}

async function scalePool(deps: CloudCommandDeps, node: CloudPoolNode): Promise<void> {
  requireTrust('contact clouds');
  const { cluster: c, pool } = node;
  await ensureClusterWritable(deps, node, `scale ${cloudWords[c.cloud].pool} "${pool.name}"`);
  const title = `Scale ${cloudWords[c.cloud].pool} "${pool.name}" of ${c.name}`;
  const answer: { min?: number; desired?: number; max?: number } = {};
  // Asked min, max, then desired; each is checked as the user types against the answers so far only (the pool's
  // current bounds would block moving a whole range, e.g. 1–3 to 5–8).
  const fields = [
    ['min', 'Minimum nodes', 1],
    ['max', 'Maximum nodes', 2],
    ['desired', 'Desired nodes', 3],
  ] as const;
  for (const [field, prompt, step] of fields) {
    const current = pool[field];
    const value = await vscode.window.showInputBox({
      title: `${title} (${step}/3)`,
      prompt: `${prompt} (now ${formatScale(pool)} as min ≤ desired ≤ max)`,
      value: current === undefined ? '' : String(current),
      validateInput: (v) => validateScaleField(field, v, { ...answer }),
      ignoreFocusOut: true,
    });
    if (value === undefined) return;
    answer[field] = Number(value.trim());
  }
  const scale: NodePoolScale = answer;
  const problem = checkScale(scale);
  if (problem) throw new ClusterDeckError('invalid', `${problem}; scale again with other numbers.`);
  const provider = await deps.source.provider(c.cloud);
  const op = await provider.scaleNodePool(c, pool.name, scale);
  await follow(deps, c, op, `Scaling ${pool.name} to ${scale.min ?? '?'} ≤ ${scale.desired ?? '?'} ≤ ${scale.max ?? '?'}`);
}

async function deletePool(deps: CloudCommandDeps, node: CloudPoolNode): Promise<void> {
  requireTrust('contact clouds');
  const { cluster: c, pool } = node;
  await ensureClusterWritable(deps, node, `delete ${cloudWords[c.cloud].pool} "${pool.name}"`);
  const d = poolDeletion(c, node.account, pool);
  const ok = await confirmDestructive({
    verb: 'delete',
    kind: cloudWords[c.cloud].pool,
    name: pool.name,
    contextName: '',
    server: c.endpoint ?? '',
    title: d.title,
    where: d.where,
    consequence: d.consequence,
    typeToConfirm: d.typeToConfirm,
  });
  if (!ok) return;
  const provider = await deps.source.provider(c.cloud);
  await follow(deps, c, await provider.deleteNodePool(c, pool.name), `Deleting ${cloudWords[c.cloud].pool} ${pool.name}`);
}

/**
 * Waits for an operation with cancellable progress; cancelling stops the waiting, not the cloud's operation.
 * The operation is stored (globalState) while it is followed, so an editor restart follows it again
 * (resumeCloudOperations). Resolves true when it finished, false when the user stopped waiting.
 */
async function follow(deps: CloudCommandDeps, cluster: CloudCluster, op: CloudOperation, title: string): Promise<boolean> {
  const cloud = cluster.cloud;
  deps.log.info('clouds', `${op.description} started (operation ${op.id})`);
  const entry: PendingOperation = { cloud, cluster, id: op.id, description: op.description, title, startedAtMs: (deps.now ?? Date.now)() };
  await deps.pending.set(withPending(pendingList(deps), entry));
  deps.tree.refresh(cloud);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        await op.wait(controller.signal, (status) => progress.report({ message: status }));
      },
    );
  } catch (e) {
    if (!isCancellation(e)) throw e;
    void vscode.window.showInformationMessage(
      `Stopped waiting. ${op.description} goes on in the cloud (operation ${op.id}); refresh the Clouds view to see it.`,
    );
    return false;
  } finally {
    await deps.pending.set(withoutPending(pendingList(deps), cloud, op.id));
    deps.tree.refresh(cloud);
  }
  deps.log.info('clouds', `${op.description} done (operation ${op.id})`);
  void vscode.window.showInformationMessage(`${title}: done.`);
  return true;
}

function pendingList(deps: CloudCommandDeps): PendingOperation[] {
  return pendingToResume(deps.pending.get(), (deps.now ?? Date.now)(), Number.POSITIVE_INFINITY).resume;
}

/**
 * Follows again every operation stored by a previous session (younger than a day): progress in the status bar,
 * one notification at its end. Older ones are dropped with a log line. Call only in a trusted workspace.
 */
export async function resumeCloudOperations(deps: CloudCommandDeps): Promise<void> {
  const { resume, expired } = pendingToResume(deps.pending.get(), (deps.now ?? Date.now)());
  for (const o of expired) deps.log.info('clouds', `not resuming ${o.description} (operation ${o.id}): started over a day ago`);
  if (expired.length) await deps.pending.set(resume);
  await Promise.all(
    resume.map(async (o) => {
      try {
        const provider = await deps.source.provider(o.cloud);
        const op = provider.resumeOperation(o.cluster, o.id, o.description);
        deps.log.info('clouds', `resuming ${o.description} (operation ${o.id})`);
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `${o.title} (resumed)` }, (progress) =>
          op.wait(undefined, (status) => progress.report({ message: status })),
        );
        void vscode.window.showInformationMessage(`${o.title}: done.`);
      } catch (e) {
        if (isCancellation(e)) return;
        const message = e instanceof ClusterDeckError ? e.message : String((e as Error)?.message ?? e);
        deps.log.warn('clouds', `${o.description} (operation ${o.id}): ${message}`);
        void vscode.window.showErrorMessage(`${o.title} failed: ${message}`);
      } finally {
        await deps.pending.set(withoutPending(pendingList(deps), o.cloud, o.id));
        deps.tree.refresh(o.cloud);
      }
    }),
  );
}

async function pickCloud(deps: CloudCommandDeps, n: CloudTreeNode | undefined): Promise<CloudKind | undefined> {
  if (n?.kind === 'cloud' || n?.kind === 'account') return n.cloud;
  const picked = await vscode.window.showQuickPick(
    deps.source.enabledClouds().map((c) => ({ label: cloudLabels[c], cloud: c })),
    { title: 'Sign out of which cloud?' },
  );
  return picked?.cloud;
}

async function signOut(deps: CloudCommandDeps, n: CloudTreeNode | undefined): Promise<void> {
  const cloud = await pickCloud(deps, n);
  if (!cloud) return;
  // Dropping the provider drops the credentials it holds in memory; nothing of ours is on disk.
  deps.source.forget(cloud);
  if (cloud === 'aks') deps.azure.signOut();
  deps.tree.refresh(cloud);
  const where: Record<CloudKind, string> = {
    eks: 'AWS credentials stay in ~/.aws (use "aws sso logout" or edit the profile to remove them).',
    gke: 'Google credentials stay where they are (the key file or gcloud application-default credentials).',
    aks: 'To remove the Microsoft account from VS Code entirely, use the Accounts menu.',
  };
  void vscode.window.showInformationMessage(`Signed out of ${cloudLabels[cloud]} in ClusterDeck. ${where[cloud]}`);
}

async function forget(deps: CloudCommandDeps, n: CloudTreeNode | undefined): Promise<void> {
  if (n?.kind !== 'account') {
    void vscode.window.showInformationMessage('Run Forget on an account in the Clouds view.');
    return;
  }
  await deps.hiddenAccounts.add(n.cloud, n.account.id);
  if (n.cloud === 'eks') await removeFromList('aws.profiles', n.account.id);
  if (n.cloud === 'gke') await removeFromList('gcp.projects', n.account.id);
  deps.tree.refresh(n.cloud);
}

async function removeFromList(key: string, value: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('clusterdeck');
  const list = config.inspect<string[]>(key)?.globalValue;
  if (list?.includes(value))
    await config.update(
      key,
      list.filter((v) => v !== value),
      vscode.ConfigurationTarget.Global,
    );
}

async function chooseAwsProfile(deps: CloudCommandDeps): Promise<void> {
  requireTrust('read cloud accounts');
  const provider = await deps.source.provider('eks');
  const accounts = await provider.listAccounts();
  if (accounts.length === 0) {
    void vscode.window.showInformationMessage(
      'No AWS profile was found in ~/.aws/config or ~/.aws/credentials. Run "aws configure" or "aws configure sso", then try again.',
    );
    return;
  }
  const config = vscode.workspace.getConfiguration('clusterdeck');
  const chosen = new Set(config.inspect<string[]>('aws.profiles')?.globalValue ?? []);
  const picked = await vscode.window.showQuickPick(
    accounts.map((a) => ({ label: a.id, description: a.detail ?? '', picked: chosen.size === 0 || chosen.has(a.id) })),
    { title: 'AWS profiles to show in the Clouds view', canPickMany: true },
  );
  if (!picked) return;
  await config.update(
    'aws.profiles',
    picked.map((p) => p.label),
    vscode.ConfigurationTarget.Global,
  );
  deps.source.forget('eks');
  deps.tree.refresh('eks');
}

async function signInAzure(deps: CloudCommandDeps): Promise<void> {
  requireTrust('sign in to clouds');
  const label = await deps.azure.signIn();
  deps.source.forget('aks');
  deps.tree.refresh('aks');
  void vscode.window.showInformationMessage(`Signed in to Azure as ${label}.`);
}

async function setGoogleCredentials(deps: CloudCommandDeps): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Google Cloud service-account key (JSON) or application-default credentials file',
    canSelectMany: false,
    filters: { JSON: ['json'] },
  });
  const file = picked?.[0];
  if (!file) return;
  // Machine-scoped: stored in the user's settings only.
  await vscode.workspace.getConfiguration('clusterdeck').update('gcp.credentialsFile', file.fsPath, vscode.ConfigurationTarget.Global);
  deps.source.forget('gke');
  deps.tree.refresh('gke');
}

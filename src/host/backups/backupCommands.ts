import * as vscode from 'vscode';
import { ClusterDeckError, isCancellation } from '../../core/errors';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import type { BackupNode } from '../../core/velero/backupNodes';
import { describeVeleroObject, type VeleroResults } from '../../core/velero/describeVelero';
import {
  downloadVeleroFile,
  followBackup,
  loadVeleroResults,
  requestBackupDeletion,
  type DownloadFetcher,
} from '../../core/velero/veleroActions';
import { veleroKinds } from '../../core/velero/veleroKinds';
import { buildBackup, buildBackupFromSchedule } from '../../core/velero/veleroRequests';
import { loadVeleroSnapshot } from '../../core/velero/veleroSnapshot';
import { commandIds } from '../commandIds';
import { confirmDestructive } from '../shared/confirmDestructive';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import type { BackupsTreeProvider } from './backupsTreeProvider';
import type { VeleroNotifier } from './veleroNotifier';
import type { BackupWizardAnswers } from './backupWizard';
import { VeleroDocuments, veleroScheme } from './veleroDocuments';
import type { ScheduleAnswers } from './scheduleWizard';
import { ensureWritable } from '../shared/readOnly';

export interface BackupCommandDeps {
  readonly log: Log;
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
  readonly backups: BackupsTreeProvider;
  readonly notifier: VeleroNotifier;
  readonly download: DownloadFetcher;
  readonly veleroNamespace: () => string;
  /** Seconds to wait for a DownloadRequest's URL (setting clusterdeck.velero.downloadTimeoutSeconds). */
  readonly downloadTimeoutMs: () => number;
}

/** A node of either view that names a context (and maybe a namespace): the Clusters view's namespace or context, ours. */
interface ContextArg {
  readonly kind: string;
  readonly contextName?: string;
  readonly name?: string;
}

/** The wizards and restore flows: their own chunk (dist/backupFlows.js), loaded on first use. */
const flows = () => import('./backupFlows');

const signalOf = (token?: vscode.CancellationToken): AbortSignal => {
  const controller = new AbortController();
  token?.onCancellationRequested(() => controller.abort());
  return controller.signal;
};

/** Backups view commands: back up now, delete (by request), describe, logs, schedule pause/unpause/back up now. */
export function registerBackupCommands(deps: BackupCommandDeps): vscode.Disposable[] {
  const { log, backups } = deps;
  const documents = new VeleroDocuments();

  /** A client for the context; `change` names what a mutating command is about to do (refused in read-only mode). */
  async function clientFor(contextName: string, change?: string): Promise<{ client: KubeClient; server: string }> {
    if (change) ensureWritable(contextName, change);
    const resolved = resolveContext(await deps.loadConfig(), contextName);
    return { client: await deps.factory.createClient(resolved), server: resolved.cluster.server };
  }

  async function pickContext(arg?: ContextArg, title = 'Back up which cluster (kubeconfig context)?'): Promise<string | undefined> {
    if (arg?.contextName) return arg.contextName;
    const config = await deps.loadConfig();
    return vscode.window.showQuickPick(
      config.contexts.map((c) => c.name),
      { title },
    );
  }

  /** Follows a backup to its end in the background: progress in the tree (by watch), one notification at the end. */
  function follow(contextName: string, client: KubeClient, namespace: string, name: string): Promise<void> {
    const stop = backups.follow(contextName);
    return followBackup(client, namespace, name, {
      signal: new AbortController().signal,
      onUpdate: () => {
        if (!backups.isLive(contextName)) backups.refresh(contextName);
      },
    })
      .then((b) => deps.notifier.finished(contextName, { kind: 'backup', item: b }))
      .catch((e: unknown) =>
        log.warn('velero', `following backup ${name} on ${contextName}: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(stop);
  }

  async function backUpNow(arg?: ContextArg, answers?: BackupWizardAnswers): Promise<string | undefined> {
    const contextName = await pickContext(arg);
    if (!contextName) return undefined;
    const { client } = await clientFor(contextName, 'create a Velero backup');
    const signal = new AbortController().signal;
    const veleroNamespace = deps.veleroNamespace();
    const snapshot = await loadVeleroSnapshot(client, veleroNamespace, signal);
    if (snapshot.install.state === 'notInstalled')
      throw new ClusterDeckError('badConfig', `Velero is not installed on "${contextName}" (no velero.io CRDs). Install Velero first.`);
    if (snapshot.install.state === 'degraded')
      throw new ClusterDeckError('badConfig', `Velero on "${contextName}" cannot run backups now: ${snapshot.install.problem}`);
    const namespaces = (await client.listNamespaces({ signal, limit: 500 })).items.map((n) => n.name);
    const options = await (
      await flows()
    ).runBackupWizard(
      {
        contextName,
        veleroNamespace,
        namespaces,
        ...(arg?.kind === 'namespace' && arg.name ? { preselected: arg.name } : {}),
        locations: snapshot.storageLocations,
        nowMs: Date.now(),
      },
      answers ?? {},
    );
    if (!options) return undefined;
    await client.createObject(veleroKinds.backup, veleroNamespace, buildBackup(options), { signal });
    log.info('velero', `created Backup ${veleroNamespace}/${options.name} on ${contextName}`);
    backups.refresh(contextName);
    // The tree shows the progress; only the end notifies.
    vscode.window.setStatusBarMessage(`$(sync~spin) Backup "${options.name}" started on ${contextName}`, 5000);
    void follow(contextName, client, veleroNamespace, options.name);
    return options.name;
  }

  const restoreDeps = {
    log,
    backups,
    notifier: deps.notifier,
    download: deps.download,
    downloadTimeoutMs: deps.downloadTimeoutMs,
    clientFor,
  };

  return [
    documents,
    vscode.workspace.registerTextDocumentContentProvider(veleroScheme, documents),
    registerCommand(commandIds.backupsRefresh, () => backups.refresh(), log),
    registerCommand(commandIds.backupCreate, backUpNow, log),
    registerCommand(
      commandIds.scheduleCreate,
      async (arg?: ContextArg, answers?: ScheduleAnswers): Promise<string | undefined> => {
        const contextName = await pickContext(arg, 'Create a backup schedule on which cluster (kubeconfig context)?');
        if (!contextName) return undefined;
        const { client } = await clientFor(contextName, 'create a Velero schedule');
        const signal = new AbortController().signal;
        const veleroNamespace = deps.veleroNamespace();
        const snapshot = await loadVeleroSnapshot(client, veleroNamespace, signal);
        if (snapshot.install.state === 'notInstalled')
          throw new ClusterDeckError('badConfig', `Velero is not installed on "${contextName}" (no velero.io CRDs). Install Velero first.`);
        if (snapshot.install.state === 'degraded')
          throw new ClusterDeckError('badConfig', `Velero on "${contextName}" cannot run backups now: ${snapshot.install.problem}`);
        const namespaces = (await client.listNamespaces({ signal, limit: 500 })).items.map((n) => n.name);
        const body = await (
          await flows()
        ).runScheduleWizard(
          { contextName, veleroNamespace, namespaces, locations: snapshot.storageLocations, nowMs: Date.now() },
          answers ?? {},
        );
        if (!body) return undefined;
        await client.createObject(veleroKinds.schedule, veleroNamespace, body, { signal });
        const name = String((body.metadata as { name: string }).name);
        log.info('velero', `created Schedule ${veleroNamespace}/${name} on ${contextName}`);
        void vscode.window.showInformationMessage(`Schedule "${name}" created on ${contextName}.`);
        backups.refresh(contextName);
        return name;
      },
      log,
    ),
    registerCommand(commandIds.backupRestore, async (node?: BackupNode) => (await flows()).restoreFromBackup(restoreDeps, node), log),
    registerCommand(commandIds.scheduleRestore, async (node?: BackupNode) => (await flows()).restoreFromSchedule(restoreDeps, node), log),
    registerCommand(
      commandIds.backupDelete,
      async (node?: BackupNode): Promise<string | undefined> => {
        if (node?.kind !== 'backup') return undefined;
        const { client, server } = await clientFor(node.contextName, 'delete a Velero backup');
        const signal = new AbortController().signal;
        const obj = await client.getObject(veleroKinds.backup, node.namespace, node.backup.name, { signal });
        const uid = String((obj.metadata as { uid?: string } | undefined)?.uid ?? '');
        const bsl = backups.snapshot(node.contextName)?.storageLocations.find((l) => l.name === (node.backup.storageLocation ?? 'default'));
        const where = bsl?.bucket
          ? `${bsl.provider ?? ''} bucket ${bsl.bucket}${bsl.prefix ? `/${bsl.prefix}` : ''}`.trim()
          : `storage location ${node.backup.storageLocation ?? 'default'}`;
        const snapshots = node.backup.volumeSnapshotsCompleted ?? 0;
        const ok = await confirmDestructive({
          verb: 'delete',
          kind: 'Backup',
          namespace: node.namespace,
          name: node.backup.name,
          contextName: node.contextName,
          server,
          typeToConfirm: node.backup.name,
          consequence: `Velero deletes the backup's data in object storage (${where}) and ${snapshots ? `its ${snapshots} volume snapshot${snapshots === 1 ? '' : 's'}` : 'any volume snapshots'}, then the Backup object: this backup can no longer be restored.`,
        });
        if (!ok) return undefined;
        const request = await requestBackupDeletion(client, node.namespace, { name: node.backup.name, uid }, signal);
        log.info('velero', `requested deletion of Backup ${node.namespace}/${node.backup.name} on ${node.contextName} (${request})`);
        void vscode.window.showInformationMessage(`Velero is deleting backup "${node.backup.name}" and its data (${request}).`);
        // Keep the tree fresh until Velero has removed the Backup (at most a minute).
        const stop = backups.follow(node.contextName);
        void (async () => {
          for (let i = 0; i < 60; i++) {
            await new Promise((r) => setTimeout(r, 1000));
            const gone = await client
              .getObject(veleroKinds.backup, node.namespace, node.backup.name, { signal })
              .then(() => false)
              .catch((e: unknown) => e instanceof ClusterDeckError && e.reason === 'notFound');
            if (gone) return;
          }
        })().finally(() => {
          stop();
          backups.refresh(node.contextName);
        });
        backups.refresh(node.contextName);
        return request;
      },
      log,
    ),
    registerCommand(
      commandIds.backupDescribe,
      async (node?: BackupNode) => {
        if (node?.kind !== 'backup' && node?.kind !== 'restore' && node?.kind !== 'schedule') return undefined;
        const { client } = await clientFor(node.contextName);
        const kind = node.kind === 'backup' ? veleroKinds.backup : node.kind === 'restore' ? veleroKinds.restore : veleroKinds.schedule;
        const name = node.kind === 'backup' ? node.backup.name : node.kind === 'restore' ? node.restore.name : node.schedule.name;
        const obj = await client.getObject(kind, node.namespace, name, { signal: new AbortController().signal });
        // Errors and warnings per item live in the results file in object storage (a DownloadRequest away).
        const status = (obj.status ?? {}) as { errors?: unknown; warnings?: unknown };
        const problems = Number(status.errors ?? 0) + Number(status.warnings ?? 0);
        let results: VeleroResults | undefined;
        let resultsProblem: string | undefined;
        if (node.kind !== 'schedule' && problems > 0) {
          const target = node.kind === 'backup' ? { kind: 'BackupResults' as const, name } : { kind: 'RestoreResults' as const, name };
          try {
            results = await vscode.window.withProgress(
              {
                location: vscode.ProgressLocation.Notification,
                title: `Fetching the errors and warnings of ${name} from Velero…`,
                cancellable: true,
              },
              (_p, token) =>
                loadVeleroResults(client, node.namespace, target, deps.download, {
                  signal: signalOf(token),
                  timeoutMs: deps.downloadTimeoutMs(),
                }),
            );
          } catch (e) {
            if (isCancellation(e)) throw e;
            resultsProblem = e instanceof Error ? e.message : String(e);
          }
        }
        return documents.show(
          node.contextName,
          node.kind,
          name,
          'md',
          describeVeleroObject(obj, node.contextName, results, resultsProblem),
        );
      },
      log,
    ),
    registerCommand(
      commandIds.backupLogs,
      async (node?: BackupNode) => {
        if (node?.kind !== 'backup' && node?.kind !== 'restore') return undefined;
        const { client } = await clientFor(node.contextName);
        const target =
          node.kind === 'backup'
            ? { kind: 'BackupLog' as const, name: node.backup.name }
            : { kind: 'RestoreLog' as const, name: node.restore.name };
        const text = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Fetching the log of ${target.name} from Velero…`, cancellable: true },
          (_p, token) =>
            downloadVeleroFile(client, node.namespace, target, deps.download, {
              signal: signalOf(token),
              timeoutMs: deps.downloadTimeoutMs(),
            }),
        );
        log.info('velero', `fetched ${target.kind} ${target.name} on ${node.contextName} (${text.length} characters)`);
        return documents.show(node.contextName, `${node.kind}-log`, target.name, 'log', text);
      },
      log,
    ),
    ...(['schedulePause', 'scheduleUnpause'] as const).map((id) =>
      registerCommand(
        commandIds[id],
        async (node?: BackupNode) => {
          if (node?.kind !== 'schedule') return;
          const { client } = await clientFor(node.contextName, 'change a Velero schedule');
          const paused = id === 'schedulePause';
          await client.patchObject(
            veleroKinds.schedule,
            node.namespace,
            node.schedule.name,
            { spec: { paused } },
            {
              signal: new AbortController().signal,
            },
          );
          log.info('velero', `${paused ? 'paused' : 'unpaused'} Schedule ${node.namespace}/${node.schedule.name} on ${node.contextName}`);
          backups.refresh(node.contextName);
        },
        log,
      ),
    ),
    registerCommand(
      commandIds.scheduleBackupNow,
      async (node?: BackupNode): Promise<string | undefined> => {
        if (node?.kind !== 'schedule') return undefined;
        const { client } = await clientFor(node.contextName, 'create a Velero backup');
        const body = buildBackupFromSchedule(node.schedule.name, node.schedule.template, node.namespace, Date.now());
        const name = String((body.metadata as { name: string }).name);
        await client.createObject(veleroKinds.backup, node.namespace, body, { signal: new AbortController().signal });
        log.info('velero', `created Backup ${node.namespace}/${name} from Schedule ${node.schedule.name} on ${node.contextName}`);
        backups.refresh(node.contextName);
        void follow(node.contextName, client, node.namespace, name);
        return name;
      },
      log,
    ),
  ];
}

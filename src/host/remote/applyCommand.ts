// Apply the current file (chunk dist/applyCommand.js, loaded by the first Apply; registerRemoteCommands.ts registers
// the command): server-side dry run → diff → confirm → server-side apply, conflicts → the force flow.
import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import type { KubeClient } from '../../core/kube/kubeClient';
import { resolveContext, type MergedKubeconfig, type ResolvedContext } from '../../core/kube/kubeconfig';
import {
  buildApplyDiff,
  describeApplyConflict,
  describeInvalid,
  isUnchanged,
  objectLabel,
  parseApplyDocuments,
  summarizeApply,
  targetNamespace,
  type ApplyPlanItem,
} from '../../core/remote/applyPlan';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import type { Log } from '../shared/log';
import { ensureWritable } from '../shared/readOnly';
import type { ApplyDiffDocuments } from './applyDiffDocuments';

export interface ApplyDeps {
  readonly log: Log;
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
  readonly documents: ApplyDiffDocuments;
  readonly refresh: () => void;
  /**
   * The context an edited copy of a live object came from (explorer/editYaml.ts). Passed in rather than imported:
   * this module is a chunk, and its own copy of editYaml would not know the copies the explorer opened.
   */
  readonly editedCopyContext: (uri: vscode.Uri) => string | undefined;
}

/** What an apply did, for callers (tests, other commands). */
export interface ApplyOutcome {
  readonly applied: number;
  readonly summary?: string;
  readonly errors?: readonly { line: number; message: string }[];
}

interface PlannedObject extends ApplyPlanItem {
  readonly resource: NonNullable<Awaited<ReturnType<KubeClient['resolveKind']>>>;
  force: boolean;
}

async function pickContext(config: MergedKubeconfig, fileName: string): Promise<string | undefined> {
  const items = config.contexts.map((c) => ({
    label: c.name,
    description: [c.name === config.currentContext ? 'current' : '', c.namespace ? `namespace ${c.namespace}` : '']
      .filter(Boolean)
      .join(' · '),
    detail: config.clusters.get(c.clusterName)?.server,
  }));
  if (items.length === 0) throw new ClusterDeckError('badConfig', 'No Kubernetes context to apply to: add a kubeconfig first.');
  const pick = vscode.window.createQuickPick<(typeof items)[number]>();
  pick.title = `Apply ${fileName} to which context?`;
  pick.placeholder = 'A server-side dry run and a diff come first; nothing changes before you confirm.';
  pick.items = items;
  const current = items.find((i) => i.label === config.currentContext);
  if (current) pick.activeItems = [current];
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.label ?? pick.activeItems[0]?.label);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

function statusCauses(e: unknown): { field?: string; message?: string; reason?: string }[] {
  return e instanceof ClusterDeckError ? [...(e.detail.causes ?? [])] : [];
}

/**
 * A conflict with other field managers: says which fields and whose, offers force after a second confirmation.
 * Resolves true when the user chose to apply with force.
 */
async function askForce(e: ClusterDeckError, item: PlannedObject, resolved: ResolvedContext): Promise<boolean> {
  const o = item.object;
  const label = objectLabel({ kind: o.kind, name: o.name, ...(item.namespace ? { namespace: item.namespace } : {}) });
  const { managers, lines } = describeApplyConflict(statusCauses(e));
  const who = managers.length ? managers.map((m) => `"${m}"`).join(', ') : 'another field manager';
  const choice = await vscode.window.showWarningMessage(
    `${label} (line ${o.line}): fields are owned by ${who}.`,
    {
      modal: true,
      detail: `${lines.join('\n') || e.message}\n\nApplying with force makes ClusterDeck the owner of these fields; ${who} may change them back.`,
    },
    'Apply with Force…',
  );
  if (choice !== 'Apply with Force…') return false;
  const sure = await vscode.window.showWarningMessage(
    `Take over ${lines.length || 'the'} field${lines.length === 1 ? '' : 's'} of ${label} from ${who} with force?`,
    { modal: true, detail: `Context: ${resolved.context.name}\nServer: ${resolved.cluster.server}` },
    'Force',
  );
  return sure === 'Force';
}

function invalidError(e: ClusterDeckError, item: PlannedObject, contextName: string): ClusterDeckError {
  const o = item.object;
  const fields = describeInvalid(statusCauses(e));
  const label = objectLabel({ kind: o.kind, name: o.name, ...(item.namespace ? { namespace: item.namespace } : {}) });
  return new ClusterDeckError(
    'invalid',
    `Nothing was applied: ${label} (line ${o.line}) is invalid on "${contextName}": ${fields.length ? fields.join('; ') : e.message}`,
    e.detail,
  );
}

/** Apply the current file: parse, choose a context, dry run, diff, confirm, server-side apply. */
export async function applyCurrentFile(deps: ApplyDeps, uri?: vscode.Uri, preset?: { contextName?: string }): Promise<ApplyOutcome> {
  const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) throw new ClusterDeckError('badConfig', 'Open a YAML file to apply it to a cluster.');
  const fileName = document.uri.path.split('/').pop() ?? document.uri.toString();
  const parsed = parseApplyDocuments(document.getText());
  if (parsed.errors.length > 0) {
    const list = parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ');
    deps.log.warn('explorer', `apply ${fileName}: ${parsed.errors.length} invalid document(s), nothing sent`);
    void vscode.window.showErrorMessage(`Nothing was applied: ${fileName} has ${parsed.errors.length} invalid document(s): ${list}`);
    return { applied: 0, errors: parsed.errors };
  }
  if (parsed.objects.length === 0) {
    void vscode.window.showInformationMessage(`${fileName} holds no Kubernetes object to apply.`);
    return { applied: 0 };
  }
  const config = await deps.loadConfig();
  // An editable copy (Edit and Apply) goes back to its own context; the confirmation names it and its server.
  const contextName = preset?.contextName ?? deps.editedCopyContext(document.uri) ?? (await pickContext(config, fileName));
  if (!contextName) return { applied: 0 };
  const resolved = resolveContext(config, contextName);
  ensureWritable(contextName, `apply ${fileName}`);
  const client = await deps.factory.createClient(resolved);
  const server = resolved.cluster.server;

  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Dry run of ${fileName} on "${contextName}"`, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        const items: PlannedObject[] = [];
        for (const o of parsed.objects) {
          const signal = controller.signal;
          const resource = await client.resolveKind(o.apiVersion, o.kind, { signal });
          if (!resource)
            throw new ClusterDeckError(
              'notFound',
              `Nothing was applied: "${contextName}" does not serve ${o.kind} in ${o.apiVersion} (line ${o.line}).`,
            );
          const namespace = targetNamespace(resource.namespaced, o.namespace, resolved.context.namespace);
          const body = structuredClone(o.body);
          const metadata = body.metadata as Record<string, unknown>;
          if (namespace) metadata.namespace = namespace;
          else delete metadata.namespace;
          const live = await client.getObject(resource, namespace, o.name, { signal }).catch((e: unknown) => {
            if (e instanceof ClusterDeckError && e.reason === 'notFound') return undefined;
            throw e;
          });
          items.push({
            object: { ...o, body },
            resource,
            force: false,
            ...(namespace ? { namespace } : {}),
            ...(live ? { live } : {}),
            result: {},
          });
        }
        return items;
      } finally {
        sub.dispose();
      }
    },
  );

  // The dry run, object by object; a conflict asks about force, a 422 stops everything.
  const results: PlannedObject[] = [];
  for (const item of plan) {
    const dryRun = async (force: boolean) =>
      client.applyObject(item.resource, item.namespace, item.object.name, item.object.body, {
        signal: new AbortController().signal,
        dryRun: true,
        force,
      });
    let result: Record<string, unknown>;
    try {
      result = await dryRun(false);
    } catch (e) {
      if (e instanceof ClusterDeckError && e.reason === 'invalid') throw invalidError(e, item, contextName);
      if (!(e instanceof ClusterDeckError && e.reason === 'conflict')) throw e;
      if (!(await askForce(e, item, resolved))) return { applied: 0 };
      item.force = true;
      result = await dryRun(true);
    }
    results.push({ ...item, result });
  }

  const diff = buildApplyDiff(results);
  const uris = deps.documents.put(contextName, diff.live, diff.result);
  await vscode.commands.executeCommand('vscode.diff', uris.live, uris.result, `Apply ${fileName} → ${contextName} (live ↔ dry run)`, {
    preview: true,
  });
  const summary = summarizeApply(results);
  const n = results.length;
  const lines = results.map(
    (r) =>
      `• ${objectLabel({ kind: r.object.kind, name: r.object.name, ...(r.namespace ? { namespace: r.namespace } : {}) })} (${
        !r.live ? 'created' : isUnchanged(r) ? 'unchanged' : 'changed'
      }${r.force ? ', with force' : ''})`,
  );
  const ok = await vscode.window.showWarningMessage(
    `Apply ${n} object${n === 1 ? '' : 's'} to context "${contextName}"?`,
    {
      modal: true,
      detail: `Server: ${server}\n${summary}\n\n${lines.join('\n')}\n\nServer-side apply with field manager "clusterdeck". The diff shows the dry run.`,
    },
    'Apply',
  );
  if (ok !== 'Apply') return { applied: 0, summary };

  let applied = 0;
  for (const item of results) {
    const apply = (force: boolean) =>
      client.applyObject(item.resource, item.namespace, item.object.name, item.object.body, {
        signal: new AbortController().signal,
        force,
      });
    try {
      await apply(item.force);
    } catch (e) {
      if (e instanceof ClusterDeckError && e.reason === 'invalid') throw invalidError(e, item, contextName);
      // Someone took a field between the dry run and now.
      if (!(e instanceof ClusterDeckError && e.reason === 'conflict') || !(await askForce(e, item, resolved))) {
        deps.refresh();
        throw applied > 0 && e instanceof ClusterDeckError
          ? new ClusterDeckError(e.reason, `${applied} of ${n} objects were applied, then: ${e.message}`, e.detail)
          : e;
      }
      await apply(true);
    }
    applied++;
  }
  deps.log.info('explorer', `applied ${fileName} to ${contextName} (${summary})`);
  deps.refresh();
  void vscode.window.showInformationMessage(`Applied ${fileName} to "${contextName}": ${summary}.`);
  return { applied, summary };
}

// The tuning commands' work (chunk dist/tuningActions.js, loaded by the first Right-size or Create HPA; the commands
// are registered by rightSizeCommand.ts and createHpa.ts, which load none of this): the Right-size run and its
// report's "Apply…", and the Create HPA flow, over the recommendation engine in core/tuning.
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { CancelledError, ClusterDeckError, isCancellation } from '../../core/errors';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import type { KubeClient } from '../../core/kube/kubeClient';
import { resolveContext } from '../../core/kube/kubeconfig';
import { suggestHpaFor } from '../../core/tuning/createHpaSuggestion';
import {
  cpuUtilizationRefusal,
  validateHpaValues,
  validateReplicas,
  validateTargetPercent,
  type HpaWizardValues,
} from '../../core/tuning/manifestEdits';
import { buildHpaManifest } from '../../core/tuning/recommendHpa';
import { krrDefaults, strategyNeeds } from '../../core/tuning/recommendRequests';
import { recommendNamespaces } from '../../core/tuning/recommendWorkloads';
import { buildReportModel, leftoverRemovals, mergeRecommendation, type ReportRow } from '../../core/tuning/reportModel';
import { parseTuningSettings, type TuningSettings } from '../../core/tuning/tuningSettings';
import { commandIds } from '../commandIds';
import type { CreateHpaDeps, CreateHpaOutcome, HpaAnswers } from './createHpa';
import { showReportPanel } from './reportPanel';
import type { MergedDocuments, TuningDeps } from './rightSizeCommand';
import { configuredUrl, findContextMetrics, pickContext, type FoundMetrics } from './tuningContext';

const workloadPlurals = new Set(['deployments', 'statefulsets', 'daemonsets']);
const kindOfPlural: Record<string, 'Deployment' | 'StatefulSet' | 'DaemonSet'> = {
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
};

/** `clusterdeck.tuning.strategy`, `.historyDays` and `.prices` (prices only when both are set). */
export function tuningSettings(): TuningSettings {
  const c = vscode.workspace.getConfiguration('clusterdeck.tuning');
  return parseTuningSettings({ strategy: c.get('strategy'), historyDays: c.get('historyDays'), prices: c.get('prices') });
}

async function pickNamespace(kube: KubeClient, fallback: string): Promise<string | undefined> {
  const kind = await kube.resolveKind('v1', 'Namespace', { signal: new AbortController().signal }).catch(() => undefined);
  let names: string[] = [];
  if (kind) {
    try {
      const page = await kube.listObjects(kind, undefined, { signal: AbortSignal.timeout(15_000), limit: 500 });
      names = page.items.map((n) => String((n.metadata as { name?: string } | undefined)?.name ?? '')).filter(Boolean);
    } catch {
      /* forbidden or unreachable: type it */
    }
  }
  if (names.length === 0)
    return (await vscode.window.showInputBox({ title: 'Right-size: which namespace?', value: fallback })) || undefined;
  names.sort((a, b) => Number(b === fallback) - Number(a === fallback) || a.localeCompare(b));
  return vscode.window.showQuickPick(names, { title: 'Right-size: which namespace?' });
}

/** Runs the right-sizing for a namespace or workload node (or asks) and opens the report; returns the row count. */
export async function rightSize(deps: TuningDeps, merged: MergedDocuments, node?: ClusterNode): Promise<number | undefined> {
  const config = await deps.loadConfig();
  let contextName: string | undefined;
  let namespace: string | undefined;
  let workload: { kind: string; name: string } | undefined;
  if (node?.kind === 'namespace') {
    contextName = node.contextName;
    namespace = node.name;
  } else if (node?.kind === 'resource' && workloadPlurals.has(node.resource.plural) && node.namespace) {
    contextName = node.contextName;
    namespace = node.namespace;
    workload = { kind: kindOfPlural[node.resource.plural] ?? node.resource.kind, name: node.name };
  }
  if (!contextName) contextName = await pickContext(config);
  if (!contextName) return undefined;
  const resolved = resolveContext(config, contextName);
  const kube = await deps.factory.createClient(resolved);
  if (!namespace) namespace = await pickNamespace(kube, resolved.context.namespace ?? 'default');
  if (!namespace) return undefined;
  const scope = workload ? `${workload.kind} ${namespace}/${workload.name}` : `namespace ${namespace}`;
  const { strategy, windowSeconds, prices } = tuningSettings();
  const stepSeconds = krrDefaults.stepSeconds;
  const url = configuredUrl(contextName);
  const ns = namespace;
  const ctx = contextName;

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Right-size ${scope} on "${contextName}"`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        progress.report({ message: url ? 'connecting to the configured Prometheus…' : 'looking for Prometheus…' });
        const found = await findContextMetrics(deps, ctx, kube, controller.signal);
        if ('missing' in found) return found;
        progress.report({ message: `querying ${found.source.description}…` });
        let recs = await recommendNamespaces(kube, found.source, [ns], {
          strategy,
          windowSeconds,
          ...(prices ? { prices } : {}),
          stepSeconds,
          signal: controller.signal,
        });
        if (workload) recs = recs.filter((r) => r.kind === workload.kind && r.name === workload.name);
        progress.report({ message: 'reading usage series for the charts…' });
        const needs = strategyNeeds(strategy);
        const series = found.source.series
          ? await found.source.series(
              {
                namespace: ns,
                windowSeconds,
                stepSeconds,
                cpuPercentiles: needs.cpuPercentiles,
                memoryPercentiles: needs.memoryPercentiles,
              },
              { signal: controller.signal },
            )
          : undefined;
        return { source: found.source, recs, series };
      } catch (e) {
        if (controller.signal.aborted) throw new CancelledError();
        throw e;
      } finally {
        sub.dispose();
      }
    },
  );
  if ('missing' in result) {
    deps.log.warn('command', `right-size ${scope} on ${contextName}: ${result.missing}`);
    const choice = await vscode.window.showWarningMessage(
      `No metrics for right-sizing on "${contextName}".`,
      { modal: true, detail: result.missing },
      'Open Settings',
    );
    if (choice === 'Open Settings')
      await vscode.commands.executeCommand('workbench.action.openSettings', 'clusterdeck.tuning.prometheusUrl');
    return undefined;
  }
  deps.log.info('command', `right-size ${scope} on ${contextName}: ${result.recs.length} container(s) from ${result.source.description}`);
  deps.recommendations?.set(contextName, {
    recommendations: result.recs,
    historyDays: Math.round(windowSeconds / 86400),
    ...(resolved.context.namespace ? { defaultNamespace: resolved.context.namespace } : {}),
  });
  const model = buildReportModel({
    title: `Right-size ${scope}`,
    contextName,
    source: result.source.description,
    windowSeconds,
    recommendations: result.recs,
    series: result.series,
  });
  if (model.rows.length === 0)
    void vscode.window.showInformationMessage(`No Deployment, StatefulSet or DaemonSet to right-size in ${scope} on "${contextName}".`);
  showReportPanel(
    deps.extensionUri,
    model,
    (row) => applyRow(deps, merged, kube, ctx, row),
    (what) => deps.log.warn('command', `right-size report: ignored an invalid message (${what})`),
  );
  return model.rows.length;
}

/** Reads the live workload, merges the row's recommendation and opens the Explorer's apply (dry run, diff, confirm). */
async function applyRow(
  deps: TuningDeps,
  documents: MergedDocuments,
  kube: KubeClient,
  contextName: string,
  row: ReportRow,
): Promise<void> {
  try {
    const signal = AbortSignal.timeout(30_000);
    const kind = await kube.resolveKind('apps/v1', row.kind, { signal });
    if (!kind) throw new ClusterDeckError('notFound', `"${contextName}" does not serve ${row.kind} in apps/v1; nothing was applied.`);
    const live = await kube.getObject(kind, row.namespace, row.name, { signal });
    let merged: Record<string, unknown>;
    try {
      merged = mergeRecommendation(live, row);
    } catch {
      throw new ClusterDeckError(
        'notFound',
        `${row.kind} ${row.namespace}/${row.name} has no container "${row.container}" any more; refresh the report.`,
      );
    }
    const uri = documents.put(
      row,
      `# Right-size ${row.kind} ${row.namespace}/${row.name}, container ${row.container} (context ${contextName})\n${stringify(merged)}`,
    );
    const outcome = await vscode.commands.executeCommand<{ applied?: number } | undefined>(commandIds.resourceApply, uri, { contextName });
    if ((outcome?.applied ?? 0) === 0) return;
    // Server-side apply leaves a field another manager owns in place: unset values may still be there.
    const after = await kube.getObject(kind, row.namespace, row.name, { signal: AbortSignal.timeout(30_000) });
    const leftover = leftoverRemovals(after, row);
    if (leftover.fields.length === 0) return;
    const choice = await vscode.window.showWarningMessage(
      `${row.kind} ${row.namespace}/${row.name}, container ${row.container}: server-side apply kept ${leftover.fields.join(', ')}.`,
      {
        modal: true,
        detail: `The recommendation unsets ${leftover.fields.length === 1 ? 'it' : 'them'}, but another field manager (kubectl, Helm, the object's creator) owns ${leftover.fields.length === 1 ? 'it' : 'them'}, and server-side apply only drops ClusterDeck's own fields. Remove ${leftover.fields.length === 1 ? 'it' : 'them'} with a JSON patch on "${contextName}"? (If a manifest or chart sets ${leftover.fields.length === 1 ? 'it' : 'them'}, change it there too, or the next deploy brings ${leftover.fields.length === 1 ? 'it' : 'them'} back.)`,
      },
      'Remove',
    );
    if (choice !== 'Remove') return;
    await kube.patchObject(kind, row.namespace, row.name, leftover.patch, { signal: AbortSignal.timeout(30_000), patchType: 'json' });
    deps.log.info(
      'command',
      `right-size: removed ${leftover.fields.join(', ')} of ${row.namespace}/${row.name}/${row.container} on ${contextName}`,
    );
    void vscode.window.showInformationMessage(`Removed ${leftover.fields.join(', ')} from ${row.kind} ${row.namespace}/${row.name}.`);
  } catch (e) {
    if (e instanceof ClusterDeckError) {
      deps.log.warn('command', `right-size apply: ${e.reason}: ${e.message}`);
      void vscode.window.showErrorMessage(e.message);
      return;
    }
    throw e;
  }
}

/** Runs the flow; resolves with the untitled document (undefined when cancelled). */
export async function createHpa(
  deps: CreateHpaDeps,
  node: ClusterNode | undefined,
  answers: HpaAnswers = {},
): Promise<CreateHpaOutcome | undefined> {
  if (node?.kind !== 'resource' || node.resource.plural !== 'deployments' || !node.namespace)
    throw new ClusterDeckError('invalid', 'Create HPA works on a Deployment: right-click one in the Clusters view.');
  const namespace = node.namespace;
  const controller = new AbortController();
  const client = await deps.factory.createClient(resolveContext(await deps.loadConfig(), node.contextName));
  const deployment = await client.getObject(node.resource, namespace, node.name, { signal: controller.signal });
  const refusal = cpuUtilizationRefusal(deployment);
  if (refusal) {
    void vscode.window.showWarningMessage(`Cannot create a CPU HPA for ${namespace}/${node.name}: ${refusal}`);
    return undefined;
  }
  const start = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Create HPA for ${namespace}/${node.name}: reading usage history…`,
      cancellable: true,
    },
    async (_progress, token) => {
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        let found: FoundMetrics = { missing: 'no metrics source is configured.' };
        try {
          if (deps.findMetrics) found = await deps.findMetrics(node.contextName, client, controller.signal);
        } catch (e) {
          // A Prometheus that cannot be reached only costs the history: the wizard goes on with starting values.
          if (isCancellation(e) || controller.signal.aborted || !(e instanceof ClusterDeckError)) throw e;
          found = { missing: e.message };
        }
        return await suggestHpaFor(deployment, found, { signal: controller.signal, windowSeconds: tuningSettings().windowSeconds });
      } finally {
        sub.dispose();
      }
    },
  );
  const values = start.values;
  const basis = start.basis;
  const prompt = deps.ask ?? ((o: vscode.InputBoxOptions) => vscode.window.showInputBox(o));
  const given = [answers.minReplicas, answers.maxReplicas, answers.targetPercent];
  let step = 0;
  const ask = (o: vscode.InputBoxOptions): Thenable<string | undefined> => {
    const answer = given[step++];
    return answer !== undefined ? Promise.resolve(answer) : prompt(o);
  };
  const title = (step: number) => `Create HPA for ${namespace}/${node.name} (${step}/3)`;
  const min = await ask({
    title: title(1),
    prompt: `Minimum replicas (${basis})`,
    value: String(values.minReplicas),
    validateInput: (v) => validateReplicas(v, 'min', values.maxReplicas),
  });
  if (min === undefined) return undefined;
  const minReplicas = Number(min.trim());
  const max = await ask({
    title: title(2),
    prompt: 'Maximum replicas',
    value: String(Math.max(values.maxReplicas, minReplicas)),
    validateInput: (v) => validateReplicas(v, 'max', minReplicas),
  });
  if (max === undefined) return undefined;
  const target = await ask({
    title: title(3),
    prompt: 'Target CPU utilization of the requests, in %',
    value: String(values.targetUtilizationPercent),
    validateInput: validateTargetPercent,
  });
  if (target === undefined) return undefined;
  const chosen: HpaWizardValues = {
    minReplicas,
    maxReplicas: Number(max.trim()),
    targetUtilizationPercent: Number(target.trim().replace(/%$/, '')),
  };
  const invalid = validateHpaValues(chosen);
  if (invalid) throw new ClusterDeckError('invalid', `${invalid} Run Create HPA again with other values.`);
  const manifest = buildHpaManifest({
    namespace,
    name: node.name,
    targetKind: 'Deployment',
    targetName: node.name,
    resource: 'cpu',
    ...chosen,
  });
  const header = `# HPA for Deployment ${namespace}/${node.name} (context ${node.contextName}).\n# ${basis.replace(/\n/g, ' ')}\n`;
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: `${header}${stringify(manifest)}` });
  await vscode.window.showTextDocument(doc);
  const then =
    answers.then ??
    (given.some((a) => a !== undefined)
      ? 'open'
      : (
          await vscode.window.showQuickPick(
            [
              { label: 'Keep as a new file', description: 'save it with your manifests', then: 'open' as const },
              { label: `Apply to "${node.contextName}"…`, description: 'server-side dry run and diff first', then: 'apply' as const },
            ],
            { title: `Create HPA for ${namespace}/${node.name}` },
          )
        )?.then);
  if (then !== 'apply') return { document: doc, basis, fromHistory: start.fromHistory };
  const outcome = await vscode.commands.executeCommand<{ applied?: number } | undefined>(commandIds.resourceApply, doc.uri, {
    contextName: node.contextName,
  });
  return { document: doc, basis, fromHistory: start.fromHistory, applied: (outcome?.applied ?? 0) > 0 };
}

// "Right-size…": finds the metrics of a context (the configured Prometheus URL with its token from SecretStorage,
// else discovery through the API server's service proxy), runs the pure recommendations with cancellable progress
// and opens the report. "Apply…" in the report merges the recommendation into the live object and hands it to the
// Explorer's apply path (server-side dry run → diff → modal → server-side apply).
import * as vscode from 'vscode';
import { CancelledError, ClusterDeckError } from '../../core/errors';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { MetricsSource } from '../../core/tuning/metricsSource';
import { buildReportModel, leftoverRemovals, mergeRecommendation, type ReportRow } from '../../core/tuning/reportModel';
import { krrDefaults, strategyNeeds, type ContainerRecommendation } from '../../core/tuning/recommendRequests';
import { recommendNamespaces } from '../../core/tuning/recommendWorkloads';
import { stringify } from 'yaml';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import { showReportPanel } from './reportPanel';
import { parseTuningSettings, type TuningSettings } from '../../core/tuning/tuningSettings';

/** What finding metrics gave: a source, or what is missing and how to install it. */
export type FoundMetrics = { readonly source: MetricsSource } | { readonly missing: string };

/** One of several Prometheus instances discovery found (B82): offered as a choice, never taken silently. */
export interface MetricsChoice {
  /** `namespace/service:port`: also the key of the remembered choice. */
  readonly label: string;
  /** Which install creates it. */
  readonly detail: string;
  readonly source: MetricsSource;
}

/** What node/ found: one source, several to choose from, or what is missing. */
export type DiscoveredMetrics = FoundMetrics | { readonly choices: readonly MetricsChoice[] };

export interface TuningDeps {
  readonly log: Log;
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
  readonly extensionUri: vscode.Uri;
  /** Where the Prometheus bearer tokens live (SecretStorage through OwnedSecrets: "Forget Credentials" removes them). */
  readonly secrets: {
    get(key: string): Thenable<string | undefined>;
    store(key: string, value: string): Thenable<void>;
    delete(key: string): Thenable<void>;
    /** The keys stored (names only; OwnedSecrets keeps them): a key listed whose value is gone was cleared. */
    keys?(): readonly string[];
  };
  /** The editor's store of recommendations (diagnostics and quick fixes on matching manifests). */
  readonly recommendations?: {
    set(
      contextName: string,
      set: {
        readonly recommendations: readonly ContainerRecommendation[];
        readonly historyDays?: number;
        readonly defaultNamespace?: string;
      },
    ): void;
  };
  /** node/: the configured URL (with its bearer token) or discovery through the service proxy. */
  readonly findMetrics: (
    kube: KubeClient,
    configured: { readonly url: string; readonly bearerToken?: string } | undefined,
    signal: AbortSignal,
  ) => Promise<DiscoveredMetrics>;
}

const workloadPlurals = new Set(['deployments', 'statefulsets', 'daemonsets']);
const kindOfPlural: Record<string, 'Deployment' | 'StatefulSet' | 'DaemonSet'> = {
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
};

/** The SecretStorage key of a context's Prometheus bearer token. */
export const tokenKey = (contextName: string): string => `clusterdeck.tuning.prometheusToken/${contextName}`;

/** The user's (machine-scoped) `clusterdeck.tuning.prometheusUrl` entry for the context; a workspace's value never counts. */
function configuredUrl(contextName: string): string | undefined {
  const map = vscode.workspace.getConfiguration('clusterdeck').inspect<Record<string, string>>('tuning.prometheusUrl')?.globalValue;
  const url = map && typeof map === 'object' ? map[contextName] : undefined;
  return typeof url === 'string' && url.trim() ? url.trim() : undefined;
}

/**
 * The metrics of a context as Right-size finds them: the user's configured URL (with its token from SecretStorage),
 * else discovery through the API server's service proxy. Also used by "Create HPA…".
 */
export async function findContextMetrics(
  deps: Pick<TuningDeps, 'secrets' | 'findMetrics'>,
  contextName: string,
  kube: KubeClient,
  signal: AbortSignal,
): Promise<FoundMetrics> {
  const url = configuredUrl(contextName);
  const bearerToken = url ? await prometheusToken(deps, contextName) : undefined;
  const found = await deps.findMetrics(kube, url ? { url, ...(bearerToken ? { bearerToken } : {}) } : undefined, signal);
  return 'choices' in found ? chooseMetrics(contextName, found.choices) : found;
}

/**
 * Bearer tokens kept in memory only, for this session (B33): when the editor's SecretStorage cannot be used (Linux
 * without a keyring), a token the user gives is used until the window closes and is never written anywhere else.
 */
const sessionTokens = new Map<string, string>();

/** Forgets the tokens kept for this session (Forget Credentials). */
export function forgetSessionTokens(): void {
  sessionTokens.clear();
}

const describeFailure = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]?.slice(0, 160) ?? '';

async function askToken(contextName: string, why: string): Promise<string | undefined> {
  const token = await vscode.window.showInputBox({
    title: `Prometheus bearer token for "${contextName}"`,
    prompt: why,
    password: true,
    ignoreFocusOut: true,
  });
  return token?.trim() || undefined;
}

/**
 * The context's Prometheus bearer token (catalogue B33): from SecretStorage; when the store was cleared (its key is
 * still listed but the value is gone) the user is asked again and the answer stored again; when SecretStorage fails,
 * the user is asked once and the token kept for this session only, never in settings, globalState or a file.
 * Undefined when there is none and the user gives none.
 */
export async function prometheusToken(deps: Pick<TuningDeps, 'secrets'>, contextName: string): Promise<string | undefined> {
  const key = tokenKey(contextName);
  const session = sessionTokens.get(key);
  if (session) return session;
  let stored: string | undefined;
  try {
    stored = await deps.secrets.get(key);
  } catch (e) {
    const token = await askToken(
      contextName,
      `The editor's secret storage is not available (${describeFailure(e)}): the token is used for this session only and is not saved.`,
    );
    if (token) sessionTokens.set(key, token);
    return token;
  }
  if (stored) return stored;
  if (!deps.secrets.keys?.().includes(key)) return undefined;
  // It was stored once and is gone now: a wiped keyring or a refreshed web session. Ask again rather than fail
  // later with Prometheus' 401.
  const token = await askToken(contextName, 'The stored token is gone (the secret storage was cleared); enter it again to keep using it.');
  if (!token) return undefined;
  await saveToken(deps, contextName, token);
  return token;
}

/** Stores a token in SecretStorage; when that fails, keeps it for this session only and says so. Returns where. */
export async function saveToken(deps: Pick<TuningDeps, 'secrets'>, contextName: string, token: string): Promise<'stored' | 'session'> {
  const key = tokenKey(contextName);
  try {
    await deps.secrets.store(key, token);
    sessionTokens.delete(key);
    return 'stored';
  } catch (e) {
    sessionTokens.set(key, token);
    void vscode.window.showWarningMessage(
      `The editor's secret storage is not available (${describeFailure(e)}), so the Prometheus token for "${contextName}" is used for this session only and not saved.`,
    );
    return 'session';
  }
}

/** The Prometheus chosen per context in this session (label), so the question is asked once. */
const chosenPrometheus = new Map<string, string>();

/**
 * Several Prometheus instances answered: a QuickPick names each (namespace/service:port and the install), the
 * last choice for the context first; the choice is remembered for the session. Dismissing it cancels the run.
 */
export async function chooseMetrics(contextName: string, choices: readonly MetricsChoice[]): Promise<FoundMetrics> {
  const only = choices.length === 1 ? choices[0] : undefined;
  if (only) return { source: only.source };
  const remembered = choices.find((c) => c.label === chosenPrometheus.get(contextName));
  if (remembered) return { source: remembered.source };
  const items = choices.map((c) => ({ label: c.label, description: c.detail, choice: c }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Several Prometheus instances answer on "${contextName}": which one has the usage history?`,
    placeHolder: 'To skip this question, set clusterdeck.tuning.prometheusUrl for this context',
    ignoreFocusOut: true,
  });
  if (!picked) throw new CancelledError();
  chosenPrometheus.set(contextName, picked.choice.label);
  return { source: picked.choice.source };
}

/** `clusterdeck.tuning.strategy`, `.historyDays` and `.prices` (prices only when both are set). */
export function tuningSettings(): TuningSettings {
  const c = vscode.workspace.getConfiguration('clusterdeck.tuning');
  return parseTuningSettings({ strategy: c.get('strategy'), historyDays: c.get('historyDays'), prices: c.get('prices') });
}

async function pickContext(config: MergedKubeconfig): Promise<string | undefined> {
  const items = config.contexts.map((c) => ({ label: c.name, description: c.name === config.currentContext ? 'current' : '' }));
  if (items.length === 0) throw new ClusterDeckError('badConfig', 'No Kubernetes context to right-size: add a kubeconfig first.');
  return (await vscode.window.showQuickPick(items, { title: 'Right-size: which context?' }))?.label;
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

export const rightSizeScheme = 'clusterdeck-rightsize';

/** Read-only documents of the merged objects "Apply…" hands to the apply command (the last few are kept). */
class MergedDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private run = 0;
  put(row: ReportRow, text: string): vscode.Uri {
    const id = ++this.run;
    const uri = vscode.Uri.from({ scheme: rightSizeScheme, path: `/${id}/${row.kind} ${row.namespace}-${row.name} right-size.yaml` });
    for (const key of [...this.contents.keys()]) if (Number(key.split('/')[1]) < id - 5) this.contents.delete(key);
    this.contents.set(uri.path, text);
    return uri;
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '# This right-size preview is no longer available.\n';
  }
}

export function registerTuningCommands(deps: TuningDeps): vscode.Disposable[] {
  const { log } = deps;
  const merged = new MergedDocuments();
  return [
    vscode.workspace.registerTextDocumentContentProvider(rightSizeScheme, merged),
    registerCommand(
      commandIds.tuningSetPrometheusToken,
      async (contextArg?: string) => {
        const config = await deps.loadConfig();
        const contextName = typeof contextArg === 'string' ? contextArg : await pickContext(config);
        if (!contextName) return;
        const token = await vscode.window.showInputBox({
          title: `Prometheus bearer token for "${contextName}"`,
          prompt: "Kept in the editor's secret storage, sent only over https (or to localhost). Leave empty to remove it.",
          password: true,
          ignoreFocusOut: true,
        });
        if (token === undefined) return;
        if (token.trim()) {
          const where = await saveToken(deps, contextName, token.trim());
          log.info('command', `Prometheus token for ${contextName} ${where === 'stored' ? 'stored' : 'kept for this session only'}`);
          return;
        }
        sessionTokens.delete(tokenKey(contextName));
        try {
          await deps.secrets.delete(tokenKey(contextName));
        } catch (e) {
          // The session copy is gone; a copy stored before the store failed stays until it works again: say so.
          log.warn('command', `Prometheus token for ${contextName}: secret storage not available (${describeFailure(e)})`);
          void vscode.window.showWarningMessage(
            `The Prometheus token for "${contextName}" is no longer used in this session, but the editor's secret storage is not available (${describeFailure(e)}): run Forget Credentials once it works to remove a stored copy.`,
          );
        }
        log.info('command', `Prometheus token for ${contextName} removed`);
      },
      log,
    ),
    registerCommand(commandIds.tuningRightSize, async (node?: ClusterNode) => rightSize(deps, merged, node), log),
  ];
}

/** Runs the right-sizing for a namespace or workload node (or asks) and opens the report; returns the row count. */
async function rightSize(deps: TuningDeps, merged: MergedDocuments, node?: ClusterNode): Promise<number | undefined> {
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

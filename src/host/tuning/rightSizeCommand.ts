// "Right-size…": finds the metrics of a context (the configured Prometheus URL with its token from SecretStorage,
// else discovery through the API server's service proxy), runs the pure recommendations with cancellable progress
// and opens the report. "Apply…" in the report merges the recommendation into the live object and hands it to the
// Explorer's apply path (server-side dry run → diff → modal → server-side apply). This module only registers; the
// run is in tuningActions.ts (its own chunk).
import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import type { MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { ReportRow } from '../../core/tuning/reportModel';
import type { ContainerRecommendation } from '../../core/tuning/recommendRequests';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import type { MetricsSource } from '../../core/tuning/metricsSource';
import { describeFailure, dropSessionToken, pickContext, saveToken, tokenKey, type FoundMetrics } from './tuningContext';

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

export const rightSizeScheme = 'clusterdeck-rightsize';

/** Read-only documents of the merged objects "Apply…" hands to the apply command (the last few are kept). */
export class MergedDocuments implements vscode.TextDocumentContentProvider {
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

/**
 * Right-size's and Create HPA's work with the recommendation engine (chunk dist/tuningActions.js), loaded by the first
 * run of either; registering the commands loads nothing. The build keeps this a runtime require.
 */
export const tuningActions = () => import('./tuningActions');

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
        dropSessionToken(contextName);
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
    registerCommand(commandIds.tuningRightSize, async (node?: ClusterNode) => (await tuningActions()).rightSize(deps, merged, node), log),
  ];
}

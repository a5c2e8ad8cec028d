// The context a tuning command works on: which one (asked when not given) and its metrics: the user's configured
// Prometheus URL with its bearer token from SecretStorage, else discovery through the API server's service proxy.
// Shared by the registrations (rightSizeCommand.ts, createHpa.ts) and the tuningActions chunk; small on purpose.
import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import type { KubeClient } from '../../core/kube/kubeClient';
import type { MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { MetricsSource } from '../../core/tuning/metricsSource';
import type { TuningDeps } from './rightSizeCommand';

/** What finding metrics gave: a source, or what is missing and how to install it. */
export type FoundMetrics = { readonly source: MetricsSource } | { readonly missing: string };

/** The SecretStorage key of a context's Prometheus bearer token. */
export const tokenKey = (contextName: string): string => `clusterdeck.tuning.prometheusToken/${contextName}`;

/** The user's (machine-scoped) `clusterdeck.tuning.prometheusUrl` entry for the context; a workspace's value never counts. */
export function configuredUrl(contextName: string): string | undefined {
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
  const bearerToken = url ? await deps.secrets.get(tokenKey(contextName)) : undefined;
  return deps.findMetrics(kube, url ? { url, ...(bearerToken ? { bearerToken } : {}) } : undefined, signal);
}

/** The context to work on, asked in a QuickPick (undefined when dismissed). */
export async function pickContext(config: MergedKubeconfig): Promise<string | undefined> {
  const items = config.contexts.map((c) => ({ label: c.name, description: c.name === config.currentContext ? 'current' : '' }));
  if (items.length === 0) throw new ClusterDeckError('badConfig', 'No Kubernetes context to right-size: add a kubeconfig first.');
  return (await vscode.window.showQuickPick(items, { title: 'Right-size: which context?' }))?.label;
}

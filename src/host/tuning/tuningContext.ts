// The context a tuning command works on: which one (asked when not given) and its metrics: the user's configured
// Prometheus URL with its bearer token from SecretStorage, else discovery through the API server's service proxy.
// Shared by the registrations (rightSizeCommand.ts, createHpa.ts) and the tuningActions chunk; small on purpose.
import * as vscode from 'vscode';
import { CancelledError, ClusterDeckError } from '../../core/errors';
import type { KubeClient } from '../../core/kube/kubeClient';
import type { MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { MetricsSource } from '../../core/tuning/metricsSource';
import type { MetricsChoice, TuningDeps } from './rightSizeCommand';

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

/** Forgets the session copy of one context's token (Set Prometheus Token with an empty value). */
export function dropSessionToken(contextName: string): void {
  sessionTokens.delete(tokenKey(contextName));
}

export const describeFailure = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]?.slice(0, 160) ?? '';

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

/** The context to work on, asked in a QuickPick (undefined when dismissed). */
export async function pickContext(config: MergedKubeconfig): Promise<string | undefined> {
  const items = config.contexts.map((c) => ({ label: c.name, description: c.name === config.currentContext ? 'current' : '' }));
  if (items.length === 0) throw new ClusterDeckError('badConfig', 'No Kubernetes context to right-size: add a kubeconfig first.');
  return (await vscode.window.showQuickPick(items, { title: 'Right-size: which context?' }))?.label;
}

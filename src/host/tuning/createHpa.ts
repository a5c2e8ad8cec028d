// "Create HPA…" on a Deployment: suggest min/max/target (from the Deployment's CPU usage history when Prometheus is
// found, else starting values that say what is missing), let the user confirm or edit them in InputBoxes validated
// as they type, then open the manifest as an untitled YAML document, or apply it through the ordinary Apply command
// (server-side dry run → diff → confirm → server-side apply). Nothing is written to the cluster without that flow.
// The flow is in tuningActions.ts (its own chunk, loaded on first use).
import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import type { MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import { tuningActions } from './rightSizeCommand';
import type { FoundMetrics } from './tuningContext';

export interface CreateHpaDeps {
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
  /** The context's metrics (configured Prometheus URL or discovery), or what is missing and how to install it. */
  readonly findMetrics?: (contextName: string, kube: KubeClient, signal: AbortSignal) => Promise<FoundMetrics>;
  /** Asks for one value (tests replace it); defaults to an InputBox. */
  readonly ask?: (options: vscode.InputBoxOptions) => Thenable<string | undefined>;
}

/** Answers given up front (scripts, tests) instead of the InputBoxes; validated the same way. */
export interface HpaAnswers {
  readonly minReplicas?: string;
  readonly maxReplicas?: string;
  readonly targetPercent?: string;
  /** What to do with the manifest: open it (default when answers are given) or apply it after the dry run and diff. */
  readonly then?: 'open' | 'apply';
}

/** What the command resolves with: the manifest's document, and the basis of its values (for the log and tests). */
export interface CreateHpaOutcome {
  readonly document: vscode.TextDocument;
  readonly basis: string;
  readonly fromHistory: boolean;
  readonly applied?: boolean;
}

/** Registers `clusterdeck.tuning.createHpa` (context menu of a Deployment in the Clusters view). */
export function registerCreateHpa(deps: CreateHpaDeps, log: Log): vscode.Disposable {
  return registerCommand(
    commandIds.tuningCreateHpa,
    async (node?: ClusterNode, answers?: HpaAnswers) => (await tuningActions()).createHpa(deps, node, answers),
    log,
  );
}

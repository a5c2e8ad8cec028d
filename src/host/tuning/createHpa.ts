// "Create HPA…" on a Deployment: suggest min/max/target (from the Deployment's CPU usage history when Prometheus is
// found, else starting values that say what is missing), let the user confirm or edit them in InputBoxes validated
// as they type, then open the manifest as an untitled YAML document, or apply it through the ordinary Apply command
// (server-side dry run → diff → confirm → server-side apply). Nothing is written to the cluster without that flow.
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { ClusterDeckError, isCancellation } from '../../core/errors';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import { suggestHpaFor } from '../../core/tuning/createHpaSuggestion';
import { buildHpaManifest } from '../../core/tuning/recommendHpa';
import {
  cpuUtilizationRefusal,
  validateHpaValues,
  validateReplicas,
  validateTargetPercent,
  type HpaWizardValues,
} from '../../core/tuning/manifestEdits';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import { tuningSettings, type FoundMetrics } from './rightSizeCommand';

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

/** Registers `clusterdeck.tuning.createHpa` (context menu of a Deployment in the Clusters view). */
export function registerCreateHpa(deps: CreateHpaDeps, log: Log): vscode.Disposable {
  return registerCommand(commandIds.tuningCreateHpa, (node?: ClusterNode, answers?: HpaAnswers) => createHpa(deps, node, answers), log);
}

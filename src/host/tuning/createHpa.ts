// "Create HPA…" on a Deployment: suggest min/max/target (from usage history when a source is available), let the
// user confirm or edit them in InputBoxes validated as they type, then open the manifest as an untitled YAML
// document (applied through the ordinary Apply command). Reads the Deployment; never writes to the cluster.
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { ClusterDeckError } from '../../core/errors';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import type { TimedValue } from '../../core/tuning/metricsSource';
import { buildHpaManifest, suggestHpa } from '../../core/tuning/recommendHpa';
import {
  cpuUtilizationRefusal,
  podCpuRequestCores,
  validateHpaValues,
  validateReplicas,
  validateTargetPercent,
  type HpaWizardValues,
} from '../../core/tuning/manifestEdits';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';

export interface CreateHpaDeps {
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
  /** Total CPU usage (cores) of the Deployment's pods over time, when a MetricsSource is available; else undefined. */
  readonly cpuUsageHistory?: (
    contextName: string,
    namespace: string,
    deployment: string,
    signal: AbortSignal,
  ) => Promise<readonly TimedValue[] | undefined>;
  /** Asks for one value (tests replace it); defaults to an InputBox. */
  readonly ask?: (options: vscode.InputBoxOptions) => Thenable<string | undefined>;
}

/** Starting values without history: keep the current replicas as the floor, room to double. */
export function defaultHpaValues(specReplicas: number | undefined): HpaWizardValues {
  const replicas = Math.max(1, specReplicas ?? 1);
  const minReplicas = Math.max(1, Math.min(2, replicas));
  return { minReplicas, maxReplicas: Math.max(minReplicas + 1, replicas * 2), targetUtilizationPercent: 70 };
}

/** Answers given up front (scripts, tests) instead of the InputBoxes; validated the same way. */
export interface HpaAnswers {
  readonly minReplicas?: string;
  readonly maxReplicas?: string;
  readonly targetPercent?: string;
}

/** Runs the flow; resolves with the untitled document (undefined when cancelled). */
export async function createHpa(
  deps: CreateHpaDeps,
  node: ClusterNode | undefined,
  answers: HpaAnswers = {},
): Promise<vscode.TextDocument | undefined> {
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
  const specReplicas = (deployment.spec as { replicas?: unknown } | undefined)?.replicas;
  let values = defaultHpaValues(typeof specReplicas === 'number' ? specReplicas : undefined);
  let basis = 'no usage history: starting values';
  const history = deps.cpuUsageHistory ? await deps.cpuUsageHistory(node.contextName, namespace, node.name, controller.signal) : undefined;
  if (history) {
    const s = suggestHpa({ resource: 'cpu', usage: history, podRequest: podCpuRequestCores(deployment) });
    if (s.ok) {
      values = { minReplicas: s.minReplicas, maxReplicas: s.maxReplicas, targetUtilizationPercent: s.targetUtilizationPercent };
      basis = s.notes[0] ?? 'suggested from usage history';
    } else basis = s.reason;
  }
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
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: stringify(manifest) });
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Registers `clusterdeck.tuning.createHpa` (context menu of a Deployment in the Clusters view). */
export function registerCreateHpa(deps: CreateHpaDeps, log: Log): vscode.Disposable {
  return registerCommand(commandIds.tuningCreateHpa, (node?: ClusterNode, answers?: HpaAnswers) => createHpa(deps, node, answers), log);
}

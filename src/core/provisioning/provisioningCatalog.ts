// The provisioning formats and wizards of every cloud, as one lazily loaded chunk (dist/provisioningCatalog.js):
// the host and the CLI load it on first use of a provisioning command, so activation pays nothing for it.
import type { CloudKind } from '../clouds/cloudProvider';
import { ClusterDeckError } from '../errors';
import type { WizardStep } from '../wizard/wizard';
import type {
  ChoiceLoader,
  CloudProvisioningModule,
  PlanOverrides,
  ProvisionPlan,
  ProvisioningFormat,
  ProvisioningWizard,
  SpecProblem,
  WizardPrefill,
} from './provisioning';
import { catalogModules } from './provisioningModules';
import { kubeadmConfigFormat } from './kubeadm/kubeadmFormat';
import { parseAllDocuments } from 'yaml';

export { runPlan, follow, ProvisionFailedError, describeStep } from './runPlan';
export { entryStatus } from './journal';
export { zoneRetryPrefill } from './provisioning';

/** Runs wizard steps (the host's QuickPick renderer, or a script in tests). */
export type StepsRunner = <S>(title: string, steps: readonly WizardStep<S>[], initial: S) => Promise<S | undefined>;

/** What a finished wizard produced: the file to write and how it reads back. */
export interface WizardOutput {
  readonly fileName: string;
  readonly text: string;
  readonly plan: ProvisionPlan;
}

/** A wizard with its state types erased, so the host can hold every cloud's in one table. */
export interface ErasedWizard {
  readonly title: string;
  run(runner: StepsRunner, choices: ChoiceLoader, prefill: WizardPrefill): Promise<WizardOutput | undefined>;
}

export interface CatalogEntry {
  readonly cloud: CloudKind;
  readonly cluster: ErasedWizard;
  readonly nodePool: ErasedWizard;
  readonly formats: readonly { readonly which: 'cluster' | 'nodePool'; readonly format: ProvisioningFormat<unknown> }[];
}

function erase<S, Sp>(
  w: ProvisioningWizard<S, Sp>,
  format: ProvisioningFormat<Sp>,
  prefillOverrides: (p: WizardPrefill) => PlanOverrides,
): ErasedWizard {
  return {
    title: w.title,
    async run(runner, choices, prefill) {
      const state = await runner(w.title, w.steps(choices), w.initial(prefill));
      if (state === undefined) return undefined;
      const spec = w.toSpec(state);
      const text = format.write(spec);
      return { fileName: w.fileName(spec), text, plan: format.plan(spec, prefillOverrides(prefill)) };
    },
  };
}

/** Wraps one cloud's module for the catalog. */
export function catalogEntry<CS, CSp, PS, PSp>(m: CloudProvisioningModule<CS, CSp, PS, PSp>): CatalogEntry {
  const o = (p: WizardPrefill): PlanOverrides => ({ account: p.account, location: p.location, resourceGroup: p.resourceGroup });
  return {
    cloud: m.cloud,
    cluster: erase(m.clusterWizard, m.clusterFormat, o),
    nodePool: erase(m.nodePoolWizard, m.nodePoolFormat, o),
    formats: [
      { which: 'cluster', format: m.clusterFormat },
      { which: 'nodePool', format: m.nodePoolFormat },
    ],
  };
}

/** Every cloud that can provision in this build. */
export function provisioningCatalog(): readonly CatalogEntry[] {
  return catalogModules();
}

/** The format a parsed document is in, if it is a provisioning file. */
export function detectFormat(
  doc: unknown,
): { readonly entry: CatalogEntry; readonly which: 'cluster' | 'nodePool'; readonly format: ProvisioningFormat<unknown> } | undefined {
  for (const entry of provisioningCatalog()) {
    for (const f of entry.formats) if (f.format.matches(doc)) return { entry, which: f.which, format: f.format };
  }
  return undefined;
}

/**
 * Problems of a provisioning document (for diagnostics), or undefined when it is not one. kubeadm's
 * ClusterConfiguration / InitConfiguration documents are checked too (there is no cloud to create them in: they
 * run over SSH, see kubeadm commands).
 */
export function checkProvisioningDocument(doc: unknown): readonly SpecProblem[] | undefined {
  const d = detectFormat(doc);
  if (d) return d.format.read(doc).problems;
  return kubeadmConfigFormat.matches(doc) ? kubeadmConfigFormat.read(doc).problems : undefined;
}

/**
 * The plan for a parsed file ("Create from file", the CLI): refuses with every error listed when the file is not
 * valid, so nothing half-understood is ever sent.
 */
export function planFromDocument(
  doc: unknown,
  overrides: PlanOverrides = {},
  file = 'the file',
): { plan: ProvisionPlan; which: 'cluster' | 'nodePool' } {
  const d = detectFormat(doc);
  if (!d) {
    throw new ClusterDeckError(
      'invalid',
      `${file} is not a cluster or node-pool file ClusterDeck can create from (an eksctl ClusterConfig, a GKE Cluster or NodePool request, or an ARM managedClusters / agentPools resource).`,
    );
  }
  const { spec, problems } = d.format.read(doc);
  const errors = problems.filter((p) => p.severity === 'error');
  if (!spec || errors.length > 0) {
    const list = errors.map((p) => `${p.path.join('.') || '(top)'}: ${p.message}`).join('; ');
    throw new ClusterDeckError('invalid', `${file} has ${errors.length} problem${errors.length === 1 ? '' : 's'}: ${list}`);
  }
  return { plan: d.format.plan(spec, overrides), which: d.which };
}

/** The summary lines shown before creating (and printed by the CLI). */
export function planSummary(plan: ProvisionPlan): string[] {
  return [
    `Create ${plan.what}`,
    `Where: ${plan.where}`,
    `Estimated nodes: ${plan.estimatedNodes}`,
    ...plan.steps.map(
      (s, i) =>
        `  ${i + 1}. ${s.kind === 'cluster' ? 'cluster' : s.kind === 'resourceGroup' ? 'resource group' : s.kind === 'iamRole' ? 'IAM role' : 'node pool'} ${s.name}`,
    ),
    ...plan.warnings.map((w) => `Warning: ${w}`),
  ];
}

/** The one YAML/JSON document of a provisioning file, or why it is not one (the yaml parser lives in this chunk). */
export function parseSingleDocument(text: string, file: string): unknown {
  const docs = parseAllDocuments(text);
  const first = docs[0];
  if (!first || docs.length !== 1 || first.errors.length > 0) {
    const why = first?.errors[0]?.message ?? (docs.length === 0 ? 'it is empty' : 'it holds several documents');
    throw new ClusterDeckError('invalid', `${file} is not one YAML/JSON document: ${why}`);
  }
  return first.toJS() as unknown;
}

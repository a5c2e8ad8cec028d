// Provisioning in the editor (issue #6): the wizards (config first: they write a standard file and open it beside
// its equivalent CLI command), "Create from File" (command and CodeLens), progress that can be cancelled without
// stopping the cloud, and resuming every unfinished operation from the journal when the window opens.
import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import type { CloudKind } from '../../core/clouds/cloudProvider';
import type { CloudProviderSource } from '../../core/clouds/cloudSettings';
import type { CloudTreeNode } from '../../core/clouds/cloudTree';
import type { JournalEntry, JournalStore } from '../../core/provisioning/journal';
import type { ChoiceLoader, CreateTarget, PlanOverrides, ProvisionPlan, WizardPrefill } from '../../core/provisioning/provisioning';
import type { RunResult } from '../../core/provisioning/runPlan';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import { runVscodeWizard } from '../shared/wizardRenderer';

type Catalog = typeof import('../../core/provisioning/provisioningCatalog');

export interface ProvisionDeps {
  readonly log: Log;
  readonly source: CloudProviderSource;
  readonly journal: JournalStore;
  /** Loads dist/provisioningCatalog.js. */
  readonly catalog: () => Promise<Catalog>;
  /** This window's lease owner id. */
  readonly owner: string;
  newId(): string;
  digest(text: string): string;
  /** Redraws the Clouds view (the Provisioning folder and cluster states). */
  refreshTree(): void;
  /** Reloads one cloud's listing (a create finished or failed: the cluster's status changed). */
  refreshCloud(cloud: CloudKind): void;
  /** Whether a lease owner's process still runs (a reloaded window's entries are taken over at once). */
  ownerAlive?(owner: string): boolean;
}

const cloudNames: Record<CloudKind, string> = { eks: 'Amazon EKS', gke: 'Google GKE', aks: 'Azure AKS' };

export function registerProvisioning(deps: ProvisionDeps, following = new Set<string>()): vscode.Disposable[] {
  const lens = new ProvisioningCodeLens(deps);
  return [
    registerCommand(commandIds.provisionCreateCluster, (n?: CloudTreeNode) => createWithWizard(deps, 'cluster', n, following), deps.log),
    registerCommand(commandIds.provisionCreateNodePool, (n?: CloudTreeNode) => createWithWizard(deps, 'nodePool', n, following), deps.log),
    registerCommand(commandIds.provisionCreateFromFile, (uri?: vscode.Uri) => createFromFile(deps, uri, following), deps.log),
    registerCommand(commandIds.provisionShowCommand, (uri?: vscode.Uri) => showEquivalent(deps, uri), deps.log),
    registerCommand(commandIds.provisionDismiss, (n?: CloudTreeNode) => dismiss(deps, n), deps.log),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }], lens),
    lens,
  ];
}

/** Follows every unfinished journal entry in the background (activation, and when trust is granted). */
export async function resumeProvisioning(deps: ProvisionDeps, following = new Set<string>()): Promise<void> {
  const entries = (await deps.journal.list()).filter((e) => e.state === 'active');
  for (const e of entries) {
    deps.log.info('provision', `resuming ${e.what} (${e.where}) from the journal`);
    void followWithProgress(deps, e, following);
  }
  if (entries.length > 0) deps.refreshTree();
}

function prefillFrom(n: CloudTreeNode | undefined): { cloud?: CloudKind; prefill: WizardPrefill } {
  if (!n) return { prefill: {} };
  switch (n.kind) {
    case 'cloud':
      return { cloud: n.cloud, prefill: {} };
    case 'account':
      return { cloud: n.cloud, prefill: { account: n.account.id } };
    case 'scope':
      return {
        cloud: n.cloud,
        prefill:
          n.scopeKind === 'resourceGroup'
            ? { account: n.account.id, resourceGroup: n.scope }
            : { account: n.account.id, location: n.scope },
      };
    case 'cluster':
    case 'poolFolder':
    case 'pool':
      return {
        cloud: n.cluster.cloud,
        prefill: {
          account: n.account.id,
          location: n.cluster.location,
          cluster: n.cluster.name,
          ...(n.cluster.resourceGroup !== undefined ? { resourceGroup: n.cluster.resourceGroup } : {}),
        },
      };
    default:
      return { prefill: {} };
  }
}

async function createWithWizard(
  deps: ProvisionDeps,
  which: 'cluster' | 'nodePool',
  n: CloudTreeNode | undefined,
  following: Set<string>,
  given?: { cloud: CloudKind; prefill: WizardPrefill },
): Promise<void> {
  const catalog = await deps.catalog();
  const entries = catalog.provisioningCatalog();
  const from = given ?? prefillFrom(n);
  const prefill = from.prefill;
  let cloud = from.cloud;
  if (!cloud) {
    const picked = await vscode.window.showQuickPick(
      [
        ...entries.map((e) => ({ label: cloudNames[e.cloud], cloud: e.cloud })),
        ...(which === 'cluster' ? [{ label: 'kubeadm (your own machines)', cloud: 'kubeadm' as const }] : []),
      ],
      { title: which === 'cluster' ? 'New Cluster: where?' : 'New Node Pool: which cloud?', ignoreFocusOut: true },
    );
    if (!picked) return;
    if (picked.cloud === 'kubeadm') {
      await vscode.commands.executeCommand('clusterdeck.kubeadm.generate');
      return;
    }
    cloud = picked.cloud;
  }
  const entry = entries.find((e) => e.cloud === cloud);
  if (!entry) throw new ClusterDeckError('invalid', `This build cannot create ${cloudNames[cloud]} resources yet.`);
  const provider = await deps.source.provider(cloud);
  const prov = provider.provisioning;
  if (!prov) throw new ClusterDeckError('invalid', `This build cannot create ${cloudNames[cloud]} resources yet.`);
  if (which === 'nodePool' && !prefill.cluster) {
    void vscode.window.showInformationMessage(
      'Run "Create Node Pool…" from a cluster in the Clouds view, so it knows which cluster it adds to.',
    );
    return;
  }
  // Accounts come from the provider's own listing; everything else from the provisioning choices.
  const choices: ChoiceLoader = async (query, params, signal) => {
    if (query === 'accounts') {
      const accounts = await provider.listAccounts(signal);
      return accounts.map((a) => ({ value: a.id, label: a.label, ...(a.detail ? { description: a.detail } : {}) }));
    }
    return prov.choices(query, params, signal);
  };
  const wizard = which === 'cluster' ? entry.cluster : entry.nodePool;
  const out = await wizard.run((title, steps, initial) => runVscodeWizard(title, steps, initial), choices, prefill);
  if (!out) return;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new ClusterDeckError('invalid', 'Open a folder first: the wizard writes the cluster file into the workspace.');
  const uri = await freeUri(vscode.Uri.joinPath(folder.uri, out.fileName));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(out.text));
  deps.log.info('provision', `wrote ${vscode.workspace.asRelativePath(uri)} (${out.plan.what})`);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  await showPlanBeside(out.plan);
  const choice = await vscode.window.showInformationMessage(
    `Wrote ${vscode.workspace.asRelativePath(uri)}. Review it, then create ${out.plan.what}.`,
    'Create Now',
    'Later',
  );
  if (choice === 'Create Now') await createFromFile(deps, uri, following);
}

/** `name.ext` if free, else `name-2.ext`, `name-3.ext`… (never overwrites a file the user has). */
async function freeUri(uri: vscode.Uri): Promise<vscode.Uri> {
  const m = /^(.*?)((?:\.[a-z0-9]+)+)$/i.exec(uri.path) ?? [uri.path, uri.path, ''];
  for (let i = 1; i < 100; i++) {
    const candidate = uri.with({ path: i === 1 ? uri.path : `${m[1]}-${i}${m[2]}` });
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
  throw new ClusterDeckError('conflict', `Too many files named like ${uri.path}; rename some.`);
}

/** The equivalent CLI and the exact SDK requests, in a read-only document beside the file (P8). */
async function showPlanBeside(plan: ProvisionPlan): Promise<void> {
  const text = [
    `# ${plan.what}`,
    `# ${plan.where} · estimated nodes: ${plan.estimatedNodes}`,
    '#',
    '# Equivalent command (illustrative; ClusterDeck sends the requests below through the SDK):',
    ...plan.equivalentCommand.split('\n').map((l) => l),
    '',
    ...plan.warnings.map((w) => `# Warning: ${w}`),
    ...plan.steps.flatMap((s, i) => [
      `# Request ${i + 1}: create ${s.kind === 'cluster' ? 'cluster' : s.kind === 'resourceGroup' ? 'resource group' : s.kind === 'iamRole' ? 'IAM role' : 'node pool'} ${s.name}`,
      JSON.stringify(s.body, null, 2),
      '',
    ]),
  ].join('\n');
  const doc = await vscode.workspace.openTextDocument({ language: 'shellscript', content: text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
}

async function readPlan(
  deps: ProvisionDeps,
  uri: vscode.Uri | undefined,
  overrides: PlanOverrides = {},
): Promise<{ plan: ProvisionPlan; uri: vscode.Uri }> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target)
    throw new ClusterDeckError(
      'invalid',
      'Open a cluster or node-pool file first (an eksctl ClusterConfig, a GKE Cluster or an ARM managedClusters resource).',
    );
  const doc = await vscode.workspace.openTextDocument(target);
  const name = vscode.workspace.asRelativePath(target);
  const catalog = await deps.catalog();
  return { plan: catalog.planFromDocument(catalog.parseSingleDocument(doc.getText(), name), overrides, name).plan, uri: target };
}

async function showEquivalent(deps: ProvisionDeps, uri: vscode.Uri | undefined): Promise<void> {
  await showPlanBeside((await readPlan(deps, uri)).plan);
}

async function createFromFile(deps: ProvisionDeps, uri: vscode.Uri | undefined, following: Set<string>): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    throw new ClusterDeckError('untrusted', 'ClusterDeck creates nothing in Restricted Mode; trust this workspace first.');
  }
  const { plan } = await readPlan(deps, uri);
  const catalog = await deps.catalog();
  const detail = [...catalog.planSummary(plan).slice(1), '', `Equivalent: ${plan.equivalentCommand}`].join('\n');
  const ok = await vscode.window.showWarningMessage(`Create ${plan.what}?`, { modal: true, detail }, 'Create');
  if (ok !== 'Create') return;
  const provider = await deps.source.provider(plan.cloud);
  if (!provider.provisioning) throw new ClusterDeckError('invalid', `This build cannot create ${cloudNames[plan.cloud]} resources yet.`);
  const prov = provider.provisioning;
  try {
    await withFollowProgress(
      deps,
      plan.cloud,
      plan.what,
      following,
      undefined,
      clusterTargetOf(plan.steps),
      clusterWord(plan.steps),
      (signal, onProgress) => catalog.runPlan(plan, { ...runDeps(deps), provider: prov, wait: true, signal, onProgress }),
    );
  } catch (err) {
    // The cloud refused the zone and named those it accepts (EKS UnsupportedAvailabilityZoneException): offer the
    // wizard again with them pre-selected (B72). Anything else goes to the command wrapper as usual.
    const first = plan.steps[0]?.target;
    const retry = catalog.zoneRetryPrefill(err, {
      ...(first?.account ? { account: first.account } : {}),
      ...(first?.location ? { location: first.location } : {}),
      ...(first?.cluster && !plan.steps.some((s) => s.kind === 'cluster') ? { cluster: first.cluster } : {}),
    });
    if (!retry || !(err instanceof ClusterDeckError)) throw err;
    deps.log.warn('provision', `${plan.what}: ${err.message}`);
    const again = 'Run the Wizard Again in These Zones';
    if ((await vscode.window.showErrorMessage(err.message, again)) === again)
      await createWithWizard(deps, plan.steps.some((s) => s.kind === 'cluster') ? 'cluster' : 'nodePool', undefined, following, {
        cloud: plan.cloud,
        prefill: retry,
      });
  }
}

function runDeps(deps: ProvisionDeps) {
  return {
    journal: deps.journal,
    newId: () => deps.newId(),
    digest: (t: string) => deps.digest(t),
    now: () => Date.now(),
    owner: deps.owner,
    ownerAlive: (owner: string) => deps.ownerAlive?.(owner) ?? true,
    setInterval: (fn: () => void, ms: number) => {
      const t = setInterval(fn, ms);
      return { dispose: () => clearInterval(t) };
    },
  };
}

async function followWithProgress(deps: ProvisionDeps, e: JournalEntry, following: Set<string>): Promise<void> {
  try {
    const provider = await deps.source.provider(e.cloud);
    const prov = provider.provisioning;
    if (!prov) return;
    const catalog = await deps.catalog();
    await withFollowProgress(
      deps,
      e.cloud,
      e.what,
      following,
      e.id,
      clusterTargetOf(e.steps.map((s) => s.step)),
      clusterWord(e.steps.map((s) => s.step)),
      (signal, onProgress) => catalog.follow(e, { ...runDeps(deps), provider: prov, wait: true, signal, onProgress }),
    );
  } catch (err) {
    deps.log.warn('provision', `could not resume ${e.what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The progress notification: Cancel stops waiting (the cloud keeps provisioning, the journal keeps the entry), the
 * outcome is reported with the service's message, and on failure what was left in place.
 */
async function withFollowProgress(
  deps: ProvisionDeps,
  cloud: CloudKind,
  what: string,
  following: Set<string>,
  entryId: string | undefined,
  target: CreateTarget | undefined,
  noun: string,
  run: (signal: AbortSignal, onProgress: (m: string) => void) => Promise<RunResult>,
): Promise<void> {
  if (entryId) {
    if (following.has(entryId)) return;
    following.add(entryId);
  }
  const catalog = await deps.catalog();
  try {
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `${what}: Cancel stops waiting; the ${noun} keeps provisioning`,
        cancellable: true,
      },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          return await run(ac.signal, (m) => {
            progress.report({ message: m });
            deps.log.info('provision', `${m}`);
            deps.refreshTree();
          });
        } finally {
          sub.dispose();
        }
      },
    );
    deps.refreshTree();
    if (result.outcome === 'succeeded') deps.refreshCloud(cloud);
    for (const n of result.notes) deps.log.info('provision', `${n}`);
    if (result.outcome === 'succeeded') {
      const notes = result.notes.length > 0 ? ` ${result.notes.join(' ')}` : '';
      const pick = await vscode.window.showInformationMessage(
        `${what}: done.${notes}`,
        ...(target ? ['Connect'] : []),
        'Show in Clouds View',
      );
      if (pick === 'Connect' && target) await connectCreated(deps, target);
      else if (pick) await vscode.commands.executeCommand('clusterdeck.clouds.focus');
    } else if (result.outcome === 'running') {
      void vscode.window.showInformationMessage(
        `Stopped waiting for ${what}; it keeps provisioning. ClusterDeck follows it again when this window reopens.`,
      );
    } else {
      void vscode.window.showInformationMessage(`${what} is being followed in another ClusterDeck window.`);
    }
  } catch (err) {
    deps.refreshTree();
    deps.refreshCloud(cloud);
    if (err instanceof catalog.ProvisionFailedError) {
      deps.log.error('provision', `${what} failed: ${err.message}; left in place: ${err.partial.join('; ') || 'nothing'}`);
      const left = err.partial.length > 0 ? ` Left in place (nothing was deleted): ${err.partial.join('; ')}.` : '';
      const pick = await vscode.window.showErrorMessage(`${what} failed: ${err.message}.${left}`, 'Show Log');
      if (pick) deps.log.show();
      return;
    }
    throw err;
  } finally {
    if (entryId) following.delete(entryId);
  }
}

/** "cluster" or "node pool", for the progress title (the words: "the cluster keeps provisioning"). */
function clusterWord(steps: readonly { readonly kind: string }[]): string {
  return steps.some((s) => s.kind === 'cluster') ? 'cluster' : 'node pool';
}

/** The cluster a plan creates or adds to (for Connect after it is done). */
function clusterTargetOf(steps: readonly { readonly target: CreateTarget }[]): CreateTarget | undefined {
  return steps.find((s) => s.target.cluster !== '')?.target;
}

/** Connect (kubeconfig entry, as for any cloud cluster) for the cluster just created: found by listing its scope. */
async function connectCreated(deps: ProvisionDeps, t: CreateTarget): Promise<void> {
  const provider = await deps.source.provider(t.cloud);
  const accounts = await provider.listAccounts();
  const account = accounts.find((a) => a.id === t.account) ?? { cloud: t.cloud, id: t.account, label: t.account };
  const scopes = await provider.listClusters(t.account, t.cloud === 'eks' ? [t.location] : undefined);
  const cluster = scopes
    .flatMap((r) => r.items)
    .find((c) => c.name === t.cluster && (t.resourceGroup === undefined || c.resourceGroup === t.resourceGroup));
  if (!cluster) {
    void vscode.window.showWarningMessage(
      `${t.cluster} is not listed by ${cloudNames[t.cloud]} yet; use Connect on it in the Clouds view shortly.`,
    );
    return;
  }
  const node: CloudTreeNode = { kind: 'cluster', id: `created:${cluster.id}`, cluster, account };
  await vscode.commands.executeCommand(commandIds.cloudConnect, node);
}

async function dismiss(deps: ProvisionDeps, n: CloudTreeNode | undefined): Promise<void> {
  if (n?.kind !== 'op') return;
  if (n.entry.state === 'active') {
    void vscode.window.showInformationMessage(`${n.entry.what} is still being created; it can be dismissed once it finishes.`);
    return;
  }
  await deps.journal.remove(n.entry.id);
  deps.refreshTree();
}

/** "Create from this file" and "Show equivalent command" above a provisioning file's first line. */
class ProvisioningCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private catalog: Catalog | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly deps: ProvisionDeps) {}

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const text = doc.getText();
    // Cheap gate before parsing: only files that look like one of the formats.
    if (!/eksctl\.io\/|Microsoft\.ContainerService|nodePool|"cluster"|^cluster:|initialNodeCount|autopilot/m.test(text)) return [];
    this.catalog ??= await this.deps.catalog();
    let parsed: unknown;
    try {
      parsed = this.catalog.parseSingleDocument(text, doc.fileName);
    } catch {
      return [];
    }
    const d = this.catalog.detectFormat(parsed);
    if (!d) return [];
    const range = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(range, {
        title: `$(cloud-upload) Create ${d.which === 'cluster' ? 'cluster' : 'node pool'} from this file`,
        command: commandIds.provisionCreateFromFile,
        arguments: [doc.uri],
      }),
      new vscode.CodeLens(range, { title: 'Show equivalent command', command: commandIds.provisionShowCommand, arguments: [doc.uri] }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

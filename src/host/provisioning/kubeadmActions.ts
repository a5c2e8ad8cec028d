// The kubeadm commands' work (chunk dist/kubeadmActions.js, loaded by the first kubeadm command; see
// kubeadmCommands.ts): Generate, Run over SSH, Print Join Command, Import Cluster over core/provisioning/kubeadm.
import * as vscode from 'vscode';
import { CancelledError, ClusterDeckError } from '../../core/errors';
import {
  bootstrapScriptFile,
  cniNoteFile,
  equivalentInitCommand,
  equivalentInitFlags,
  generateKubeadmFiles,
  joinScriptFile,
  kubeadmConfigFile,
  parseKubeadmConfig,
  type GeneratedFile,
} from '../../core/provisioning/kubeadm/kubeadmFiles';
import type { SshAuth, SshHostOptions } from '../../core/provisioning/kubeadm/kubeadmRemote';
import { redactKubeadmSecrets } from '../../core/provisioning/kubeadm/kubeadmSecrets';
import { validateKubeadmSpec, type KubeadmSpec } from '../../core/provisioning/kubeadm/kubeadmSpec';
import { kubeadmWizardSteps, specFromState, type KubeadmWizardState } from '../../core/provisioning/kubeadm/kubeadmWizard';
import { formatSshTarget, parseSshTarget, type SshTarget } from '../../core/provisioning/kubeadm/sshTarget';
import { commandIds } from '../commandIds';
import type { KubeadmCommandDeps } from './kubeadmCommands';
import { requireTrust } from './kubeadmTrust';
import { runVscodeWizard } from '../shared/wizardRenderer';

/** A Uri argument (from a button or the explorer), not something else a caller passed. */
function isUri(value: unknown): value is vscode.Uri {
  return typeof value === 'object' && value !== null && typeof (value as { fsPath?: unknown }).fsPath === 'string';
}

// ---- Generate ---------------------------------------------------------------------------------------------------

export async function generate(deps: KubeadmCommandDeps, prefill?: Partial<KubeadmSpec>): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new ClusterDeckError('invalid', 'Open a folder first: the kubeadm files are written into the workspace.');
  // Only answers given as a plain object pre-fill (a menu may pass a Uri or a tree node).
  const answers = typeof prefill === 'object' && prefill !== null && !isUri(prefill) && !('kind' in prefill) ? prefill : {};
  const initial: KubeadmWizardState = { answers };
  const state = await (deps.runWizard ?? runVscodeWizard)('New kubeadm Cluster', kubeadmWizardSteps, initial);
  if (!state) return;
  const spec = specFromState(state);
  const warnings = validateKubeadmSpec(spec).filter((i) => i.severity === 'warning');
  for (const w of warnings) {
    const go = await vscode.window.showWarningMessage(w.message, { modal: true }, 'Generate Anyway');
    if (go !== 'Generate Anyway') return;
  }
  const files = generateKubeadmFiles(spec);
  const dir = vscode.Uri.joinPath(folder.uri, 'kubeadm', spec.clusterName);
  const existing = await vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, kubeadmConfigFile)).then(
    () => true,
    () => false,
  );
  if (existing) {
    const ok = await vscode.window.showWarningMessage(
      `kubeadm/${spec.clusterName}/ already has kubeadm files. Replace them?`,
      { modal: true },
      'Replace',
    );
    if (ok !== 'Replace') return;
  }
  await vscode.workspace.fs.createDirectory(dir);
  for (const f of files) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, f.name), new TextEncoder().encode(f.text));
  deps.log.info('provision', `kubeadm files for "${spec.clusterName}" written to ${dir.fsPath}`);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(dir, kubeadmConfigFile));
  await vscode.window.showTextDocument(doc, { preview: false });
  const init = equivalentInitCommand(spec);
  const picked = await vscode.window.showInformationMessage(
    `kubeadm/${spec.clusterName}/ written (${files.map((f) => f.name).join(', ')}). On the control plane: ${init}`,
    'Copy Command',
    'Copy as Flags',
    'Run over SSH…',
  );
  if (picked === 'Copy Command') await vscode.env.clipboard.writeText(init);
  else if (picked === 'Copy as Flags') await vscode.env.clipboard.writeText(equivalentInitFlags(spec));
  else if (picked === 'Run over SSH…') await vscode.commands.executeCommand(commandIds.kubeadmRunOverSsh, dir);
}

// ---- SSH: hosts, keys, prompts -----------------------------------------------------------------------------------

async function askTarget(title: string, placeholder = 'root@10.0.0.10 or ubuntu@cp1.example.com:22'): Promise<SshTarget | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt: 'user@host[:port]',
    placeHolder: placeholder,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = parseSshTarget(v);
      return r.ok ? undefined : r.message;
    },
  });
  if (text === undefined) return undefined;
  const r = parseSshTarget(text);
  return r.ok ? r.target : undefined;
}

async function askAuth(deps: KubeadmCommandDeps): Promise<SshAuth | undefined> {
  type Item = vscode.QuickPickItem & { auth?: SshAuth; browse?: true };
  const agent = deps.agentSocket();
  const items: Item[] = [];
  if (agent) items.push({ label: '$(key) SSH agent', description: 'SSH_AUTH_SOCK', auth: { kind: 'agent', socket: agent } });
  for (const path of deps.defaultKeys()) items.push({ label: `$(file) ${path}`, description: 'key file', auth: { kind: 'key', path } });
  items.push({ label: '$(folder-opened) Choose a key file…', browse: true });
  const picked = await vscode.window.showQuickPick(items, { title: 'SSH authentication', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.auth) return picked.auth;
  const files = await vscode.window.showOpenDialog({ title: 'SSH private key', canSelectMany: false, openLabel: 'Use Key' });
  const path = files?.[0]?.fsPath;
  return path ? { kind: 'key', path } : undefined;
}

function hostOptions(deps: KubeadmCommandDeps, target: SshTarget, auth: SshAuth): SshHostOptions {
  return {
    target,
    auth,
    knownHostsPath: deps.knownHostsPath(),
    sudo: target.user !== 'root',
    confirmFirstContact: async (host, fingerprint, { keyType }) => {
      const trust = await vscode.window.showWarningMessage(
        `The authenticity of host ${host} can't be established.`,
        {
          modal: true,
          detail: `Its ${keyType} key fingerprint is ${fingerprint}.\n\nCompare it with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_${keyType.replace(/^ssh-/, '').replace(/-.*$/, '')}_key.pub) before trusting it. Trusting adds it to ${deps.knownHostsPath()}.`,
        },
        'Trust and Connect',
      );
      return trust === 'Trust and Connect';
    },
    askPassphrase: (keyPath) =>
      Promise.resolve(
        vscode.window.showInputBox({
          title: `Passphrase for ${keyPath}`,
          password: true,
          ignoreFocusOut: true,
          prompt: 'The key is encrypted',
        }),
      ),
  };
}

async function askHost(deps: KubeadmCommandDeps, title: string): Promise<SshHostOptions | undefined> {
  const target = await askTarget(title);
  if (!target) return undefined;
  const auth = await askAuth(deps);
  return auth ? hostOptions(deps, target, auth) : undefined;
}

/** The kubeadm folders of the workspace (those with a kubeadm-config.yaml under kubeadm/). */
async function pickClusterFolder(preset?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (preset) return preset;
  const active = vscode.window.activeTextEditor?.document.uri;
  const configs = await vscode.workspace.findFiles(`kubeadm/*/${kubeadmConfigFile}`, undefined, 50);
  const fromEditor =
    active && configs.find((c) => vscode.Uri.joinPath(c, '..').toString() === vscode.Uri.joinPath(active, '..').toString());
  if (fromEditor) return vscode.Uri.joinPath(fromEditor, '..');
  if (configs.length === 0)
    throw new ClusterDeckError(
      'notFound',
      'No kubeadm/<cluster>/kubeadm-config.yaml in this workspace; run "Generate kubeadm Cluster Files…" first.',
    );
  if (configs.length === 1) return vscode.Uri.joinPath(configs[0]!, '..');
  const picked = await vscode.window.showQuickPick(
    configs.map((c) => ({ label: vscode.workspace.asRelativePath(vscode.Uri.joinPath(c, '..')), uri: vscode.Uri.joinPath(c, '..') })),
    { title: 'Which kubeadm cluster?' },
  );
  return picked?.uri;
}

/** The files as they are in the workspace (the user may have edited them); the config must still parse. */
async function readClusterFiles(dir: vscode.Uri): Promise<{ spec: KubeadmSpec; files: GeneratedFile[] }> {
  const read = async (name: string) => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name)));
  const files: GeneratedFile[] = [];
  for (const name of [kubeadmConfigFile, bootstrapScriptFile, joinScriptFile, cniNoteFile]) {
    const text = await read(name).catch(() => undefined);
    if (text === undefined) {
      if (name === cniNoteFile) continue;
      throw new ClusterDeckError('notFound', `${vscode.workspace.asRelativePath(dir)}/${name} is missing; generate the files again.`);
    }
    files.push({ name, text, executable: name.endsWith('.sh') });
  }
  return { spec: parseKubeadmConfig(files[0]!.text), files };
}

// ---- Run over SSH ------------------------------------------------------------------------------------------------

/** A terminal that shows the run's lines (already redacted) and stops the run when closed. */
class RunTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private readonly pending: string[] = [];
  private opened = false;
  constructor(private readonly controller: AbortController) {}
  open(): void {
    this.opened = true;
    for (const p of this.pending.splice(0)) this.written.fire(p);
  }
  close(): void {
    this.controller.abort();
  }
  write(text: string): void {
    const out = `${text.replace(/\r?\n/g, '\r\n')}\r\n`;
    if (this.opened) this.written.fire(out);
    else this.pending.push(out);
  }
}

export async function runOverSsh(deps: KubeadmCommandDeps, preset?: vscode.Uri): Promise<void> {
  requireTrust('Run over SSH');
  const dir = await pickClusterFolder(isUri(preset) ? preset : undefined);
  if (!dir) return;
  const { spec, files } = await readClusterFiles(dir);
  const controlPlane = await askHost(deps, `Control-plane node of "${spec.clusterName}"`);
  if (!controlPlane) return;
  const workers: SshHostOptions[] = [];
  if (spec.workers > 0) {
    const text = await vscode.window.showInputBox({
      title: `Workers of "${spec.clusterName}" (${spec.workers} planned)`,
      prompt: 'user@host[:port] of each worker, comma-separated (empty = join them later); the same key is used',
      ignoreFocusOut: true,
      validateInput: (v) => {
        for (const t of v.split(/[\s,]+/).filter(Boolean)) {
          const r = parseSshTarget(t);
          if (!r.ok) return `${t}: ${r.message}`;
        }
        return undefined;
      },
    });
    if (text === undefined) return;
    for (const t of text.split(/[\s,]+/).filter(Boolean)) {
      const r = parseSshTarget(t);
      if (r.ok) workers.push({ ...controlPlane, target: r.target, sudo: r.target.user !== 'root' });
    }
  }
  const cpName = formatSshTarget(controlPlane.target);
  const confirm = await vscode.window.showWarningMessage(
    `Run ${bootstrapScriptFile} as root on ${cpName}${workers.length ? `, then ${joinScriptFile} on ${workers.map((w) => formatSshTarget(w.target)).join(', ')}` : ''}?`,
    {
      modal: true,
      detail: `It runs kubeadm init with ${kubeadmConfigFile} (Kubernetes ${spec.kubernetesVersion}, ${spec.cni}, pods ${spec.podSubnet}) and changes kernel modules, sysctl settings and swap on the node(s). It stops at the first failing step.`,
    },
    'Run',
  );
  if (confirm !== 'Run') return;
  // Workspace Trust is checked again at the spawn point: trust can be revoked while the questions were open.
  requireTrust('Run over SSH');
  const controller = new AbortController();
  const pty = new RunTerminal(controller);
  const terminal = vscode.window.createTerminal({ name: `kubeadm ${spec.clusterName}`, pty });
  terminal.show();
  const remote = await deps.remote();
  const onOutput = (line: string, stream: 'stdout' | 'stderr', host: string) =>
    pty.write(stream === 'stderr' ? `\x1b[33m[${host}] ${line}\x1b[0m` : `[${host}] ${line}`);
  try {
    pty.write(`\x1b[1mBootstrapping ${cpName}\x1b[0m`);
    await remote.bootstrap(controlPlane, files, { onOutput, signal: controller.signal });
    if (workers.length) {
      pty.write(`\x1b[1mJoining ${workers.length} worker(s)\x1b[0m`);
      await remote.joinWorkers(controlPlane, workers, files, { onOutput, signal: controller.signal });
    }
    pty.write('\x1b[32mDone.\x1b[0m');
    const next = await vscode.window.showInformationMessage(`kubeadm cluster "${spec.clusterName}" is up on ${cpName}.`, 'Import Cluster…');
    if (next) await vscode.commands.executeCommand(commandIds.kubeadmImportCluster);
  } catch (e) {
    if (!(e instanceof CancelledError)) pty.write(`\x1b[31m${redactKubeadmSecrets(e instanceof Error ? e.message : String(e))}\x1b[0m`);
    throw e;
  }
}

// ---- Print join command, Import cluster ------------------------------------------------------------------------

export async function printJoin(deps: KubeadmCommandDeps): Promise<void> {
  requireTrust('Print Join Command');
  const host = await askHost(deps, 'Control-plane node');
  if (!host) return;
  requireTrust('Print Join Command');
  const remote = await deps.remote();
  const line = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `kubeadm token create on ${formatSshTarget(host.target)}…`,
      cancellable: true,
    },
    (_p, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return remote.printJoinCommand(host, { signal: controller.signal });
    },
  );
  deps.log.info('provision', `join command created on ${formatSshTarget(host.target)} (token not logged)`);
  const picked = await vscode.window.showInformationMessage(
    'A join command was created (its token is valid 24 h and is a secret).',
    { modal: true, detail: redactKubeadmSecrets(line) },
    'Copy to Clipboard',
  );
  if (picked) await vscode.env.clipboard.writeText(line);
}

export async function importCluster(deps: KubeadmCommandDeps): Promise<void> {
  requireTrust('Import Cluster');
  const host = await askHost(deps, 'Control-plane node to import from');
  if (!host) return;
  const name = await vscode.window.showInputBox({
    title: 'Context name',
    prompt: 'The kubeconfig context and cluster name (the user becomes <name>-admin)',
    value:
      host.target.host
        .split('.')[0]
        ?.replace(/[^a-z0-9-]/gi, '-')
        .toLowerCase() ?? 'kubeadm',
    ignoreFocusOut: true,
    validateInput: (v) => (/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v) ? undefined : 'Use lowercase letters, digits and "-".'),
  });
  if (!name) return;
  requireTrust('Import Cluster');
  const remote = await deps.remote();
  const targetPath = await deps.kubeconfigTarget(name);
  const outcome = await remote.importCluster(host, {
    name,
    targetPath,
    confirmReplace: async (question) => (await vscode.window.showWarningMessage(question, { modal: true }, 'Replace')) === 'Replace',
  });
  switch (outcome.kind) {
    case 'written':
      deps.log.info('provision', `imported "${name}" into ${outcome.path}${outcome.backupPath ? ` (backup ${outcome.backupPath})` : ''}`);
      deps.refreshClusters();
      void vscode.window.showInformationMessage(
        `Context "${name}" (${outcome.server}) added to ${outcome.path}${outcome.backupPath ? `; the previous file is kept as ${outcome.backupPath}` : ''}.`,
      );
      return;
    case 'unchanged':
      void vscode.window.showInformationMessage(`${outcome.path} already has context "${name}" with the same content.`);
      return;
    case 'declined':
      return;
  }
}

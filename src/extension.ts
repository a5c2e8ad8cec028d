// Composition root: builds the node/ implementations and hands them to host/. Nothing else lives here.
import * as vscode from 'vscode';
import { SdkKubeClientFactory } from './node/kube/sdkKubeClientFactory';
import { kubeconfigPaths, loadKubeconfigs } from './node/kube/kubeconfigFiles';
import { watchKubeconfigFiles } from './node/kube/kubeconfigWatcher';
import { ClusterSchemaStore } from './node/manifests/clusterSchemaStore';
import { setCurrentContext } from './node/kube/setCurrentContext';
import { ObjectDocuments, objectScheme } from './host/explorer/objectDocuments';
import { ContextStatusBar } from './host/explorer/contextStatusBar';
import { ClustersTreeProvider, safeChildren } from './host/explorer/clustersTreeProvider';
import { extraKubeconfigs as extraKubeconfigFiles, registerKubeconfigReloads } from './host/explorer/kubeconfigSettings';
import { registerCommands } from './host/registerCommands';
import { GlobalStateExecApprovals } from './host/shared/execApprovals';
import { showExecPrompt } from './host/shared/execPromptNotification';
import { SignInState } from './core/kube/signInState';
import { createLog } from './host/shared/log';
import { loadManifestsEngine } from './host/manifests/loadManifestsEngine';
import { registerManifestLinting, type ManifestLinting } from './host/manifests/registerManifestLinting';
import type { ClusterNode } from './core/explorer/clusterNodes';
import { isReadOnly } from './host/shared/readOnly';
import type { BackupNode } from './core/velero/backupNodes';
import { BackupsTreeProvider } from './host/backups/backupsTreeProvider';
import { VeleroNotifier } from './host/backups/veleroNotifier';
import { OwnedSecrets } from './host/shared/ownedSecrets';
import { registerForgetCredentials } from './host/shared/forgetCredentials';
import { resolveContext } from './core/kube/kubeconfig';
import { loadVeleroSnapshot } from './core/velero/veleroSnapshot';
import { loadLiveUsage } from './core/tuning/liveUsage';
import { createDownloadFetcher } from './node/velero/downloadFetcher';
import { CloudRegistry, type CloudLoaders } from './node/clouds/cloudRegistry';
import { readKubeconfigText, writeKubeconfig } from './node/clouds/kubeconfigWriter';
import { findExecutable } from './node/kube/findExecutable';
import { awsRegionsFor, parseStringList } from './core/clouds/cloudSettings';
import { resumeCloudOperations, type CloudCommandDeps } from './host/clouds/cloudCommands';
import type { PendingOperation } from './core/clouds/pendingOperations';
import type { CloudTokenRequest } from './core/clouds/cloudExec';
import type { AccessTokenCredential } from './core/clouds/accessTokenCredential';
import type { ExplicitAzureCredential } from './node/clouds/aks/explicitAzureCredential';

type AzureTokenCredential = ExplicitAzureCredential['credential'];
import type { ClusterToken } from './core/clouds/cloudProvider';
import type { CloudKind } from './core/clouds/cloudProvider';
import type { OwnTokenCommand } from './core/clouds/kubeconfigEntry';
import type { CloudTreeNode } from './core/clouds/cloudTree';
import { CloudsTreeProvider } from './host/clouds/cloudsTreeProvider';
import { chooseKubeconfigTarget } from './core/clouds/connectCluster';
import { existsSync } from 'node:fs';
import { CloudDocuments, cloudDocumentScheme } from './host/clouds/cloudDocuments';
import { createVscodeAzureCredential } from './host/clouds/vscodeAzureCredential';
import { registerTuningCommands } from './host/tuning/rightSizeCommand';
import { findContextMetrics, forgetSessionTokens } from './host/tuning/tuningContext';
import type { KubeClient } from './core/kube/kubeClient';
import { registerTuningEditor, TuningRecommendations } from './host/tuning/tuningEditor';
import { registerCreateHpa } from './host/tuning/createHpa';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { FileJournal } from './node/provisioning/fileJournal';
import { ownerAlive } from './node/provisioning/ownerAlive';
import { registerProvisioning, resumeProvisioning, type ProvisionDeps } from './host/provisioning/provisionCommands';
import type { JournalEntry } from './core/provisioning/journal';
import { registerKubeadmCommands } from './host/provisioning/kubeadmCommands';
import { homedir } from 'node:os';

/** What activate() returns: used by the extension-host tests and by other extensions. */
export interface ClusterDeckApi {
  readonly activationMs: number;
  readonly clusters: {
    getChildren(node?: ClusterNode): Promise<ClusterNode[]>;
    /** The VS Code item of a node (label, description, contextValue the menus match). */
    getTreeItem(node: ClusterNode): vscode.TreeItem;
    refresh(): void;
  };
  readonly manifests: ManifestLinting;
  /** The latest right-sizing recommendations per context (the Right-size command fills it; the editor shows them). */
  readonly tuning: TuningRecommendations;
  /** The status bar's context / namespace text ('' when hidden). */
  statusBarText(): string;
  readonly backups: {
    getChildren(node?: BackupNode): Promise<BackupNode[]>;
    refresh(): void;
  };
  readonly clouds: {
    getChildren(node?: CloudTreeNode): Promise<CloudTreeNode[]>;
    getTreeItem(node: CloudTreeNode): vscode.TreeItem;
    refresh(): void;
  };
}

export function activate(context: vscode.ExtensionContext): ClusterDeckApi {
  const started = performance.now();
  const { log, channel } = createLog();
  context.subscriptions.push(channel);
  const settings = () => vscode.workspace.getConfiguration('clusterdeck');
  // The only secrets ClusterDeck keeps: in SecretStorage, their key names indexed for "Forget Credentials".
  const ownedSecrets = new OwnedSecrets(context.secrets, context.globalState);
  const veleroNamespace = () => settings().get<string>('velero.namespace', 'velero') || 'velero';
  const approvals = new GlobalStateExecApprovals(context.globalState);
  const signIns = new SignInState();
  const factory = new SdkKubeClientFactory({
    requestTimeoutMs: () => settings().get<number>('clusters.requestTimeoutMs', 30_000),
    approvals,
    isTrusted: () => vscode.workspace.isTrusted,
    allowPlainHttp: (contextName) => (settings().get<string[]>('clusters.allowPlainHttp', []) ?? []).includes(contextName),
    onRequest: (line) => log.info('kube', line),
    execTimeoutMs: () => settings().get<number>('auth.execTimeoutSeconds', 60) * 1000,
    onExecPrompt: (contextName, prompt) => showExecPrompt(contextName, prompt, log),
    signIns,
    // A cloud cluster whose kubeconfig names a missing `aws`/`gke-gcloud-auth-plugin`/`kubelogin` (or our own
    // `clusterdeck token`) gets its token from the cloud's SDK in-process.
    cloudTokens: (request, signal) => cloudToken(request, signal),
  });
  // Machine-scoped: only the user's own (global) value counts, never a workspace's; none in Restricted Mode.
  const extraKubeconfigs = () => extraKubeconfigFiles();
  const loadConfig = () => loadKubeconfigs(kubeconfigPaths(process.env, extraKubeconfigs()));

  const objects = new ObjectDocuments(loadConfig, factory);
  const clusters = new ClustersTreeProvider({
    loadConfig,
    factory,
    signIns,
    log,
    pageSize: () => 100,
    extensionUri: context.extensionUri,
    isReadOnly,
    fallbackNamespaces: (name) => settings().get<Record<string, string[]>>('explorer.namespaces', {})[name] ?? [],
    liveUpdates: () => settings().get<boolean>('explorer.liveUpdates', true),
    podUsage: async (contextName, namespace, signal) =>
      loadLiveUsage(await factory.createClient(resolveContext(await loadConfig(), contextName)), namespace, signal),
    // The HPA rules are their own chunk (dist/hpaTreeHints.js), loaded when an Autoscaling folder first opens.
    hpaHints: async (contextName, namespace, signal) =>
      (await import('./core/tuning/hpaTreeHints')).loadHpaHints(
        await factory.createClient(resolveContext(await loadConfig(), contextName)),
        namespace,
        signal,
      ),
    veleroCoverage: async (contextName, signal) => {
      const client = await factory.createClient(resolveContext(await loadConfig(), contextName));
      const snapshot = await loadVeleroSnapshot(client, veleroNamespace(), signal, { askServer: !isReadOnly(contextName) });
      // Only where Velero runs: CRDs without a server back nothing up, so "no backup schedule" would be noise.
      return snapshot.install.state === 'installed' ? snapshot : undefined;
    },
  });
  const view = vscode.window.createTreeView('clusterdeck.clusters', {
    treeDataProvider: {
      getTreeItem: (n: ClusterNode) => clusters.getTreeItem(n),
      getChildren: (n?: ClusterNode) => safeChildren(clusters, n),
      onDidChangeTreeData: clusters.onDidChangeTreeData,
    },
    showCollapseAll: true,
    canSelectMany: true,
  });
  const veleroNotifier = new VeleroNotifier(log);
  const backups = new BackupsTreeProvider({
    loadConfig,
    factory,
    log,
    veleroNamespace,
    onFinished: (contextName, finished) => {
      veleroNotifier.finished(contextName, finished);
      if (finished.kind === 'backup') clusters.refreshCoverage(contextName);
    },
  });
  const backupsView = vscode.window.createTreeView('clusterdeck.backups', { treeDataProvider: backups, showCollapseAll: true });
  context.subscriptions.push(
    backups,
    backupsView,
    backupsView.onDidCollapseElement((e) => backups.collapsed(e.element)),
  );
  // Clouds view: one provider per cloud, each its own lazy chunk (dist/<cloud>Provider.js), loaded on first use.
  const azureCredential = createVscodeAzureCredential({
    tenant: () => settings().get<string>('azure.tenant') || undefined,
    resourceManagerEndpoint: () => settings().inspect<string>('azure.resourceManagerEndpoint')?.globalValue || undefined,
    authorityHost: () => settings().inspect<string>('azure.authorityHost')?.globalValue || undefined,
  });
  // Machine-scoped settings (files, URLs) are read from the user's settings only, never from a workspace.
  const machine = (key: string): string | undefined => settings().inspect<string>(key)?.globalValue || undefined;
  const cloudLog = (line: string) => log.info('clouds', line);
  const cloudLoaders: CloudLoaders = {
    eks: () =>
      import('./node/clouds/eks/eksProvider').then((m) =>
        m.createEksProvider({
          env: process.env,
          ...(machine('aws.endpoint') ? { endpoint: machine('aws.endpoint') } : {}),
          onRequest: cloudLog,
        }),
      ),
    gke: () =>
      import('./node/clouds/gke/gkeProvider').then((m) =>
        m.createGkeProvider({
          env: process.env,
          ...(machine('gcp.apiEndpoint') ? { apiEndpoint: machine('gcp.apiEndpoint') } : {}),
          ...(machine('gcp.credentialsFile') ? { credentialsFile: machine('gcp.credentialsFile') } : {}),
          ...(machine('gcp.resourceManagerEndpoint') ? { resourceManagerEndpoint: machine('gcp.resourceManagerEndpoint') } : {}),
          ...(machine('gcp.computeEndpoint') ? { computeEndpoint: machine('gcp.computeEndpoint') } : {}),
          projects: parseStringList(settings().get('gcp.projects')),
          onRequest: cloudLog,
        }),
      ),
    aks: async () => {
      const { createAksProvider } = await import('./node/clouds/aks/aksProvider');
      const endpoint = machine('azure.resourceManagerEndpoint');
      return createAksProvider({
        credential: await azureSignIn(),
        ...(endpoint ? { resourceManagerEndpoint: endpoint } : {}),
        onRequest: cloudLog,
      });
    },
  };
  /**
   * Azure sign-in: a service principal in the environment (AZURE_TENANT_ID/CLIENT_ID/CLIENT_SECRET, as Azure's
   * tools read it) signs in without a prompt; otherwise VS Code's Microsoft account. Never a default chain.
   */
  async function azureSignIn(): Promise<AccessTokenCredential | AzureTokenCredential> {
    const env = process.env;
    if (!(env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID && env.AZURE_CLIENT_SECRET)) return azureCredential;
    // The authority host setting (sovereign clouds) wins over AZURE_AUTHORITY_HOST.
    const authorityHost = machine('azure.authorityHost');
    return (await import('./node/clouds/aks/explicitAzureCredential')).createExplicitAzureCredential(
      authorityHost ? { ...env, AZURE_AUTHORITY_HOST: authorityHost } : env,
      () => undefined,
    ).credential;
  }
  /** The in-process token a recognised cloud credential plugin stands for (SdkKubeClientFactory's cloudTokens). */
  async function cloudToken(request: CloudTokenRequest, signal?: AbortSignal): Promise<ClusterToken> {
    switch (request.cloud) {
      case 'eks': {
        const env = process.env;
        // The AWS CLI's order: --profile, then environment keys, then AWS_PROFILE, then "default".
        const account = request.profile ?? (env.AWS_ACCESS_KEY_ID ? 'env' : (env.AWS_PROFILE ?? 'default'));
        return (await cloudRegistry.provider('eks')).getClusterToken({ account, location: request.region, name: request.cluster }, signal);
      }
      case 'gke':
        return (await cloudRegistry.provider('gke')).getClusterToken({ account: '', location: '', name: '' }, signal);
      case 'aks': {
        if (request.cluster && request.resourceGroup && request.subscription)
          return (await cloudRegistry.provider('aks')).getClusterToken(
            { account: request.subscription, location: '', name: request.cluster, resourceGroup: request.resourceGroup },
            signal,
          );
        const { getAksEntraToken } = await import('./node/clouds/aks/aksProvider');
        return getAksEntraToken(await azureSignIn(), request.cluster ?? 'the cluster', signal, `${request.serverId}/.default`);
      }
    }
  }
  const cloudRegistry = new CloudRegistry({
    loaders: cloudLoaders,
    enabledSetting: () => settings().get<unknown>('clouds.enabled'),
    isTrusted: () => vscode.workspace.isTrusted,
  });
  const hiddenKey = 'clusterdeck.clouds.hiddenAccounts';
  // Cloud operations being followed: kept across restarts, resumed below once the commands are registered.
  const pendingKey = 'clusterdeck.clouds.pendingOperations';
  const cloudOperations = {
    get: () => context.globalState.get<unknown>(pendingKey, []),
    set: (list: readonly PendingOperation[]) => context.globalState.update(pendingKey, list),
  };
  const hidden = () => context.globalState.get<string[]>(hiddenKey, []);
  const kubeContexts = async () => {
    const config = await loadConfig();
    return config.contexts.map((c) => ({
      name: c.name,
      clusterName: c.clusterName,
      server: config.clusters.get(c.clusterName)?.server ?? '',
    }));
  };
  // The operations journal (provisioning): one fsync'd file per create in global storage, read by the Clouds view.
  const journal = new FileJournal(join(context.globalStorageUri.fsPath, 'ops'), (file, why) =>
    log.warn('provision', `journal file ${file} skipped: ${why}`),
  );
  const shownOperations = async (): Promise<readonly JournalEntry[]> =>
    (await journal.list()).filter((e) => e.state !== 'succeeded' || Date.now() - e.updatedAtMs < 24 * 60 * 60 * 1000);
  const cloudsTree = new CloudsTreeProvider({
    operations: shownOperations,
    source: cloudRegistry,
    kubeContexts,
    // clusterdeck.aws.regions: a list for every profile, or an object of lists keyed by profile name.
    scopesFor: (cloud: CloudKind, account: string) => (cloud === 'eks' ? awsRegionsFor(settings().get('aws.regions'), account) : undefined),
    // Forgotten accounts, and AWS profiles outside clusterdeck.aws.profiles when that list is set.
    isHidden: (cloud, id) => {
      if (hidden().includes(`${cloud}:${id}`)) return true;
      const profiles = cloud === 'eks' ? parseStringList(settings().inspect('aws.profiles')?.globalValue) : [];
      return profiles.length > 0 && !profiles.includes(id);
    },
    log,
  });
  const cloudDocuments = new CloudDocuments();
  context.subscriptions.push(
    cloudsTree,
    cloudDocuments,
    vscode.workspace.registerTextDocumentContentProvider(cloudDocumentScheme, cloudDocuments),
    vscode.window.createTreeView('clusterdeck.clouds', { treeDataProvider: cloudsTree, showCollapseAll: true }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => cloudsTree.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (['clouds', 'aws', 'gcp', 'azure'].some((a) => e.affectsConfiguration(`clusterdeck.${a}`))) {
        cloudRegistry.forget();
        cloudsTree.refresh();
      }
    }),
  );
  const cloudCommandDeps: CloudCommandDeps = {
    log,
    tree: cloudsTree,
    source: cloudRegistry,
    documents: cloudDocuments,
    connect: {
      // The file already defining that context, else where kubectl writes new entries.
      targetPath: async (name) =>
        (await loadConfig()).contexts.find((c) => c.name === name)?.sourcePath ??
        chooseKubeconfigTarget(kubeconfigPaths(process.env, []), existsSync) ??
        '',
      readText: readKubeconfigText,
      write: (path, text) => writeKubeconfig(path, text),
      hasBinary: (name) => Promise.resolve(findExecutable(name).path !== undefined),
      ownCommand: () => ownTokenCommand(context.extensionUri),
    },
    setCurrentContext: (name) => setCurrentContext(kubeconfigPaths(process.env, extraKubeconfigs()), name),
    kubeContexts,
    azure: azureCredential,
    hiddenAccounts: { add: (cloud, id) => context.globalState.update(hiddenKey, [...new Set([...hidden(), `${cloud}:${id}`])]) },
    pending: cloudOperations,
  };
  context.subscriptions.push(
    clusters,
    view,
    view.onDidCollapseElement((e) => clusters.collapsed(e.element)),
    ...registerCommands({
      backups: {
        log,
        loadConfig,
        factory,
        backups,
        notifier: veleroNotifier,
        veleroNamespace,
        download: createDownloadFetcher({ timeoutMs: 60_000 }),
        downloadTimeoutMs: () => settings().get<number>('velero.downloadTimeoutSeconds', 60) * 1000,
      },
      log,
      clusters,
      loadConfig,
      approvals,
      factory,
      setCurrentContext: (name) => setCurrentContext(kubeconfigPaths(process.env, extraKubeconfigs()), name),
      clouds: cloudCommandDeps,
    }),
    registerForgetCredentials({
      log,
      secrets: ownedSecrets,
      forgetClusterCredentials: () => {
        // Prometheus tokens kept for this session only (SecretStorage unavailable) go too.
        forgetSessionTokens();
        return factory.forgetCredentials();
      },
      forgetCloudCredentials: () => {
        cloudRegistry.forget();
        azureCredential.signOut();
      },
    }),
    vscode.workspace.registerTextDocumentContentProvider(objectScheme, objects),
    objects,
    clusters.onDidChangeTreeData(() => objects.refreshAll()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // A context added to clusterdeck.clusters.allowPlainHttp (B14) loads at once, without a Retry.
      const plainHttp = e.affectsConfiguration('clusterdeck.clusters.allowPlainHttp');
      if (
        plainHttp ||
        e.affectsConfiguration('clusterdeck.explorer.namespaces') ||
        e.affectsConfiguration('clusterdeck.explorer.liveUpdates')
      )
        clusters.refresh();
      else if (e.affectsConfiguration('clusterdeck.explorer.readOnlyContexts')) clusters.redraw();
      if (plainHttp || e.affectsConfiguration('clusterdeck.velero')) backups.refresh();
    }),
  );
  // Edits of the kubeconfig files (KUBECONFIG list and clusterdeck.kubeconfigs) refresh the tree by themselves.
  const kubeconfigWatcher = watchKubeconfigFiles(
    () => kubeconfigPaths(process.env, extraKubeconfigs()),
    () => {
      log.info('explorer', 'a kubeconfig file changed: refreshing');
      clusters.refresh();
    },
    { onError: (m) => log.warn('explorer', `cannot watch kubeconfig directory ${m}`) },
  );
  context.subscriptions.push(
    { dispose: () => kubeconfigWatcher.dispose() },
    // Trust granted or clusterdeck.kubeconfigs changed: the set of files changed (B20).
    ...registerKubeconfigReloads((why) => {
      log.info('explorer', `${why}: reloading the kubeconfig files`);
      kubeconfigWatcher.update();
      clusters.refresh();
      backups.refresh();
    }),
  );
  const statusBar = new ContextStatusBar(loadConfig);
  context.subscriptions.push(
    statusBar,
    clusters.onDidChangeTreeData(() => void statusBar.update()),
  );
  void statusBar.update();
  const manifests = registerManifestLinting(context, {
    log,
    loadEngine: loadManifestsEngine,
    clusterSchemas: new ClusterSchemaStore(vscode.Uri.joinPath(context.globalStorageUri, 'cluster-schemas').fsPath, factory, loadConfig),
    listContexts: async () => (await loadConfig()).contexts.map((c) => c.name),
  });
  // Tuning in the editor: recommendations on matching manifests (pure edits, also in Restricted Mode) and Create HPA.
  const tuning = new TuningRecommendations();
  const tuningMetrics = {
    secrets: ownedSecrets,
    // Prometheus discovery and client: their own chunk (dist/tuningMetrics.js), loaded on first use.
    findMetrics: async (
      kube: KubeClient,
      configured: { readonly url: string; readonly bearerToken?: string } | undefined,
      signal: AbortSignal,
    ) => (await import('./node/tuning/tuningMetrics')).findMetrics(kube, configured, signal, (line) => log.info('kube', line)),
  };
  context.subscriptions.push(
    tuning,
    ...registerTuningEditor(tuning, log),
    registerCreateHpa(
      { loadConfig, factory, findMetrics: (contextName, kube, signal) => findContextMetrics(tuningMetrics, contextName, kube, signal) },
      log,
    ),
  );
  // Right-size…: the report (webview) from Prometheus; its recommendations also go to the editor (`tuning`).
  context.subscriptions.push(
    ...registerTuningCommands({
      log,
      loadConfig,
      factory,
      extensionUri: context.extensionUri,
      secrets: ownedSecrets,
      recommendations: tuning,
      findMetrics: tuningMetrics.findMetrics,
    }),
  );
  const provisionDeps: ProvisionDeps = {
    log,
    source: cloudRegistry,
    journal,
    catalog: () => import('./core/provisioning/provisioningCatalog'),
    owner: `window-${process.pid}-${randomUUID().slice(0, 8)}`,
    newId: () => randomUUID(),
    digest: (text) => createHash('sha256').update(text).digest('hex'),
    refreshTree: () => cloudsTree.redrawOperations(),
    refreshCloud: (cloud) => cloudsTree.refresh(cloud),
    ownerAlive,
  };
  const provisionFollowing = new Set<string>();
  context.subscriptions.push(
    ...registerProvisioning(provisionDeps, provisionFollowing),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void resumeProvisioning(provisionDeps, provisionFollowing)),
  );
  // kubeadm: files from a wizard; over SSH (ssh2 in its own chunk, dist/kubeadmSsh.js) only when asked, trusted.
  const sshDir = join(homedir(), '.ssh');
  context.subscriptions.push(
    ...registerKubeadmCommands({
      log,
      remote: async () =>
        (await import('./node/provisioning/ssh/kubeadmSsh')).createKubeadmRemote({ onRequest: (line) => log.info('provision', line) }),
      knownHostsPath: () => join(sshDir, 'known_hosts'),
      agentSocket: () => process.env.SSH_AUTH_SOCK || undefined,
      defaultKeys: () => ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => join(sshDir, k)).filter((p) => existsSync(p)),
      kubeconfigTarget: async (name) =>
        (await loadConfig()).contexts.find((c) => c.name === name)?.sourcePath ??
        chooseKubeconfigTarget(kubeconfigPaths(process.env, []), existsSync) ??
        join(homedir(), '.kube', 'config'),
      refreshClusters: () => clusters.refresh(),
    }),
  );
  void vscode.commands.executeCommand('setContext', 'clusterdeck.activated', true);
  // Cloud operations a previous session was following (a scale, an upgrade, a delete): follow them again, after
  // activation and only in a trusted workspace (the providers load lazily; nothing when none is pending).
  if (vscode.workspace.isTrusted) setTimeout(() => void resumeCloudOperations(cloudCommandDeps), 0);
  // Creates a previous session started (journal entries still active): tracking resumes at once, in a trusted
  // workspace only (provisioning.md §4: within 5 s).
  if (vscode.workspace.isTrusted) setTimeout(() => void resumeProvisioning(provisionDeps, provisionFollowing), 0);
  const activationMs = performance.now() - started;
  log.info('activate', `activated in ${activationMs.toFixed(1)} ms (trusted: ${vscode.workspace.isTrusted})`);
  return {
    activationMs,
    clusters: {
      getChildren: (n) => safeChildren(clusters, n),
      getTreeItem: (n) => clusters.getTreeItem(n),
      refresh: () => clusters.refresh(),
    },
    manifests,
    tuning,
    statusBarText: () => statusBar.text,
    backups: { getChildren: (n) => backups.getChildren(n), refresh: () => backups.refresh() },
    clouds: {
      getChildren: (n) => cloudsTree.getChildren(n),
      getTreeItem: (n) => cloudsTree.getTreeItem(n),
      refresh: () => cloudsTree.refresh(),
    },
  };
}

/**
 * The `clusterdeck token …` command Connect writes when the cloud's own plugin is missing: Node with our bundled
 * CLI; without a `node` on PATH, the editor's own runtime in Node mode (ELECTRON_RUN_AS_NODE).
 */
function ownTokenCommand(extensionUri: vscode.Uri): OwnTokenCommand {
  const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
  const node = findExecutable('node').path;
  return node
    ? { command: node, leadingArgs: [cli] }
    : { command: process.execPath, leadingArgs: [cli], env: [{ name: 'ELECTRON_RUN_AS_NODE', value: '1' }] };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

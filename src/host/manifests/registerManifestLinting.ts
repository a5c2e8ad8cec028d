import * as vscode from 'vscode';
import type { ClusterSchemaSource } from '../../core/manifests/schema/clusterSchemas';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import { ClusterSchemaBindings } from './clusterSchemaBindings';
import { ManifestCodeActions } from './manifestCodeActions';
import { ManifestDiagnostics, type ManifestsEngine } from './manifestDiagnostics';
import { registerManifestLanguageFeatures } from './manifestLanguageFeatures';

/** What tests and other features can ask of the linter once it runs. */
export interface ManifestLinting {
  /** Resolves with the diagnostics provider once the engine is loaded and the workspace indexed. */
  ready(): Promise<ManifestDiagnostics>;
  readonly bindings: ClusterSchemaBindings;
}

export interface ManifestLintingDeps {
  readonly log: Log;
  readonly loadEngine: () => Promise<ManifestsEngine>;
  readonly clusterSchemas: ClusterSchemaSource;
  /** Context names of the merged kubeconfig, for the "validate against a cluster" picker. */
  readonly listContexts: () => Promise<string[]>;
}

/**
 * Starts YAML linting the first time a YAML document is open, loading the engine chunk then (activation
 * never pays for rules and schemas), and registers the cluster-schema commands.
 */
export function registerManifestLinting(context: vscode.ExtensionContext, deps: ManifestLintingDeps): ManifestLinting {
  const { log } = deps;
  const bindings = new ClusterSchemaBindings(context.workspaceState, deps.clusterSchemas, log);
  context.subscriptions.push(bindings);
  let started: Promise<ManifestDiagnostics> | undefined;
  const start = (): Promise<ManifestDiagnostics> => {
    started ??= (async () => {
      const t = performance.now();
      const engine = await deps.loadEngine();
      await bindings.init();
      const diagnostics = new ManifestDiagnostics({
        engine,
        log,
        clusterSchemasFor: (folder) => {
          const schemas = bindings.schemasFor(folder);
          return schemas ? { schemas, tables: bindings.tablesOf(schemas) } : undefined;
        },
      });
      context.subscriptions.push(
        diagnostics,
        bindings.onDidChange(() => diagnostics.relintAll()),
        vscode.languages.registerCodeActionsProvider(
          [{ language: 'yaml' }, { pattern: '**/*.{yaml,yml}' }],
          new ManifestCodeActions(diagnostics, engine),
          {
            providedCodeActionKinds: ManifestCodeActions.kinds,
          },
        ),
        ...registerManifestLanguageFeatures(engine, diagnostics),
      );
      log.info('command', `[manifests] linter loaded in ${(performance.now() - t).toFixed(0)} ms`);
      await diagnostics.start();
      return diagnostics;
    })();
    return started;
  };

  const pickFolder = async (title: string): Promise<vscode.WorkspaceFolder | undefined> => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length <= 1) return folders[0];
    return vscode.window.showWorkspaceFolderPick({ placeHolder: title });
  };
  const withProgress = <T>(title: string, fn: (token: vscode.CancellationToken) => Promise<T>) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => fn(token));

  context.subscriptions.push(
    registerCommand(
      commandIds.manifestsUseClusterSchemas,
      async (folderArg?: vscode.WorkspaceFolder, contextArg?: string) => {
        const folder = folderArg ?? (await pickFolder('Validate the manifests of which folder?'));
        if (!folder) return;
        const contextName =
          contextArg ??
          (await vscode.window.showQuickPick(await deps.listContexts(), {
            title: `Validate ${folder.name} against the schemas of which cluster?`,
          }));
        if (!contextName) return;
        await start();
        const schemas = await withProgress(`Reading the schemas of ${contextName}…`, (token) => bindings.bind(folder, contextName, token));
        void vscode.window.showInformationMessage(
          `${folder.name} is validated against ${contextName}: Kubernetes ${schemas.kubernetesVersion ?? 'version unknown'}, ${Object.keys(schemas.table.kinds).length} custom kind(s).`,
        );
      },
      log,
    ),
    registerCommand(
      commandIds.manifestsRefreshClusterSchemas,
      async () => {
        await start();
        for (const contextName of bindings.boundContexts()) {
          await withProgress(`Refreshing the schemas of ${contextName}…`, (token) => bindings.refresh(contextName, token));
        }
      },
      log,
    ),
    registerCommand(
      commandIds.manifestsStopClusterSchemas,
      async () => {
        const folder = await pickFolder('Stop validating which folder against a cluster?');
        if (folder) await bindings.unbind(folder);
      },
      log,
    ),
  );

  const isYaml = (d: vscode.TextDocument) => d.languageId === 'yaml' || /\.ya?ml$/i.test(d.fileName);
  if (vscode.workspace.textDocuments.some(isYaml)) void start();
  else {
    const listener = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isYaml(d)) return;
      listener.dispose();
      void start();
    });
    context.subscriptions.push(listener);
  }
  return { ready: start, bindings };
}

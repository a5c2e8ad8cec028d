import * as vscode from 'vscode';
import type { LintConfig } from '../../core/manifests/lintConfig';
import type { ClusterSchemas } from '../../core/manifests/schema/clusterSchemas';
import type { SchemaTable } from '../../core/manifests/schema/schemaTypes';
import type { ManifestIndex } from '../../core/manifests/manifestIndex';
import type { Rule } from '../../core/manifests/rule';
import type { Finding, ManifestFile, Preset, Severity } from '../../core/manifests/types';
import type { Log } from '../shared/log';

/** The lazily loaded linter chunk (src/core/manifests/manifestsEngine.ts). */
export type ManifestsEngine = typeof import('../../core/manifests/manifestsEngine');

export interface ManifestDiagnosticsDeps {
  readonly engine: ManifestsEngine;
  readonly log: Log;
  /** The cluster schemas bound to a workspace folder (custom kinds, the cluster's minor), if any. */
  readonly clusterSchemasFor?: (
    folder: vscode.WorkspaceFolder,
  ) => { readonly schemas: ClusterSchemas; readonly tables: readonly SchemaTable[] } | undefined;
}

/** The index key of a document: its file path (so Kustomize paths resolve), else its URI. */
export function manifestKey(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Where a rule's documentation lives (the diagnostic's `code` links there). */
export function ruleDocsUri(ruleId: string): vscode.Uri {
  return vscode.Uri.parse(`https://github.com/clusterdeck/clusterdeck/blob/main/docs/rules.md#${ruleId}`);
}

const DEBOUNCE_MS = 150;
const MAX_INDEXED_FILES = 5_000;

/**
 * Lints YAML manifests as they are opened and typed (debounced), with every workspace manifest visible to
 * cross-document rules, and publishes diagnostics for open documents (`source: clusterdeck`, `code` = rule id).
 * Works offline and in Restricted Mode: it runs no process and contacts nothing.
 */
export class ManifestDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('clusterdeck');
  private readonly index: ManifestIndex;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly findings = new Map<string, Finding[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private configs = new Map<string, LintConfig>();
  private indexing: Promise<void> | undefined;

  constructor(private readonly deps: ManifestDiagnosticsDeps) {
    this.index = new deps.engine.ManifestIndex(() => 'default');
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('clusterdeck.manifests')) void this.relintOpen();
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/.clusterdeck/lint.yaml');
    this.disposables.push(
      watcher,
      watcher.onDidChange(() => this.reloadConfigs()),
      watcher.onDidCreate(() => this.reloadConfigs()),
      watcher.onDidDelete(() => this.reloadConfigs()),
    );
  }

  /** Starts the background workspace index and lints what is open. */
  async start(): Promise<void> {
    await this.reloadConfigs();
    this.indexing ??= this.indexWorkspace();
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    await this.indexing;
    await this.relintOpen();
  }

  /** The last findings of a document (for quick fixes and tests). */
  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findings.get(manifestKey(uri)) ?? [];
  }

  fileFor(uri: vscode.Uri): ManifestFile | undefined {
    return this.index.get(manifestKey(uri));
  }

  /** Lints a document now (skipping the debounce); resolves when its diagnostics are published. */
  async lintNow(document: vscode.TextDocument): Promise<void> {
    this.lintDocument(document);
    return Promise.resolve();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  private isCandidate(document: vscode.TextDocument): boolean {
    // The user's files (saved or not); not ClusterDeck's own read-only views of cluster objects, diffs or logs.
    return (
      (document.languageId === 'yaml' || /\.ya?ml$/i.test(document.fileName) || isArmClusterJson(document)) &&
      document.uri.scheme !== 'output' &&
      !document.uri.scheme.startsWith('clusterdeck-')
    );
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!this.isCandidate(document)) return;
    const key = manifestKey(document.uri);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.lintDocument(document);
      }, delayMs),
    );
  }

  private lintDocument(document: vscode.TextDocument): void {
    if (document.isClosed) return;
    const key = manifestKey(document.uri);
    const config = this.configFor(document.uri);
    if (this.isIgnored(document.uri, config)) {
      this.collection.delete(document.uri);
      return;
    }
    const started = performance.now();
    const affected = this.index.update(key, document.getText());
    const openDocs = new Map(vscode.workspace.textDocuments.map((d) => [manifestKey(d.uri), d.uri]));
    const targets = affected.filter((p) => p === key || openDocs.has(p));
    const rules = this.activeRules();
    // Each affected file is linted under its own config (its folder's lint.yaml, its bound cluster).
    for (const target of targets) {
      const targetUri = openDocs.get(target) ?? document.uri;
      const results = this.index.lint([target], rules, target === key ? config : this.configFor(targetUri));
      this.publish(target, results.get(target) ?? []);
    }
    const ms = performance.now() - started;
    if (ms > 50) this.deps.log.debug('command', `[manifests] linted ${targets.length} file(s) in ${ms.toFixed(0)} ms`);
  }

  private publish(key: string, findings: Finding[]): void {
    this.findings.set(key, findings);
    const document = vscode.workspace.textDocuments.find((d) => manifestKey(d.uri) === key);
    if (!document) return;
    this.collection.set(
      document.uri,
      findings
        .filter((f) => !f.suppressedBy)
        .map((f) => {
          const range = new vscode.Range(document.positionAt(f.range.start), document.positionAt(Math.max(f.range.end, f.range.start + 1)));
          const d = new vscode.Diagnostic(range, f.message, severities[f.severity]);
          d.source = 'clusterdeck';
          d.code = { value: f.ruleId, target: ruleDocsUri(f.ruleId) };
          return d;
        }),
    );
  }

  /** False when schema work is left to the Red Hat YAML extension (or switched off): no duplicate errors, hovers or completions. */
  schemaFeaturesEnabled(): boolean {
    const mode = vscode.workspace.getConfiguration('clusterdeck').get<'auto' | 'on' | 'off'>('manifests.schemaValidation', 'auto');
    const redHat = vscode.extensions.getExtension('redhat.vscode-yaml');
    return !(mode === 'off' || (mode === 'auto' && redHat !== undefined && redHatValidatesKubernetes()));
  }

  private activeRules(): readonly Rule[] {
    const rules: readonly Rule[] = this.deps.engine.ruleCatalogue;
    return this.schemaFeaturesEnabled() ? rules : rules.filter((r) => !this.deps.engine.schemaRuleIds.includes(r.id));
  }

  /** The lint config of a document: settings, the bound cluster, the nearest .clusterdeck/lint.yaml. */
  configFor(uri: vscode.Uri): LintConfig {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const settings = vscode.workspace.getConfiguration('clusterdeck', uri);
    const bound = folder ? this.deps.clusterSchemasFor?.(folder) : undefined;
    const cluster = bound?.schemas;
    const settingVersion = settings.get<string>('manifests.kubernetesVersion') || undefined;
    // Version precedence (lint-rules.md §4.8): lint.yaml, then the bound cluster's /version, then the setting.
    const fromSettings: LintConfig = {
      ...this.deps.engine.defaultLintConfig,
      preset: settings.get<Preset>('manifests.preset', 'recommended'),
      ...(cluster?.kubernetesVersion || settingVersion ? { targetKubernetesVersion: cluster?.kubernetesVersion ?? settingVersion } : {}),
      ...(bound ? { extraSchemas: bound.tables } : {}),
    };
    const fromFile = this.nearestConfig(uri);
    if (!fromFile) return fromSettings;
    return {
      ...fromSettings,
      ...fromFile,
      rules: { ...fromSettings.rules, ...fromFile.rules },
      ...(fromSettings.extraSchemas ? { extraSchemas: fromSettings.extraSchemas } : {}),
      ...((fromFile.targetKubernetesVersion ?? fromSettings.targetKubernetesVersion)
        ? { targetKubernetesVersion: fromFile.targetKubernetesVersion ?? fromSettings.targetKubernetesVersion }
        : {}),
    };
  }

  /** The config of the deepest folder above `uri` that has a `.clusterdeck/lint.yaml` (per-folder override). */
  private nearestConfig(uri: vscode.Uri): LintConfig | undefined {
    const path = uri.toString();
    let best: { root: string; config: LintConfig } | undefined;
    for (const [root, config] of this.configs) {
      if ((path.startsWith(`${root}/`) || path === root) && (!best || root.length > best.root.length)) best = { root, config };
    }
    return best?.config;
  }

  /** Re-lints every open manifest (after a config or cluster-schema change). */
  relintAll(): void {
    void this.relintOpen();
  }

  private isIgnored(uri: vscode.Uri, config: LintConfig): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || config.ignorePaths.length === 0) return false;
    return this.deps.engine.matchesAnyGlob(vscode.workspace.asRelativePath(uri, false), config.ignorePaths);
  }

  /** Reads every `.clusterdeck/lint.yaml` of the workspace, keyed by the folder it governs (its parent's parent). */
  private async reloadConfigs(): Promise<void> {
    const next = new Map<string, LintConfig>();
    const found = await vscode.workspace.findFiles('**/.clusterdeck/lint.yaml', '**/node_modules/**', 200);
    for (const uri of found) {
      const root = vscode.Uri.joinPath(uri, '..', '..');
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const { config, problems } = this.deps.engine.parseLintConfig(text);
        for (const p of problems) this.deps.log.warn('command', `[manifests] ${uri.fsPath}:${p.line}: ${p.message}`);
        next.set(root.toString(), config);
      } catch {
        /* unreadable: ignored */
      }
    }
    this.configs = next;
    await this.relintOpen();
  }

  private relintOpen(): Promise<void> {
    for (const d of vscode.workspace.textDocuments) if (this.isCandidate(d)) this.lintDocument(d);
    return Promise.resolve();
  }

  private async indexWorkspace(): Promise<void> {
    const started = performance.now();
    const uris = await vscode.workspace.findFiles(
      '**/*.{yaml,yml}',
      '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}',
      MAX_INDEXED_FILES,
    );
    const decoder = new TextDecoder();
    const open = new Set(vscode.workspace.textDocuments.map((d) => manifestKey(d.uri)));
    for (const uri of uris) {
      if (open.has(manifestKey(uri))) continue;
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (bytes.byteLength > 5 * 1024 * 1024) continue;
        this.index.update(manifestKey(uri), decoder.decode(bytes).replace(/^\uFEFF/, ''));
      } catch {
        /* unreadable: skipped */
      }
    }
    this.deps.log.info(
      'command',
      `[manifests] indexed ${this.index.size} manifest file(s) of ${uris.length} YAML file(s) in ${(performance.now() - started).toFixed(0)} ms`,
    );
  }
}

/** True when the Red Hat YAML extension is set to validate Kubernetes schemas (`yaml.schemas` names kubernetes). */
function redHatValidatesKubernetes(): boolean {
  const yaml = vscode.workspace.getConfiguration('yaml');
  if (yaml.get<boolean>('validate', true) === false) return false;
  const schemas = yaml.get<Record<string, unknown>>('schemas', {});
  return Object.keys(schemas).some((k) => /kubernetes/i.test(k));
}

/** An ARM managedClusters / agentPools JSON file (provisioning): linted like YAML; other JSON files are not. */
function isArmClusterJson(document: vscode.TextDocument): boolean {
  return (
    (document.languageId === 'json' || /\.json$/i.test(document.fileName)) &&
    document.lineCount < 5000 &&
    /"type"\s*:\s*"Microsoft\.ContainerService\/managedClusters/.test(document.getText())
  );
}

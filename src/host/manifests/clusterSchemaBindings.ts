import * as vscode from 'vscode';
import type { ClusterSchemaSource, ClusterSchemas } from '../../core/manifests/schema/clusterSchemas';
import type { SchemaTable } from '../../core/manifests/schema/schemaTypes';
import type { Log } from '../shared/log';

const KEY = 'clusterdeck.manifests.clusterBindings';

/**
 * Which cluster context each workspace folder validates against (kept in workspaceState, never in settings, so a
 * workspace cannot point ClusterDeck at a cluster by itself), and the cached schemas of those contexts.
 */
export class ClusterSchemaBindings {
  private readonly schemas = new Map<string, ClusterSchemas>();
  private readonly tables = new WeakMap<ClusterSchemas, readonly SchemaTable[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly source: ClusterSchemaSource,
    private readonly log: Log,
  ) {}

  private bindings(): Record<string, string> {
    return this.state.get<Record<string, string>>(KEY) ?? {};
  }

  contextOf(folder: vscode.WorkspaceFolder): string | undefined {
    return this.bindings()[folder.uri.toString()];
  }

  /** Loads the cached schemas of every bound context (no network). */
  async init(): Promise<void> {
    for (const context of new Set(Object.values(this.bindings()))) {
      const cached = await this.source.load(context);
      if (cached) this.schemas.set(context, cached);
    }
    if (this.schemas.size) this.changed.fire();
  }

  schemasFor(folder: vscode.WorkspaceFolder): ClusterSchemas | undefined {
    const context = this.contextOf(folder);
    return context ? this.schemas.get(context) : undefined;
  }

  /** One stable array per loaded schema set, so lint caches keyed on it stay valid. */
  tablesOf(schemas: ClusterSchemas): readonly SchemaTable[] {
    let t = this.tables.get(schemas);
    if (!t) {
      t = [schemas.table];
      this.tables.set(schemas, t);
    }
    return t;
  }

  async bind(folder: vscode.WorkspaceFolder, context: string, token: vscode.CancellationToken): Promise<ClusterSchemas> {
    await this.state.update(KEY, { ...this.bindings(), [folder.uri.toString()]: context });
    return this.refresh(context, token);
  }

  async unbind(folder: vscode.WorkspaceFolder): Promise<void> {
    const next = { ...this.bindings() };
    delete next[folder.uri.toString()];
    await this.state.update(KEY, next);
    this.changed.fire();
  }

  async refresh(context: string, token: vscode.CancellationToken): Promise<ClusterSchemas> {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const schemas = await this.source.refresh(context, controller.signal);
      this.schemas.set(context, schemas);
      this.log.info(
        'command',
        `[manifests] schemas of "${context}": ${Object.keys(schemas.table.kinds).length} custom kind(s), Kubernetes ${schemas.kubernetesVersion ?? '?'}`,
      );
      this.changed.fire();
      return schemas;
    } finally {
      sub.dispose();
    }
  }

  boundContexts(): string[] {
    return [...new Set(Object.values(this.bindings()))];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

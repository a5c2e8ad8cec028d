import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { ClusterSchemaSource, ClusterSchemas } from '../../core/manifests/schema/clusterSchemas';

/**
 * Cluster schemas cached on disk (one JSON file per context under `dir`, written atomically), fetched through the
 * KubeClient port (so trust, exec approval, timeouts and TLS rules apply as for every cluster call).
 */
export class ClusterSchemaStore implements ClusterSchemaSource {
  constructor(
    private readonly dir: string,
    private readonly factory: KubeClientFactory,
    private readonly loadConfig: () => Promise<MergedKubeconfig>,
  ) {}

  private fileOf(context: string): string {
    return join(this.dir, `${createHash('sha256').update(context).digest('hex').slice(0, 24)}.json`);
  }

  async load(context: string): Promise<ClusterSchemas | undefined> {
    try {
      const cached = JSON.parse(await readFile(this.fileOf(context), 'utf8')) as ClusterSchemas;
      return cached.context === context && typeof cached.table === 'object' ? cached : undefined;
    } catch {
      return undefined;
    }
  }

  async refresh(context: string, signal: AbortSignal): Promise<ClusterSchemas> {
    // The schema code and tables live in the lazily loaded linter chunk (the bundler maps this import to it).
    const { isBundledGroup, minorOf, tableFromClusterOpenApi } = await import('../../core/manifests/manifestsEngine');
    const config = await this.loadConfig();
    const client = await this.factory.createClient(resolveContext(config, context));
    const api = await client.fetchOpenApi({ signal, wantGroup: (g) => !isBundledGroup(g) });
    const minor = minorOf(api.gitVersion);
    const schemas: ClusterSchemas = {
      context,
      ...(minor ? { kubernetesVersion: minor } : {}),
      table: tableFromClusterOpenApi(api, isBundledGroup, context),
      fetchedAt: new Date().toISOString(),
    };
    await mkdir(this.dir, { recursive: true });
    const file = this.fileOf(context);
    await writeFile(`${file}.tmp`, JSON.stringify(schemas));
    await rename(`${file}.tmp`, file);
    return schemas;
  }
}

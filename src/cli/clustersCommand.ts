// `clusterdeck clusters list`: the Clouds view's inventory on the command line (table or JSON).
import { ClusterDeckError } from '../core/errors';
import {
  clustersUsage,
  collectInventory,
  formatInventoryJson,
  formatInventoryTable,
  inventoryExitCode,
  parseClustersArgs,
} from '../core/clouds/clusterInventory';
import type { CloudLoaders } from '../node/clouds/cloudRegistry';
import { kubeconfigPaths, loadKubeconfigs } from '../node/kube/kubeconfigFiles';
import { cliProviders, providerGetter } from './cliProviders';
import type { CliIo } from './lintCommand';

export interface ClustersCommandDeps {
  /** The environment (KUBECONFIG, profiles); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Provider loaders; default cliProviders(env). */
  readonly loaders?: CloudLoaders;
}

/** Runs `clusters …`; exit code 0 listed, 1 every scope failed, 2 usage error. */
export async function clustersCommand(argv: readonly string[], io: CliIo, deps: ClustersCommandDeps = {}): Promise<number> {
  let options;
  try {
    options = parseClustersArgs(argv);
  } catch (e) {
    if (!(e instanceof ClusterDeckError)) throw e;
    io.err(`clusterdeck clusters: ${e.message}\n\n${clustersUsage}`);
    return 2;
  }
  if (options === 'help') {
    io.out(clustersUsage);
    return 0;
  }
  const env = deps.env ?? process.env;
  const loaders = deps.loaders ?? cliProviders(env);
  const inventory = await collectInventory(options, {
    provider: providerGetter(loaders),
    kubeconfigContexts: async () => {
      const config = await loadKubeconfigs(kubeconfigPaths(env, []));
      return config.contexts.map((c) => ({ name: c.name, server: config.clusters.get(c.clusterName)?.server ?? '', file: c.sourcePath }));
    },
  });
  io.out(options.format === 'json' ? formatInventoryJson(inventory) : formatInventoryTable(inventory));
  return inventoryExitCode(inventory);
}

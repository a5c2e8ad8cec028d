// The CLI's providers: one loader per cloud. The composition of the real providers (createEksProvider, …) is wired
// here at merge; until then the caller passes the loaders (tests pass in-memory providers).
import type { CloudKind, CloudProvider } from '../core/clouds/cloudProvider';
import type { CloudLoaders } from '../node/clouds/cloudRegistry';

/**
 * The provider loaders the CLI uses, built from the environment (profiles, endpoints, credential files). `env` is
 * where a real provider reads its configuration from; no default credential chain runs here.
 */
export function cliProviders(env: NodeJS.ProcessEnv, loaders: CloudLoaders = {}): CloudLoaders {
  void env; // read by the real providers once they are wired
  return loaders;
}

/** A loader turned into the inventory's `provider(cloud)`: each provider loaded once, absent when not in the build. */
export function providerGetter(loaders: CloudLoaders): (cloud: CloudKind) => Promise<CloudProvider> | undefined {
  const cache = new Map<CloudKind, Promise<CloudProvider>>();
  return (cloud) => {
    const loader = loaders[cloud];
    if (!loader) return undefined;
    let p = cache.get(cloud);
    if (!p) {
      p = loader();
      cache.set(cloud, p);
    }
    return p;
  };
}

// The CLI's providers: one loader per cloud, each loading its SDK chunk only when that cloud is asked for. They read
// their configuration from the environment (AWS_* files and endpoints, GOOGLE_APPLICATION_CREDENTIALS, …); no
// default credential chain runs. Tests pass loaders of their own.
import type { CloudKind, CloudProvider } from '../core/clouds/cloudProvider';
import type { CloudLoaders } from '../node/clouds/cloudRegistry';

/**
 * The provider loaders the CLI uses, built from the environment (profiles, endpoints, credential files). `env` is
 * where a real provider reads its configuration from; no default credential chain runs here.
 */
export function cliProviders(env: NodeJS.ProcessEnv, loaders?: CloudLoaders): CloudLoaders {
  if (loaders) return loaders;
  return {
    eks: () => import('../node/clouds/eks/eksProvider').then((m) => m.createEksProvider({ env })),
    // A service principal from AZURE_* (else a device-code sign-in on stderr); AZURE_RESOURCE_MANAGER_ENDPOINT for
    // sovereign clouds and tests.
    aks: async () => {
      const [{ createAksProvider }, { createExplicitAzureCredential }] = await Promise.all([
        import('../node/clouds/aks/aksProvider'),
        import('../node/clouds/aks/explicitAzureCredential'),
      ]);
      const { credential } = createExplicitAzureCredential(env, (message) => process.stderr.write(`${message}\n`));
      const endpoint = env.AZURE_RESOURCE_MANAGER_ENDPOINT;
      return createAksProvider({ credential, ...(endpoint ? { resourceManagerEndpoint: endpoint } : {}) });
    },
    // gcloud's own endpoint overrides (proxies, private endpoints, tests).
    gke: () =>
      import('../node/clouds/gke/gkeProvider').then((m) =>
        m.createGkeProvider({
          env,
          ...(env.CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER ? { apiEndpoint: env.CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER } : {}),
          ...(env.CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER
            ? { resourceManagerEndpoint: env.CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER }
            : {}),
          // gcloud's value ends in /compute/v1/; the provider adds that path itself.
          ...(env.CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE
            ? { computeEndpoint: env.CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE.replace(/\/compute\/v1\/?$/, '') }
            : {}),
        }),
      ),
  };
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

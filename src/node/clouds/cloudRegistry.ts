// The one place features get a cloud's provider from: loaded on first use (each provider is its own lazy chunk),
// cached per cloud, refused in an untrusted workspace before anything is loaded.
import { ClusterDeckError } from '../../core/errors';
import type { CloudKind, CloudProvider } from '../../core/clouds/cloudProvider';
import { parseEnabledClouds, type CloudProviderSource } from '../../core/clouds/cloudSettings';

/** How to load each cloud's provider (the composition root passes `() => import('./eks/eksProvider').then(…)`). */
export type CloudLoaders = Partial<Record<CloudKind, () => Promise<CloudProvider>>>;

export interface CloudRegistryOptions {
  readonly loaders: CloudLoaders;
  /** The raw value of the setting `clusterdeck.clouds.enabled` (undefined → all three). */
  readonly enabledSetting?: () => unknown;
  /** False in an untrusted workspace: no provider is loaded and no cloud is called. Default: trusted. */
  readonly isTrusted?: () => boolean;
}

export class CloudRegistry implements CloudProviderSource {
  private readonly cache = new Map<CloudKind, Promise<CloudProvider>>();

  constructor(private readonly options: CloudRegistryOptions) {}

  /** The clouds the user enabled (setting order kept; default eks, gke, aks). */
  enabledClouds(): CloudKind[] {
    return parseEnabledClouds(this.options.enabledSetting?.());
  }

  /** Enabled clouds that have a provider in this build. */
  availableClouds(): CloudKind[] {
    return this.enabledClouds().filter((c) => this.options.loaders[c] !== undefined);
  }

  /**
   * The provider of a cloud, loaded once. Throws `untrusted` in Restricted Mode and `invalid` for a cloud that is
   * disabled or has no provider. A failed load is not cached (the next call tries again).
   */
  provider(cloud: CloudKind): Promise<CloudProvider> {
    if (this.options.isTrusted && !this.options.isTrusted()) {
      return Promise.reject(
        new ClusterDeckError(
          'untrusted',
          'ClusterDeck does not contact clouds in Restricted Mode; trust this workspace to list your clusters.',
        ),
      );
    }
    const loader = this.options.loaders[cloud];
    if (!loader || !this.enabledClouds().includes(cloud)) {
      return Promise.reject(
        new ClusterDeckError(
          'invalid',
          loader
            ? `${cloud.toUpperCase()} is turned off; add it to the setting clusterdeck.clouds.enabled to use it.`
            : `This build of ClusterDeck has no ${cloud.toUpperCase()} support; update the extension.`,
        ),
      );
    }
    let p = this.cache.get(cloud);
    if (!p) {
      p = loader();
      this.cache.set(cloud, p);
      p.catch(() => {
        if (this.cache.get(cloud) === p) this.cache.delete(cloud);
      });
    }
    return p;
  }

  /** Drops the cached provider (and with it any credentials it holds in memory): sign-out, settings changes. */
  forget(cloud?: CloudKind): void {
    if (cloud) this.cache.delete(cloud);
    else this.cache.clear();
  }
}

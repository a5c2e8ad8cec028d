// Loads the Clouds view level by level through the providers, turning every failure into a message node in place
// (one cloud, account or region failing never hides the others). Pure: the host wraps it in a TreeDataProvider.
import { ClusterDeckError, isCancellation } from '../errors';
import type { CloudAccount, CloudKind } from './cloudProvider';
import type { CloudProviderSource } from './cloudSettings';
import {
  accountNodes,
  addonNodes,
  cloudErrorNode,
  cloudRootNodes,
  cloudStepCommands,
  clusterChildren,
  clusterNodes,
  opNodes,
  poolNodes,
  scopeNodes,
  type CloudTreeNode,
  type KubeContextRef,
} from './cloudTree';

export interface CloudTreeLoaderDeps {
  readonly source: CloudProviderSource;
  /** The kubeconfig contexts clusters are linked to. */
  readonly kubeContexts: () => Promise<readonly KubeContextRef[]>;
  /** Regions/locations to query per cloud (settings), undefined = the provider's choice. */
  /** Regions/locations to list for an account (AWS: per profile); undefined = the provider's default. */
  readonly scopesFor?: (cloud: CloudKind, account: string) => readonly string[] | undefined;
  /** Accounts the user chose to forget: not shown. */
  readonly isHidden?: (cloud: CloudKind, accountId: string) => boolean;
  /** One line per failure, for the log (messages are ClusterDeckError sentences; never raw SDK text). */
  readonly onFailure?: (where: string, message: string) => void;
}

export class CloudTreeLoader {
  private readonly accounts = new Map<CloudKind, Promise<readonly CloudAccount[]>>();

  constructor(private readonly deps: CloudTreeLoaderDeps) {}

  /** Forgets cached accounts (all, or one cloud's): the next load asks again. */
  reset(cloud?: CloudKind): void {
    if (cloud) this.accounts.delete(cloud);
    else this.accounts.clear();
  }

  /**
   * The children of a node (root when undefined). The root is empty when no cloud has an account (the view then
   * shows its welcome content); in Restricted Mode it is one message with "Manage Workspace Trust".
   */
  async children(node: CloudTreeNode | undefined, signal?: AbortSignal): Promise<CloudTreeNode[]> {
    if (!node) return this.root(signal);
    const where = node.id;
    try {
      switch (node.kind) {
        case 'cloud':
          return accountNodes(node.cloud, this.visible(node.cloud, await this.accountsOf(node.cloud, signal)));
        case 'account': {
          const provider = await this.deps.source.provider(node.cloud);
          const results = await provider.listClusters(node.account.id, this.deps.scopesFor?.(node.cloud, node.account.id), signal);
          for (const r of results) if (r.error) this.deps.onFailure?.(`${where} ${r.scope}`, r.error);
          return scopeNodes(node.account, results);
        }
        case 'scope':
          return clusterNodes(node, await this.kubeContexts());
        case 'cluster':
          return clusterChildren(node);
        case 'poolFolder': {
          const provider = await this.deps.source.provider(node.cluster.cloud);
          return poolNodes(node, await provider.listNodePools(node.cluster, signal));
        }
        case 'addonFolder': {
          const provider = await this.deps.source.provider(node.cluster.cloud);
          return addonNodes(node, await provider.listAddons(node.cluster, signal));
        }
        case 'opsFolder':
          return opNodes(node);
        case 'pool':
        case 'addon':
        case 'op':
        case 'message':
          return [];
      }
    } catch (e) {
      if (isCancellation(e)) throw e;
      const cloud =
        node.kind === 'cloud' || node.kind === 'account' || node.kind === 'scope'
          ? node.cloud
          : 'cluster' in node
            ? node.cluster.cloud
            : 'eks';
      if (node.kind === 'cloud') this.accounts.delete(node.cloud);
      return [this.failure(where, cloud, e)];
    }
  }

  private async root(signal?: AbortSignal): Promise<CloudTreeNode[]> {
    const clouds = this.deps.source.availableClouds();
    if (clouds.length === 0) return [];
    const loaded = await Promise.all(
      clouds.map(async (cloud) => {
        try {
          return { cloud, count: this.visible(cloud, await this.accountsOf(cloud, signal)).length };
        } catch (e) {
          if (isCancellation(e)) throw e;
          this.accounts.delete(cloud);
          return { cloud, error: e };
        }
      }),
    );
    const untrusted = loaded.find((l) => l.error instanceof ClusterDeckError && l.error.reason === 'untrusted');
    if (untrusted) {
      return [
        {
          kind: 'message',
          id: 'clouds:untrusted',
          severity: 'warning',
          text: 'Restricted Mode: ClusterDeck does not contact clouds in an untrusted workspace.',
          nextStep: { command: cloudStepCommands.manageTrust, title: 'Manage Workspace Trust', args: [] },
        },
      ];
    }
    // No account anywhere (a cloud that answers "not signed in" counts as none) and nothing else failed: the welcome
    // content (Sign in / Choose profile / Set credentials) shows instead.
    const notConfigured = (l: (typeof loaded)[number]) =>
      l.error === undefined ? l.count === 0 : l.error instanceof ClusterDeckError && l.error.reason === 'unauthorized';
    if (loaded.every(notConfigured)) return [];
    return cloudRootNodes(clouds);
  }

  private accountsOf(cloud: CloudKind, signal?: AbortSignal): Promise<readonly CloudAccount[]> {
    let p = this.accounts.get(cloud);
    if (!p) {
      p = this.deps.source.provider(cloud).then((provider) => provider.listAccounts(signal));
      this.accounts.set(cloud, p);
    }
    return p;
  }

  private visible(cloud: CloudKind, accounts: readonly CloudAccount[]): CloudAccount[] {
    return accounts.filter((a) => !this.deps.isHidden?.(cloud, a.id));
  }

  private async kubeContexts(): Promise<readonly KubeContextRef[]> {
    try {
      return await this.deps.kubeContexts();
    } catch {
      return []; // a broken kubeconfig only loses the links; the Clusters view reports it
    }
  }

  private failure(where: string, cloud: CloudKind, e: unknown): CloudTreeNode {
    const known = e instanceof ClusterDeckError;
    const message = known ? e.message : 'Unexpected failure while listing; see the log, then Retry.';
    this.deps.onFailure?.(where, known ? `${e.reason}: ${e.message}` : `unexpected: ${e instanceof Error ? e.name : typeof e}`);
    return cloudErrorNode(where, cloud, message, known ? e.reason : undefined);
  }
}

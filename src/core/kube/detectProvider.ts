import type { ClusterEntry, ContextEntry, UserEntry } from './kubeconfig';

/** Where a cluster runs, as far as its kubeconfig entry tells. */
export type ProviderKind = 'eks' | 'gke' | 'aks' | 'local' | 'kubeadm';

/**
 * Guesses the provider of a context from its server URL, exec plugin and names, without any network call.
 * `kubeadm` stands for any self-managed cluster.
 */
export function detectProvider(context: ContextEntry, cluster: ClusterEntry | undefined, user: UserEntry | undefined): ProviderKind {
  const server = cluster?.server.toLowerCase() ?? '';
  let host = '';
  try {
    host = new URL(server).hostname;
  } catch {
    host = server;
  }
  const command = user?.exec?.command.toLowerCase() ?? '';
  const args = user?.exec?.args.join(' ').toLowerCase() ?? '';
  const names = `${context.name} ${cluster?.name ?? ''}`.toLowerCase();

  if (
    host.endsWith('.eks.amazonaws.com') ||
    host.endsWith('.eks.amazonaws.com.cn') ||
    /aws-iam-authenticator|\baws$/.test(command) ||
    args.includes('eks get-token') ||
    names.startsWith('arn:aws:eks:')
  ) {
    return 'eks';
  }
  if (command.endsWith('gke-gcloud-auth-plugin') || user?.authProviderName === 'gcp' || names.startsWith('gke_')) return 'gke';
  if (host.endsWith('.azmk8s.io') || command.endsWith('kubelogin') || user?.authProviderName === 'azure') return 'aks';
  if (
    host === '127.0.0.1' ||
    host === 'localhost' ||
    host === '[::1]' ||
    host === '::1' ||
    host.endsWith('.local') ||
    /\b(kind|minikube|docker-desktop|k3d|rancher-desktop|orbstack)\b/.test(names)
  ) {
    return 'local';
  }
  return 'kubeadm';
}

/**
 * How to install the credential plugins that kubeconfigs of the three clouds name. Pure: core does no I/O.
 * The kubeconfig's own `exec.installHint` (written by the tool that made the entry) comes first when present.
 */

/** The base name of a command, without directories or a Windows `.exe`/`.cmd` suffix, lower-cased. */
function baseName(command: string): string {
  const last = command.split(/[\\/]/).pop() ?? command;
  return last.replace(/\.(exe|cmd|bat)$/i, '').toLowerCase();
}

const HINTS: Readonly<Record<string, string>> = {
  aws:
    'Install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), ' +
    'then refresh the entry with `aws eks update-kubeconfig --name <cluster> --region <region>`.',
  'aws-iam-authenticator':
    'Install aws-iam-authenticator (https://github.com/kubernetes-sigs/aws-iam-authenticator/releases), or switch the ' +
    'entry to the AWS CLI v2 with `aws eks update-kubeconfig --name <cluster> --region <region>`.',
  'gke-gcloud-auth-plugin':
    'Install the GKE auth plugin: `gcloud components install gke-gcloud-auth-plugin`, or on Debian/Ubuntu ' +
    '`sudo apt-get install google-cloud-cli-gke-gcloud-auth-plugin` ' +
    '(https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin).',
  kubelogin:
    'Install kubelogin with `az aks install-cli` (or from https://azure.github.io/kubelogin/install.html), ' +
    'then run `kubelogin convert-kubeconfig -l azurecli` if the entry still uses the azure auth-provider.',
  gcloud: 'Install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install).',
  az: 'Install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli).',
};

/**
 * The install hint for a missing credential plugin: the kubeconfig's `installHint` when present, then ours for
 * the known plugins; `undefined` for an unknown command without a kubeconfig hint.
 */
export function installHint(command: string, kubeconfigHint?: string): string | undefined {
  const ours = HINTS[baseName(command)];
  const theirs = kubeconfigHint?.trim();
  if (theirs && ours && theirs !== ours) return `${theirs}\n${ours}`;
  return theirs || ours;
}

/**
 * How to move a kubeconfig user off a legacy `auth-provider` (gcp, azure, oidc), which Kubernetes clients no longer
 * run (client-go removed gcp and azure in 1.26): one sentence naming the command that rewrites the entry.
 */
export function authProviderMigration(name: string): string {
  switch (name) {
    case 'gcp':
      return 'install gke-gcloud-auth-plugin (`gcloud components install gke-gcloud-auth-plugin`), then run `gcloud container clusters get-credentials <cluster>` to rewrite the entry';
    case 'azure':
      return 'run `kubelogin convert-kubeconfig -l azurecli` (or `az aks get-credentials` again) to rewrite the entry with an exec plugin';
    case 'oidc':
      return 'switch the user entry to an exec plugin such as kubelogin (`kubectl oidc-login setup`) with the same issuer and client id';
    default:
      return 'replace it with an exec credential plugin, a token or a client certificate';
  }
}

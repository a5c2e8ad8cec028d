// Which cloud credential plugins ClusterDeck can stand in for with an in-process token: the ones `aws`,
// `aws-iam-authenticator`, `gke-gcloud-auth-plugin`, `kubelogin` and our own `clusterdeck token …` produce.
import type { ExecPluginConfig } from '../kube/kubeconfig';

/** The AKS Entra ID server application every AKS cluster with Entra ID accepts (kubelogin's default --server-id). */
export const aksServerAppId = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** What token a recognised exec plugin would print, in terms a cloud provider understands. */
export type CloudTokenRequest =
  /** A presigned STS token for `cluster` in `region`; `profile` undefined = the plugin's default credentials. */
  | { readonly cloud: 'eks'; readonly cluster: string; readonly region: string; readonly profile?: string }
  /** An OAuth access token of the Application Default Credentials (the same for every cluster). */
  | { readonly cloud: 'gke' }
  /** An Entra ID token for the AKS server application `serverId` (or a cluster named for local accounts). */
  | {
      readonly cloud: 'aks';
      readonly serverId: string;
      readonly cluster?: string;
      readonly resourceGroup?: string;
      readonly subscription?: string;
    };

const baseName = (command: string): string => (command.split(/[\\/]/).pop() ?? command).replace(/\.(exe|cmd)$/i, '');

/** `--name value` or `--name=value` from an argument list. */
function flag(args: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

const envValue = (exec: ExecPluginConfig, name: string): string | undefined => exec.env.find((e) => e.name === name)?.value || undefined;

/** `clusterdeck token <cloud> …`, run as the `clusterdeck` bin or as `node …/dist/cli.js` (what Connect writes). */
function ownTokenArgs(exec: ExecPluginConfig): readonly string[] | undefined {
  const name = baseName(exec.command);
  if (name === 'clusterdeck') return exec.args[0] === 'token' ? exec.args.slice(1) : undefined;
  if (name === 'node' || name === 'nodejs' || name === 'code' || name === 'electron') {
    const i = exec.args.findIndex((a) => /(^|[\\/])(cli\.js|clusterdeck)$/.test(a));
    if (i >= 0 && exec.args[i + 1] === 'token') return exec.args.slice(i + 2);
  }
  return undefined;
}

/** Whether the plugin is ClusterDeck's own `clusterdeck token …` (then the editor never needs to run it). */
export function isOwnTokenCommand(exec: ExecPluginConfig): boolean {
  return ownTokenArgs(exec) !== undefined;
}

/**
 * The token request an exec plugin stands for, or undefined when ClusterDeck does not know the plugin (then only
 * the plugin itself can make the credential). Pure: looks at the command's name and arguments only.
 */
export function recognizeCloudExec(exec: ExecPluginConfig): CloudTokenRequest | undefined {
  const own = ownTokenArgs(exec);
  if (own) {
    const [cloud, ...rest] = own;
    if (cloud === 'eks') {
      const cluster = flag(rest, '--cluster');
      const region = flag(rest, '--region');
      const profile = flag(rest, '--profile');
      return cluster && region ? { cloud, cluster, region, ...(profile ? { profile } : {}) } : undefined;
    }
    if (cloud === 'gke') return { cloud };
    if (cloud === 'aks') {
      const cluster = flag(rest, '--cluster');
      const resourceGroup = flag(rest, '--resource-group');
      const subscription = flag(rest, '--subscription');
      return {
        cloud,
        serverId: aksServerAppId,
        ...(cluster ? { cluster } : {}),
        ...(resourceGroup ? { resourceGroup } : {}),
        ...(subscription ? { subscription } : {}),
      };
    }
    return undefined;
  }
  const name = baseName(exec.command);
  const args = exec.args;
  if (name === 'aws' && args[0] === 'eks' && args[1] === 'get-token') {
    const cluster = flag(args, '--cluster-name', '--cluster-id');
    const region = flag(args, '--region') ?? envValue(exec, 'AWS_REGION') ?? envValue(exec, 'AWS_DEFAULT_REGION');
    const profile = flag(args, '--profile') ?? envValue(exec, 'AWS_PROFILE');
    return cluster && region ? { cloud: 'eks', cluster, region, ...(profile ? { profile } : {}) } : undefined;
  }
  if (name === 'aws-iam-authenticator' && args[0] === 'token') {
    // Role assumption (-r) is the authenticator's own business: not stood in for.
    if (flag(args, '-r', '--role')) return undefined;
    const cluster = flag(args, '-i', '--cluster-id');
    const region = flag(args, '--region') ?? envValue(exec, 'AWS_REGION') ?? envValue(exec, 'AWS_DEFAULT_REGION');
    const profile = envValue(exec, 'AWS_PROFILE');
    return cluster && region ? { cloud: 'eks', cluster, region, ...(profile ? { profile } : {}) } : undefined;
  }
  if (name === 'gke-gcloud-auth-plugin') return { cloud: 'gke' };
  if (name === 'kubelogin' && args[0] === 'get-token') return { cloud: 'aks', serverId: flag(args, '--server-id') ?? aksServerAppId };
  return undefined;
}

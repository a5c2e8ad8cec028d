// `clusterdeck token <cloud> …`: prints a client.authentication.k8s.io/v1 ExecCredential, so a kubeconfig written
// by "Connect" works with kubectl even when no cloud CLI (aws, gke-gcloud-auth-plugin, kubelogin) is installed.
// Each cloud is one case of the switch with its own helper below; providers load lazily (only the cloud asked for).
import { parseArgs } from 'node:util';
import type { ClusterToken } from '../core/clouds/cloudProvider';
import { ClusterDeckError } from '../core/errors';
import type { CliIo } from './lintCommand';

/** The environment the command reads (process.env in the bin, a record in tests). */
export type CliEnv = Readonly<Record<string, string | undefined>>;

export const tokenUsage = `Usage: clusterdeck token <cloud> [options]

Prints a client.authentication.k8s.io/v1 ExecCredential for a cluster (for kubeconfig "exec" users).

Clouds:
  eks --cluster NAME --region REGION [--profile PROFILE]
      A presigned STS GetCallerIdentity token (valid 15 minutes). Credentials: --profile, else the
      AWS_ACCESS_KEY_ID environment credentials, else AWS_PROFILE, else "default". Honours AWS_CONFIG_FILE,
      AWS_SHARED_CREDENTIALS_FILE, AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL.
  gke --cluster NAME --location LOCATION --project PROJECT
      An OAuth access token from Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS or
      \`gcloud auth application-default login\`).
  aks --cluster NAME --resource-group GROUP --subscription ID [--resource-manager-endpoint URL] [--auth auto|entra]
      An Entra ID token for the AKS server application (or the cluster's local-account token when it has no
      Entra ID integration; --auth entra skips that lookup). Credentials: AZURE_TENANT_ID + AZURE_CLIENT_ID +
      AZURE_CLIENT_SECRET (a service principal; AZURE_AUTHORITY_HOST for sovereign clouds), otherwise a
      device-code sign-in prompted on stderr.

Exit codes: 0 printed, 1 no token (the reason is on stderr), 2 usage error.`;

class UsageError extends Error {}

/** The ExecCredential kubectl and client libraries read from an exec plugin's stdout. */
export function execCredentialJson(token: ClusterToken): string {
  return JSON.stringify({
    kind: 'ExecCredential',
    apiVersion: 'client.authentication.k8s.io/v1',
    spec: {},
    status: { expirationTimestamp: token.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), token: token.token },
  });
}

function options(args: readonly string[], names: readonly string[]): Record<string, string | undefined> {
  try {
    const { values } = parseArgs({
      args: [...args],
      allowPositionals: false,
      options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    });
    return values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function required(values: Record<string, string | undefined>, name: string): string {
  const v = values[name];
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

async function eksToken(args: readonly string[], env: CliEnv): Promise<ClusterToken> {
  const values = options(args, ['cluster', 'region', 'profile']);
  const cluster = required(values, 'cluster');
  const region = required(values, 'region');
  const { createEksProvider, envAccountId } = await import('../node/clouds/eks/eksProvider');
  // The AWS CLI's order: an explicit profile, then environment keys, then AWS_PROFILE, then "default".
  const account = values.profile ?? (env.AWS_ACCESS_KEY_ID ? envAccountId : (env.AWS_PROFILE ?? 'default'));
  return createEksProvider({ env }).getClusterToken({ account, location: region, name: cluster });
}

async function gkeToken(args: readonly string[], env: CliEnv): Promise<ClusterToken> {
  const values = options(args, ['cluster', 'location', 'project']);
  const cluster = required(values, 'cluster');
  const location = required(values, 'location');
  const project = required(values, 'project');
  const { createGkeProvider } = await import('../node/clouds/gke/gkeProvider');
  return createGkeProvider({ env }).getClusterToken({ account: project, location, name: cluster });
}

async function aksToken(args: readonly string[], io: CliIo, env: CliEnv): Promise<ClusterToken> {
  const values = options(args, ['cluster', 'resource-group', 'subscription', 'resource-manager-endpoint', 'auth']);
  const auth = values.auth ?? 'auto';
  if (auth !== 'auto' && auth !== 'entra') throw new UsageError(`--auth must be auto or entra (got "${auth}")`);
  const cluster = required(values, 'cluster');
  const resourceGroup = required(values, 'resource-group');
  const subscription = required(values, 'subscription');
  const [{ createAksProvider, getAksEntraToken }, { createExplicitAzureCredential }] = await Promise.all([
    import('../node/clouds/aks/aksProvider'),
    import('../node/clouds/aks/explicitAzureCredential'),
  ]);
  // Never DefaultAzureCredential: a service principal from the environment, else a device-code sign-in on stderr.
  const { credential } = createExplicitAzureCredential(env, (message) => io.err(message));
  // With --auth entra (the cluster is known to use Entra ID) no ARM lookup is made: one token, one sign-in.
  if (auth === 'entra') return getAksEntraToken(credential, cluster);
  const endpoint = values['resource-manager-endpoint'];
  return createAksProvider({ credential, ...(endpoint ? { resourceManagerEndpoint: endpoint } : {}) }).getClusterToken({
    account: subscription,
    location: '',
    name: cluster,
    resourceGroup,
  });
}

/** Runs `clusterdeck token …` and returns the exit code. The token goes to stdout only, never to a log. */
export async function tokenCommand(args: readonly string[], io: CliIo, env: CliEnv): Promise<number> {
  const [cloud, ...rest] = args;
  if (!cloud || cloud === '-h' || cloud === '--help') {
    io.out(tokenUsage);
    return cloud ? 0 : 2;
  }
  try {
    let token: ClusterToken;
    switch (cloud) {
      case 'eks':
        token = await eksToken(rest, env);
        break;
      case 'gke':
        token = await gkeToken(rest, env);
        break;
      case 'aks':
        token = await aksToken(rest, io, env);
        break;
      default:
        io.err(`clusterdeck token: unknown cloud "${cloud}".\n\n${tokenUsage}`);
        return 2;
    }
    io.out(execCredentialJson(token));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`clusterdeck token ${cloud}: ${e.message}.\n\n${tokenUsage}`);
      return 2;
    }
    if (e instanceof ClusterDeckError) {
      io.err(`clusterdeck token ${cloud}: ${e.message}`);
      // A configuration the user must fix (half-set credentials, a bad key file) is a usage-class error.
      return e.reason === 'badConfig' || e.reason === 'invalid' ? 2 : 1;
    }
    throw e;
  }
}

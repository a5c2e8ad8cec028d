// `clusterdeck token <cloud> …`: prints a client.authentication.k8s.io/v1 ExecCredential for a cloud cluster, so a
// kubeconfig written by "Connect" works with kubectl when no cloud CLI (kubelogin, …) is installed.
import { parseArgs } from 'node:util';
import { ClusterDeckError, isCancellation } from '../core/errors';
import type { CliIo } from './lintCommand';

export const tokenUsage = `Usage: clusterdeck token <cloud> [options]

Prints a client.authentication.k8s.io/v1 ExecCredential (JSON) with a token for the cluster's API server.

  clusterdeck token aks --cluster C --resource-group G --subscription S [--resource-manager-endpoint URL]
                        [--auth auto|entra]
      Entra ID token for the AKS server application (or the cluster's local-account token when it has no
      Entra ID integration; --auth entra skips that lookup and always gets the Entra ID token). Credentials: AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET (service
      principal; AZURE_AUTHORITY_HOST for sovereign clouds), otherwise a device-code sign-in prompted on stderr.

Exit codes: 0 printed, 1 the cloud refused or failed, 2 usage error.`;

class UsageError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

interface TokenResult {
  readonly token: string;
  readonly expiresAt: Date;
}

function execCredential(t: TokenResult): string {
  return JSON.stringify({
    kind: 'ExecCredential',
    apiVersion: 'client.authentication.k8s.io/v1',
    spec: {},
    status: { token: t.token, expirationTimestamp: t.expiresAt.toISOString() },
  });
}

async function aksToken(args: readonly string[], io: CliIo, env: Env): Promise<TokenResult> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      cluster: { type: 'string' },
      'resource-group': { type: 'string' },
      subscription: { type: 'string' },
      'resource-manager-endpoint': { type: 'string' },
      auth: { type: 'string' },
    },
  });
  const auth = values.auth ?? 'auto';
  if (auth !== 'auto' && auth !== 'entra') throw new UsageError(`--auth must be auto or entra (got "${auth}").`);
  const cluster = values.cluster;
  const resourceGroup = values['resource-group'];
  const subscription = values.subscription;
  if (!cluster || !resourceGroup || !subscription) throw new UsageError('token aks needs --cluster, --resource-group and --subscription.');
  const [{ createAksProvider, getAksEntraToken }, { createExplicitAzureCredential }] = await Promise.all([
    import('../node/clouds/aks/aksProvider'),
    import('../node/clouds/aks/explicitAzureCredential'),
  ]);
  const { credential } = createExplicitAzureCredential(env, (message) => io.err(message));
  // With --auth entra (the cluster is known to use Entra ID) no ARM lookup is made: one token, one sign-in.
  if (auth === 'entra') return getAksEntraToken(credential, cluster);
  const provider = createAksProvider({
    credential,
    ...(values['resource-manager-endpoint'] ? { resourceManagerEndpoint: values['resource-manager-endpoint'] } : {}),
  });
  return provider.getClusterToken({ account: subscription, location: '', name: cluster, resourceGroup });
}

/** Runs `clusterdeck token …` and returns the exit code. Only the ExecCredential goes to stdout. */
export async function tokenCommand(argv: readonly string[], io: CliIo, env: Env): Promise<number> {
  const [cloud, ...rest] = argv;
  if (!cloud || cloud === '-h' || cloud === '--help') {
    io.out(tokenUsage);
    return cloud ? 0 : 2;
  }
  try {
    let result: TokenResult;
    switch (cloud) {
      case 'aks':
        result = await aksToken(rest, io, env);
        break;
      default:
        throw new UsageError(`unknown cloud "${cloud}".`);
    }
    io.out(execCredential(result));
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`clusterdeck token: ${e.message}\n\n${tokenUsage}`);
      return 2;
    }
    if (e instanceof ClusterDeckError) {
      io.err(`clusterdeck token ${cloud}: ${e.message}`);
      return e.reason === 'badConfig' || e.reason === 'invalid' ? 2 : 1;
    }
    if (isCancellation(e)) {
      io.err(`clusterdeck token ${cloud}: cancelled.`);
      return 1;
    }
    throw e;
  }
}

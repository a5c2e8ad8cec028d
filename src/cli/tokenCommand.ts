// `clusterdeck token <cloud> …`: prints a client.authentication.k8s.io/v1 ExecCredential, so a kubeconfig written by
// "Connect" works with kubectl without any cloud CLI installed. Providers load lazily: `lint` never pays for an SDK.
import { parseArgs } from 'node:util';
import type { ClusterToken } from '../core/clouds/cloudProvider';
import { ClusterDeckError } from '../core/errors';
import type { CliIo } from './lintCommand';

export const tokenUsage = `Usage: clusterdeck token gke --cluster C --location L --project P

Prints a client.authentication.k8s.io/v1 ExecCredential for kubectl (exec credential plugin).

gke: an OAuth access token from Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS or
     \`gcloud auth application-default login\`).

Exit codes: 0 printed, 1 no token (the reason is on stderr), 2 usage error.`;

function execCredential(t: ClusterToken): string {
  return JSON.stringify({
    kind: 'ExecCredential',
    apiVersion: 'client.authentication.k8s.io/v1',
    spec: {},
    status: { token: t.token, expirationTimestamp: t.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z') },
  });
}

export async function tokenCommand(argv: readonly string[], io: CliIo, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const [cloud, ...rest] = argv;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        cluster: { type: 'string' },
        location: { type: 'string' },
        project: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    io.err(`clusterdeck token: ${(e as Error).message}\n\n${tokenUsage}`);
    return 2;
  }
  if (values.help || cloud === '--help' || cloud === '-h') {
    io.out(tokenUsage);
    return 0;
  }
  const required = (names: readonly string[]): Record<string, string> | undefined => {
    const missing = names.filter((n) => typeof values[n] !== 'string' || !values[n]);
    if (missing.length === 0) return Object.fromEntries(names.map((n) => [n, values[n] as string]));
    io.err(`clusterdeck token ${cloud ?? ''}: missing ${missing.map((n) => `--${n}`).join(', ')}.\n\n${tokenUsage}`);
    return undefined;
  };
  try {
    switch (cloud) {
      case 'gke': {
        const a = required(['cluster', 'location', 'project']);
        if (!a) return 2;
        const { createGkeProvider } = await import('../node/clouds/gke/gkeProvider');
        const provider = createGkeProvider({ env });
        io.out(
          execCredential(await provider.getClusterToken({ account: a.project ?? '', location: a.location ?? '', name: a.cluster ?? '' })),
        );
        return 0;
      }
      default:
        io.err(`clusterdeck token: unknown cloud "${cloud ?? ''}".\n\n${tokenUsage}`);
        return 2;
    }
  } catch (e) {
    io.err(`clusterdeck token: ${e instanceof ClusterDeckError ? e.message : 'getting a token failed unexpectedly.'}`);
    return 1;
  }
}

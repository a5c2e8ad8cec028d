/**
 * The sample cluster of `npm start`: the fake Kubernetes API with demo data over https (a CA generated per run) with a bearer token.
 *
 *   node --import tsx test/fakes/sampleCluster.ts --kubeconfig <path>
 *
 * Writes a kubeconfig (context `clusterdeck-sample`) to <path>, prints one line
 * `SAMPLE_CLUSTER_READY <url> <kubeconfigPath>` and serves until SIGINT/SIGTERM, then closes and exits 0.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { startFakeKube } from './kubeApiServer';

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const prefixed = args.find((a) => a.startsWith(`${name}=`));
  return prefixed?.slice(name.length + 1);
}

async function main(): Promise<void> {
  const target = argValue(process.argv.slice(2), '--kubeconfig');
  if (!target) {
    process.stderr.write('usage: node --import tsx test/fakes/sampleCluster.ts --kubeconfig <path>\n');
    process.exit(2);
  }
  const kubeconfigPath = resolve(target);
  const token = `clusterdeck-sample-${randomBytes(12).toString('hex')}`;
  // TLS with a per-run CA: ClusterDeck never sends a token over plain http.
  const fake = await startFakeKube({ seed: 'demo', token, tls: 'tls' });
  await mkdir(dirname(kubeconfigPath), { recursive: true });
  await writeFile(kubeconfigPath, fake.kubeconfig({ contextName: 'clusterdeck-sample', namespace: 'shop', user: 'token' }), {
    mode: 0o600,
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    fake.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`sample cluster: close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`SAMPLE_CLUSTER_READY ${fake.url} ${kubeconfigPath}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`sample cluster failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

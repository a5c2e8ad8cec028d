// One 10,000-pod measurement in a fresh process (run with --expose-gc by bench/run.ts).
//   clusterdeck: our explorer loader, the first page of pods (limit 100) as PodSummary
//   client-node: @kubernetes/client-node's one-call listNamespacedPod (no limit)
// Reports time to the first page, heap retained after GC while the result is held, and peak RSS.
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import { SdkKubeClientFactory } from '../src/node/kube/sdkKubeClientFactory';
import { mergeKubeconfigs, resolveContext } from '../src/core/kube/kubeconfig';

const [mode = 'clusterdeck', url = '', namespace = 'bench'] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function main(): Promise<void> {
  const kubeconfig = `apiVersion: v1
kind: Config
current-context: bench
clusters: [{name: bench, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]
users: [{name: anon, user: {}}]
contexts: [{name: bench, context: {cluster: bench, user: anon}}]
`;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  let held: unknown;
  let count = 0;
  if (mode === 'clusterdeck') {
    const config = mergeKubeconfigs([{ path: '/bench/kubeconfig', text: kubeconfig }]);
    const factory = new SdkKubeClientFactory({ requestTimeoutMs: () => 30_000, approvals: { isApproved: () => false, approve: () => Promise.resolve() }, isTrusted: () => true });
    const client = await factory.createClient(resolveContext(config, 'bench'));
    const page = await client.listPods(namespace, { signal: new AbortController().signal, limit: 100 });
    held = page;
    count = page.items.length;
  } else {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    const list = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
    held = list;
    count = list.items.length;
  }
  const firstPageMs = Number(process.hrtime.bigint() - started) / 1e6;
  gc();
  const retainedBytes = process.memoryUsage().heapUsed - heapBefore;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ firstPageMs, retainedBytes, peakRssBytes, count, held: held ? 1 : 0 }));
}

main().catch((e: unknown) => {
  process.stderr.write(String((e as Error)?.stack ?? e));
  process.exitCode = 1;
});

// One 10,000-pod measurement in a fresh plain-Node process (no TypeScript loader, run with --expose-gc).
//   clusterdeck: our explorer loader from the built dist/kubeSdk.js, the first page (limit 100) as PodSummary
//   client-node: @kubernetes/client-node's one-call listNamespacedPod (no limit)
// Reports time to the first page, heap retained after GC while the result is held, and peak RSS.
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const [mode = 'clusterdeck', url = '', namespace = 'bench'] = process.argv.slice(2);
const gc = globalThis.gc ?? (() => undefined);

const kubeconfig = `apiVersion: v1
kind: Config
current-context: bench
clusters: [{name: bench, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]
users: [{name: anon, user: {}}]
contexts: [{name: bench, context: {cluster: bench, user: anon}}]
`;
const resolved = {
  context: { name: 'bench', clusterName: 'bench', userName: 'anon', sourcePath: '/bench' },
  cluster: { name: 'bench', server: url, insecureSkipTlsVerify: true, sourcePath: '/bench' },
  user: { name: 'anon', sourcePath: '/bench' },
};

// Load the code first so both modes measure the request, not module loading.
const sdk = mode === 'clusterdeck' ? require('../dist/kubeSdk.js') : await import('@kubernetes/client-node');
gc();
const heapBefore = process.memoryUsage().heapUsed;
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const started = process.hrtime.bigint();
let held;
if (mode === 'clusterdeck') {
  const client = await sdk.createSdkKubeClient(resolved, { requestTimeoutMs: 30_000 });
  held = await client.listPods(namespace, { signal: new AbortController().signal, limit: 100 });
} else {
  const kc = new sdk.KubeConfig();
  kc.loadFromString(kubeconfig);
  held = await kc.makeApiClient(sdk.CoreV1Api).listNamespacedPod({ namespace });
}
const firstPageMs = Number(process.hrtime.bigint() - started) / 1e6;
loop.disable();
// The longest event-loop stall while the request ran (what freezes an extension host).
const stallMs = loop.max / 1e6;
gc();
const retainedBytes = process.memoryUsage().heapUsed - heapBefore;
const peakRssBytes = process.resourceUsage().maxRSS * 1024;
// Ours only: "Load more" until all 10,000 are listed, page by page, and the longest stall meanwhile.
let allPagesMs;
let allPagesStallMs;
if (mode === 'clusterdeck') {
  const client = await sdk.createSdkKubeClient(resolved, { requestTimeoutMs: 30_000 });
  const all = monitorEventLoopDelay({ resolution: 5 });
  all.enable();
  const t = process.hrtime.bigint();
  let continueToken;
  let total = 0;
  do {
    const page = await client.listPods(namespace, {
      signal: new AbortController().signal,
      limit: 100,
      ...(continueToken ? { continueToken } : {}),
    });
    total += page.items.length;
    continueToken = page.continueToken;
  } while (continueToken);
  allPagesMs = Number(process.hrtime.bigint() - t) / 1e6;
  all.disable();
  allPagesStallMs = all.max / 1e6;
  if (total !== held.items.length * 100 && total < 10_000) throw new Error(`paged ${total} pods`);
}
process.stdout.write(
  JSON.stringify({ firstPageMs, stallMs, retainedBytes, peakRssBytes, count: held.items.length, allPagesMs, allPagesStallMs }),
);

// Cluster discovery across 30 AWS regions on the EKS wire fake with per-region latencies of 60–450 ms (fixed
// seed; every request to a region pays its latency, as a round trip to that region's endpoint does): wall time
// of the provider's concurrent discovery against the slowest single region and against one region after another.
// Each run uses a fresh provider (new clients and connections, no cached version lists), like a first expand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standardEksRegions } from '../src/core/clouds/aws/awsProfiles';
import { createEksProvider, defaultMaxConcurrency } from '../src/node/clouds/eks/eksProvider';
import { startEksFake } from '../test/fakes/clouds/eksFake';

/** The opt-in regions that, with the 17 standard ones, make 30 (an account that enabled them all). */
const optInRegions = [
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
];

/** mulberry32: a small seeded PRNG, so every bench run sees the same latencies and clusters. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

export async function cloudDiscoveryBench(runs: number): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const regions = [...standardEksRegions, ...optInRegions];
  const random = seeded(20261127);
  const latency = Object.fromEntries(regions.map((r) => [r, Math.round(60 + random() * 390)]));
  const fake = await startEksFake({
    keys: { AKIDBENCH: { secretAccessKey: 'bench-secret', account: '123456789012', arn: 'arn:aws:iam::123456789012:user/bench' } },
    regionLatencyMs: latency,
  });
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-bench-eks-'));
  try {
    let seededClusters = 0;
    for (const region of regions) {
      const n = Math.floor(random() * 4); // 0–3 clusters; empty regions still cost their round trip
      for (let i = 0; i < n; i++) fake.addCluster(region, { name: `${region}-c${i}`, version: i % 2 ? '1.32' : '1.33' });
      seededClusters += n;
    }
    writeFileSync(join(dir, 'credentials'), '[bench]\naws_access_key_id = AKIDBENCH\naws_secret_access_key = bench-secret\n');
    const make = (maxConcurrency: number | undefined) =>
      createEksProvider({
        endpoint: fake.url,
        configFile: join(dir, 'config'),
        credentialsFile: join(dir, 'credentials'),
        homeDir: dir,
        env: {},
        ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
      });
    const discover = async (maxConcurrency: number | undefined, scopes: readonly string[]): Promise<{ ms: number; clusters: number }> => {
      const provider = make(maxConcurrency);
      const started = performance.now();
      const results = await provider.listClusters('bench', scopes);
      const ms = performance.now() - started;
      const failed = results.filter((r) => r.error);
      if (failed.length) throw new Error(`bench: ${failed.length} regions failed: ${failed[0]?.error ?? ''}`);
      return { ms, clusters: results.reduce((n, r) => n + r.items.length, 0) };
    };

    await discover(undefined, regions); // warm-up: module loading and JIT, not measured
    const withDefault: number[] = [];
    const withEight: number[] = [];
    for (let i = 0; i < runs; i++) {
      const d = await discover(undefined, regions);
      if (d.clusters !== seededClusters) throw new Error(`bench: listed ${d.clusters} clusters, seeded ${seededClusters}`);
      withDefault.push(d.ms);
      withEight.push((await discover(8, regions)).ms);
    }
    // One region at a time: each region's own time (the slowest is the floor) and their sum (the sequential loader).
    const single = new Map<string, number>();
    for (const region of regions) single.set(region, (await discover(1, [region])).ms);
    const [slowestRegion, slowestMs] = [...single.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    const sequentialMs = [...single.values()].reduce((a, b) => a + b, 0);

    const d = median(withDefault);
    const e = median(withEight);
    const lat = Object.values(latency);
    console.log(
      `\n## EKS discovery, 30 regions on the wire fake (latency ${Math.min(...lat)}–${Math.max(...lat)} ms per request, seed 20261127)`,
    );
    console.log(
      `runs: ${runs}; ${seededClusters} clusters in ${regions.length} regions (ListClusters, DescribeCluster each, DescribeClusterVersions)`,
    );
    console.log(`slowest single region (${slowestRegion}, ${latency[slowestRegion] ?? 0} ms latency)  ${slowestMs.toFixed(1)} ms`);
    console.log(`one region after another                      ${sequentialMs.toFixed(1)} ms`);
    console.log(
      `clusterdeck (maxConcurrency ${defaultMaxConcurrency}, the default)  median ${d.toFixed(1)} ms (min ${Math.min(...withDefault).toFixed(1)}, max ${Math.max(...withDefault).toFixed(1)})`,
    );
    console.log(
      `clusterdeck, maxConcurrency 8                 median ${e.toFixed(1)} ms (min ${Math.min(...withEight).toFixed(1)}, max ${Math.max(...withEight).toFixed(1)})`,
    );
    console.log(
      `ratio / slowest region: ${(d / slowestMs).toFixed(2)} (maxConcurrency 8: ${(e / slowestMs).toFixed(2)})  target <= 1.2 -> ${d / slowestMs <= 1.2 ? 'MET' : 'NOT MET'}`,
    );
    console.log(`ratio / sequential: ${(d / sequentialMs).toFixed(3)} (maxConcurrency 8: ${(e / sequentialMs).toFixed(3)})`);
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Tuning benchmark: recommendations for 1,000 containers over 14 days.
//  A. Outside Prometheus: the answers Prometheus would send (JSON text, generated beforehand) are parsed, merged per
//     pod/container, assigned to workloads and run through the strategy; time and memory of that part only.
//     `simple`/`simple_limit` get per-namespace summary vectors (Prometheus aggregates); `vpa` gets raw matrices.
//  B. A real Prometheus (when installed): a smaller backfilled set, recommendNamespaces end to end through the fake
//     API server, with the time spent waiting for Prometheus reported separately from the rest.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveContext } from '../src/core/kube/kubeconfig';
import type { ContainerUsageSeries } from '../src/core/tuning/metricsSource';
import {
  buildSummaryQueries,
  mergeSeriesResults,
  mergeSummaryResults,
  type InstantSample,
  type RangeSeries,
  type SummaryQueryId,
} from '../src/core/tuning/promQueries';
import { strategyNeeds, type StrategyName } from '../src/core/tuning/recommendRequests';
import { recommendFromData, recommendNamespaces, workloadOf, type TunedWorkload } from '../src/core/tuning/recommendWorkloads';
import { loadKubeconfigs } from '../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../src/node/kube/sdkKubeClientFactory';
import { PrometheusClient, httpTransport } from '../src/node/tuning/prometheusClient';
import { PrometheusSource } from '../src/node/tuning/prometheusSource';
import { startFakeKube, type KubeObject } from '../test/fakes/kubeApiServer';
import { hasPrometheus, startTestPrometheus, type SyntheticContainer } from '../test/support/prometheus';

const DAY = 86400;
const Mi = 2 ** 20;
const mb = (b: number): string => `${(b / 1048576).toFixed(1)} MB`;
const ms = (x: number): string => `${x.toFixed(0)} ms`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** A fleet: `namespaces` × `workloads` Deployments with 2 containers and 3 pods each. */
function fleet(
  namespaces: number,
  workloadsPerNamespace: number,
): { objects: Record<string, unknown>[]; pods: { namespace: string; pod: string; container: string; seed: number }[] } {
  const objects: Record<string, unknown>[] = [];
  const pods: { namespace: string; pod: string; container: string; seed: number }[] = [];
  let seed = 1;
  for (let n = 0; n < namespaces; n++) {
    const namespace = `team-${n}`;
    for (let w = 0; w < workloadsPerNamespace; w++) {
      const name = `svc-${w}`;
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels: { app: name } },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              containers: [
                { name: 'app', image: 'app:1', resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '512Mi' } } },
                { name: 'proxy', image: 'proxy:1', resources: { requests: { cpu: '100m', memory: '128Mi' } } },
              ],
            },
          },
        },
        status: { replicas: 3 },
      });
      for (let p = 0; p < 3; p++)
        for (const container of ['app', 'proxy'])
          pods.push({ namespace, pod: `${name}-5f6d7c8b9-${String(p).padStart(5, 'x')}`, container, seed: seed++ });
    }
  }
  return { objects, pods };
}

/** The JSON text Prometheus would answer to each summary query of a namespace. */
function summaryAnswers(
  namespace: string,
  pods: readonly { pod: string; container: string; seed: number }[],
  strategy: StrategyName,
): Map<SummaryQueryId, string> {
  const needs = strategyNeeds(strategy);
  const ids = buildSummaryQueries({ namespace, windowSeconds: 14 * DAY, stepSeconds: 75, ...needs }).map((q) => q.id);
  const out = new Map<SummaryQueryId, string>();
  for (const id of ids) {
    const result = pods.map((p) => {
      const base = 0.05 + (p.seed % 97) / 100;
      const v =
        id === 'cpu:count' || id === 'memory:count'
          ? 16128
          : id === 'memory:max'
            ? (200 + (p.seed % 300)) * Mi
            : id.startsWith('memory:p')
              ? (150 + (p.seed % 200)) * Mi
              : base * (1 + Number(id.slice(5)) / 100);
      return { metric: { container: p.container, pod: p.pod }, value: [1_764_000_000, String(v)] };
    });
    out.set(id, JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  }
  return out;
}

/** The JSON text of the two range answers of a namespace (`points` per series). */
function seriesAnswers(
  pods: readonly { pod: string; container: string; seed: number }[],
  points: number,
  step: number,
): { cpu: string; memory: string } {
  const series = (f: (seed: number, i: number) => number): string =>
    JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: pods.map((p) => ({
          metric: { container: p.container, pod: p.pod },
          values: Array.from({ length: points }, (_, i) => [1_764_000_000 - (points - i) * step, String(f(p.seed, i))]),
        })),
      },
    });
  const memory = JSON.stringify({
    status: 'success',
    data: {
      resultType: 'matrix',
      result: pods.map((p) => ({
        metric: { container: p.container, pod: p.pod },
        values: Array.from({ length: 9 }, (_, i) => [1_764_000_000 - (8 - i) * DAY, String((200 + ((p.seed + i) % 100)) * Mi)]),
      })),
    },
  });
  return { cpu: series((s, i) => 0.05 + ((s * 7 + i) % 50) / 100), memory };
}

interface OutsideResult {
  totalMs: number;
  parseMs: number;
  peakHeap: number;
  records: number;
}

function outsidePrometheus(
  strategy: StrategyName,
  objects: Record<string, unknown>[],
  pods: ReturnType<typeof fleet>['pods'],
  seriesPoints: number,
): OutsideResult {
  const namespaces = [...new Set(pods.map((p) => p.namespace))];
  // Generated before the clock starts: this is what Prometheus would have sent.
  const answers = new Map(
    namespaces.map((ns) => [
      ns,
      summaryAnswers(
        ns,
        pods.filter((p) => p.namespace === ns),
        strategy,
      ),
    ]),
  );
  const step = Math.ceil((8 * DAY) / Math.max(1, seriesPoints));
  global.gc?.();
  let peakHeap = process.memoryUsage().heapUsed;
  const started = performance.now();
  let parseMs = 0;
  let generationMs = 0;
  let records = 0;
  const workloads = objects.flatMap((o) => workloadOf(o) ?? []);
  for (const ns of namespaces) {
    const t = performance.now();
    const results = new Map<SummaryQueryId, readonly InstantSample[]>();
    for (const [id, text] of answers.get(ns) ?? [])
      results.set(id, (JSON.parse(text) as { data: { result: InstantSample[] } }).data.result);
    const summaries = mergeSummaryResults(ns, results);
    parseMs += performance.now() - t;
    let series: ContainerUsageSeries[] | undefined;
    if (strategy === 'vpa') {
      // Raw matrices are generated per namespace inside the loop (as they would arrive) but not timed.
      const gen = performance.now();
      const raw = seriesAnswers(
        pods.filter((p) => p.namespace === ns),
        seriesPoints,
        step,
      );
      generationMs += performance.now() - gen;
      const p0 = performance.now();
      series = mergeSeriesResults(
        ns,
        (JSON.parse(raw.cpu) as { data: { result: RangeSeries[] } }).data.result,
        (JSON.parse(raw.memory) as { data: { result: RangeSeries[] } }).data.result,
      );
      parseMs += performance.now() - p0;
    }
    const recs = recommendFromData({
      workloads: workloads.filter((w: TunedWorkload) => w.namespace === ns),
      hpas: [],
      summaries,
      ...(series ? { series } : {}),
      source: 'prometheus',
      strategy,
      windowSeconds: 14 * DAY,
      stepSeconds: strategy === 'vpa' ? step : 75,
    });
    records += recs.length;
    JSON.stringify(recs);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  return { totalMs: performance.now() - started - generationMs, parseMs, peakHeap, records };
}

async function realPrometheus(containersWanted: number): Promise<void> {
  if (!hasPrometheus() || containersWanted <= 0) {
    console.log('real Prometheus: skipped (not installed, or BENCH_TUNING_REAL_CONTAINERS=0)');
    return;
  }
  const workloads = Math.ceil(containersWanted / 2);
  const { objects, pods } = fleet(1, workloads);
  const end = Math.floor((Date.now() / 1000 - 600) / 3600) * 3600;
  const synthetic: SyntheticContainer[] = pods.map((p) => ({
    namespace: p.namespace,
    pod: p.pod,
    container: p.container,
    startSeconds: end - 14 * DAY,
    endSeconds: end,
    cpu: (t) => 0.05 + ((p.seed + Math.floor(t / 3600)) % 20) / 100,
    memory: (t) => (200 + ((p.seed + Math.floor(t / 7200)) % 50)) * Mi,
  }));
  const prom = await startTestPrometheus(synthetic, { scrapeSeconds: 300 });
  const fake = await startFakeKube({});
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-bench-tuning-'));
  try {
    for (const o of objects) fake.upsert(o as unknown as KubeObject);
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, fake.kubeconfig());
    const config = await loadKubeconfigs([path]);
    const kube = await new SdkKubeClientFactory({
      requestTimeoutMs: () => 30_000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
    }).createClient(resolveContext(config, 'fake'));
    const client = new PrometheusClient(httpTransport({ url: prom.url }), { concurrency: 4, timeoutMs: 120_000 });
    const source = new PrometheusSource(client, { rateWindowSeconds: 900 });
    const t = performance.now();
    const recs = await recommendNamespaces(kube, source, ['team-0'], {
      strategy: 'simple',
      windowSeconds: 14 * DAY,
      stepSeconds: 300,
      endSeconds: end,
      signal: new AbortController().signal,
    });
    const total = performance.now() - t;
    console.log(
      `real Prometheus 2.42 (${synthetic.length} pod/container series, 14 d at 5 min, backfill ${ms(prom.backfillMs)}): ${recs.length} records in ${ms(total)}; ` +
        `Prometheus: ${client.queries} queries, ${ms(client.busyWallMs)} wall with a query in flight (${ms(client.queryMs)} summed, up to ${client.maxInFlight} at once); outside Prometheus ${ms(total - client.busyWallMs)}`,
    );
  } finally {
    await prom.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function tuningBench(runs: number): Promise<void> {
  console.log('\n## tuning: recommendations for 1,000 containers over 14 days');
  const { objects, pods } = fleet(10, 50); // 500 Deployments × 2 containers = 1,000 containers, 3,000 pod series
  console.log(`fleet: 10 namespaces, 500 Deployments, 1,000 containers, ${pods.length} pod/container series; runs: ${Math.min(runs, 5)}`);
  for (const strategy of ['simple', 'simple_limit'] as const) {
    const rs: OutsideResult[] = [];
    for (let i = 0; i < Math.min(runs, 5); i++) rs.push(outsidePrometheus(strategy, objects, pods, 0));
    const t = median(rs.map((r) => r.totalMs));
    console.log(
      `${strategy.padEnd(13)} outside Prometheus median ${ms(t)} (JSON parse+merge ${ms(median(rs.map((r) => r.parseMs)))}), peak heap ${mb(Math.max(...rs.map((r) => r.peakHeap)))}, records ${rs[0]?.records}  target <= 5 s -> ${t <= 5000 ? 'MET' : 'NOT MET'}`,
    );
  }
  // VPA needs series: the source asks for 8 days of CPU at a 15-minute step (768 points) and daily memory peaks.
  for (const points of [768]) {
    const r = outsidePrometheus('vpa', objects, pods, points);
    console.log(
      `vpa (${points} CPU points + 9 daily memory peaks per series) outside Prometheus ${ms(r.totalMs)} (JSON parse+merge ${ms(r.parseMs)}), peak heap ${mb(r.peakHeap)} (one namespace of matrices at a time), records ${r.records}  target <= 5 s -> ${r.totalMs <= 5000 ? 'MET' : 'NOT MET'}`,
    );
  }
  await realPrometheus(Number(process.env.BENCH_TUNING_REAL_CONTAINERS ?? 100));
}

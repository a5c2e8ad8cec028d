// `npm run bench`: named scenarios, several fresh-process runs each, medians, and ratios against baselines
// measured in the same run (the machine is shared and noisy: compare ratios, not absolute figures).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFakeKube } from '../test/fakes/kubeApiServer';
import { cloudDiscoveryBench } from './cloudDiscovery';
import { fleetBench } from './fleet';
import { manifestBench } from './manifests';
import { tuningBench } from './tuning';

const run = promisify(execFile);
const runs = Number(process.env.BENCH_RUNS ?? 7);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function child<T>(script: string, args: string[], nodeArgs: string[] = []): Promise<T> {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const { stdout } = await run(process.execPath, [...nodeArgs, ...loader, join(__dirname, script), ...args], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(stdout) as T;
}

async function activation(): Promise<void> {
  type R = { ms: number; modules: number; kubeSdkLoaded: boolean };
  const ours: R[] = [];
  const eager: R[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(await child<R>('activationChild.ts', ['clusterdeck']));
    eager.push(await child<R>('activationChild.ts', ['baseline']));
  }
  const o = median(ours.map((r) => r.ms));
  const e = median(eager.map((r) => r.ms));
  console.log('\n## activation (fresh process each run, dist/extension.js, require + activate())');
  console.log(`runs: ${runs}`);
  console.log(
    `clusterdeck activate()        median ${ms(o)}  (min ${ms(Math.min(...ours.map((r) => r.ms)))}, max ${ms(Math.max(...ours.map((r) => r.ms)))})  modules loaded: ${ours[0]?.modules}  kubeSdk loaded: ${ours.some((r) => r.kubeSdkLoaded)}`,
  );
  console.log(`baseline: eager client-node   median ${ms(e)}  modules loaded: ${eager[0]?.modules}`);
  console.log(
    `ratio activation / eager client import: ${(o / e).toFixed(2)}  target: activation <= 60 ms -> ${o <= 60 ? 'MET' : 'NOT MET'}`,
  );
}

async function tenThousandPods(): Promise<void> {
  const fake = await startFakeKube({});
  const tmp = mkdtempSync(join(tmpdir(), 'clusterdeck-bench-'));
  try {
    const seeded = Date.now();
    fake.seedPods('bench', 10_000);
    console.log('\n## 10,000 pods in one namespace (fake API server on 127.0.0.1, fresh process per run)');
    console.log(`seeded in ${Date.now() - seeded} ms; runs: ${runs}`);
    type R = {
      firstPageMs: number;
      stallMs: number;
      retainedBytes: number;
      peakRssBytes: number;
      count: number;
      allPagesMs?: number;
      allPagesStallMs?: number;
    };
    const ours: R[] = [];
    const theirs: R[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(await child<R>('podsChild.mjs', ['clusterdeck', fake.url, 'bench'], ['--expose-gc']));
      theirs.push(await child<R>('podsChild.mjs', ['client-node', fake.url, 'bench'], ['--expose-gc']));
    }
    const row = (name: string, rs: R[]) =>
      console.log(
        `${name.padEnd(34)} first page ${ms(median(rs.map((r) => r.firstPageMs))).padStart(10)}  max event-loop stall ${ms(median(rs.map((r) => r.stallMs))).padStart(9)}  retained ${mb(median(rs.map((r) => r.retainedBytes))).padStart(9)}  peak RSS ${mb(median(rs.map((r) => r.peakRssBytes))).padStart(9)}  items ${rs[0]?.count}`,
      );
    row('clusterdeck explorer (limit 100)', ours);
    row('client-node listNamespacedPod', theirs);
    const allStall = median(ours.map((r) => r.allPagesStallMs ?? 0));
    console.log(
      `${'clusterdeck, all 100 pages'.padEnd(34)} all pods   ${ms(median(ours.map((r) => r.allPagesMs ?? 0))).padStart(10)}  max event-loop stall ${ms(allStall).padStart(9)}`,
    );
    let kubectlMs: number | undefined;
    if (existsSync('/usr/bin/kubectl') || existsSync('/usr/local/bin/kubectl')) {
      const kc = join(tmp, 'kubeconfig');
      writeFileSync(kc, fake.kubeconfig({ contextName: 'bench', user: 'anonymous' }));
      const times: number[] = [];
      for (let i = 0; i < Math.min(runs, 3); i++) {
        const t = Date.now();
        await run('kubectl', ['--kubeconfig', kc, 'get', 'pods', '-n', 'bench', '-o', 'json'], { maxBuffer: 512 * 1024 * 1024 });
        times.push(Date.now() - t);
      }
      kubectlMs = median(times);
      console.log(`${'kubectl get pods -o json'.padEnd(34)} all pods   ${ms(kubectlMs).padStart(10)}`);
    } else {
      console.log('kubectl not found: skipped');
    }
    const o = median(ours.map((r) => r.firstPageMs));
    const t = median(theirs.map((r) => r.firstPageMs));
    const retained = median(ours.map((r) => r.retainedBytes));
    console.log(
      `ratio first page clusterdeck / client-node one call: ${(o / t).toFixed(3)}${kubectlMs ? `; / kubectl: ${(o / kubectlMs).toFixed(3)}` : ''}`,
    );
    console.log(
      `targets: first page <= 250 ms -> ${o <= 250 ? 'MET' : 'NOT MET'}; retained <= 100 MB -> ${retained <= 100 * 1048576 ? 'MET' : 'NOT MET'}; event-loop stall <= 200 ms while loading 10,000 pods -> ${allStall <= 200 ? 'MET' : 'NOT MET'} (client-node one call: ${ms(median(theirs.map((r) => r.stallMs)))})`,
    );
  } finally {
    await fake.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`ClusterDeck bench — node ${process.version}, ${new Date().toISOString()}`);
  const only = process.argv.slice(2);
  if (!only.length || only.includes('activation')) await activation();
  if (!only.length || only.includes('pods')) await tenThousandPods();
  if (!only.length || only.includes('fleet')) await fleetBench(runs);
  if (!only.length || only.includes('manifests')) await manifestBench(runs);
  if (!only.length || only.includes('clouds')) await cloudDiscoveryBench(runs);
  if (!only.length || only.includes('tuning')) await tuningBench(runs);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * A real Prometheus for tests (Debian package `prometheus`, which ships `promtool`): synthetic cAdvisor series are
 * written as OpenMetrics, backfilled with `promtool tsdb create-blocks-from openmetrics`, and served by a
 * `prometheus` process on 127.0.0.1 with a temporary data dir. Processes are spawned with argument arrays and
 * killed by their own PID; `stop()` also removes the temporary directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One container of one pod with known usage shapes: `cpu(t)` is the usage rate in cores, `memory(t)` bytes. */
export interface SyntheticContainer {
  readonly namespace: string;
  readonly pod: string;
  /** Empty string: the pod-level cgroup series cAdvisor also exports (no container label). */
  readonly container: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly cpu: (t: number) => number;
  readonly memory: (t: number) => number;
}

/** Any other gauge (kube-state-metrics series such as `kube_horizontalpodautoscaler_status_current_replicas`). */
export interface SyntheticGauge {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly value: (t: number) => number;
}

/** True when the `prometheus` and `promtool` binaries are installed. */
export function hasPrometheus(): boolean {
  return ['prometheus', 'promtool'].every((bin) => (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, bin))));
}

/** The sample times of a container at the scrape interval (aligned to multiples of it). */
export function sampleTimes(c: SyntheticContainer, scrapeSeconds: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(c.startSeconds / scrapeSeconds) * scrapeSeconds; t <= c.endSeconds; t += scrapeSeconds) out.push(t);
  return out;
}

function labels(c: SyntheticContainer): string {
  const parts = [`namespace="${c.namespace}"`, `pod="${c.pod}"`];
  if (c.container) parts.push(`container="${c.container}"`);
  parts.push('image="registry.example/app:1"');
  return parts.join(',');
}

/**
 * Writes the series as OpenMetrics: the CPU counter integrates `cpu(t)` over each scrape interval (so `rate()` of a
 * constant stretch is exactly that constant), the memory gauge is `memory(t)` at each sample. Only samples with
 * `from ≤ t < to` are written (the counter still starts at the series' beginning).
 */
export async function writeOpenMetrics(
  path: string,
  containers: readonly SyntheticContainer[],
  scrapeSeconds: number,
  from = -Infinity,
  to = Infinity,
  gauges: readonly SyntheticGauge[] = [],
): Promise<number> {
  const out = createWriteStream(path);
  let lines = 0;
  const write = (chunk: string): Promise<void> =>
    new Promise((resolve) => {
      if (out.write(chunk)) resolve();
      else out.once('drain', resolve);
    });
  let buf = '';
  const emit = async (line: string): Promise<void> => {
    buf += line;
    lines++;
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  };
  await emit('# TYPE container_cpu_usage_seconds counter\n');
  for (const c of containers) {
    let counter = 1000;
    const l = labels(c);
    let previous: number | undefined;
    for (const t of sampleTimes(c, scrapeSeconds)) {
      if (previous !== undefined) counter += c.cpu(previous) * (t - previous);
      previous = t;
      if (t >= from && t < to) await emit(`container_cpu_usage_seconds_total{${l}} ${counter.toFixed(6)} ${t}\n`);
    }
  }
  await emit('# TYPE container_memory_working_set_bytes gauge\n');
  for (const c of containers) {
    const l = labels(c);
    for (const t of sampleTimes(c, scrapeSeconds))
      if (t >= from && t < to) await emit(`container_memory_working_set_bytes{${l}} ${Math.round(c.memory(t))} ${t}\n`);
  }
  for (const name of new Set(gauges.map((g) => g.name))) {
    await emit(`# TYPE ${name} gauge\n`);
    for (const g of gauges.filter((x) => x.name === name)) {
      const l = Object.entries(g.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      const times = sampleTimes(
        { namespace: '', pod: '', container: '', startSeconds: g.startSeconds, endSeconds: g.endSeconds, cpu: () => 0, memory: () => 0 },
        scrapeSeconds,
      );
      for (const t of times) if (t >= from && t < to) await emit(`${name}{${l}} ${g.value(t)} ${t}\n`);
    }
  }
  await emit('# EOF\n');
  await write(buf);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return lines;
}

/**
 * Backfills with promtool, one input file per day (aligned to its 2 h blocks): promtool scans its whole input
 * once per block, so daily chunks make the backfill about 10 times faster than one 14-day file.
 */
export function backfill(
  dir: string,
  data: string,
  containers: readonly SyntheticContainer[],
  scrapeSeconds: number,
  gauges: readonly SyntheticGauge[] = [],
): Promise<void> {
  const chunk = 86400;
  const first = Math.min(...containers.map((c) => c.startSeconds));
  const last = Math.max(...containers.map((c) => c.endSeconds));
  return (async () => {
    for (let from = Math.floor(first / chunk) * chunk; from <= last; from += chunk) {
      const input = join(dir, `series-${from}.om`);
      await writeOpenMetrics(input, containers, scrapeSeconds, from, from + chunk, gauges);
      const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, data], { encoding: 'utf8' });
      rmSync(input);
      if (r.status !== 0) throw new Error(`promtool failed (${r.status ?? r.signal}): ${r.stderr.slice(-500)}`);
    }
  })();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running Prometheus. */
export interface TestPrometheus {
  readonly url: string;
  readonly pid: number;
  /** Wall time of the backfill and of the start until ready, in ms. */
  readonly backfillMs: number;
  readonly startMs: number;
  /** Kills the process (by its PID) and removes the data directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Backfills `containers` into a fresh TSDB and starts Prometheus on it. On any failure the process (if started)
 * is killed and the directory removed before the error propagates.
 */
export async function startTestPrometheus(
  containers: readonly SyntheticContainer[],
  options: { readonly scrapeSeconds: number; readonly gauges?: readonly SyntheticGauge[] },
): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-prom-'));
  const data = join(dir, 'data');
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const t0 = Date.now();
    await backfill(dir, data, containers, options.scrapeSeconds, options.gauges);
    const backfillMs = Date.now() - t0;
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  evaluation_interval: 1h\nscrape_configs: []\n');
    const port = await freePort();
    const t1 = Date.now();
    let stderr = '';
    child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=60d',
        '--query.max-concurrency=4',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-2000);
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (!child || child.exitCode !== null) throw new Error(`prometheus exited early: ${stderr}`);
      try {
        const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`prometheus not ready within 30 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = child.pid ?? 0;
    return { url, pid, backfillMs, startMs: Date.now() - t1, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

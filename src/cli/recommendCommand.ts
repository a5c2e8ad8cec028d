// `clusterdeck recommend`: requests/limits right-sizing for the workloads of a context, from Prometheus history
// (tuning-formulas.md). Workloads and current requests come from the Kubernetes API, usage from Prometheus.
import { parseArgs } from 'node:util';
import { ClusterDeckError, isCancellation } from '../core/errors';
import { resolveContext } from '../core/kube/kubeconfig';
import { decidePlainHttp } from '../core/kube/plainHttp';
import { parsePromDuration } from '../core/tuning/promQueries';
import { krrDefaults, strategyNames, type ContainerRecommendation, type StrategyName } from '../core/tuning/recommendRequests';
import { recommendNamespaces } from '../core/tuning/recommendWorkloads';
import { kubeconfigPaths, loadKubeconfigs } from '../node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../node/kube/sdkKubeClientFactory';
import { PrometheusClient, httpTransport, type PrometheusTransport } from '../node/tuning/prometheusClient';
import { discoverPrometheus } from '../node/tuning/prometheusDiscovery';
import { PrometheusSource } from '../node/tuning/prometheusSource';
import type { CliIo } from './lintCommand';

export const recommendUsage = `Usage: clusterdeck recommend --context C [options]

Recommends container requests and limits from Prometheus history (KRR's strategies). Workloads and their current
requests come from the Kubernetes API; usage from Prometheus (--prometheus-url, or found through the API server's
service proxy in the namespaces monitoring and prometheus).

Options:
  --context C                 kubeconfig context (required)
  --kubeconfig F              kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
  --namespace N               one namespace (default: the context's namespace, else "default")
  --all-namespaces, -A        every namespace
  --prometheus-url URL        Prometheus (or Thanos, Mimir, VictoriaMetrics) base URL; bearer token from
                              $CLUSTERDECK_PROMETHEUS_TOKEN (sent over https or to localhost only, never printed)
  --history 14d               history window (default 14d)
  --step 75s                  resolution (default 75s, KRR's timeframe)
  --rate-window 5m            rate() window, at least 4 × the scrape interval (default max(step, 5m))
  --strategy simple           ${strategyNames.join(' | ')} (default simple)
  --format table|json         output (default table)
  --timeout 30s               per Prometheus query (default 30s)
  --use-oomkill-data          memory ≥ the last OOM-killed limit + 25 % (KRR; needs kube-state-metrics)
  --allow-plain-http          let --context use its plain http:// server (kubectl proxy; nothing is encrypted);
                              credentials are never sent over http, even then
  -h, --help

Exit codes: 0 done, 2 usage, configuration or connection error.`;

class UsageError extends Error {}

/** The JSON shape: exactly these keys, unset values null. */
export function toJsonRecord(r: ContainerRecommendation): Record<string, unknown> {
  return {
    namespace: r.namespace,
    kind: r.kind,
    name: r.name,
    container: r.container,
    current: {
      cpuRequest: r.current.cpuRequest,
      cpuLimit: r.current.cpuLimit,
      memoryRequest: r.current.memoryRequest,
      memoryLimit: r.current.memoryLimit,
    },
    recommended: {
      cpuRequest: r.recommended.cpuRequest,
      cpuLimit: r.recommended.cpuLimit,
      memoryRequest: r.recommended.memoryRequest,
      memoryLimit: r.recommended.memoryLimit,
    },
    dataPoints: r.dataPoints,
    confidence: r.confidence,
    severity: r.severity,
    notes: [...r.notes],
  };
}

/** A plain-text table: one row per container, `current → recommended`. */
export function formatTable(records: readonly ContainerRecommendation[]): string {
  const v = (x: string | null): string => x ?? '-';
  const header = ['NAMESPACE', 'KIND/NAME', 'CONTAINER', 'CPU REQ', 'CPU LIM', 'MEM REQ', 'MEM LIM', 'POINTS', 'CONF', 'SEVERITY'];
  const rows = records.map((r) => [
    r.namespace,
    `${r.kind}/${r.name}`,
    r.container,
    `${v(r.current.cpuRequest)} → ${v(r.recommended.cpuRequest)}`,
    `${v(r.current.cpuLimit)} → ${v(r.recommended.cpuLimit)}`,
    `${v(r.current.memoryRequest)} → ${v(r.recommended.memoryRequest)}`,
    `${v(r.current.memoryLimit)} → ${v(r.recommended.memoryLimit)}`,
    String(r.dataPoints),
    r.confidence,
    r.severity,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const notes = records.flatMap((r) => r.notes.map((n) => `  ${r.namespace}/${r.name}/${r.container}: ${n}`));
  return [line(header), ...rows.map(line), ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}

function durationOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const s = parsePromDuration(value);
  if (s === undefined) throw new UsageError(`--${name} must be a duration like 14d, 336h or 90m (got "${value}")`);
  return s;
}

export async function recommendCommand(
  argv: readonly string[],
  io: CliIo,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        context: { type: 'string' },
        kubeconfig: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        'prometheus-url': { type: 'string' },
        history: { type: 'string' },
        step: { type: 'string' },
        'rate-window': { type: 'string' },
        strategy: { type: 'string' },
        format: { type: 'string' },
        timeout: { type: 'string' },
        'use-oomkill-data': { type: 'boolean' },
        'allow-plain-http': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    io.err(`clusterdeck recommend: ${(e as Error).message}\n\n${recommendUsage}`);
    return 2;
  }
  if (values.help) {
    io.out(recommendUsage);
    return 0;
  }
  const controller = new AbortController();
  try {
    if (!values.context) throw new UsageError('--context is required');
    if (values.namespace && values['all-namespaces']) throw new UsageError('give --namespace or --all-namespaces, not both');
    const strategy = (values.strategy ?? 'simple') as StrategyName;
    if (!strategyNames.includes(strategy))
      throw new UsageError(`--strategy must be one of ${strategyNames.join(', ')} (got "${values.strategy}")`);
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json (got "${format}")`);
    const windowSeconds = durationOption('history', values.history, krrDefaults.historySeconds);
    const stepSeconds = durationOption('step', values.step, krrDefaults.stepSeconds);
    const rateWindowSeconds = durationOption('rate-window', values['rate-window'], Math.max(stepSeconds, 300));
    const timeoutMs = durationOption('timeout', values.timeout, 30) * 1000;
    if (windowSeconds < krrDefaults.minimumHistorySeconds) throw new UsageError('--history must be at least 3h (KRR minimum)');

    const paths = values.kubeconfig ? [values.kubeconfig] : kubeconfigPaths(env, []);
    const config = await loadKubeconfigs(paths);
    const resolved = resolveContext(config, values.context);
    // The CLI reads no VS Code settings: --allow-plain-http is its clusterdeck.clusters.allowPlainHttp (B14).
    const allowPlainHttp = values['allow-plain-http'] === true;
    decidePlainHttp(resolved, allowPlainHttp, 'pass --allow-plain-http');
    const kube = await new SdkKubeClientFactory({
      requestTimeoutMs: () => 30_000,
      allowPlainHttp: (name) => allowPlainHttp && name === resolved.context.name,
      // The user runs the CLI on their own kubeconfig, as kubectl would: its exec plugins may run.
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
    }).createClient(resolved);

    let transport: PrometheusTransport;
    if (values['prometheus-url']) {
      const token = env.CLUSTERDECK_PROMETHEUS_TOKEN;
      transport = httpTransport({ url: values['prometheus-url'], ...(token ? { bearerToken: token } : {}) });
    } else {
      const found = await discoverPrometheus(kube, { signal: controller.signal });
      if (!found.found) {
        io.err(`clusterdeck recommend: ${found.message}`);
        return 2;
      }
      transport = found.transport;
      if (found.instances.length > 1) {
        // Not silently the first: say which one is used and how to pick another.
        const names = found.instances.map((i) => `${i.candidate.namespace}/${i.candidate.service}:${i.candidate.port}`);
        io.err(
          `clusterdeck recommend: ${names.length} Prometheus instances answer (${names.join(', ')}); using ${names[0]}. To use another, give --prometheus-url (e.g. through kubectl port-forward).`,
        );
      }
    }
    const source = new PrometheusSource(new PrometheusClient(transport, { timeoutMs, concurrency: 4 }), { rateWindowSeconds });
    const namespaces = values['all-namespaces'] ? undefined : [values.namespace ?? resolved.context.namespace ?? 'default'];
    const records = await recommendNamespaces(kube, source, namespaces, {
      strategy,
      windowSeconds,
      stepSeconds,
      signal: controller.signal,
      ...(values['use-oomkill-data'] ? { useOomKillData: true } : {}),
    });
    io.out(format === 'json' ? JSON.stringify(records.map(toJsonRecord), null, 2) : formatTable(records));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`clusterdeck recommend: ${e.message}\n\n${recommendUsage}`);
      return 2;
    }
    if (e instanceof ClusterDeckError) {
      io.err(`clusterdeck recommend: ${e.message}`);
      return 2;
    }
    if (isCancellation(e)) return 2;
    throw e;
  }
}

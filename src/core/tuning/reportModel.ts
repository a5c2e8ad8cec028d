/**
 * The Right-size report, pure: recommendations + raw usage series → the model the webview draws (one chart per
 * container, the table), its HTML shell with a strict CSP, the validation of messages from the webview, and the
 * merge of a recommendation into a live workload object for the apply path. No numbers are invented: a container
 * without series gets a chart with `seriesMissing`, never a made-up line.
 */
import { parseQuantity } from '../kube/quantity';
import type { ContainerUsageSeries, TimedValue } from './metricsSource';
import type { ContainerRecommendation } from './recommendRequests';
import { podPatternOf } from './recommendWorkloads';

/** One horizontal line of a chart: current request/limit or the recommended request (cores or bytes). */
export interface ReportLine {
  readonly label: string;
  readonly value: number;
}

/** A chart's data for one resource of one container: per step, the maximum over the workload's pods. */
export interface ReportSeries {
  readonly points: readonly TimedValue[];
  readonly lines: readonly ReportLine[];
}

/** One table row (and its charts). `id` is what the webview sends back with "Apply…". */
export interface ReportRow {
  readonly id: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly container: string;
  readonly current: ContainerRecommendation['current'];
  readonly recommended: ContainerRecommendation['recommended'];
  readonly severity: string;
  readonly confidence: string;
  readonly notes: readonly string[];
  readonly applicable: boolean;
  readonly cpu?: ReportSeries;
  readonly memory?: ReportSeries;
  /** Why there is no chart (no series from the source for this container). */
  readonly seriesMissing?: string;
}

export interface ReportModel {
  readonly title: string;
  readonly contextName: string;
  /** Secret-free ("Prometheus at service monitoring/prometheus-operated:9090 (through the API server)"). */
  readonly source: string;
  readonly windowSeconds: number;
  readonly rows: readonly ReportRow[];
}

/** At most this many points per chart line (the series is bucketed by max, keeping spikes visible). */
export const maxChartPoints = 400;

/** Reduces a sorted series to at most `max` points, each the maximum of its bucket (at the bucket's first time). */
export function downsampleMax(points: readonly TimedValue[], max: number = maxChartPoints): TimedValue[] {
  if (points.length <= max) return [...points];
  const size = Math.ceil(points.length / max);
  const out: TimedValue[] = [];
  for (let i = 0; i < points.length; i += size) {
    let best = points[i] as TimedValue;
    for (let j = i + 1; j < Math.min(points.length, i + size); j++) {
      const p = points[j] as TimedValue;
      if (p.v > best.v) best = { t: best.t, v: p.v };
    }
    out.push({ t: (points[i] as TimedValue).t, v: best.v });
  }
  return out;
}

/** Per timestamp, the maximum over the given series. */
function maxOverPods(all: readonly (readonly TimedValue[])[]): TimedValue[] {
  const byTime = new Map<number, number>();
  for (const s of all) for (const p of s) if (Number.isFinite(p.v)) byTime.set(p.t, Math.max(byTime.get(p.t) ?? -Infinity, p.v));
  return [...byTime].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v }));
}

function lines(current: { request: string | null; limit: string | null }, recommended: string | null): ReportLine[] {
  const out: ReportLine[] = [];
  const add = (label: string, q: string | null) => {
    const v = q === null ? undefined : parseQuantity(q);
    if (v !== undefined) out.push({ label: `${label} ${q}`, value: v });
  };
  add('request', current.request);
  add('limit', current.limit);
  add('recommended', recommended);
  return out;
}

/** The id of a row: stable, and only made of the row's key. */
export function rowId(r: { namespace: string; kind: string; name: string; container: string }): string {
  return `${r.namespace}/${r.kind}/${r.name}/${r.container}`;
}

/**
 * Builds the report. `series` is the source's raw series of the namespaces (undefined when the source has none):
 * a row's points are those of the pods its workload's controller creates, maximum over pods per step.
 */
export function buildReportModel(input: {
  readonly title: string;
  readonly contextName: string;
  readonly source: string;
  readonly windowSeconds: number;
  readonly recommendations: readonly ContainerRecommendation[];
  readonly series: readonly ContainerUsageSeries[] | undefined;
}): ReportModel {
  const rows = input.recommendations.map((r): ReportRow => {
    const base = {
      id: rowId(r),
      namespace: r.namespace,
      kind: r.kind,
      name: r.name,
      container: r.container,
      current: r.current,
      recommended: r.recommended,
      severity: r.severity,
      confidence: r.confidence,
      notes: r.notes,
      // One click only for a safe recommendation (engine's `applicable`) that changes something.
      applicable:
        r.applicable &&
        Object.values(r.recommended).some((v) => v !== null) &&
        (Object.keys(r.recommended) as (keyof typeof r.recommended)[]).some((k) => r.recommended[k] !== r.current[k]),
    };
    if (!input.series) return { ...base, seriesMissing: `${input.source} gives no usage series.` };
    const kind = r.kind as 'Deployment' | 'StatefulSet' | 'DaemonSet';
    const pattern = new RegExp(`^(?:${podPatternOf(kind, r.name)})$`);
    const mine = input.series.filter((s) => s.namespace === r.namespace && s.container === r.container && pattern.test(s.pod));
    const cpu = maxOverPods(mine.map((s) => s.cpuCores));
    const memory = maxOverPods(mine.map((s) => s.memoryBytes));
    if (cpu.length === 0 && memory.length === 0)
      return { ...base, seriesMissing: `No usage series for container "${r.container}" of ${r.kind} ${r.name} in the window.` };
    return {
      ...base,
      cpu: {
        points: downsampleMax(cpu),
        lines: lines({ request: r.current.cpuRequest, limit: r.current.cpuLimit }, r.recommended.cpuRequest),
      },
      memory: {
        points: downsampleMax(memory),
        lines: lines({ request: r.current.memoryRequest, limit: r.current.memoryLimit }, r.recommended.memoryRequest),
      },
    };
  });
  return { title: input.title, contextName: input.contextName, source: input.source, windowSeconds: input.windowSeconds, rows };
}

/** A message the webview may send. */
export type ReportMessage = { readonly type: 'ready' } | { readonly type: 'apply'; readonly rowId: string };

/**
 * Validates a message received from the webview: only `ready`, and `apply` naming a row of the model that is
 * applicable. Anything else (unknown type, extra shapes, unknown or non-applicable row) is undefined.
 */
export function validateReportMessage(message: unknown, model: ReportModel): ReportMessage | undefined {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return undefined;
  const m = message as Record<string, unknown>;
  if (m.type === 'ready' && Object.keys(m).length === 1) return { type: 'ready' };
  if (m.type === 'apply' && typeof m.rowId === 'string' && Object.keys(m).length === 2) {
    const row = model.rows.find((r) => r.id === m.rowId);
    return row?.applicable ? { type: 'apply', rowId: row.id } : undefined;
  }
  return undefined;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** JSON safe inside a `<script type="application/json">` (no `</script>`, no HTML comment openers). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The webview's Content-Security-Policy: nothing but our nonce'd scripts and styles and local images. */
export function reportCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

/** The HTML shell: CSP, the model as inert JSON, chart.js and the report script (both local files, nonce'd). */
export function reportHtml(input: {
  readonly model: ReportModel;
  readonly nonce: string;
  readonly cspSource: string;
  readonly chartJsUri: string;
  readonly scriptUri: string;
}): string {
  const { nonce } = input;
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('the report nonce must be at least 16 base64 characters');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(reportCsp(input.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(input.model.title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px 16px; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin: 1.2em 0 .4em; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th, td { text-align: left; padding: 3px 6px; vertical-align: top; }
tbody tr.notes-row td, tbody tr:not(:has(+ tr.notes-row)) td { border-bottom: 1px solid var(--vscode-panel-border, #8884); }
tr.notes-row td { padding-top: 0; padding-left: 18px; }
td.num { font-family: var(--vscode-editor-font-family); white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
.chart { border: 1px solid var(--vscode-panel-border, #8884); padding: 6px; }
.chart .canvas-box { position: relative; height: 220px; }
.missing { color: var(--vscode-descriptionForeground); font-style: italic; }
.sev-CRITICAL { color: var(--vscode-errorForeground); } .sev-WARNING { color: var(--vscode-editorWarning-foreground); }
.notes { color: var(--vscode-descriptionForeground); font-size: .9em; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 3px 10px; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
</style>
</head>
<body>
<h1>${escapeHtml(input.model.title)}</h1>
<p class="notes">Context ${escapeHtml(input.model.contextName)} · ${escapeHtml(input.model.source)} · window ${Math.round(
    input.model.windowSeconds / 86400,
  )} d</p>
<div id="charts" class="charts"></div>
<h2>Recommendations</h2>
<table id="table"><thead><tr><th>Namespace</th><th>Workload</th><th>Container</th><th>CPU request</th><th>CPU limit</th><th>Memory request</th><th>Memory limit</th><th>Severity</th><th>Confidence</th><th></th></tr></thead><tbody></tbody></table>
<script type="application/json" id="model">${jsonForScript(input.model)}</script>
<script nonce="${nonce}" src="${escapeHtml(input.chartJsUri)}"></script>
<script nonce="${nonce}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>`;
}

/** Fields the server owns or that must not be sent back in an apply. */
function stripServerFields(obj: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(obj);
  delete out.status;
  const metadata = { ...((out.metadata as Record<string, unknown> | undefined) ?? {}) };
  for (const k of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']) delete metadata[k];
  const annotations = { ...((metadata.annotations as Record<string, unknown> | undefined) ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  delete annotations['deployment.kubernetes.io/revision'];
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  out.metadata = metadata;
  return out;
}

/**
 * The live workload with the container's resources replaced by the recommendation, for a server-side apply
 * (dry run and diff first). A `null` recommended value removes that field (KRR `simple` sets no CPU limit); other
 * containers and fields stay as they are live. Throws when the container is not in the live object.
 */
export function mergeRecommendation(
  live: Record<string, unknown>,
  row: Pick<ReportRow, 'container' | 'recommended'>,
): Record<string, unknown> {
  const out = stripServerFields(live);
  const spec = out.spec as Record<string, unknown> | undefined;
  const template = spec?.template as Record<string, unknown> | undefined;
  const podSpec = template?.spec as Record<string, unknown> | undefined;
  const containers = Array.isArray(podSpec?.containers) ? (podSpec.containers as Record<string, unknown>[]) : [];
  const container = containers.find((c) => c.name === row.container);
  if (!container) throw new Error(`container "${row.container}" is not in the live object`);
  const resources = { ...((container.resources as Record<string, unknown> | undefined) ?? {}) };
  const requests = { ...((resources.requests as Record<string, unknown> | undefined) ?? {}) };
  const limits = { ...((resources.limits as Record<string, unknown> | undefined) ?? {}) };
  const set = (target: Record<string, unknown>, key: string, value: string | null) => {
    if (value === null) delete target[key];
    else target[key] = value;
  };
  set(requests, 'cpu', row.recommended.cpuRequest);
  set(requests, 'memory', row.recommended.memoryRequest);
  set(limits, 'cpu', row.recommended.cpuLimit);
  set(limits, 'memory', row.recommended.memoryLimit);
  const next: Record<string, unknown> = {};
  if (Object.keys(requests).length) next.requests = requests;
  if (Object.keys(limits).length) next.limits = limits;
  container.resources = next;
  return out;
}

/** One RFC 6902 operation of `leftoverRemovals`' patch. */
export type JsonPatchOp =
  { readonly op: 'test'; readonly path: string; readonly value: unknown } | { readonly op: 'remove'; readonly path: string };

/**
 * After the server-side apply of a merged recommendation: the fields the recommendation unsets (`null`) that the
 * live object still has. Server-side apply cannot remove a field another field manager owns (kubectl, a Helm
 * release, the object's creator): leaving it out of the applied object only drops ClusterDeck's own claim. The
 * returned JSON patch removes them, guarded by a `test` of the container's name at its index and of each value.
 */
export function leftoverRemovals(
  live: Record<string, unknown>,
  row: Pick<ReportRow, 'container' | 'recommended'>,
): { readonly fields: readonly string[]; readonly patch: readonly JsonPatchOp[] } {
  const spec = live.spec as Record<string, unknown> | undefined;
  const podSpec = (spec?.template as Record<string, unknown> | undefined)?.spec as Record<string, unknown> | undefined;
  const containers = Array.isArray(podSpec?.containers) ? (podSpec.containers as Record<string, unknown>[]) : [];
  const index = containers.findIndex((c) => c.name === row.container);
  const container = containers[index];
  if (!container) return { fields: [], patch: [] };
  const resources = (container.resources ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const base = `/spec/template/spec/containers/${index}`;
  const fields: string[] = [];
  const patch: JsonPatchOp[] = [{ op: 'test', path: `${base}/name`, value: row.container }];
  const check = (section: 'requests' | 'limits', key: 'cpu' | 'memory', recommended: string | null) => {
    const value = resources[section]?.[key];
    if (recommended !== null || value === undefined) return;
    fields.push(`resources.${section}.${key}`);
    patch.push(
      { op: 'test', path: `${base}/resources/${section}/${key}`, value },
      { op: 'remove', path: `${base}/resources/${section}/${key}` },
    );
  };
  check('requests', 'cpu', row.recommended.cpuRequest);
  check('requests', 'memory', row.recommended.memoryRequest);
  check('limits', 'cpu', row.recommended.cpuLimit);
  check('limits', 'memory', row.recommended.memoryLimit);
  return fields.length ? { fields, patch } : { fields: [], patch: [] };
}

/**
 * What the editor says when no Prometheus was found: where it looked and the next step (install one, or configure
 * the URL setting). Never a number.
 */
export function missingMetricsMessage(tried: readonly string[], namespaces: readonly string[]): string {
  return tried.length > 0
    ? `No Prometheus answered at ${tried.join(', ')}: check those pods, or set clusterdeck.tuning.prometheusUrl for this context.`
    : `No Prometheus found in the namespaces ${namespaces.join(', ')}: install one (helm install kube-prometheus-stack prometheus-community/kube-prometheus-stack -n monitoring --create-namespace) or set clusterdeck.tuning.prometheusUrl for this context.`;
}

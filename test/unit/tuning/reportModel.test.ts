// The Right-size report's pure parts: the model (charts from raw series, lines, missing series said, never invented),
// the HTML shell (CSP with the nonce, inert model JSON, local scripts only), message validation and the merge of a
// recommendation into the live object for the apply path.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ContainerUsageSeries } from '../../../src/core/tuning/metricsSource';
import type { ContainerRecommendation } from '../../../src/core/tuning/recommendRequests';
import {
  buildReportModel,
  downsampleMax,
  missingMetricsMessage,
  leftoverRemovals,
  mergeRecommendation,
  reportCsp,
  reportHtml,
  validateReportMessage,
  type ReportModel,
} from '../../../src/core/tuning/reportModel';

const Mi = 2 ** 20;

function rec(over: Partial<ContainerRecommendation> = {}): ContainerRecommendation {
  return {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    container: 'app',
    strategy: 'simple',
    current: { cpuRequest: '500m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' },
    recommended: { cpuRequest: '313m', cpuLimit: null, memoryRequest: '475Mi', memoryLimit: '475Mi' },
    dataPoints: 4000,
    confidence: 'high',
    severity: 'WARNING',
    severities: { cpuRequest: 'WARNING', cpuLimit: 'OK', memoryRequest: 'CRITICAL', memoryLimit: 'OK' },
    notes: ['a note'],
    applicable: true,
    ...over,
  };
}

const series = (pod: string, cpu: number[], mem: number[], container = 'app', namespace = 'shop'): ContainerUsageSeries => ({
  namespace,
  container,
  pod,
  cpuCores: cpu.map((v, i) => ({ t: 1000 + i * 60, v })),
  memoryBytes: mem.map((v, i) => ({ t: 1000 + i * 60, v })),
});

const base = { title: 'Right-size namespace shop', contextName: 'kind-a', source: 'Prometheus at x', windowSeconds: 14 * 86400 };

describe('report model', () => {
  test('a row charts the max over its own pods per step, with current request/limit and recommended request lines', () => {
    const model = buildReportModel({
      ...base,
      recommendations: [rec()],
      series: [
        series('web-7c9d8f6b5-q2w4e', [0.1, 0.3, 0.2], [100 * Mi, 120 * Mi, 110 * Mi]),
        series('web-5f6d7c8b9-a1s2d', [0.2, 0.1, 0.4], [90 * Mi, 130 * Mi, 100 * Mi]),
        // Not this workload (web-api's pods), not this container, not this namespace:
        series('web-api-6b7c8d9f0-zz9yy', [9, 9, 9], [9e9, 9e9, 9e9]),
        series('web-7c9d8f6b5-q2w4e', [8, 8, 8], [8e9, 8e9, 8e9], 'sidecar'),
        series('web-7c9d8f6b5-q2w4e', [7, 7, 7], [7e9, 7e9, 7e9], 'app', 'other'),
      ],
    });
    const row = model.rows[0];
    assert.ok(row?.cpu && row.memory);
    assert.deepEqual(
      row.cpu.points.map((p) => p.v),
      [0.2, 0.3, 0.4],
    );
    assert.deepEqual(
      row.memory.points.map((p) => p.v),
      [100 * Mi, 130 * Mi, 110 * Mi],
    );
    assert.deepEqual(row.cpu.lines, [
      { label: 'request 500m', value: 0.5 },
      { label: 'limit 1', value: 1 },
      { label: 'recommended 313m', value: 0.313 },
    ]);
    assert.deepEqual(
      row.memory.lines.map((l) => l.label),
      ['request 256Mi', 'limit 512Mi', 'recommended 475Mi'],
    );
    assert.equal(row.id, 'shop/Deployment/web/app');
    assert.equal(row.seriesMissing, undefined);
  });

  test('without series for a container (or from the source at all) the row says so and has no chart data', () => {
    const none = buildReportModel({ ...base, recommendations: [rec()], series: [series('other-1', [1], [1])] });
    assert.match(none.rows[0]?.seriesMissing ?? '', /No usage series for container "app" of Deployment web/);
    assert.equal(none.rows[0]?.cpu, undefined);
    const noSource = buildReportModel({ ...base, recommendations: [rec()], series: undefined });
    assert.match(noSource.rows[0]?.seriesMissing ?? '', /gives no usage series/);
  });

  test('a row without any recommended value is never applicable', () => {
    const model = buildReportModel({
      ...base,
      recommendations: [
        rec({ recommended: { cpuRequest: null, cpuLimit: null, memoryRequest: null, memoryLimit: null }, confidence: 'none' }),
      ],
      series: undefined,
    });
    assert.equal(model.rows[0]?.applicable, false);
    const same = rec().recommended;
    const unchanged = buildReportModel({ ...base, recommendations: [rec({ current: same })], series: undefined });
    assert.equal(unchanged.rows[0]?.applicable, false, 'nothing to apply when current = recommended');
    assert.equal(buildReportModel({ ...base, recommendations: [rec()], series: undefined }).rows[0]?.applicable, true);
  });

  test('downsampling keeps at most the limit and the spikes', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ t: i, v: i === 537 ? 99 : 1 }));
    const out = downsampleMax(points, 100);
    assert.ok(out.length <= 100);
    assert.equal(Math.max(...out.map((p) => p.v)), 99);
    assert.equal(out[0]?.t, 0);
  });
});

describe('report HTML and messages', () => {
  const model: ReportModel = buildReportModel({
    ...base,
    recommendations: [rec(), rec({ name: 'tiny', applicable: false }), rec({ name: '</script><script>alert(1)</script>', container: 'x' })],
    series: undefined,
  });
  const nonce = 'abcdefghijklmnopqrstuvwxyz012345';
  const html = reportHtml({
    model,
    nonce,
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    chartJsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/chart.umd.min.js',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/tuningReport.js',
  });

  test('the CSP allows only nonce scripts, local styles and images, nothing else', () => {
    assert.equal(
      reportCsp('SRC', nonce),
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src SRC 'nonce-${nonce}'; img-src SRC data:`,
    );
    assert.ok(html.includes(`content="default-src &#39;none&#39;; script-src &#39;nonce-${nonce}&#39;;`));
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? '');
    // Every executable script carries the nonce; the model block is inert JSON.
    for (const attrs of scripts) assert.ok(attrs.includes(`nonce="${nonce}"`) || attrs.includes('type="application/json"'), attrs);
    assert.equal(scripts.filter((a) => a.includes('src=')).length, 2);
    assert.doesNotMatch(html, /https?:\/\/(?!file\+\.vscode-resource)/, 'no remote content');
    assert.doesNotMatch(html, /command:/, 'no command URIs');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
  });

  test('the model JSON cannot close its script block', () => {
    const block = /<script type="application\/json" id="model">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.ok(!block.includes('<'));
    const parsed = JSON.parse(block) as ReportModel;
    assert.equal(parsed.rows[2]?.name, '</script><script>alert(1)</script>');
  });

  test('a weak nonce is refused', () => {
    assert.throws(() => reportHtml({ model, nonce: 'x"', cspSource: 'S', chartJsUri: 'a', scriptUri: 'b' }));
  });

  test('messages are validated: only ready, and apply of a known applicable row', () => {
    assert.deepEqual(validateReportMessage({ type: 'ready' }, model), { type: 'ready' });
    assert.deepEqual(validateReportMessage({ type: 'apply', rowId: 'shop/Deployment/web/app' }, model), {
      type: 'apply',
      rowId: 'shop/Deployment/web/app',
    });
    for (const bad of [
      undefined,
      null,
      'apply',
      [],
      { type: 'apply' },
      { type: 'apply', rowId: 'shop/Deployment/nope/app' },
      { type: 'apply', rowId: 'shop/Deployment/tiny/app' }, // not applicable
      { type: 'apply', rowId: 'shop/Deployment/web/app', yaml: 'kind: Secret' },
      { type: 'apply', rowId: 42 },
      { type: 'command', command: 'workbench.action.terminal.new' },
      { type: 'ready', extra: 1 },
    ])
      assert.equal(validateReportMessage(bad, model), undefined, JSON.stringify(bad));
  });
});

describe('merge into the live object', () => {
  const live = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      resourceVersion: '42',
      uid: 'u',
      managedFields: [{ manager: 'kubectl' }],
      annotations: { 'deployment.kubernetes.io/revision': '3', team: 'a' },
    },
    spec: {
      replicas: 3,
      template: {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'web:1',
              resources: { requests: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '1', memory: '512Mi' } },
            },
            { name: 'sidecar', image: 'envoy', resources: { requests: { cpu: '50m' } } },
          ],
        },
      },
    },
    status: { replicas: 3 },
  };

  test('replaces only the container resources, removes a null recommendation, keeps everything else live', () => {
    const merged = mergeRecommendation(live, { container: 'app', recommended: rec().recommended }) as typeof live;
    const app = merged.spec.template.spec.containers[0];
    assert.deepEqual(app?.resources, {
      requests: { cpu: '313m', memory: '475Mi', 'ephemeral-storage': '1Gi' },
      limits: { memory: '475Mi' },
    });
    assert.equal(app?.image, 'web:1');
    assert.deepEqual(merged.spec.template.spec.containers[1], live.spec.template.spec.containers[1]);
    assert.equal(merged.spec.replicas, 3);
    assert.equal((merged as { status?: unknown }).status, undefined);
    assert.deepEqual(merged.metadata, { name: 'web', namespace: 'shop', annotations: { team: 'a' } });
    // The live object itself is untouched.
    assert.equal(live.spec.template.spec.containers[0]?.resources.requests.cpu, '500m');
  });

  test('a container gone from the live object is an error, not a blind write', () => {
    assert.throws(() => mergeRecommendation(live, { container: 'gone', recommended: rec().recommended }), /not in the live object/);
  });
});

describe('missing metrics', () => {
  test('says where it looked and the next step, or how to install one', () => {
    assert.equal(
      missingMetricsMessage(['monitoring/prometheus-operated:9090'], ['monitoring', 'prometheus']),
      'No Prometheus answered at monitoring/prometheus-operated:9090: check those pods, or set clusterdeck.tuning.prometheusUrl for this context.',
    );
    assert.match(
      missingMetricsMessage([], ['monitoring', 'prometheus']),
      /^No Prometheus found in the namespaces monitoring, prometheus: install one \(helm install kube-prometheus-stack /,
    );
    assert.doesNotMatch(missingMetricsMessage([], ['monitoring']), /--prometheus-url|\d+m\b/);
  });
});

test('leftoverRemovals: the unset fields the live object still has, as a guarded JSON patch; nothing when none', () => {
  const live = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'sidecar', resources: { limits: { cpu: '100m' } } },
            { name: 'app', resources: { requests: { cpu: '1' }, limits: { cpu: '2', memory: '1Gi' } } },
          ],
        },
      },
    },
  };
  const none = { cpuRequest: '300m', cpuLimit: null, memoryRequest: '500Mi', memoryLimit: '500Mi' };
  assert.deepEqual(leftoverRemovals(live, { container: 'app', recommended: none }), {
    fields: ['resources.limits.cpu'],
    patch: [
      { op: 'test', path: '/spec/template/spec/containers/1/name', value: 'app' },
      { op: 'test', path: '/spec/template/spec/containers/1/resources/limits/cpu', value: '2' },
      { op: 'remove', path: '/spec/template/spec/containers/1/resources/limits/cpu' },
    ],
  });
  // The sidecar's limit is not this row's business; an absent field needs nothing.
  assert.deepEqual(leftoverRemovals(live, { container: 'app', recommended: { ...none, cpuLimit: '2' } }), { fields: [], patch: [] });
  assert.deepEqual(leftoverRemovals(live, { container: 'gone', recommended: none }), { fields: [], patch: [] });
});

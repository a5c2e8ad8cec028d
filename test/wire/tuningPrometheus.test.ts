// Recommendations through a REAL Prometheus (Debian package `prometheus`, backfilled with promtool from generated
// OpenMetrics) and the fake API server: the PromQL, the merging per pod/container, the pod→workload assignment and
// the strategies, compared with values computed independently from the generated shapes (test/support/tuningScenario.ts).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { podPatternOf, recommendNamespaces, workloadOf } from '../../src/core/tuning/recommendWorkloads';
import { parseHpa, recommendHpa } from '../../src/core/tuning/recommendHpa';
import { suggestHpaFor } from '../../src/core/tuning/createHpaSuggestion';
import type { ContainerRecommendation } from '../../src/core/tuning/recommendRequests';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { PrometheusClient, httpTransport } from '../../src/node/tuning/prometheusClient';
import { discoverPrometheus } from '../../src/node/tuning/prometheusDiscovery';
import { PrometheusSource } from '../../src/node/tuning/prometheusSource';
import { main } from '../../src/cli/main';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { hasPrometheus, startTestPrometheus, type TestPrometheus } from '../support/prometheus';
import {
  expectedSimple,
  numpyPercentile,
  scenarioContainers,
  scenarioGauges,
  scenarioObjects,
  scenarioShapes,
  scenarioTimes,
  trueSteps,
} from '../support/tuningScenario';

const DAY = 86400;
const STEP = 300;
const signal = new AbortController().signal;

const byKey = (recs: readonly ContainerRecommendation[], name: string, container: string): ContainerRecommendation => {
  const r = recs.find((x) => x.name === name && x.container === container);
  assert.ok(r, `no record for ${name}/${container}: ${recs.map((x) => `${x.name}/${x.container}`).join(', ')}`);
  return r;
};

describe('tuning through a real Prometheus', () => {
  const times = scenarioTimes();
  let prom: TestPrometheus | undefined;
  let fake: FakeKube | undefined;
  let dir: string | undefined;
  let kube: KubeClient;
  let kubeconfigPath: string;
  const logLines: string[] = [];

  before(async () => {
    // Not a skip: a missing binary must fail the run (scripts/ensureTestDeps.mjs installs the Debian package).
    assert.ok(
      hasPrometheus(),
      'prometheus and promtool are not installed: run node scripts/ensureTestDeps.mjs (apt-get install prometheus)',
    );
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-tuning-'));
    prom = await startTestPrometheus(scenarioContainers(times), { scrapeSeconds: 120, gauges: scenarioGauges(times) });
    fake = await startFakeKube({});
    for (const o of scenarioObjects()) fake.upsert(o);
    kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, fake.kubeconfig());
    const config = await loadKubeconfigs([kubeconfigPath]);
    kube = await new SdkKubeClientFactory({
      requestTimeoutMs: () => 10_000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      allowPlainHttp: (name) => name === 'fake', // the fake is plain http (B14 opt-in)
      onRequest: (l) => logLines.push(l),
    }).createClient(resolveContext(config, config.contexts[0]?.name ?? ''));
  });
  after(async () => {
    await prom?.stop();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const source = (): PrometheusSource =>
    new PrometheusSource(
      new PrometheusClient(httpTransport({ url: prom?.url ?? '' }), { concurrency: 3, onRequest: (l) => logLines.push(l) }),
    );

  test('summaries per pod/container: p95 = the busy plateau, max = the memory peak, noise series excluded', async () => {
    const summaries = await source().summarize(
      { namespace: 'shop', windowSeconds: 14 * DAY, stepSeconds: STEP, cpuPercentiles: [95], memoryPercentiles: [], endSeconds: times.end },
      { signal },
    );
    const keys = summaries.map((s) => `${s.pod}/${s.container}`).sort();
    assert.deepEqual(keys, scenarioShapes.map((s) => `${s.pod}/${s.container}`).sort(), 'no POD, no pod-level, no other namespace');
    for (const shape of scenarioShapes) {
      const s = summaries.find((x) => x.pod === shape.pod && x.container === shape.container);
      assert.ok(s);
      const steps = trueSteps(shape, times, STEP);
      const p95 = numpyPercentile(steps.cpu, 95);
      if (!shape.lastSeconds) {
        assert.ok(
          Math.abs((s.cpuQuantiles['95'] ?? NaN) - p95) < 1e-6,
          `${shape.pod}/${shape.container} p95 ${s.cpuQuantiles['95']} vs ${p95}`,
        );
        assert.equal(s.memoryMaxBytes, Math.round(Math.max(...steps.memory)), `${shape.pod} memory max`);
      }
      assert.ok(
        Math.abs(s.memoryPoints - steps.memory.length) <= 3,
        `${shape.pod} memory points ${s.memoryPoints} vs ${steps.memory.length}`,
      );
      assert.ok(Math.abs(s.cpuPoints - steps.cpu.length) <= 3, `${shape.pod} cpu points ${s.cpuPoints} vs ${steps.cpu.length}`);
    }
  });

  test('KRR simple through the fake API server and the real Prometheus equals the independent computation', async () => {
    const recs = await recommendNamespaces(kube, source(), ['shop'], {
      strategy: 'simple',
      windowSeconds: 14 * DAY,
      stepSeconds: STEP,
      endSeconds: times.end,
      signal,
    });
    assert.deepEqual(recs.map((r) => `${r.kind}/${r.name}/${r.container}`).sort(), [
      'Deployment/tiny/app',
      'Deployment/web-api/api',
      'Deployment/web/app',
      'Deployment/web/sidecar',
      'StatefulSet/db/postgres',
    ]);
    const cases: [name: string, container: string, pods: RegExp][] = [
      ['web', 'app', /^web-[a-z0-9]+-[a-z0-9]{5}$/],
      ['web', 'sidecar', /^web-[a-z0-9]+-[a-z0-9]{5}$/],
      ['web-api', 'api', /^web-api-/],
      ['db', 'postgres', /^db-\d+$/],
    ];
    for (const [name, container, pods] of cases) {
      const r = byKey(recs, name, container);
      const e = expectedSimple(pods, container, times, STEP);
      assert.equal(r.recommended.cpuRequest, e.cpu, `${name}/${container} cpu`);
      assert.equal(r.recommended.memoryRequest, e.memory, `${name}/${container} memory`);
      assert.equal(r.recommended.memoryLimit, e.memory);
      assert.equal(r.recommended.cpuLimit, null);
      assert.equal(r.confidence, 'high');
      assert.ok(Math.abs(r.dataPoints - e.points) <= 3 * 5, `${name}/${container} points ${r.dataPoints} vs ${e.points}`);
    }
    // Spot values, so that a shared mistake in the scenario helpers cannot hide: web/app = the new pod's 0.3127 busy level.
    assert.equal(byKey(recs, 'web', 'app').recommended.cpuRequest, '313m');
    assert.equal(byKey(recs, 'web', 'app').recommended.memoryRequest, '462Mi'); // the new pod's peak 401.1 Mi × 1.15 = 461.3 (old pods died before day 9)
    assert.equal(byKey(recs, 'web', 'sidecar').recommended.cpuRequest, '10m'); // floor
    assert.equal(byKey(recs, 'web', 'sidecar').recommended.memoryRequest, '100Mi'); // floor
    assert.equal(byKey(recs, 'web-api', 'api').recommended.cpuRequest, '1457m');
    assert.equal(byKey(recs, 'db', 'postgres').recommended.memoryRequest, '3534Mi');

    const web = byKey(recs, 'web', 'app');
    assert.deepEqual(web.current, { cpuRequest: '500m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '512Mi' });
    assert.equal(web.severity, 'WARNING', 'the dropped CPU limit (1 → none) is a WARNING; 500m → 313m is OK');
    // The HPA on web targets 70 % CPU: the note says how its threshold moves (pod total 550m → 363m).
    assert.ok(
      web.notes.some((n) => /HPA web scales at 70% CPU Utilization.*from 385m to 255m per pod/.test(n)),
      web.notes.join('\n'),
    );
    const api = byKey(recs, 'web-api', 'api');
    assert.ok(
      api.notes.some((n) => /HPA error: .*has no cpu request/.test(n)),
      api.notes.join('\n'),
    );

    const tiny = byKey(recs, 'tiny', 'app');
    assert.equal(tiny.confidence, 'none');
    assert.deepEqual(tiny.recommended, { cpuRequest: null, cpuLimit: null, memoryRequest: null, memoryLimit: null });
    assert.match(tiny.notes[0] ?? '', /Not enough data/);
  });

  test('KRR --use_oomkill_data: memory = max(ws × 1.15, OOM-killed limit × 1.25) from kube-state-metrics', async () => {
    const recs = await recommendNamespaces(kube, source(), ['shop'], {
      strategy: 'simple',
      windowSeconds: 14 * DAY,
      stepSeconds: STEP,
      endSeconds: times.end,
      signal,
      useOomKillData: true,
    });
    const web = byKey(recs, 'web', 'app');
    assert.equal(web.recommended.memoryRequest, '640Mi'); // 512 Mi × 1.25 > 401.1 Mi × 1.15
    assert.ok(
      web.notes.some((n) => /OOM-killed limit \+ 25 % \(512Mi\)/.test(n)),
      web.notes.join('\n'),
    );
    assert.equal(byKey(recs, 'db', 'postgres').recommended.memoryRequest, '3534Mi', 'no OOM: unchanged');
  });

  test('simple_limit: request = max p66 (base plateau), limit = max p96', async () => {
    const recs = await recommendNamespaces(kube, source(), ['shop'], {
      strategy: 'simple_limit',
      windowSeconds: 14 * DAY,
      stepSeconds: STEP,
      endSeconds: times.end,
      signal,
    });
    const web = byKey(recs, 'web', 'app');
    const webShapes = scenarioShapes.filter((s) => s.container === 'app' && /^web-[a-z0-9]+-[a-z0-9]{5}$/.test(s.pod));
    const p66 = Math.max(...webShapes.map((s) => numpyPercentile(trueSteps(s, times, STEP).cpu, 66)));
    const p96 = Math.max(...webShapes.map((s) => numpyPercentile(trueSteps(s, times, STEP).cpu, 96)));
    assert.equal(web.recommended.cpuRequest, `${Math.ceil(p66 * 1000 - 1e-6)}m`);
    assert.equal(web.recommended.cpuLimit, `${Math.ceil(p96 * 1000 - 1e-6)}m`);
    assert.equal(web.recommended.cpuRequest, '71m'); // the f3g4h pod's base 0.0701
  });

  test('vpa: raw series through query_range, histogram target between the p50 and the peak', async () => {
    const recs = await recommendNamespaces(kube, source(), ['shop'], {
      strategy: 'vpa',
      windowSeconds: 14 * DAY,
      stepSeconds: STEP,
      endSeconds: times.end,
      signal,
    });
    const db = byKey(recs, 'db', 'postgres');
    assert.equal(db.confidence, 'high');
    const cpu = Number(db.recommended.cpuRequest?.replace('m', '')) / 1000;
    // p90 of a mostly-base series lies on a plateau (0.25 / 0.3 cores) or the busy level (0.7771), +15 %, +5 % bucket.
    assert.ok(cpu >= 0.25 * 1.15 && cpu <= 0.7771 * 1.15 * 1.06, String(cpu));
    assert.ok(db.band?.cpu, 'the band is shown');
    assert.ok(
      logLines.some((l) => /> prometheus query_range cpu series shop \[\d+ms\] ok/.test(l)),
      logLines.slice(-5).join('\n'),
    );
  });

  test('discovery through the API server service proxy finds the real Prometheus and answers the same', async () => {
    assert.ok(fake && prom);
    fake.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'prometheus-operated', namespace: 'monitoring' },
      spec: { ports: [{ name: 'web', port: 9090 }] },
    });
    fake.setServiceProxyTarget('monitoring', 'prometheus-operated', '9090', prom.url);
    const found = await discoverPrometheus(kube, { signal });
    assert.ok(found.found, !found.found ? found.message : '');
    assert.equal(found.candidate.install, 'Prometheus Operator (kube-prometheus-stack)');
    const viaProxy = new PrometheusSource(new PrometheusClient(found.transport));
    const query = {
      namespace: 'shop',
      windowSeconds: 14 * DAY,
      stepSeconds: STEP,
      cpuPercentiles: [95],
      memoryPercentiles: [],
      endSeconds: times.end,
    };
    const [a, b] = await Promise.all([viaProxy.summarize(query, { signal }), source().summarize(query, { signal })]);
    assert.deepEqual(a, b);
    assert.ok(
      fake.requests.some(
        (r) => decodeURIComponent(r.path) === '/api/v1/namespaces/monitoring/services/prometheus-operated:9090/proxy/api/v1/query',
      ),
    );
    // No endpoints (503) and a missing Service: not found, with the list of what was tried.
    fake.setServiceProxyTarget('monitoring', 'prometheus-operated', '9090', undefined);
    const none = await discoverPrometheus(kube, { signal });
    assert.equal(none.found, false);
    assert.match(!none.found ? none.message : '', /No Prometheus answered at monitoring\/prometheus-operated:9090/);
    fake.remove('v1', 'Service', 'monitoring', 'prometheus-operated');
    const absent = await discoverPrometheus(kube, { signal });
    assert.match(!absent.found ? absent.message : '', /install one \(helm install kube-prometheus-stack/);
  });

  test('HPA history from kube-state-metrics and cAdvisor: pinned at max fires, flapping does not', async () => {
    const history = await source().hpaHistory(
      {
        namespace: 'shop',
        hpaName: 'web',
        podPattern: podPatternOf('Deployment', 'web'),
        resource: 'cpu',
        windowSeconds: 14 * DAY,
        stepSeconds: STEP,
        endSeconds: times.end,
      },
      { signal },
    );
    assert.ok(history);
    assert.ok(Math.abs(history.replicas.length - (14 * DAY) / STEP) <= 2, String(history.replicas.length));
    assert.ok(history.usage?.cpu && history.usage.cpu.length > 3900);
    const hpaObject = scenarioObjects().find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'web');
    assert.ok(hpaObject);
    const deployment = workloadOf(scenarioObjects().find((o) => o.kind === 'Deployment' && o.metadata.name === 'web') as never);
    assert.ok(deployment);
    const hints = recommendHpa(
      parseHpa(hpaObject),
      { kind: 'Deployment', name: 'web', containers: deployment.containers, production: true },
      history,
    );
    const pinned = hints.find((h) => h.ruleId === 'hpa-pinned-at-max');
    assert.ok(pinned, hints.map((h) => h.ruleId).join());
    assert.match(pinned.message, /sat at maxReplicas 10 for 8% of the window \(longest 2 h\)/);
    assert.ok(!hints.some((h) => h.ruleId === 'hpa-flapping'));
  });

  test('recommendNamespaces runs the HPA history rules: pinned at max in the notes; no replica series said plainly', async () => {
    const recs = await recommendNamespaces(kube, source(), ['shop'], {
      strategy: 'simple',
      windowSeconds: 14 * DAY,
      stepSeconds: STEP,
      endSeconds: times.end,
      signal,
    });
    const web = byKey(recs, 'web', 'app');
    assert.ok(
      web.notes.some((n) => /^HPA warning: HPA web sat at maxReplicas 10 for 8% of the window \(longest 2 h\)/.test(n)),
      web.notes.join('\n'),
    );
    assert.ok(!web.notes.some((n) => /flapping|changed scaling direction/.test(n)));
    // web-api: kube-state-metrics has no series for it; the note says what is missing instead of guessing.
    const api = byKey(recs, 'web-api', 'api');
    assert.ok(
      api.notes.some((n) =>
        /^HPA info: .*no kube_horizontalpodautoscaler_status_current_replicas series for HPA web-api: install kube-state-metrics/.test(n),
      ),
      api.notes.join('\n'),
    );
    assert.ok(!api.notes.some((n) => /sat at maxReplicas/.test(n)));
    // Off: only the static rules.
    const off = await recommendNamespaces(kube, source(), ['shop'], {
      strategy: 'simple',
      windowSeconds: 14 * DAY,
      stepSeconds: STEP,
      endSeconds: times.end,
      signal,
      hpaHistory: false,
    });
    assert.ok(!byKey(off, 'web', 'app').notes.some((n) => /sat at maxReplicas/.test(n)));
  });

  test("Create HPA… from history: the summed CPU of web's pods through query_range, min/max/target from the model", async () => {
    const HOUR = 3600;
    const usage = await source().workloadUsage(
      {
        namespace: 'shop',
        podPattern: podPatternOf('Deployment', 'web'),
        resource: 'cpu',
        windowSeconds: 14 * DAY,
        stepSeconds: STEP,
        endSeconds: times.end,
      },
      { signal },
    );
    // At 03:00 on day 12 the three pods of the second rollout run at their base (app + sidecar of a1s2d).
    const at = times.start + 12 * DAY + 3 * HOUR;
    const quiet = usage.find((x) => x.t === at);
    assert.ok(quiet, `a sample at ${at}`);
    assert.ok(Math.abs(quiet.v - (0.0534 + 0.0701 + 0.0488 + 0.0019)) < 1e-4, String(quiet.v));
    const busy = usage.find((x) => x.t === times.start + 12 * DAY + 11 * HOUR);
    assert.ok(busy && Math.abs(busy.v - (0.3127 + 0.2555 + 0.1999 + 0.0052)) < 1e-4, String(busy?.v));

    const deploymentObject = scenarioObjects().find((o) => o.kind === 'Deployment' && o.metadata.name === 'web');
    assert.ok(deploymentObject);
    const s = await suggestHpaFor(deploymentObject, { source: source() }, { signal, endSeconds: times.end, stepSeconds: STEP });
    assert.equal(s.fromHistory, true, s.basis);
    assert.match(s.basis, /^From 14 days of CPU usage \(Prometheus at http:\/\/127\.0\.0\.1:\d+\): At \d+% the controller model/);
    // The day-10 spike (a1s2d at 0.93 cores): max covers the peak need at the chosen target, over 0.55-core pods.
    const peak = Math.max(...usage.map((x) => x.v));
    assert.ok(Math.abs(peak - (0.93 + 0.0701 + 0.0488 + 0.0019)) < 1e-3, String(peak));
    assert.ok(
      s.values.maxReplicas >= Math.ceil(peak / (0.55 * (s.values.targetUtilizationPercent / 100)) - 1e-9),
      JSON.stringify(s.values),
    );
    assert.ok(s.values.minReplicas >= 2);
    // A Deployment without pods in the store: no invented suggestion.
    const none = await suggestHpaFor(
      { ...deploymentObject, metadata: { name: 'nothing-here', namespace: 'shop' } },
      { source: source() },
      { signal, endSeconds: times.end },
    );
    assert.equal(none.fromHistory, false);
    assert.match(none.basis, /^Starting values, not from history: Not enough history to size an HPA: 0 samples/);
  });

  test('CLI: clusterdeck recommend --format json prints the issue shape', async () => {
    assert.ok(prom);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      [
        'recommend',
        '--context',
        'fake',
        '--kubeconfig',
        kubeconfigPath,
        '--allow-plain-http',
        '--namespace',
        'shop',
        '--prometheus-url',
        prom.url,
        '--format',
        'json',
      ],
      {
        out: (s) => out.push(s),
        err: (s) => err.push(s),
        cwd: process.cwd(),
        isTty: false,
        readStdin: () => Promise.resolve(''),
        version: 'test',
      },
      {},
    );
    assert.equal(code, 0, err.join('\n'));
    const rows = JSON.parse(out.join('\n')) as Record<string, unknown>[];
    assert.equal(rows.length, 5);
    for (const row of rows)
      assert.deepEqual(Object.keys(row), [
        'namespace',
        'kind',
        'name',
        'container',
        'current',
        'recommended',
        'dataPoints',
        'confidence',
        'severity',
        'notes',
      ]);
    const web = rows.find((r) => r.name === 'web' && r.container === 'app');
    assert.deepEqual(web?.current, { cpuRequest: '500m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '512Mi' });
    // The CLI's window ends now (up to an hour after the data): the plateau values do not move.
    assert.deepEqual(web?.recommended, { cpuRequest: '313m', cpuLimit: null, memoryRequest: '462Mi', memoryLimit: '462Mi' });
    // The HPA history rules reach the CLI's notes (the window ends now; the daily 2 h stretches at max remain).
    assert.ok(
      (web?.notes as string[]).some((n) => /^HPA warning: HPA web sat at maxReplicas 10/.test(n)),
      JSON.stringify(web?.notes),
    );
    const tiny = rows.find((r) => r.name === 'tiny');
    assert.deepEqual(tiny?.current, { cpuRequest: null, cpuLimit: null, memoryRequest: null, memoryLimit: null });
    assert.equal(tiny?.severity, 'UNKNOWN');
  });
});

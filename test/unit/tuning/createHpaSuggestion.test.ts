// "Create HPA…" starting point: from history when the source has it, else starting values that say they are not
// from history and what is missing (never numbers passed off as measured).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ClusterDeckError } from '../../../src/core/errors';
import { defaultHpaValues, suggestHpaFor } from '../../../src/core/tuning/createHpaSuggestion';
import type { MetricsSource, TimedValue } from '../../../src/core/tuning/metricsSource';
import type { WorkloadUsageQuery } from '../../../src/core/tuning/promQueries';

const signal = new AbortController().signal;
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '500m' } } }] } } },
};
const source = (workloadUsage?: MetricsSource['workloadUsage']): MetricsSource => ({
  kind: 'prometheus',
  description: 'Prometheus at http://prom.test',
  summarize: () => Promise.resolve([]),
  ...(workloadUsage ? { workloadUsage } : {}),
});
// Two days at 5 min: 0.6 cores at night, 2.4 cores from 10:00 to 12:00.
const usage: TimedValue[] = Array.from({ length: 576 }, (_, i) => {
  const hour = ((i * 300) % 86400) / 3600;
  return { t: i * 300, v: hour >= 10 && hour < 12 ? 2.4 : 0.6 };
});

test('no metrics: the default values, saying they are not from history and what is missing', async () => {
  const s = await suggestHpaFor(
    deployment,
    { missing: 'No Prometheus found in the namespaces monitoring, prometheus: install one.' },
    { signal },
  );
  assert.deepEqual(s.values, defaultHpaValues(3));
  assert.deepEqual(s.values, { minReplicas: 2, maxReplicas: 6, targetUtilizationPercent: 70 });
  assert.equal(s.fromHistory, false);
  assert.equal(s.basis, 'Starting values, not from history: No Prometheus found in the namespaces monitoring, prometheus: install one.');
});

test('a source without history (metrics-server samples): said, defaults', async () => {
  const s = await suggestHpaFor(deployment, { source: source() }, { signal });
  assert.equal(s.fromHistory, false);
  assert.match(s.basis, /^Starting values, not from history: Prometheus at http:\/\/prom\.test keeps no usage history/);
});

test('history: the Deployment pods pattern and CPU are asked; min/max/target come from the controller model', async () => {
  let asked: WorkloadUsageQuery | undefined;
  const s = await suggestHpaFor(
    deployment,
    {
      source: source((q) => {
        asked = q;
        return Promise.resolve(usage);
      }),
    },
    { signal, windowSeconds: 2 * 86400, stepSeconds: 300 },
  );
  assert.deepEqual(asked, {
    namespace: 'shop',
    podPattern: 'web-[a-z0-9]{1,10}-[a-z0-9]{5}',
    resource: 'cpu',
    windowSeconds: 2 * 86400,
    stepSeconds: 300,
  });
  assert.equal(s.fromHistory, true);
  // Peak 2.4 cores over 0.5-core pods: at any target ≤ 85 % at least 6 pods; max leaves 20 % room above the need.
  assert.ok(s.values.maxReplicas >= Math.ceil(2.4 / (0.5 * (s.values.targetUtilizationPercent / 100))), JSON.stringify(s.values));
  assert.ok(s.values.minReplicas >= 2);
  assert.ok(s.values.targetUtilizationPercent >= 50 && s.values.targetUtilizationPercent <= 85);
  assert.match(
    s.basis,
    /^From 2 days of CPU usage \(Prometheus at http:\/\/prom\.test\): At \d+% the controller model keeps p95 replicas at/,
  );
});

test('too little history or a failed query: defaults with the reason', async () => {
  const short = await suggestHpaFor(deployment, { source: source(() => Promise.resolve(usage.slice(0, 40))) }, { signal });
  assert.equal(short.fromHistory, false);
  assert.match(short.basis, /^Starting values, not from history: Not enough history to size an HPA: 40 samples, at least 100 are needed/);
  const failed = await suggestHpaFor(
    deployment,
    { source: source(() => Promise.reject(new ClusterDeckError('timeout', 'Prometheus at http://prom.test did not answer within 30 s.'))) },
    { signal },
  );
  assert.equal(failed.basis, 'Starting values, not from history: Prometheus at http://prom.test did not answer within 30 s.');
  const noRequest = await suggestHpaFor(
    { ...deployment, spec: { template: { spec: { containers: [{ name: 'app' }] } } } },
    { source: source(() => Promise.resolve(usage)) },
    { signal },
  );
  assert.equal(noRequest.fromHistory, false);
  assert.match(noRequest.basis, /needs a cpu request/);
});

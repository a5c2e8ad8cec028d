// Table-driven tests of the tuning editor's pure edits: before/after fixtures under test/fixtures/tuning-edits/,
// refusals (Helm, Kustomize), matching by kind/name/namespace, and the "Create HPA…" validation.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits } from '../../../src/core/manifests/quickFixes';
import {
  cpuUtilizationRefusal,
  podCpuRequestCores,
  recommendationEdits,
  recommendationMessage,
  validateHpaValues,
  validateReplicas,
  validateTargetPercent,
  type MatchOptions,
} from '../../../src/core/tuning/manifestEdits';
import type { ContainerRecommendation, ResourceValues } from '../../../src/core/tuning/recommendRequests';

const dir = join(__dirname, '..', '..', 'fixtures', 'tuning-edits');
const fixture = (name: string): string => readFileSync(join(dir, name), 'utf8');

const rec = (over: Partial<ContainerRecommendation> = {}, recommended: Partial<ResourceValues> = {}): ContainerRecommendation => ({
  namespace: 'shop',
  kind: 'Deployment',
  name: 'web',
  container: 'app',
  strategy: 'simple',
  current: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '1Gi' },
  // KRR simple: no CPU limit, memory limit = request.
  recommended: { cpuRequest: '313m', cpuLimit: null, memoryRequest: '462Mi', memoryLimit: '462Mi', ...recommended },
  dataPoints: 5000,
  confidence: 'high',
  severity: 'WARNING',
  severities: { cpuRequest: 'WARNING', cpuLimit: 'OK', memoryRequest: 'WARNING', memoryLimit: 'WARNING' },
  notes: [],
  applicable: true,
  ...over,
});

interface Row {
  readonly name: string;
  readonly path: string;
  readonly before: string;
  readonly rec: ContainerRecommendation;
  readonly options?: MatchOptions;
  readonly after?: string;
  readonly reason?: RegExp;
}

const rows: Row[] = [
  {
    name: 'keeps comments, removes the CPU limit',
    path: 'k8s/web.yaml',
    before: 'comments.before.yaml',
    rec: rec(),
    after: 'comments.after.yaml',
  },
  {
    name: 'multi-document file, namespace from the caller, resources created',
    path: 'k8s/all.yaml',
    before: 'multidoc.before.yaml',
    rec: rec(),
    options: { defaultNamespace: 'shop' },
    after: 'multidoc.after.yaml',
  },
  {
    name: 'partial resources: replace, insert, add limits',
    path: 'db.yaml',
    before: 'requests-only.before.yaml',
    rec: rec({ kind: 'StatefulSet', name: 'db' }),
    after: 'requests-only.after.yaml',
  },
  {
    name: 'no namespace in the file and no default: no match',
    path: 'k8s/all.yaml',
    before: 'multidoc.before.yaml',
    rec: rec(),
    reason: /No Deployment shop\/web/,
  },
  {
    name: 'another default namespace: no match',
    path: 'k8s/all.yaml',
    before: 'multidoc.before.yaml',
    rec: rec(),
    options: { defaultNamespace: 'default' },
    reason: /No Deployment shop\/web/,
  },
  { name: 'Helm template refused', path: 'chart/templates/web.yaml', before: 'helm.before.yaml', rec: rec(), reason: /Helm template/ },
  {
    name: 'Kustomize patch document refused',
    path: 'overlays/prod/web-patch.yaml',
    before: 'patch.before.yaml',
    rec: rec(),
    reason: /Kustomize patch/,
  },
  {
    name: 'file the caller knows is a patch refused',
    path: 'overlays/prod/web.yaml',
    before: 'comments.before.yaml',
    rec: rec(),
    options: { isPatch: true },
    reason: /Kustomize/,
  },
  {
    name: 'kustomization.yaml refused',
    path: 'overlays/prod/kustomization.yaml',
    before: 'comments.before.yaml',
    rec: rec(),
    reason: /Kustomize/,
  },
  {
    name: 'container not found',
    path: 'k8s/web.yaml',
    before: 'comments.before.yaml',
    rec: rec({ container: 'nope' }),
    reason: /no container "nope"/,
  },
  {
    name: 'kind must match',
    path: 'k8s/web.yaml',
    before: 'comments.before.yaml',
    rec: rec({ kind: 'StatefulSet' }),
    reason: /No StatefulSet/,
  },
  {
    name: 'not applicable: never one-click',
    path: 'k8s/web.yaml',
    before: 'comments.before.yaml',
    rec: rec({ applicable: false }),
    reason: /not applicable/,
  },
  {
    name: 'no recommendation',
    path: 'k8s/web.yaml',
    before: 'comments.before.yaml',
    rec: rec({}, { cpuRequest: null, memoryRequest: null, memoryLimit: null }),
    reason: /no recommendation/,
  },
];

describe('recommendationEdits', () => {
  for (const row of rows) {
    test(row.name, () => {
      const text = fixture(row.before);
      const result = recommendationEdits(row.path, text, row.rec, row.options);
      if (row.after) {
        assert.ok(result.ok, result.ok ? '' : result.reason);
        assert.equal(applyEdits(text, result.edits), fixture(row.after));
      } else {
        assert.equal(result.ok, false);
        assert.match(result.ok ? '' : result.reason, row.reason!);
      }
    });
  }

  test('the diagnostic anchor is the resources key, or the container name without one', () => {
    const text = fixture('comments.before.yaml');
    const r = recommendationEdits('web.yaml', text, rec());
    assert.ok(r.ok);
    assert.equal(text.slice(r.location.anchor.start, r.location.anchor.end), 'resources');
    const m = fixture('multidoc.before.yaml');
    const r2 = recommendationEdits('all.yaml', m, rec(), { defaultNamespace: 'shop' });
    assert.ok(r2.ok);
    assert.equal(m.slice(r2.location.anchor.start, r2.location.anchor.end), 'app');
    assert.ok(r2.location.anchor.start > m.indexOf('name: web'), 'the second Deployment, not the worker');
  });

  test('applying twice changes nothing the second time', () => {
    const first = recommendationEdits('w.yaml', fixture('comments.before.yaml'), rec());
    assert.ok(first.ok);
    const once = applyEdits(fixture('comments.before.yaml'), first.edits);
    const again = recommendationEdits('w.yaml', once, rec());
    assert.ok(again.ok);
    assert.deepEqual(again.edits, []);
  });

  test('the message names old and new values', () => {
    assert.equal(
      recommendationMessage(rec(), 14),
      'Recommended from 14 days of usage: cpu request 313m (now 1), memory request 462Mi (now 1Gi), remove cpu limit (now 2), memory limit 462Mi (now 1Gi); severity WARNING.',
    );
  });
});

describe('Create HPA validation', () => {
  const cases: [string, string | undefined][] = [
    ['1', undefined],
    ['0', 'at least 1'],
    ['x', 'whole number'],
    ['2.5', 'whole number'],
  ];
  for (const [text, msg] of cases)
    test(`replicas "${text}"`, () => {
      const r = validateReplicas(text, 'min');
      if (msg === undefined) assert.equal(r, undefined);
      else assert.match(r ?? '', new RegExp(msg));
    });
  test('min ≤ max', () => {
    assert.match(validateReplicas('3', 'max', 5) ?? '', /at least min/);
    assert.match(validateReplicas('6', 'min', 5) ?? '', /not exceed max/);
    assert.equal(validateReplicas('5', 'max', 5), undefined);
    assert.match(validateHpaValues({ minReplicas: 4, maxReplicas: 3, targetUtilizationPercent: 70 }) ?? '', /exceed/);
    assert.equal(validateHpaValues({ minReplicas: 2, maxReplicas: 3, targetUtilizationPercent: 70 }), undefined);
  });
  test('target 1–100 %', () => {
    assert.equal(validateTargetPercent('70'), undefined);
    assert.equal(validateTargetPercent('70%'), undefined);
    assert.equal(validateTargetPercent('100'), undefined);
    assert.match(validateTargetPercent('0') ?? '', /between 1 and 100/);
    assert.match(validateTargetPercent('101') ?? '', /between 1 and 100/);
    assert.match(validateTargetPercent('') ?? '', /whole percentage/);
  });
  test('CPU requests required for a Utilization target', () => {
    const dep = (containers: unknown[]) => ({ spec: { template: { spec: { containers } } } });
    assert.match(
      cpuUtilizationRefusal(dep([{ name: 'a', resources: { requests: { cpu: '250m' } } }, { name: 'b' }])) ?? '',
      /missing on b/,
    );
    assert.equal(cpuUtilizationRefusal(dep([{ name: 'a', resources: { requests: { cpu: '250m' } } }])), undefined);
    assert.equal(
      podCpuRequestCores(
        dep([
          { name: 'a', resources: { requests: { cpu: '250m' } } },
          { name: 'b', resources: { requests: { cpu: 1 } } },
        ]),
      ),
      1.25,
    );
    assert.equal(podCpuRequestCores(dep([{ name: 'b' }])), undefined);
  });
});

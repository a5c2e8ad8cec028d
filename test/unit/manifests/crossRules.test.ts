// Cross-document rules (lint-rules.md §2.5–§2.7) and yaml-1-1-scalar beyond the fixtures: documents from several
// files, Kustomize patches, closed and open sets, suppressions, odd shapes and a large set.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { defaultLintConfig, type LintConfig } from '../../../src/core/manifests/lintConfig';
import { lintManifests } from '../../../src/core/manifests/lintManifests';
import { parseManifestFile } from '../../../src/core/manifests/parseManifests';
import { ruleCatalogue } from '../../../src/core/manifests/ruleCatalogue';
import { autoscalingRules } from '../../../src/core/manifests/rules/autoscalingRules';
import { availabilityRules } from '../../../src/core/manifests/rules/availabilityRules';
import { isIanaSvcName, networkRules } from '../../../src/core/manifests/rules/networkRules';
import { yaml11Reading, yamlRules } from '../../../src/core/manifests/rules/yamlRules';
import type { Finding } from '../../../src/core/manifests/types';

const ours = [...availabilityRules, ...networkRules, ...autoscalingRules, ...yamlRules];

interface Located extends Finding {
  readonly path: string;
  readonly text: string;
}

/** Lints several files (path → YAML) with our rules; returns unsuppressed findings with their file and text. */
function lint(files: Record<string, string>, config: Partial<LintConfig> = {}, rules = ours): Located[] {
  const parsed = Object.entries(files).map(([path, text]) => parseManifestFile(path, text));
  const out: Located[] = [];
  for (const [path, findings] of lintManifests(parsed, rules, { ...defaultLintConfig, ...config })) {
    const text = files[path] ?? '';
    for (const f of findings) if (!f.suppressedBy) out.push({ ...f, path, text: text.slice(f.range.start, f.range.end) });
  }
  return out;
}

const only = (findings: readonly Located[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

function deployment(name: string, opts: { namespace?: string; labels?: string; container?: string; replicas?: number } = {}): string {
  const labels = opts.labels ?? `app: ${name}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${opts.namespace ? `  namespace: ${opts.namespace}\n` : ''}spec:
${opts.replicas !== undefined ? `  replicas: ${opts.replicas}\n` : ''}  selector:
    matchLabels:
      ${labels}
  template:
    metadata:
      labels:
        ${labels}
    spec:
      containers:
${opts.container ?? `        - name: ${name}\n          image: nginx:1.27\n`}`;
}

function service(name: string, selector: string, extra = '', namespace?: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  selector:
    ${selector}
  ports:
    - name: http
      port: 80
      targetPort: http
${extra}`;
}

const hpa = (name: string, target: string, namespace?: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${target}
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
`;

describe('cross-document rules see other files through the lint set', () => {
  test('an HPA in one file checks the requests of its target in another file', () => {
    const findings = lint({ '/repo/hpa.yaml': hpa('web', 'web'), '/repo/deploy.yaml': deployment('web') });
    const hits = only(findings, 'hpa-utilization-without-request');
    assert.equal(hits.length, 1);
    assert.equal(hits[0]?.path, '/repo/hpa.yaml');
    assert.equal(hits[0]?.text, 'cpu');
    assert.equal(hits[0]?.severity, 'error');
    assert.match(hits[0]?.message ?? '', /container "web" of Deployment "web" has no cpu request/);
    assert.deepEqual(hits[0]?.data, { resource: 'cpu', containers: 'web', target: 'Deployment/web', suggestedRequest: '100m' });
    // the HPA also silences deployment-single-replica on the Deployment in the other file
    assert.equal(only(findings, 'deployment-single-replica').length, 0);
  });

  test('a LimitRange in another file of the same namespace provides the request; in another namespace it does not', () => {
    const limitRange = (ns: string) => `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: ${ns}
spec:
  limits:
    - type: Container
      default:
        cpu: 500m
`;
    const files = { '/repo/hpa.yaml': hpa('web', 'web', 'shop'), '/repo/deploy.yaml': deployment('web', { namespace: 'shop' }) };
    assert.equal(only(lint({ ...files, '/repo/lr.yaml': limitRange('shop') }), 'hpa-utilization-without-request').length, 0);
    assert.equal(only(lint({ ...files, '/repo/lr.yaml': limitRange('other') }), 'hpa-utilization-without-request').length, 1);
  });

  test('a Service targetPort is checked against the ports of a workload in another file', () => {
    const container = `        - name: web
          image: nginx:1.27
          ports:
            - name: metrics
              containerPort: 9090
`;
    const findings = lint({ '/repo/svc.yaml': service('web', 'app: web'), '/repo/deploy.yaml': deployment('web', { container }) });
    const hits = only(findings, 'service-target-port-unmatched');
    assert.equal(hits.length, 1);
    assert.equal(hits[0]?.text, 'http');
    assert.equal(hits[0]?.severity, 'warning');
    assert.match(
      hits[0]?.message ?? '',
      /Service "web" targetPort "http" matches no port name of Deployment "web" \(port names: metrics 9090\)/,
    );
    assert.match(hits[0]?.message ?? '', /Name the container port "http" or change targetPort/);
    assert.deepEqual(hits[0]?.data, { suggestedPort: 'metrics' });
  });

  test('cross-document matches require the same namespace', () => {
    const findings = lint(
      { '/repo/svc.yaml': service('web', 'app: web', '', 'a'), '/repo/deploy.yaml': deployment('web', { namespace: 'b' }) },
      { complete: true },
    );
    assert.equal(only(findings, 'service-selects-no-pods').length, 1);
    assert.equal(only(findings, 'service-target-port-unmatched').length, 0);
  });

  test('a Kustomization namespace applies to its resources, so they meet in that namespace', () => {
    const findings = lint({
      '/repo/base/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - hpa.yaml\n  - deploy.yaml\n',
      '/repo/base/hpa.yaml': hpa('web', 'web'),
      '/repo/base/deploy.yaml': deployment('web'),
    });
    const hits = only(findings, 'hpa-utilization-without-request');
    assert.equal(hits.length, 1);
    assert.equal(hits[0]?.object?.namespace, 'shop');
  });
});

describe('Kustomize patches are partial', () => {
  const kustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
patches:
  - path: hpa-patch.yaml
  - path: svc-patch.yaml
patchesStrategicMerge:
  - deploy-patch.yaml
`;
  const files = {
    '/repo/overlay/kustomization.yaml': kustomization,
    '/repo/overlay/hpa-patch.yaml': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 1
`,
    '/repo/overlay/svc-patch.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web-v2
  ports:
    - name: http
      port: 80
      targetPort: http
`,
    '/repo/overlay/deploy-patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
`,
  };

  test('patch files produce no "missing" or "selects nothing" findings, even with --complete', () => {
    for (const complete of [false, true]) {
      const findings = lint(files, { complete });
      const ids = findings.map((f) => `${f.ruleId} ${f.path}`);
      assert.deepEqual(
        findings.filter((f) => f.path !== '/repo/overlay/kustomization.yaml'),
        [],
        `complete=${String(complete)}: ${ids.join('\n')}`,
      );
    }
  });

  test('the same documents as plain resources are linted', () => {
    const plain = lint(
      {
        '/repo/hpa.yaml': files['/repo/overlay/hpa-patch.yaml'],
        '/repo/svc.yaml': files['/repo/overlay/svc-patch.yaml'],
      },
      { complete: true },
    );
    assert.equal(only(plain, 'hpa-target-missing').length, 1);
    assert.equal(only(plain, 'service-selects-no-pods').length, 1);
    assert.equal(only(plain, 'hpa-max-equals-min').length, 1);
  });

  test('a patched workload does not close its namespace', () => {
    const findings = lint({
      '/repo/overlay/kustomization.yaml': kustomization,
      '/repo/overlay/deploy-patch.yaml': files['/repo/overlay/deploy-patch.yaml'],
      '/repo/overlay/other-svc.yaml': service('other', 'app: other'),
    });
    assert.equal(only(findings, 'service-selects-no-pods').length, 0);
  });

  test('yaml-1-1-scalar still runs on patches (they are applied as YAML 1.1 too)', () => {
    const findings = lint({
      '/repo/overlay/kustomization.yaml': 'kind: Kustomization\npatches:\n  - path: labels.yaml\n',
      '/repo/overlay/labels.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    enabled: yes\n',
    });
    assert.deepEqual(
      only(findings, 'yaml-1-1-scalar').map((f) => f.text),
      ['yes'],
    );
  });
});

describe('closed sets', () => {
  const svc = { '/repo/svc.yaml': service('web', 'app: web') };

  test('service-selects-no-pods does not fire in an open set (no workload in the namespace)', () => {
    assert.equal(only(lint(svc), 'service-selects-no-pods').length, 0);
  });

  test('service-selects-no-pods fires with complete (CLI --complete)', () => {
    const hits = only(lint(svc, { complete: true }), 'service-selects-no-pods');
    assert.equal(hits.length, 1);
    assert.equal(hits[0]?.text, 'selector');
    assert.match(hits[0]?.message ?? '', /Service "web" selector app=web matches no pod template in namespace "default"/);
  });

  test('a workload of the namespace closes it in the editor, unless the namespace is marked partial', () => {
    const files = { ...svc, '/repo/deploy.yaml': deployment('api') };
    const hits = only(lint(files), 'service-selects-no-pods');
    assert.equal(hits.length, 1);
    assert.match(hits[0]?.message ?? '', /The closest is Deployment "api"/);
    assert.equal(only(lint(files, { partialNamespaces: ['default'] }), 'service-selects-no-pods').length, 0);
    assert.equal(only(lint(files, { partialNamespaces: ['default'], complete: true }), 'service-selects-no-pods').length, 0);
  });

  test('hpa-target-missing, ingress-backend-unresolved and pdb/networkpolicy "selects nothing" follow the same rule', () => {
    const files = {
      '/repo/hpa.yaml': hpa('web', 'web'),
      '/repo/ing.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
`,
      '/repo/pdb.yaml':
        'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n',
      '/repo/np.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n',
    };
    const closedIds = ['hpa-target-missing', 'ingress-backend-unresolved', 'pdb-selects-nothing', 'networkpolicy-selects-nothing'];
    const open = lint(files).map((f) => f.ruleId);
    for (const id of closedIds) assert.ok(!open.includes(id), `${id} fired in an open set`);
    const closed = lint(files, { complete: true }).map((f) => f.ruleId);
    for (const id of closedIds) assert.ok(closed.includes(id), `${id} did not fire with complete`);
  });
});

describe('suppressions through the catalogue equivalents', () => {
  test('kube-linter, kube-score and our own annotations suppress the mapped rules', () => {
    const annotated = (annotation: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    ${annotation}
spec:
  selector:
    app: web
  ports:
    - port: 80
`;
    for (const a of [
      'ignore-check.kube-linter.io/dangling-service: "pods live elsewhere"',
      'kube-score/ignore: service-targets-pod',
      'clusterdeck/ignore: service-selects-no-pods',
    ]) {
      const findings = lint({ '/repo/svc.yaml': annotated(a) }, { complete: true });
      assert.equal(only(findings, 'service-selects-no-pods').length, 0, a);
    }
    const parsed = [parseManifestFile('/repo/svc.yaml', annotated('kube-score/ignore: service-targets-pod'))];
    const all = lintManifests(parsed, ours, { ...defaultLintConfig, complete: true }).get('/repo/svc.yaml') ?? [];
    assert.equal(all.find((f) => f.ruleId === 'service-selects-no-pods')?.suppressedBy, 'kube-score/ignore: service-targets-pod');
  });

  test('every equivalent uses a known tool prefix', () => {
    for (const rule of ours)
      for (const e of rule.equivalents) assert.match(e, /^(kube-linter|polaris|kube-score|datree):[A-Za-z0-9_.-]+$/, `${rule.id}: ${e}`);
  });
});

describe('robustness', () => {
  const odd = [
    'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { selector: "app=web", ports: [1, null, { port: x, targetPort: { a: 1 } }] }\n',
    'apiVersion: v1\nkind: Service\nmetadata: { name: t }\nspec: { selector: { app: [web] }, ports: { port: 80 } }\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec: { replicas: "3", selector: { matchLabels: "x", matchExpressions: [1, { key: a, operator: Weird }] }, template: { metadata: { labels: [a] }, spec: { containers: "c", initContainers: [null, 3], topologySpreadConstraints: [null, { maxSkew: "1", labelSelector: 5 }] } } }\n',
    'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: h }\nspec: { scaleTargetRef: { kind: Deployment, name: d }, minReplicas: "2", maxReplicas: null, metrics: [null, { type: Resource }, { type: Resource, resource: { name: cpu, target: 7 } }, { type: ContainerResource, containerResource: { name: cpu, target: { type: Utilization } } }] }\n',
    'apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: { name: h1 }\nspec: 12\n',
    'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: p }\nspec: { minAvailable: "abc", maxUnavailable: [], selector: { matchLabels: null } }\n',
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: i }\nspec: { defaultBackend: "svc", rules: [null, { host: 5, http: { paths: [null, { backend: { service: { name: d, port: "80" } } }] } }] }\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: n }\nspec: { podSelector: { matchLabels: { app: x } }, ingress: [null, { from: "all" }, { from: [null, { podSelector: 3 }] }], policyTypes: Ingress }\n',
    'apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata: { name: v }\nspec: { targetRef: { kind: Deployment, name: h }, resourcePolicy: { containerPolicies: [null, 4, { controlledResources: cpu }] } }\n',
    'apiVersion: v1\nkind: LimitRange\nmetadata: { name: l }\nspec: { limits: [null, { type: Container, default: [1] }] }\n',
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: ss }\nspec: { serviceName: [x], replicas: 5 }\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, labels: { "yes": yes, 1: 0777 } }\ndata: [1, 2]\n',
    'kind: Deployment\n',
    'apiVersion: apps/v1\nkind: Deployment\nspec: null\n',
  ];

  test('odd shapes never throw (no internal-error findings), with every rule of the catalogue enabled at once', () => {
    const files = Object.fromEntries(odd.map((text, i) => [`/repo/odd-${i}.yaml`, text]));
    const rules = ruleCatalogue.filter((r) => ours.includes(r));
    const enabled = Object.fromEntries(rules.map((r) => [r.id, 'info' as const]));
    for (const complete of [false, true]) {
      const findings = lint(files, { complete, rules: enabled }, rules);
      assert.deepEqual(
        findings.filter((f) => f.message.startsWith('Internal error')).map((f) => f.message),
        [],
      );
    }
  });

  test('a large set lints in linear time (indexes per LintSet, no O(n²) scans)', () => {
    const n = 1250; // × 4 documents = 5,000
    const docs: string[] = [];
    for (let i = 0; i < n; i++) {
      const ns = `ns${i % 10}`;
      docs.push(deployment(`app${i}`, { namespace: ns, labels: `app: app${i}`, replicas: 2 }));
      docs.push(service(`app${i}`, `app: app${i}`, '', ns));
      docs.push(hpa(`app${i}`, `app${i}`, ns));
      docs.push(
        `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: app${i}\n  namespace: ${ns}\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: app${i}\n`,
      );
    }
    const text = docs.join('---\n');
    const rules = ours;
    const enabled = Object.fromEntries(rules.map((r) => [r.id, 'info' as const]));
    const started = performance.now();
    const findings = lint({ '/repo/big.yaml': text }, { complete: true, rules: enabled }, rules);
    const elapsed = performance.now() - started;
    assert.equal(only(findings, 'hpa-utilization-without-request').length, n);
    assert.equal(only(findings, 'service-target-port-unmatched').length, n);
    assert.equal(only(findings, 'workload-selector-overlap').length, 0);
    assert.ok(elapsed < 15_000, `linting 5,000 documents took ${Math.round(elapsed)} ms`);
  });
});

describe('helpers', () => {
  test('yaml11Reading: YAML 1.1 booleans, octal, underscores, sexagesimal and plain numbers', () => {
    assert.deepEqual(yaml11Reading('yes', 'yes'), { reading: 'the boolean true', yaml11: true });
    assert.deepEqual(yaml11Reading('OFF', 'OFF'), { reading: 'the boolean false', yaml11: true });
    assert.deepEqual(yaml11Reading('0777', 777), { reading: 'the octal number 511', yaml11: true });
    assert.deepEqual(yaml11Reading('1_000', '1_000'), { reading: 'the number 1000', yaml11: true });
    assert.deepEqual(yaml11Reading('1:20', '1:20'), { reading: 'the sexagesimal (base 60) number 80', yaml11: true });
    assert.deepEqual(yaml11Reading('true', true), { reading: 'the boolean true', yaml11: false });
    assert.deepEqual(yaml11Reading('8080', 8080), { reading: 'the number 8080', yaml11: false });
    for (const s of ['1.2.3', 'v1', 'yess', 'none', 'On-call', '12:00:00abc', '0x', '2024-01-01'])
      assert.equal(yaml11Reading(s, s), undefined, s);
  });

  test('isIanaSvcName', () => {
    for (const ok of ['http', 'http-alt', 'h2c', 'a1', 'metrics-9090']) assert.ok(isIanaSvcName(ok), ok);
    for (const bad of ['', 'HTTP', '8080', '-http', 'http-', 'http--alt', 'a-very-long-port-name', 'web_port'])
      assert.ok(!isIanaSvcName(bad), bad);
  });

  test('rule ids and levels match the catalogue (ids unique, two-level rules report both severities)', () => {
    const ids = ours.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    const levels = Object.fromEntries(ours.map((r) => [r.id, r.level]));
    assert.equal(levels['hpa-utilization-without-request'], 'error');
    assert.equal(levels['service-target-port-unmatched'], 'warning');
    assert.equal(levels['service-selects-no-pods'], 'warning');
    assert.equal(levels['pdb-invalid-policy'], 'error');
    assert.equal(levels['yaml-1-1-scalar'], 'error');
    assert.equal(levels['pod-not-covered-by-networkpolicy'], 'off');
    // rules that read other documents say so (the editor re-runs them when the set changes)
    const setScoped = new Set([
      'workload-selector-overlap',
      'deployment-single-replica',
      'workload-replicas-with-hpa',
      'replicated-workload-no-spread',
      'pdb-missing',
      'pdb-blocks-eviction',
      'pdb-min-available-exceeds-hpa-min',
      'pdb-selects-nothing',
      'statefulset-service-name',
      'service-selects-no-pods',
      'service-target-port-unmatched',
      'service-selector-not-unique',
      'ingress-backend-unresolved',
      'networkpolicy-selects-nothing',
      'networkpolicy-peer-selects-nothing',
      'pod-not-covered-by-networkpolicy',
      'hpa-utilization-without-request',
      'hpa-target-missing',
      'hpa-vpa-conflict',
      'hpa-min-replicas-below-2',
    ]);
    for (const r of ours) assert.equal(r.scope, setScoped.has(r.id) ? 'set' : 'document', r.id);
  });
});

describe('hpa-min-replicas-below-2: a warning when the target is marked production (tuning marker), else info', () => {
  const hpa = (name: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: 1
  maxReplicas: 5
`;
  const pdb = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: web
`;
  const rows: [what: string, files: Record<string, string>, severity: string, production: boolean][] = [
    ['no target in the set', { 'hpa.yaml': hpa('web') }, 'info', false],
    ['a plain target', { 'a.yaml': `${deployment('web')}---\n${hpa('web')}` }, 'info', false],
    ['target labelled env: prod', { 'a.yaml': `${deployment('web', { labels: 'env: prod' })}---\n${hpa('web')}` }, 'warning', true],
    ['a PDB selects the target pods', { 'a.yaml': `${deployment('web')}---\n${hpa('web')}`, 'pdb.yaml': pdb }, 'warning', true],
  ];
  for (const [what, files, severity, production] of rows)
    test(what, () => {
      const [f] = only(lint(files), 'hpa-min-replicas-below-2');
      assert.ok(f);
      assert.equal(f.severity, severity);
      assert.equal(/is marked production/.test(f.message), production, f.message);
    });
});

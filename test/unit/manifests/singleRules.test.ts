// Single-document lint rules (lint-rules.md §2.1–2.4, 2.8–2.10, 2.12): helpers, the cron parser, strict-preset
// behaviour, robustness on odd shapes and speed. Positive/negative YAML fixtures live in test/fixtures/rules/.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../../support/fuzz';
import { stringify } from 'yaml';
import { defaultLintConfig, type LintConfig } from '../../../src/core/manifests/lintConfig';
import { lintManifests } from '../../../src/core/manifests/lintManifests';
import { parseManifestFile } from '../../../src/core/manifests/parseManifests';
import type { Rule } from '../../../src/core/manifests/rule';
import type { Finding } from '../../../src/core/manifests/types';
import { imageRules } from '../../../src/core/manifests/rules/imageRules';
import { jobRules } from '../../../src/core/manifests/rules/jobRules';
import { metadataRules } from '../../../src/core/manifests/rules/metadataRules';
import { probeRules } from '../../../src/core/manifests/rules/probeRules';
import { rbacRules } from '../../../src/core/manifests/rules/rbacRules';
import { resourceRules } from '../../../src/core/manifests/rules/resourceRules';
import { securityRules } from '../../../src/core/manifests/rules/securityRules';
import { veleroRules } from '../../../src/core/manifests/rules/veleroRules';
import { enumValueInvalidRule } from '../../../src/core/manifests/rules/schemaRules';
import { maxIntervalMs, parseCron, parseGoDuration, isTimeZone, type CronSchedule } from '../../../src/core/manifests/rules/singleCron';
import {
  hasDigest,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isIanaSvcName,
  isSecretName,
  labelValueProblem,
  looksLikeSecretValue,
  parseImageRef,
  qualifiedNameProblem,
  suggestDnsName,
} from '../../../src/core/manifests/rules/singleHelpers';
import { suggestQuantity } from '../../../src/core/manifests/rules/singleQuantities';

const singleRules: readonly Rule[] = [
  ...resourceRules,
  ...probeRules,
  ...imageRules,
  ...securityRules,
  ...jobRules,
  ...metadataRules,
  ...rbacRules,
  ...veleroRules,
  enumValueInvalidRule, // §2.9, implemented over the schema tables
];

/** Every rule enabled (off rules at info), with an optional preset. */
function allOn(preset: LintConfig['preset'] = 'recommended', extra: Partial<LintConfig> = {}): LintConfig {
  const rules: Record<string, 'info'> = {};
  for (const r of singleRules)
    if (r.level === 'off' && (preset !== 'strict' || !r.strictLevel || r.strictLevel === 'off')) rules[r.id] = 'info';
  return { ...defaultLintConfig, preset, rules, ...extra };
}

function lint(text: string, config: LintConfig = allOn(), rules: readonly Rule[] = singleRules): Finding[] {
  const file = parseManifestFile('x.yaml', text);
  return lintManifests([file], rules, config).get('x.yaml') ?? [];
}

const cronJob = { allowEvery: false, allowTimeZonePrefix: false };
const velero = { allowEvery: true, allowTimeZonePrefix: true };
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

function interval(expr: string, options = velero): number | undefined {
  return maxIntervalMs(parseCron(expr, options));
}

describe('rule metadata', () => {
  test('ids, levels and equivalents follow the catalogue conventions', () => {
    const ids = new Set<string>();
    for (const r of singleRules) {
      assert.ok(!ids.has(r.id), `duplicate ${r.id}`);
      ids.add(r.id);
      assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(r.description.length > 10, r.id);
      for (const e of r.equivalents) assert.match(e, /^(kube-linter|polaris|kube-score|datree):\S+$/, `${r.id}: ${e}`);
      if (r.strictLevel) assert.notEqual(r.strictLevel, r.level, r.id);
    }
    const off = singleRules.filter((r) => r.level === 'off');
    assert.ok(off.length >= 20, `only ${off.length} off rules`);
  });
});

describe('name and label helpers', () => {
  test('IANA_SVC_NAME', () => {
    for (const ok of ['http', 'https', 'grpc-api', 'h2c', 'a', 'metrics-9090', 'abcdefghijklmno']) assert.ok(isIanaSvcName(ok), ok);
    for (const bad of ['', 'HTTP', '9090', '-http', 'http-', 'grpc--api', 'abcdefghijklmnop', 'http_alt', 'web.port'])
      assert.ok(!isIanaSvcName(bad), bad);
  });

  test('DNS-1123 labels and subdomains, DNS-1035 labels', () => {
    assert.ok(isDns1123Label('web-1'));
    assert.ok(isDns1123Label('1web'));
    assert.ok(!isDns1123Label('web.1'));
    assert.ok(!isDns1123Label('a'.repeat(64)));
    assert.ok(isDns1123Subdomain('web.v2.example'));
    assert.ok(!isDns1123Subdomain('web..v2'));
    assert.ok(!isDns1123Subdomain('Web'));
    assert.ok(!isDns1123Subdomain(`${'a'.repeat(63)}.`.repeat(4) + 'a'));
    assert.ok(isDns1035Label('web'));
    assert.ok(!isDns1035Label('1web'));
    assert.equal(suggestDnsName('My_App--Server.'), 'my-app-server');
    assert.equal(suggestDnsName('web.server', 63, false), 'web-server');
  });

  test('label keys and values', () => {
    assert.equal(qualifiedNameProblem('app.kubernetes.io/name'), undefined);
    assert.equal(qualifiedNameProblem('app'), undefined);
    assert.match(qualifiedNameProblem('a/b/c') ?? '', /more than one/);
    assert.match(qualifiedNameProblem('Example.com/x') ?? '', /prefix/);
    assert.match(qualifiedNameProblem('example.com/') ?? '', /empty/);
    assert.match(qualifiedNameProblem('x'.repeat(64)) ?? '', /64 characters/);
    assert.equal(labelValueProblem(''), undefined);
    assert.equal(labelValueProblem('v1.2.3_rc-1'), undefined);
    assert.ok(labelValueProblem('v1+build'));
    assert.ok(labelValueProblem('-x'));
  });

  test('image references', () => {
    assert.deepEqual(parseImageRef('nginx'), { name: 'nginx' });
    assert.deepEqual(parseImageRef('registry:5000/a/b'), { name: 'registry:5000/a/b' });
    assert.deepEqual(parseImageRef('registry:5000/a/b:1.0'), { name: 'registry:5000/a/b', tag: '1.0' });
    const pinned = parseImageRef(`nginx:1.27@sha256:${'a'.repeat(64)}`);
    assert.equal(pinned.tag, '1.27');
    assert.ok(hasDigest(pinned));
    assert.ok(!hasDigest(parseImageRef('nginx@sha256:xyz')));
  });

  test('secret names and values', () => {
    for (const n of ['DB_PASSWORD', 'api_key', 'ApiKey', 'GITHUB_TOKEN', 'CLIENT_SECRET', 'AWS_CREDENTIALS', 'passwd'])
      assert.ok(isSecretName(n), n);
    for (const n of ['PASSWORD_FILE', 'TOKEN_PATH', 'SECRET_NAME', 'LOG_LEVEL', 'API_KEY_ID']) assert.ok(!isSecretName(n), n);
    assert.ok(looksLikeSecretValue('-----BEGIN RSA PRIVATE KEY-----\nMIIE'));
    assert.ok(looksLikeSecretValue('AKIAIOSFODNN7EXAMPLE'));
    assert.ok(!looksLikeSecretValue('hello world'));
  });

  test('quantity suggestions', () => {
    assert.equal(suggestQuantity('1GB', true), '1Gi');
    assert.equal(suggestQuantity('512mb', true), '512Mi');
    assert.equal(suggestQuantity('500 m', false), '500m');
    assert.equal(suggestQuantity('0.5cpu', false), '0.5');
    assert.equal(suggestQuantity('2 cores', false), '2');
    assert.equal(suggestQuantity('1K', false), '1k');
    assert.equal(suggestQuantity('lots', true), undefined);
  });
});

describe('cron schedules', () => {
  test('valid schedules (robfig/cron ParseStandard)', () => {
    for (const s of [
      '* * * * *',
      '0 3 * * *',
      '*/15 9-17 * * mon-fri',
      '0,30 1-5/2 1,15 */3 0',
      '0 0 1 JAN,JUL *',
      '5 4 * * SUN',
      '? * * * ?',
      '  0   3 * * *  ',
      '@yearly',
      '@annually',
      '@monthly',
      '@weekly',
      '@daily',
      '@midnight',
      '@hourly',
      '0 0 29 2 *',
    ])
      assert.ok(parseCron(s, cronJob).ok, s);
  });

  test('invalid schedules with a reason', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['* * * *', /exactly 5 fields/],
      ['0 0 3 * * *', /seconds are not supported/],
      ['60 * * * *', /above the minute range/],
      ['0 24 * * *', /above the hour range/],
      ['0 0 0 * *', /below the day of month range/],
      ['0 0 * 13 *', /above the month range/],
      ['0 0 * * 7', /use 0 for Sunday/],
      ['*/0 * * * *', /positive/],
      ['5-1 * * * *', /starts after it ends/],
      ['1-2-3 * * * *', /too many hyphens/],
      ['*/2/3 * * * *', /too many slashes/],
      ['0 12 L * *', /Quartz/],
      ['0 12 * * 5#3', /Quartz/],
      ['a * * * *', /not a number/],
      ['0 0 * * funday', /not a number or a name/],
      ['@Daily', /unknown descriptor/],
      ['@every 1h', /@every is not a standard/],
      ['CRON_TZ=UTC 0 3 * * *', /spec.timeZone/],
      ['TZ=UTC 0 3 * * *', /spec.timeZone/],
    ];
    for (const [s, reason] of cases) {
      const r = parseCron(s, cronJob);
      assert.ok(!r.ok, s);
      if (!r.ok) assert.match(r.error, reason, s);
    }
  });

  test('Velero accepts @every and a time zone prefix, and checks the zone', () => {
    const every = parseCron('@every 1h30m', velero);
    assert.ok(every.ok && every.kind === 'every' && every.everyMs === 90 * minute);
    const tz = parseCron('CRON_TZ=America/New_York 0 3 * * *', velero);
    assert.ok(tz.ok && tz.timeZone === 'America/New_York');
    assert.ok(parseCron('TZ=UTC @daily', velero).ok);
    assert.ok(!parseCron('CRON_TZ=Mars/Olympus 0 3 * * *', velero).ok);
    assert.ok(!parseCron('CRON_TZ=UTC', velero).ok);
    assert.ok(!parseCron('@every 6 hours', velero).ok);
    assert.ok(!parseCron('@every', velero).ok);
    assert.ok(isTimeZone('Europe/Berlin'));
    assert.ok(isTimeZone('UTC'));
    assert.ok(!isTimeZone('Europe/Berlinn'));
    assert.ok(!isTimeZone('../etc/passwd'));
  });

  test('Go durations', () => {
    assert.equal(parseGoDuration('720h0m0s'), 720 * hour);
    assert.equal(parseGoDuration('1h30m'), 90 * minute);
    assert.equal(parseGoDuration('1.5h'), 90 * minute);
    assert.equal(parseGoDuration('300ms'), 300);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('-2s'), -2000);
    for (const bad of ['', '1', '1d', 'h', '1 h', '6 hours']) assert.equal(parseGoDuration(bad), undefined, bad);
  });

  test('the longest interval between runs', () => {
    assert.equal(interval('@hourly'), hour);
    assert.equal(interval('@daily'), day);
    assert.equal(interval('@weekly'), 7 * day);
    assert.equal(interval('@monthly'), 31 * day);
    assert.equal(interval('@yearly'), 366 * day);
    assert.equal(interval('0 1 * * 1-5'), 3 * day); // Friday 01:00 to Monday 01:00
    assert.equal(interval('*/15 9-17 * * *'), (24 * 60 - (17 * 60 + 45) + 9 * 60) * minute);
    assert.equal(interval('0 0 29 2 *'), 1461 * day);
    assert.equal(interval('@every 6h'), 6 * hour);
    assert.equal(interval('@every 100ms'), 1000); // robfig rounds up to a second
    assert.equal(interval('0 0 30 2 *'), undefined); // never runs
    // Day of month and day of week both restricted: either matches (Vixie cron semantics).
    assert.equal(interval('0 0 1 * 1'), 7 * day);
    // "*/2" is not a star (step > 1): the day fields are ORed, so it runs every other weekday or on the 1st.
    assert.equal(interval('0 0 1 * */2'), 2 * day);
    // "*" in day-of-week: the fields are ANDed, i.e. only the day of month counts.
    assert.equal(interval('0 0 1 * *'), 31 * day);
  });

  test('property: generated valid schedules parse to the expected sets (numRuns 1000)', () => {
    const fields = [
      { min: 0, max: 59 },
      { min: 0, max: 23 },
      { min: 1, max: 31 },
      { min: 1, max: 12 },
      { min: 0, max: 6 },
    ];
    const part = (min: number, max: number) =>
      fc.oneof(
        fc.constant({ text: '*', values: range(min, max, 1) }),
        fc.integer({ min, max }).map((v) => ({ text: `${v}`, values: [v] })),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max }), fc.integer({ min: 1, max: max - min + 1 })).map(([a, b, step]) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          return { text: `${lo}-${hi}/${step}`, values: range(lo, hi, step) };
        }),
        fc
          .tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: 10 }))
          .map(([a, step]) => ({ text: `${a}/${step}`, values: range(a, max, step) })),
        fc.integer({ min: 1, max: 10 }).map((step) => ({ text: `*/${step}`, values: range(min, max, step) })),
      );
    const field = (min: number, max: number) =>
      fc.array(part(min, max), { minLength: 1, maxLength: 3 }).map((parts) => ({
        text: parts.map((p) => p.text).join(','),
        values: [...new Set(parts.flatMap((p) => p.values))].sort((a, b) => a - b),
      }));
    fc.assert(
      fc.property(fc.tuple(...fields.map((f) => field(f.min, f.max))), (generated) => {
        const text = generated.map((g) => g.text).join(' ');
        const parsed = parseCron(text, cronJob);
        assert.ok(parsed.ok, text);
        if (!parsed.ok || parsed.kind !== 'fields') return;
        const f = parsed.fields;
        assert.deepEqual(
          [f.minutes, f.hours, f.daysOfMonth, f.months, f.daysOfWeek],
          generated.map((g) => g.values),
          text,
        );
        const gap = maxIntervalMs(parsed);
        if (gap !== undefined) assert.ok(gap > 0 && Number.isFinite(gap), text);
      }),
      { numRuns: fuzzRuns },
    );
  });

  test('property: any text parses without throwing (numRuns 1000)', () => {
    const cronish = fc.array(
      fc.constantFrom('*', '?', '/', '-', ',', ' ', '0', '1', '5', '7', '60', 'L', '#', 'mon', 'JAN', '@', 'every', 'TZ=', 'CRON_TZ=', 'h'),
      {
        maxLength: 20,
      },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          cronish.map((a) => a.join('')),
        ),
        (s) => {
          for (const options of [cronJob, velero]) {
            const r: CronSchedule = parseCron(s, options);
            if (!r.ok) assert.ok(r.error.length > 0);
            else maxIntervalMs(r);
          }
        },
      ),
      { numRuns: fuzzRuns },
    );
  });

  test('property: */n minutes has an interval of n minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 59 }), (n) => {
        assert.equal(interval(`*/${n} * * * *`), n * minute);
      }),
      { numRuns: 59 },
    );
  });
});

function range(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}

const deployment = (container: string, spec = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:${spec}
      containers:
${container}`;

describe('strict preset', () => {
  const plain = deployment(`        - name: web
          image: ghcr.io/acme/web:1.0.0
`);

  test('container-privilege-escalation flags an unset allowPrivilegeEscalation only in strict', () => {
    const rule = securityRules.filter((r) => r.id === 'container-privilege-escalation');
    assert.deepEqual(lint(plain, defaultLintConfig, rule), []);
    const strict = lint(plain, { ...defaultLintConfig, preset: 'strict' }, rule);
    assert.equal(strict.length, 1);
    assert.equal(strict[0]?.severity, 'warning');
    assert.match(strict[0]?.message ?? '', /allowPrivilegeEscalation: false/);
    const explicit = deployment(`        - name: web
          image: ghcr.io/acme/web:1.0.0
          securityContext: { allowPrivilegeEscalation: false }
`);
    assert.deepEqual(lint(explicit, { ...defaultLintConfig, preset: 'strict' }, rule), []);
  });

  test('container-dangerous-capabilities adds the insecure default capabilities in strict', () => {
    const rule = securityRules.filter((r) => r.id === 'container-dangerous-capabilities');
    assert.deepEqual(lint(plain, defaultLintConfig, rule), []);
    const strict = lint(plain, { ...defaultLintConfig, preset: 'strict' }, rule);
    assert.equal(strict.length, 1);
    assert.match(strict[0]?.message ?? '', /drop: \[ALL\]/);
    const dropped = deployment(`        - name: web
          image: ghcr.io/acme/web:1.0.0
          securityContext:
            capabilities: { drop: [ALL], add: [NET_BIND_SERVICE] }
`);
    assert.deepEqual(lint(dropped, { ...defaultLintConfig, preset: 'strict' }, rule), []);
  });

  test('hardening rules are off in recommended and warnings in strict', () => {
    const ids = ['container-may-run-as-root', 'container-writable-root-fs', 'container-net-raw-not-dropped', 'pod-seccomp-unset'];
    const recommended = lint(plain, defaultLintConfig).filter((f) => ids.includes(f.ruleId));
    assert.deepEqual(recommended, []);
    const strict = lint(plain, { ...defaultLintConfig, preset: 'strict' }).filter((f) => ids.includes(f.ruleId));
    assert.deepEqual([...new Set(strict.map((f) => f.ruleId))].sort(), [...ids].sort());
    assert.ok(strict.every((f) => f.severity === 'warning'));
  });

  test('the minimal preset keeps only error rules', () => {
    const broken = deployment(
      `        - name: web
          image: nginx
          resources:
            requests: { memory: 1GB }
`,
      '\n      restartPolicy: Never',
    );
    const ids = new Set(lint(broken, { ...defaultLintConfig, preset: 'minimal' }).map((f) => f.ruleId));
    assert.deepEqual([...ids].sort(), ['quantity-invalid', 'restart-policy-invalid']);
  });
});

describe('Kustomize patches (partial documents)', () => {
  test('value checks run on patches; "missing field" checks do not', () => {
    const kustomization = parseManifestFile(
      '/repo/overlays/prod/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\npatchesStrategicMerge: [patch.yaml]\n',
    );
    const patch = parseManifestFile(
      '/repo/overlays/prod/patch.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          imagePullPolicy: always
          resources:
            limits: { memory: 512m }
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      containers:
        - name: migrate
          image: ghcr.io/acme/migrate:1.0.0
`,
    );
    const ids = new Set((lintManifests([kustomization, patch], singleRules, allOn()).get(patch.path) ?? []).map((f) => f.ruleId));
    for (const id of ['image-tag-latest-or-missing', 'enum-value-invalid', 'memory-quantity-suspicious']) assert.ok(ids.has(id), id);
    for (const id of [
      'container-missing-cpu-request',
      'restart-policy-invalid',
      'job-missing-ttl',
      'container-missing-liveness-probe',
      'name-missing',
    ])
      assert.ok(!ids.has(id), id);
  });
});

describe('robustness', () => {
  const kinds = [
    'Pod',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'Job',
    'CronJob',
    'PodTemplate',
    'Service',
    'ConfigMap',
    'Role',
    'ClusterRole',
    'RoleBinding',
    'ClusterRoleBinding',
    'LimitRange',
    'ResourceQuota',
    'PersistentVolumeClaim',
    'HorizontalPodAutoscaler',
    'Ingress',
    'PodDisruptionBudget',
    'Node',
    'NetworkPolicy',
    'Schedule',
    'Restore',
  ];
  const anything = fc.jsonValue({ maxDepth: 4 });
  const containerish = fc.oneof(
    anything,
    fc.array(
      fc.record(
        { name: anything, image: anything, resources: anything, securityContext: anything, env: anything, ports: anything },
        { requiredKeys: [] },
      ),
    ),
  );
  const podSpecish = fc.record(
    { containers: containerish, initContainers: containerish, volumes: anything, securityContext: anything, restartPolicy: anything },
    { requiredKeys: [] },
  );

  test('property: rules never throw on odd shapes (wrong types, nulls, numbers)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.oneof(anything, podSpecish),
        fc.oneof(anything, podSpecish),
        anything,
        anything,
        (kind, spec, templateSpec, metadata, extra) => {
          const doc = {
            apiVersion: kind === 'Schedule' || kind === 'Restore' ? 'velero.io/v1' : 'v1',
            kind,
            metadata,
            spec:
              kind === 'Pod'
                ? spec
                : {
                    template: { spec: templateSpec },
                    jobTemplate: { spec: { template: { spec: templateSpec } } },
                    schedule: extra,
                    selector: extra,
                  },
            rules: extra,
            roleRef: extra,
            subjects: extra,
            data: extra,
            template: { spec: templateSpec },
          };
          const findings = lint(stringify(doc), allOn('strict', { complete: true }));
          const internal = findings.filter((f) => f.message.startsWith('Internal error'));
          assert.deepEqual(internal, []);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('every finding has a non-empty range inside the document and a message that says what to do', () => {
    const text = deployment(
      `        - name: Web_Server
          image: nginx:latest
          imagePullPolicy: sometimes
          securityContext: { privileged: true, runAsUser: 0, capabilities: { add: [SYS_ADMIN, NET_RAW] } }
          resources:
            requests: { cpu: 2, memory: 512m }
            limits: { cpu: 1 }
          ports:
            - { name: HTTP, containerPort: 22, hostPort: 22 }
          env:
            - { name: DB_PASSWORD, value: hunter22 }
            - { name: DB_PASSWORD, value: hunter23 }
`,
      '\n      hostNetwork: true\n      hostPID: true\n      volumes:\n        - { name: sock, hostPath: { path: /var/run/docker.sock } }',
    );
    const findings = lint(text, allOn('strict'));
    assert.ok(findings.length > 25, `only ${findings.length} findings`);
    for (const f of findings) {
      assert.ok(f.range.end > f.range.start, `${f.ruleId}: empty range`);
      assert.ok(f.range.end <= text.length, f.ruleId);
      assert.ok(/[;.]/.test(f.message) && f.message.length > 30, `${f.ruleId}: ${f.message}`);
      assert.ok(!f.message.includes('undefined') && !f.message.includes('[object'), `${f.ruleId}: ${f.message}`);
    }
  });
});

describe('speed', () => {
  test('a 1,000-line file lints without pathological slowness', () => {
    const one = deployment(
      `        - name: web
          image: ghcr.io/acme/web:1.0.0
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 128Mi }
          env:
            - { name: A, value: '1' }
            - { name: B, value: '2' }
          ports:
            - { name: http, containerPort: 8080 }
          readinessProbe:
            httpGet: { path: /ready, port: http }
        - name: sidecar
          image: ghcr.io/acme/sidecar:1.0.0
`,
    );
    const lines = one.split('\n').length;
    const text = Array.from({ length: Math.ceil(1000 / lines) }, (_, i) => one.replace('name: web\nspec', `name: web-${i}\nspec`)).join(
      '---\n',
    );
    assert.ok(text.split('\n').length >= 1000);
    const file = parseManifestFile('big.yaml', text);
    const config = allOn('strict');
    lintManifests([file], singleRules, config); // warm-up
    const runs = 10;
    const start = performance.now();
    for (let i = 0; i < runs; i++) lintManifests([file], singleRules, config);
    const perRun = (performance.now() - start) / runs;
    // A guard against pathological (quadratic) behaviour, not a speed figure: `npm run bench` measures speed,
    // and a shared CI machine must not turn this red. Normal: a few ms per run.
    assert.ok(perRun < 1_000, `${perRun.toFixed(1)} ms per run`);
  });
});

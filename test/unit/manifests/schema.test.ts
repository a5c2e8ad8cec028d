// Offline schema validation: bundled Kubernetes minors, bundled CRDs (Velero, Istio, ServiceMonitor), CRDs in the
// lint set, the hover/completion queries, the apiVersion tables, performance and a no-throw property.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { fuzzRuns } from '../../support/fuzz';
import { defaultLintConfig } from '../../../src/core/manifests/lintConfig';
import { lintManifests } from '../../../src/core/manifests/lintManifests';
import { parseManifestFile } from '../../../src/core/manifests/parseManifests';
import { ruleCatalogue } from '../../../src/core/manifests/ruleCatalogue';
import { enumValueInvalidRule, schemaRules } from '../../../src/core/manifests/rules/schemaRules';
import { apiVersionRules } from '../../../src/core/manifests/rules/apiVersionRules';
import { apiVersionStatus, minorOf } from '../../../src/core/manifests/schema/apiVersionTables';
import {
  childFields,
  fieldAt,
  formatPath,
  isKnownKind,
  newestKubernetesVersion,
  schemaFor,
  schemaVersionFor,
  supportedKubernetesVersions,
  tableFromCrd,
  validateDocument,
  type SchemaIssue,
} from '../../../src/core/manifests/schema/schemaCatalog';
import { builtinEnums } from '../../../src/core/manifests/schema/enumHints';
import { closestMatch, damerauLevenshtein } from '../../../src/core/manifests/schema/stringDistance';
import type { ManifestDocument } from '../../../src/core/manifests/types';
import { checkRuleFixtures } from '../../support/ruleFixtures';

const generatedDir = join(__dirname, '..', '..', '..', 'src', 'core', 'manifests', 'schema', 'generated');

/** Parses one YAML document (the first) of a text. */
function doc(text: string): ManifestDocument {
  const file = parseManifestFile('test.yaml', text);
  const d = file.documents[0];
  assert.ok(d, `no document in:\n${text}`);
  return d;
}

function brief(issues: readonly SchemaIssue[]): string[] {
  return issues.map((i) => `${i.kind} ${formatPath(i.path)}`);
}

const deployment = (extraContainer = '', extraSpec = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  strategy:
    rollingUpdate: { maxSurge: 25%, maxUnavailable: 1 }
  template:
    metadata:
      labels: { app: web }
    spec:${extraSpec}
      containers:
        - name: web
          image: ghcr.io/acme/web:2.0.0
          ports:
            - { containerPort: 8080, name: http }
          readinessProbe:
            httpGet: { path: /healthz, port: http }
          resources:
            requests: { cpu: 250m, memory: 128Mi }
            limits: { cpu: 1, memory: 1Gi }${extraContainer}
`;

describe('bundled versions', () => {
  test('five Kubernetes minors are bundled, newest is the default', () => {
    assert.deepEqual([...supportedKubernetesVersions], ['1.27', '1.32', '1.33', '1.34', '1.36']);
    assert.equal(newestKubernetesVersion, '1.36');
    assert.equal(schemaVersionFor(undefined), '1.36');
    assert.equal(schemaVersionFor('1.33'), '1.33');
    assert.equal(schemaVersionFor('1.31'), '1.32', 'an unbundled minor uses the next newer bundled schema');
    assert.equal(schemaVersionFor('1.20'), '1.27');
    assert.equal(schemaVersionFor('1.35'), '1.36');
    assert.equal(schemaVersionFor('1.40'), '1.36');
    assert.equal(schemaVersionFor('nonsense'), '1.36');
    for (const v of supportedKubernetesVersions) assert.equal(schemaFor(v).version, v);
  });

  test('a valid Deployment validates cleanly in every bundled version', () => {
    for (const v of supportedKubernetesVersions) assert.deepEqual(brief(validateDocument(doc(deployment()), v)), [], v);
  });

  test('fields and kinds follow the version', () => {
    const stopSignal = doc(deployment('\n          lifecycle: { stopSignal: SIGTERM }', '\n      os: { name: linux }'));
    assert.deepEqual(brief(validateDocument(stopSignal, '1.27')), ['unknown-field spec.template.spec.containers[0].lifecycle.stopSignal']);
    assert.deepEqual(brief(validateDocument(stopSignal, '1.33')), []);
    assert.deepEqual(brief(validateDocument(stopSignal, '1.36')), []);
    assert.equal(isKnownKind('resource.k8s.io/v1', 'ResourceClaim', '1.33'), false);
    assert.equal(isKnownKind('resource.k8s.io/v1', 'ResourceClaim', '1.36'), true);
    assert.equal(isKnownKind('networking.k8s.io/v1', 'ServiceCIDR', '1.27'), false);
    assert.equal(isKnownKind('networking.k8s.io/v1', 'ServiceCIDR', '1.33'), true);
    const job = doc(
      'apiVersion: batch/v1\nkind: Job\nmetadata: { name: j }\nspec:\n  podReplacementPolicy: Failed\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{ name: j, image: busybox }]\n',
    );
    assert.deepEqual(brief(validateDocument(job, '1.27')), ['unknown-field spec.podReplacementPolicy']);
    assert.deepEqual(brief(validateDocument(job, '1.33')), []);
  });

  test('the generated tables are compact JSON with the expected content', () => {
    const sizes: Record<string, number> = {};
    for (const name of [
      'k8s-1.27.json',
      'k8s-1.32.json',
      'k8s-1.33.json',
      'k8s-1.34.json',
      'k8s-1.36.json',
      'crd-istio.json',
      'crd-prometheus-operator.json',
    ])
      sizes[name] = Math.round(statSync(join(generatedDir, name)).size / 1024);
    console.log(`[schema] generated table sizes (KiB): ${JSON.stringify(sizes)}`);
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    assert.ok(total < 4096, `tables stay small (${total} KiB)`);
    const t133 = JSON.parse(readFileSync(join(generatedDir, 'k8s-1.33.json'), 'utf8')) as { source: string; kinds: Record<string, string> };
    assert.equal(t133.source, 'kubernetes-models@4.5.1');
    assert.equal(t133.kinds['apps/v1/Deployment'], 'apps/v1.Deployment');
  });
});

describe('validateDocument', () => {
  test('type errors name the path, the expected type and the value', () => {
    const issues = validateDocument(doc(deployment().replace('replicas: 2', 'replicas: "3"')));
    assert.deepEqual(
      issues.map((i) => i.message),
      ['spec.replicas must be an integer, got string "3".'],
    );
    assert.equal(issues[0]?.kind, 'type');
  });

  test('a typo in a field name is an unknown field with a suggestion', () => {
    const issues = validateDocument(doc(deployment().replace('      containers:', '      contianers:')));
    const unknown = issues.find((i) => i.kind === 'unknown-field');
    assert.ok(unknown);
    assert.deepEqual(unknown.path, ['spec', 'template', 'spec', 'contianers']);
    assert.equal(unknown.suggestion, 'containers');
    assert.match(unknown.message, /did you mean "containers"/);
    // …and the real containers field is now missing.
    assert.ok(issues.some((i) => i.kind === 'required' && formatPath(i.path) === 'spec.template.spec.containers'));
  });

  test('required fields, except in partial (Kustomize patch) documents', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 3\n';
    assert.deepEqual(brief(validateDocument(doc(text))), ['required spec.selector', 'required spec.template']);
    assert.deepEqual(brief(validateDocument({ ...doc(text), partial: true })), []);
    const patch = {
      ...doc('apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: x\n  $patch: replace\n'),
      partial: true,
    };
    assert.deepEqual(brief(validateDocument(patch)), ['type spec.replicas'], 'types are still checked, $-directives allowed');
  });

  test('Quantity grammar', () => {
    const issues = validateDocument(doc(deployment().replace('memory: 1Gi', 'memory: 1 GB').replace('cpu: 250m', 'cpu: true')));
    assert.deepEqual(brief(issues), [
      'type spec.template.spec.containers[0].resources.requests.cpu',
      'format spec.template.spec.containers[0].resources.limits.memory',
    ]);
    assert.ok(issues.every((i) => i.valueType === 'quantity'));
    assert.match(issues[1]?.message ?? '', /not a valid quantity/);
    for (const ok of ['500m', '0.5', '1e3', '2', '1.5Gi', '100k'])
      assert.deepEqual(brief(validateDocument(doc(deployment().replace('cpu: 250m', `cpu: ${ok}`)))), [], ok);
  });

  test('int-or-string', () => {
    const ok = ['25%', '1', '"2"', 'http'];
    for (const v of ok) assert.deepEqual(brief(validateDocument(doc(deployment().replace('maxSurge: 25%', `maxSurge: ${v}`)))), [], v);
    for (const v of ['1.5', 'true', '[1]'])
      assert.deepEqual(
        brief(validateDocument(doc(deployment().replace('maxSurge: 25%', `maxSurge: ${v}`)))),
        ['type spec.strategy.rollingUpdate.maxSurge'],
        v,
      );
  });

  test('date-time, base64 and YAML 1.1 scalars', () => {
    const secret = doc(
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  creationTimestamp: 2025-01-31T12:00:00Z\ndata:\n  ok: aGk=\n  bad: hi there\n',
    );
    assert.deepEqual(brief(validateDocument(secret)), ['format data.bad']);
    const ts = doc('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  creationTimestamp: tomorrow\n');
    assert.deepEqual(brief(validateDocument(ts)), ['format metadata.creationTimestamp']);
    // A plain `yes` is a boolean for Kubernetes (YAML 1.1); a quoted one is a string.
    assert.deepEqual(brief(validateDocument(doc(deployment('\n          tty: yes')))), []);
    assert.deepEqual(brief(validateDocument(doc(deployment("\n          tty: 'yes'")))), ['type spec.template.spec.containers[0].tty']);
    // Without the parsed YAML there is no way to tell: the raw value decides.
    assert.deepEqual(brief(validateDocument({ value: doc(deployment('\n          tty: yes')).value })), [
      'type spec.template.spec.containers[0].tty',
    ]);
  });

  test('maps, open objects and null values', () => {
    const cm = doc(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: { a.b/c: d }\n  annotations: ~\ndata: { any.key: v }\n',
    );
    assert.deepEqual(brief(validateDocument(cm)), []);
    const crd = doc(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
          properties:
            spec: { type: object, default: {}, properties: { size: { type: integer, minimum: 1 } } }
`);
    assert.deepEqual(brief(validateDocument(crd)), []);
  });

  test('built-in enums are enum issues marked builtinEnum', () => {
    const issues = validateDocument(doc(deployment('\n          imagePullPolicy: always')));
    assert.deepEqual(brief(issues), ['enum spec.template.spec.containers[0].imagePullPolicy']);
    assert.equal(issues[0]?.builtinEnum, true);
    assert.equal(issues[0]?.suggestion, 'Always');
  });

  test('every hand-table enum names a type field of the schema', () => {
    const schema = schemaFor('1.36');
    const fields = new Set<string>();
    for (const name of Object.keys(schema.kubernetes.table.types)) {
      const type = schema.kubernetes.table.types[name];
      const bare = name
        .slice(name.lastIndexOf('/') + 1)
        .split('.')
        .slice(1)
        .join('.');
      for (const f of Object.keys(type?.p ?? {})) fields.add(`${bare}.${f}`);
    }
    assert.deepEqual(
      Object.keys(builtinEnums).filter((k) => !fields.has(k)),
      [],
    );
  });

  test('a v1 List validates its items', () => {
    const list = doc(
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: a }\n    dta: {}\n',
    );
    assert.deepEqual(brief(validateDocument(list)), ['unknown-field items[0].dta']);
  });

  test('documents without apiVersion/kind, of unknown kinds or not objects give no issues', () => {
    for (const value of [undefined, null, 3, 'x', [], {}, { kind: 'Deployment' }, { apiVersion: 'x/v1', kind: 'Y', spec: 1 }])
      assert.deepEqual(validateDocument({ value }), []);
  });

  test('a cyclic value (YAML alias to an ancestor) terminates', () => {
    const value: Record<string, unknown> = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } };
    value.spec = value;
    const issues = validateDocument({ value });
    assert.ok(issues.length > 0 && issues.length <= 200);
  });
});

describe('CRDs', () => {
  test('Velero Backup, Schedule, Restore and BackupStorageLocation', () => {
    const backup = doc(
      'apiVersion: velero.io/v1\nkind: Backup\nmetadata: { name: b, namespace: velero }\nspec:\n  includedNamespaces: [shop]\n  snapshotVolumes: "yes"\n  ttl: 720h0m0s\n  labelSelector: { matchLabels: { app: web } }\n',
    );
    const issues = validateDocument(backup);
    assert.deepEqual(brief(issues), ['type spec.snapshotVolumes']);
    assert.match(issues[0]?.message ?? '', /must be a boolean/);
    const schedule = doc(
      'apiVersion: velero.io/v1\nkind: Schedule\nmetadata: { name: s }\nspec:\n  template: { includedNamespaces: [shop], ttl: 168h }\n',
    );
    assert.deepEqual(brief(validateDocument(schedule)), ['required spec.schedule']);
    const restore = doc(
      'apiVersion: velero.io/v1\nkind: Restore\nmetadata: { name: r }\nspec:\n  backupName: b\n  existingResourcePolicy: Update\n  restorePV: true\n',
    );
    assert.deepEqual(brief(validateDocument(restore)), ['enum spec.existingResourcePolicy', 'unknown-field spec.restorePV']);
    assert.equal(validateDocument(restore)[1]?.suggestion, 'restorePVs');
    const bsl = doc(
      'apiVersion: velero.io/v1\nkind: BackupStorageLocation\nmetadata: { name: default }\nspec:\n  provider: aws\n  objectStorage: { prefix: p }\n  credential: { name: cloud, key: cloud }\n',
    );
    assert.deepEqual(brief(validateDocument(bsl)), ['required spec.objectStorage.bucket']);
    const status = doc(
      'apiVersion: velero.io/v1\nkind: Backup\nmetadata: { name: b }\nstatus: { phase: Completed, newField: 1, expiration: "2026-01-01T00:00:00Z" }\n',
    );
    assert.deepEqual(brief(validateDocument(status)), [], 'status objects are open');
  });

  test('Istio VirtualService, DestinationRule, Gateway, PeerAuthentication, AuthorizationPolicy', () => {
    const vs = doc(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
    - match: [{ uri: { prefix: /v2 } }]
      route:
        - destination: { host: reviews, subset: v2, port: { number: 9080 } }
          weight: "80"
      timeout: 5s
`);
    assert.deepEqual(brief(validateDocument(vs)), ['type spec.http[0].route[0].weight']);
    for (const av of ['networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']) assert.ok(isKnownKind(av, 'VirtualService'), av);
    const dr = doc('apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: { name: r }\nspec:\n  hostt: reviews\n');
    assert.deepEqual(brief(validateDocument(dr)), ['unknown-field spec.hostt', 'required spec.host']);
    const gw = doc(
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: { name: g }\nspec:\n  selector: { istio: ingressgateway }\n  servers:\n    - port: { number: 80, name: http, protocol: HTTP }\n      hosts: ["*"]\n',
    );
    assert.deepEqual(brief(validateDocument(gw)), []);
    const pa = doc('apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: p }\nspec:\n  mtls: { mode: strict }\n');
    const paIssues = validateDocument(pa);
    assert.deepEqual(brief(paIssues), ['enum spec.mtls.mode']);
    assert.equal(paIssues[0]?.builtinEnum, false, 'a CRD enum is a schema violation');
    assert.equal(paIssues[0]?.suggestion, 'STRICT');
    const ap = doc(
      'apiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\nmetadata: { name: a }\nspec:\n  action: ALLOW\n  rules:\n    - from: [{ source: { principals: [x] } }]\n      to: [{ operation: { methods: [GET], ports: ["8080"] } }]\n',
    );
    assert.deepEqual(brief(validateDocument(ap)), []);
  });

  test('Prometheus Operator ServiceMonitor', () => {
    const sm = doc(
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: m }\nspec:\n  selector: { matchLabels: { app: web } }\n  endpoints:\n    - port: http\n      interval: 30\n      scrapeTimeout: 10s\n',
    );
    assert.deepEqual(brief(validateDocument(sm)), ['type spec.endpoints[0].interval']);
    const missing = doc('apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: m }\n');
    assert.deepEqual(brief(validateDocument(missing)), ['required spec']);
  });

  test('a CRD in the lint set validates its custom resources', () => {
    const crd = doc(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer }
                port: { x-kubernetes-int-or-string: true, anyOf: [{ type: integer }, { type: string }] }
                tags: { type: array, items: { type: string } }
                labels: { type: object, additionalProperties: { type: string } }
                when: { type: string, format: date-time }
`);
    const table = tableFromCrd(crd.value);
    assert.ok(table);
    assert.deepEqual(Object.keys(table.kinds), ['example.com/v1/Widget']);
    const cr = doc(
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec:\n  size: "1"\n  port: http\n  tags: [a, 1]\n  labels: { a: b }\n  when: now\n  colour: red\n',
    );
    assert.deepEqual(brief(validateDocument(cr, undefined, { extraTables: [table] })), [
      'type spec.size',
      'type spec.tags[1]',
      'format spec.when',
      'unknown-field spec.colour',
    ]);
    assert.deepEqual(validateDocument(cr), [], 'without the CRD the kind is unknown');
  });
});

describe('fieldAt and childFields', () => {
  test('descriptions, types, required-ness and enum values', () => {
    const d = doc(deployment());
    const replicas = fieldAt(d.value, undefined, undefined, ['spec', 'replicas']);
    assert.ok(replicas);
    assert.equal(replicas.type, 'integer');
    assert.equal(replicas.required, false);
    assert.match(replicas.description ?? '', /Number of desired pods/);
    const selector = fieldAt(d.value, 'apps/v1', 'Deployment', ['spec', 'selector']);
    assert.equal(selector?.required, true);
    assert.equal(selector?.type, 'LabelSelector');
    const policy = fieldAt(d.value, undefined, undefined, ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy']);
    assert.deepEqual(policy?.enumValues, ['Always', 'IfNotPresent', 'Never']);
    assert.equal(fieldAt(d.value, undefined, undefined, ['spec', 'template', 'spec', 'containers'])?.type, 'list of Container');
    assert.equal(fieldAt(d.value, undefined, undefined, ['spec', 'template', 'metadata', 'labels', 'app'])?.type, 'string');
    assert.equal(
      fieldAt(d.value, undefined, undefined, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits'])?.type,
      'map of string to Quantity',
    );
    assert.match(fieldAt(d.value, undefined, undefined, [])?.description ?? '', /Deployment enables declarative updates/);
    assert.equal(fieldAt(d.value, undefined, undefined, ['spec', 'nope']), undefined);
    assert.equal(fieldAt({ kind: 'Nope' }, undefined, undefined, ['spec']), undefined);
  });

  test('childFields lists the keys an object can have', () => {
    const spec = childFields('apps/v1', 'Deployment', ['spec']);
    assert.deepEqual(
      spec.map((f) => `${f.name}${f.required ? '*' : ''}`),
      ['minReadySeconds', 'paused', 'progressDeadlineSeconds', 'replicas', 'revisionHistoryLimit', 'selector*', 'strategy', 'template*'],
    );
    assert.ok(spec.every((f) => f.description));
    const container = childFields('v1', 'Pod', ['spec', 'containers']);
    assert.ok(container.some((f) => f.name === 'image' && f.type === 'string'));
    assert.ok(container.find((f) => f.name === 'name')?.required);
    const backup = childFields('velero.io/v1', 'Backup', ['spec']);
    assert.match(backup.find((f) => f.name === 'ttl')?.description ?? '', /720h0m0s/);
    assert.ok(
      childFields('velero.io/v1', 'Backup', ['spec', 'labelSelector']).some((f) => f.name === 'matchLabels'),
      'falls back to the Kubernetes table',
    );
    assert.ok(
      childFields('networking.istio.io/v1', 'VirtualService', ['spec', 'http', 0]).some((f) => f.name === 'route' && f.description),
    );
    assert.ok(childFields('monitoring.coreos.com/v1', 'ServiceMonitor', ['spec']).some((f) => f.name === 'endpoints' && f.required));
    assert.deepEqual(childFields('v1', 'ConfigMap', ['data']), [], 'a map of strings has no fixed fields');
    assert.deepEqual(childFields('x/v1', 'Nope', []), []);
  });

  test('List items use their own apiVersion/kind', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', spec: {} }] };
    assert.equal(fieldAt(list, undefined, undefined, ['items', 0, 'spec', 'type'])?.enumValues?.includes('NodePort'), true);
  });
});

describe('rules', () => {
  test('enumValueInvalidRule passes the enum-value-invalid fixtures in place of metadataRules.ts\u2019s rule', () => {
    const rules = [...ruleCatalogue.filter((r) => r.id !== 'enum-value-invalid'), enumValueInvalidRule];
    checkRuleFixtures(enumValueInvalidRule, rules);
  });

  test('Kustomize patches: no missing-field findings, but types and unknown fields are checked', () => {
    const kustomization = parseManifestFile(
      '/k/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy.yaml]\npatches:\n  - path: patch.yaml\n',
    );
    const patch = parseManifestFile(
      '/k/patch.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: many\n  template:\n    spec:\n      containers:\n        - name: web\n          imagePullPolcy: Always\n',
    );
    const out = lintManifests([kustomization, patch], [...schemaRules, ...apiVersionRules], defaultLintConfig);
    const ids = (out.get('/k/patch.yaml') ?? []).map((f) => f.ruleId).sort();
    assert.deepEqual(ids, ['schema-unknown-field', 'schema-violation']);
    assert.equal(out.get('/k/kustomization.yaml')?.length, 0, 'a Kustomization is not an unknown kind');
  });

  test('the unknown-field finding points at the key and carries the suggestion', () => {
    const text = deployment().replace('      containers:', '      contianers:');
    const file = parseManifestFile('/d.yaml', text);
    const findings = (lintManifests([file], schemaRules, defaultLintConfig).get('/d.yaml') ?? []).filter(
      (f) => f.ruleId === 'schema-unknown-field',
    );
    assert.equal(findings.length, 1);
    assert.equal(text.slice(findings[0]?.range.start, findings[0]?.range.end), 'contianers');
    assert.deepEqual(findings[0]?.data, { suggestion: 'containers' });
  });

  test('api-version rules use the target version and name the replacement', () => {
    const file = parseManifestFile('/i.yaml', 'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: { name: i }\n');
    const at = (target?: string) =>
      (
        lintManifests([file], apiVersionRules, { ...defaultLintConfig, ...(target ? { targetKubernetesVersion: target } : {}) }).get(
          '/i.yaml',
        ) ?? []
      ).map((f) => `${f.ruleId} ${String(f.data?.replacement)}`);
    assert.deepEqual(at('1.18'), []);
    assert.deepEqual(at('1.20'), ['api-version-deprecated networking.k8s.io/v1']);
    assert.deepEqual(at('1.22'), ['api-version-removed networking.k8s.io/v1']);
    assert.deepEqual(at(), ['api-version-removed networking.k8s.io/v1'], 'default target: the newest bundled version');
  });

  test('apiVersionStatus follows replacement chains to a served, non-deprecated version', () => {
    const fc1 = (target: string) => apiVersionStatus('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', target);
    assert.deepEqual(fc1('1.22'), { status: 'served' });
    assert.equal((fc1('1.24') as { replacement?: string }).replacement, 'flowcontrol.apiserver.k8s.io/v1beta2');
    assert.equal((fc1('1.27') as { replacement?: string }).replacement, 'flowcontrol.apiserver.k8s.io/v1beta3');
    assert.equal((fc1('1.33') as { replacement?: string }).replacement, 'flowcontrol.apiserver.k8s.io/v1');
    assert.deepEqual(apiVersionStatus('storage.k8s.io/v1beta1', 'VolumeAttributesClass', '1.33'), { status: 'served' });
    const psp = apiVersionStatus('extensions/v1beta1', 'PodSecurityPolicy', '1.30');
    assert.equal(psp.status, 'removed');
    assert.match((psp as { note?: string }).note ?? '', /Pod Security Admission/);
    assert.equal(minorOf('v1.31.2'), 31);
    assert.equal(minorOf('2.0'), undefined);
  });
});

describe('string distance', () => {
  test('Damerau-Levenshtein with transpositions and a cutoff', () => {
    assert.equal(damerauLevenshtein('contianers', 'containers'), 1);
    assert.equal(damerauLevenshtein('kitten', 'sitting'), 3);
    assert.equal(damerauLevenshtein('abc', 'abc'), 0);
    assert.equal(damerauLevenshtein('', 'abc'), 3);
    assert.equal(damerauLevenshtein('abcdef', 'uvwxyz', 2), 3);
    assert.equal(closestMatch('contianers', ['containers', 'initContainers']), 'containers');
    assert.equal(closestMatch('HTTP', ['TCP', 'UDP', 'SCTP']), undefined);
    assert.equal(closestMatch('tcp', ['TCP', 'UDP', 'SCTP']), 'TCP');
    assert.equal(closestMatch('zzzzzzzz', ['containers']), undefined);
  });
});

describe('performance and robustness', () => {
  test('table load and 1,000 Deployments validated in well under 100 ms after warm-up', () => {
    let t = performance.now();
    for (const name of [
      'k8s-1.27.json',
      'k8s-1.32.json',
      'k8s-1.33.json',
      'k8s-1.34.json',
      'k8s-1.36.json',
      'crd-istio.json',
      'crd-prometheus-operator.json',
    ])
      JSON.parse(readFileSync(join(generatedDir, name), 'utf8'));
    const parseMs = performance.now() - t;
    const text = Array.from({ length: 1000 }, (_, i) => deployment().replace('name: web\n', `name: web-${i}\n`)).join('---\n');
    const docs = parseManifestFile('/many.yaml', text).documents;
    assert.equal(docs.length, 1000);
    assert.deepEqual(validateDocument(docs[0] as ManifestDocument, '1.27'), []);
    for (const d of docs) validateDocument(d, '1.36'); // warm-up
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) {
      t = performance.now();
      let issues = 0;
      for (const d of docs) issues += validateDocument(d, '1.36').length;
      best = Math.min(best, performance.now() - t);
      assert.equal(issues, 0);
    }
    console.log(
      `[schema] read+JSON.parse of all tables ${parseMs.toFixed(1)} ms; 1,000 Deployments validated in ${best.toFixed(1)} ms (best of 3, warm)`,
    );
    // Pathology guard only (speed is `npm run bench`'s job); normal is ~20 ms.
    assert.ok(best < 2_000, `1,000 Deployments took ${best.toFixed(1)} ms`);
  });

  test('property: validateDocument, fieldAt and childFields never throw on random JSON', () => {
    const kinds = schemaFor().kinds().slice(0, 400);
    const kindKey = fc.constantFrom(...kinds, 'velero.io/v1/Backup', 'apps/v1/Deployment', 'v1/List', 'x/v1/Y');
    const split = (k: string) => ({ apiVersion: k.slice(0, k.lastIndexOf('/')), kind: k.slice(k.lastIndexOf('/') + 1) });
    const shaped = fc
      .tuple(
        kindKey,
        fc.dictionary(fc.constantFrom('metadata', 'spec', 'status', 'data', 'items', 'template', 'containers', 'x'), fc.jsonValue()),
      )
      .map(([k, rest]) => ({ ...rest, ...split(k) }));
    const path = fc.array(
      fc.oneof(fc.string({ maxLength: 12 }), fc.nat(3), fc.constantFrom('spec', 'template', 'containers', 'metadata')),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), shaped),
        fc.boolean(),
        path,
        fc.constantFrom(undefined, '1.27', '1.31', '1.36'),
        (value, partial, p, version) => {
          const issues = validateDocument({ value, partial }, version);
          assert.ok(Array.isArray(issues));
          for (const i of issues) assert.ok(typeof i.message === 'string' && i.message.length > 0);
          const k = asKind(value);
          fieldAt(value, k?.apiVersion, k?.kind, p, version);
          if (k) childFields(k.apiVersion, k.kind, p, version);
        },
      ),
      { numRuns: fuzzRuns },
    );
  });
});

function asKind(v: unknown): { apiVersion: string; kind: string } | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const { apiVersion, kind } = v as Record<string, unknown>;
  return typeof apiVersion === 'string' && typeof kind === 'string' ? { apiVersion, kind } : undefined;
}

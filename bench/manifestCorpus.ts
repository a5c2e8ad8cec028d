// A seeded corpus of realistic multi-document manifests for the lint benchmark: app bundles (Deployment,
// Service, HPA, PDB, ConfigMap, Ingress, NetworkPolicy) per namespace, some clean and some with one seeded
// defect each, so recall and false positives can be measured against known truth.
import { stringify } from 'yaml';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Obj = Record<string, unknown>;

/** A clean app bundle: lint-clean in the recommended preset. */
export function appBundle(ns: string, app: string, port: number, configLines = 2): Obj[] {
  const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': ns };
  const container = {
    name: app,
    image: `registry.example.com/${ns}/${app}:1.${port % 17}.${port % 5}`,
    ports: [{ name: 'http', containerPort: port }],
    env: [{ name: 'LOG_LEVEL', value: 'info' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 20 },
    securityContext: {
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${app}-config`, namespace: ns },
      data: {
        'app.properties':
          [
            `port=${port}`,
            'mode=production',
            ...Array.from({ length: configLines - 2 }, (_, i) => `feature.${app}.flag${i}=enabled-for-${ns}`),
          ].join('\n') + '\n',
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: ns, labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [container],
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: labels },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: ns, labels },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: app, namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: app, namespace: ns },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: app, namespace: ns },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: [`${app}.${ns}.example.com`], secretName: `${app}-tls` }],
        rules: [
          {
            host: `${app}.${ns}.example.com`,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app, port: { name: 'http' } } } }] },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${app}-ingress`, namespace: ns },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'http' }] }],
      },
    },
  ];
}

interface Defect {
  readonly ruleId: string;
  /** Mutates the bundle; returns the index of the document that must get the finding. */
  readonly apply: (docs: Obj[]) => number;
}

const dep = (docs: Obj[]) => docs[1] as { spec: { template: { spec: { containers: Obj[] } }; selector: { matchLabels: Obj } } };
const c0 = (docs: Obj[]) => dep(docs).spec.template.spec.containers[0] as Obj & { resources: { requests: Obj; limits: Obj } };

/** One defect per rule family, each known to violate exactly that rule. */
export const defects: readonly Defect[] = [
  defect('container-missing-cpu-request', 1, (d) => delete c0(d).resources.requests.cpu),
  defect('container-missing-memory-request', 1, (d) => {
    delete c0(d).resources.requests.memory;
    delete c0(d).resources.limits.memory; // a memory limit alone would be the effective request
  }),
  defect('container-request-exceeds-limit', 1, (d) => (c0(d).resources.requests.memory = '1Gi')),
  defect('quantity-invalid', 1, (d) => (c0(d).resources.limits.memory = '1GB')),
  defect('image-tag-latest-or-missing', 1, (d) => (c0(d).image = 'nginx:latest')),
  defect('container-privileged', 1, (d) => ((c0(d).securityContext as Obj).privileged = true)),
  defect('pod-host-network', 1, (d) => ((dep(d).spec.template.spec as Obj).hostNetwork = true)),
  defect('env-secret-literal', 1, (d) => (c0(d).env as Obj[]).push({ name: 'DB_PASSWORD', value: 'hunter2hunter2' })),
  defect('probe-port-not-declared', 1, (d) => ((c0(d).readinessProbe as { httpGet: Obj }).httpGet.port = 'metrics')),
  defect('selector-template-mismatch', 1, (d) => (dep(d).spec.selector.matchLabels = { 'app.kubernetes.io/name': 'other' })),
  defect('service-target-port-unmatched', 2, (d) => ((d[2] as { spec: { ports: Obj[] } }).spec.ports[0]!.targetPort = 'web')),
  defect('hpa-min-exceeds-max', 3, (d) => ((d[3] as { spec: Obj }).spec.minReplicas = 20)),
  defect('hpa-utilization-without-request', 3, (d) => delete c0(d).resources.requests.cpu),
  defect('pdb-invalid-policy', 4, (d) => ((d[4] as { spec: Obj }).spec.minAvailable = 1)),
  defect('ingress-backend-unresolved', 5, (d) => {
    const ingress = d[5] as { spec: { rules: { http: { paths: { backend: { service: { port: Obj } } }[] } }[] } };
    ingress.spec.rules[0]!.http.paths[0]!.backend.service.port = { name: 'grpc' };
  }),
  defect('api-version-removed', 3, (d) => ((d[3] as Obj).apiVersion = 'autoscaling/v2beta2')),
  defect('schema-unknown-field', 1, (d) => ((dep(d).spec.template.spec as Obj).contianers = [])),
  defect('schema-violation', 1, (d) => ((dep(d).spec as Obj).replicas = 'three')),
  defect('name-invalid', 0, (d) => ((d[0] as { metadata: Obj }).metadata.name = 'Bad_Name')),
  defect('duplicate-env-var', 1, (d) => (c0(d).env as Obj[]).push({ name: 'LOG_LEVEL', value: 'debug' })),
];

function defect(ruleId: string, docIndex: number, mutate: (docs: Obj[]) => unknown): Defect {
  return {
    ruleId,
    apply: (docs) => {
      mutate(docs);
      return docIndex;
    },
  };
}

export interface CorpusFile {
  readonly path: string;
  readonly text: string;
  /** Seeded defects: the rule and the 0-based index of the document that must get it. */
  readonly expected: readonly { ruleId: string; docIndex: number }[];
  /** Document indexes of defect-free documents (for the false-positive rate). */
  readonly cleanDocs: readonly number[];
}

/**
 * `files` files of `bundlesPerFile` bundles each. Every `defectEvery`-th bundle gets one defect (cycling through
 * the defect list), so every rule family is seeded many times.
 */
export function generateCorpus(files: number, bundlesPerFile: number, seed = 42, defectEvery = 3, configLines = 2): CorpusFile[] {
  const random = rng(seed);
  const out: CorpusFile[] = [];
  let bundle = 0;
  for (let f = 0; f < files; f++) {
    const docs: Obj[] = [];
    const expected: { ruleId: string; docIndex: number }[] = [];
    const dirty = new Set<number>();
    for (let b = 0; b < bundlesPerFile; b++, bundle++) {
      const ns = `team-${f}-${b}`;
      const app = ['web', 'api', 'worker', 'cart', 'search', 'auth'][Math.floor(random() * 6)] ?? 'web';
      const set = appBundle(ns, app, 8000 + Math.floor(random() * 1000), configLines);
      if (bundle % defectEvery === 0) {
        const defect = defects[(bundle / defectEvery) % defects.length]!;
        const index = defect.apply(set);
        expected.push({ ruleId: defect.ruleId, docIndex: docs.length + index });
        // A defect can make neighbours of its bundle fire too (e.g. a broken selector leaves the Service unmatched).
        for (let i = 0; i < set.length; i++) dirty.add(docs.length + i);
      }
      docs.push(...set);
    }
    const text = docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
    out.push({ path: `/corpus/file-${f}.yaml`, text, expected, cleanDocs: docs.map((_, i) => i).filter((i) => !dirty.has(i)) });
  }
  return out;
}

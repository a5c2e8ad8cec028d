/** Builders for the demo data: deterministic names, timestamps relative to seeding, workloads with their ReplicaSets and Pods. */
import type { FakeKube, KubeObject } from '../kubeApiServer';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function ts(msAgo: number, now: number): string {
  return `${new Date(now - msAgo).toISOString().slice(0, 19)}Z`;
}

/** Deterministic pseudo-random suffix like the ones controllers generate. */
export function suffix(seed: string, length: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let out = '';
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return out;
}

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export interface ContainerDemo {
  name: string;
  image: string;
  port?: number;
  requests?: { cpu: string; memory: string };
  limits?: { cpu?: string; memory: string };
}

export type PodHealth = 'ready' | 'notReady' | 'crashLoop' | 'succeeded';

export interface WorkloadDemo {
  namespace: string;
  name: string;
  replicas: number;
  containers: ContainerDemo[];
  /** Health per pod index; missing entries are 'ready'. */
  health?: PodHealth[];
  ageMs: number;
  labels?: Record<string, string>;
}

export interface DemoContext {
  fake: FakeKube;
  now: number;
  podIndex: number;
  runningPods: { namespace: string; name: string; containers: ContainerDemo[]; labels: Record<string, string>; heavy: boolean }[];
}

export const NODES = ['sample-node-1', 'sample-node-2', 'sample-node-3'];

export function ownerRef(owner: KubeObject): {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
} {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function containerSpec(c: ContainerDemo): Record<string, unknown> {
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    ...(c.port ? { ports: [{ containerPort: c.port, protocol: 'TCP' }] } : {}),
    resources: { ...(c.requests ? { requests: c.requests } : {}), ...(c.limits ? { limits: c.limits } : {}) },
    ...(c.port ? { readinessProbe: { httpGet: { path: '/healthz', port: c.port }, periodSeconds: 10 } } : {}),
  };
}

export function podTemplate(labels: Record<string, string>, containers: ContainerDemo[]): Record<string, unknown> {
  return {
    metadata: { labels },
    spec: { containers: containers.map(containerSpec), restartPolicy: 'Always', serviceAccountName: 'default' },
  };
}

export function addPod(
  ctx: DemoContext,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  containers: ContainerDemo[],
  owner: KubeObject | undefined,
  health: PodHealth,
  ageMs: number,
): KubeObject {
  const { now } = ctx;
  const i = ctx.podIndex++;
  const node = NODES[i % NODES.length] ?? 'sample-node-1';
  const started = ts(ageMs - 20_000, now);
  const ready = health === 'ready';
  const phase = health === 'succeeded' ? 'Succeeded' : 'Running';
  const statuses = containers.map((c) => {
    if (health === 'crashLoop') {
      return {
        name: c.name,
        image: c.image,
        imageID: `${c.image}@sha256:${suffix(c.image, 12)}`,
        ready: false,
        started: false,
        restartCount: 7,
        state: {
          waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${c.name} pod=${name}_${namespace}` },
        },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: ts(4 * MINUTE, now), finishedAt: ts(3 * MINUTE, now) } },
      };
    }
    if (health === 'succeeded') {
      return {
        name: c.name,
        image: c.image,
        imageID: `${c.image}@sha256:${suffix(c.image, 12)}`,
        ready: false,
        started: false,
        restartCount: 0,
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: ts(ageMs - 80_000, now) } },
      };
    }
    return {
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:${suffix(c.image, 12)}`,
      ready,
      started: true,
      restartCount: health === 'notReady' ? 1 : 0,
      state: { running: { startedAt: started } },
    };
  });
  const cond = (type: string, ok: boolean): Record<string, unknown> => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: started,
  });
  const pod = ctx.fake.upsert({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, creationTimestamp: ts(ageMs, now), ...(owner ? { ownerReferences: [ownerRef(owner)] } : {}) },
    spec: {
      ...(podTemplate(labels, containers)['spec'] as Record<string, unknown>),
      nodeName: node,
      ...(health === 'succeeded' ? { restartPolicy: 'OnFailure' } : {}),
    },
    status: {
      phase,
      conditions: [
        cond('PodReadyToStartContainers', true),
        cond('Initialized', true),
        cond('Ready', ready),
        cond('ContainersReady', ready),
        cond('PodScheduled', true),
      ],
      hostIP: `172.18.0.${(i % NODES.length) + 2}`,
      podIP: `10.244.${i % NODES.length}.${10 + i}`,
      podIPs: [{ ip: `10.244.${i % NODES.length}.${10 + i}` }],
      startTime: ts(ageMs, now),
      qosClass: containers.every(
        (c) => c.requests && c.limits?.cpu && c.requests.cpu === c.limits.cpu && c.requests.memory === c.limits.memory,
      )
        ? 'Guaranteed'
        : containers.some((c) => c.requests)
          ? 'Burstable'
          : 'BestEffort',
      containerStatuses: statuses,
    },
  });
  if (health !== 'succeeded') ctx.runningPods.push({ namespace, name, containers, labels, heavy: health === 'crashLoop' });
  return pod;
}

export function addDeployment(ctx: DemoContext, w: WorkloadDemo): KubeObject {
  const { now, fake } = ctx;
  const labels = { app: w.name, ...w.labels };
  const health = Array.from({ length: w.replicas }, (_, i) => w.health?.[i] ?? 'ready');
  const readyCount = health.filter((h) => h === 'ready').length;
  const hash = suffix(`${w.namespace}/${w.name}`, 10);
  const deployment = fake.upsert({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': '3' },
      creationTimestamp: ts(w.ageMs, now),
      generation: 3,
    },
    spec: {
      replicas: w.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: w.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: podTemplate(labels, w.containers),
    },
    status: {
      observedGeneration: 3,
      replicas: w.replicas,
      updatedReplicas: w.replicas,
      readyReplicas: readyCount,
      availableReplicas: readyCount,
      ...(readyCount < w.replicas ? { unavailableReplicas: w.replicas - readyCount } : {}),
      conditions: [
        {
          type: 'Available',
          status: readyCount > 0 ? 'True' : 'False',
          reason: readyCount > 0 ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          lastUpdateTime: ts(w.ageMs, now),
          lastTransitionTime: ts(w.ageMs, now),
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${w.name}-${hash}" has successfully progressed.`,
          lastUpdateTime: ts(w.ageMs, now),
          lastTransitionTime: ts(w.ageMs, now),
        },
      ],
    },
  });
  const rsLabels = { ...labels, 'pod-template-hash': hash };
  const rs = fake.upsert({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${w.name}-${hash}`,
      namespace: w.namespace,
      labels: rsLabels,
      creationTimestamp: ts(w.ageMs, now),
      generation: 1,
      annotations: { 'deployment.kubernetes.io/desired-replicas': String(w.replicas), 'deployment.kubernetes.io/revision': '3' },
      ownerReferences: [ownerRef(deployment)],
    },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { app: w.name, 'pod-template-hash': hash } },
      template: podTemplate(rsLabels, w.containers),
    },
    status: {
      replicas: w.replicas,
      fullyLabeledReplicas: w.replicas,
      readyReplicas: readyCount,
      availableReplicas: readyCount,
      observedGeneration: 1,
    },
  });
  health.forEach((h, i) =>
    addPod(ctx, w.namespace, `${w.name}-${hash}-${suffix(`${w.name}${i}`, 5)}`, rsLabels, w.containers, rs, h, w.ageMs - i * MINUTE),
  );
  return deployment;
}

export function addService(
  ctx: DemoContext,
  namespace: string,
  name: string,
  port: number,
  targetPort: number,
  opts: { type?: string; selector?: Record<string, string> | null; clusterIP?: string; lbIP?: string } = {},
): void {
  const selector = opts.selector === null ? undefined : (opts.selector ?? { app: name });
  ctx.fake.upsert({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { app: name }, creationTimestamp: ts(20 * DAY, ctx.now) },
    spec: {
      type: opts.type ?? 'ClusterIP',
      clusterIP:
        opts.clusterIP ??
        `10.96.${(parseInt(suffix(namespace, 3).replace(/\D/g, '') || '1', 10) % 200) + 1}.${(parseInt(suffix(name, 4).replace(/\D/g, '') || '7', 10) % 250) + 2}`,
      ports: [
        { name: 'http', port, targetPort, protocol: 'TCP', ...(opts.type === 'LoadBalancer' ? { nodePort: 30000 + (port % 2000) } : {}) },
      ],
      ...(selector ? { selector } : {}),
      sessionAffinity: 'None',
    },
    status: { loadBalancer: opts.lbIP ? { ingress: [{ ip: opts.lbIP }] } : {} },
  });
}

export function addEvent(
  ctx: DemoContext,
  namespace: string,
  involved: { kind: string; name: string; apiVersion?: string },
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  agoMs: number,
  count = 1,
): void {
  let uid: string | undefined;
  try {
    uid = ctx.fake.get(involved.apiVersion ?? 'v1', involved.kind, namespace, involved.name)?.metadata.uid;
  } catch {
    /* a kind the fake does not serve */
  }
  ctx.fake.upsert({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${involved.name}.${suffix(reason + involved.name, 16)}`, namespace, creationTimestamp: ts(agoMs, ctx.now) },
    involvedObject: {
      kind: involved.kind,
      namespace,
      name: involved.name,
      apiVersion: involved.apiVersion ?? 'v1',
      ...(uid ? { uid } : {}),
    },
    reason,
    message,
    type,
    count,
    source: { component: involved.kind === 'Pod' ? 'kubelet' : 'deployment-controller' },
    firstTimestamp: ts(agoMs + (count - 1) * MINUTE, ctx.now),
    lastTimestamp: ts(agoMs, ctx.now),
    reportingComponent: involved.kind === 'Pod' ? 'kubelet' : 'deployment-controller',
    reportingInstance: '',
  });
}

/**
 * Rollout history for the demo cluster: older ReplicaSets of Deployments (revision annotations, owner
 * references, scaled to 0 like the deployment controller leaves them), ControllerRevisions of the StatefulSet
 * and the DaemonSet, and a Deployment whose pods have two containers and an init container (logs, describe).
 */
import type { KubeObject } from '../kubeApiServer';
import type { ContainerDemo, DemoContext } from './builders';
import { DAY, HOUR, addDeployment, ownerRef, suffix, ts } from './builders';

/** Older revisions of a Deployment, oldest first (the current one, revision 3, is built by addDeployment). */
function addOldReplicaSets(ctx: DemoContext, namespace: string, name: string, images: readonly string[]): void {
  const deployment = ctx.fake.get('apps/v1', 'Deployment', namespace, name);
  if (!deployment) return;
  const template = (deployment['spec'] as { template: { metadata: { labels: Record<string, string> }; spec: { containers: unknown[] } } })
    .template;
  const created = Date.parse(deployment.metadata.creationTimestamp ?? '') || ctx.now;
  images.forEach((image, i) => {
    const revision = i + 1;
    const hash = suffix(`${namespace}/${name}/rev${revision}`, 10);
    const labels = { ...template.metadata.labels, 'pod-template-hash': hash };
    const containers = template.spec.containers.map((c, j) => (j === 0 ? { ...(c as object), image } : c));
    ctx.fake.upsert({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-${hash}`,
        namespace,
        labels,
        // All three revisions were rolled out on the Deployment's first day (the current ReplicaSet is as old as it).
        creationTimestamp: ts(ctx.now - created - (revision - 1) * HOUR, ctx.now),
        generation: 2,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String((deployment['spec'] as { replicas?: number }).replicas ?? 1),
          'deployment.kubernetes.io/max-replicas': '4',
          'deployment.kubernetes.io/revision': String(revision),
        },
        ownerReferences: [ownerRef(deployment)],
      },
      spec: {
        replicas: 0,
        selector: {
          matchLabels: {
            ...(deployment['spec'] as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
            'pod-template-hash': hash,
          },
        },
        template: { ...template, metadata: { labels }, spec: { ...template.spec, containers } },
      },
      status: { replicas: 0, observedGeneration: 2 },
    });
  });
}

/** ControllerRevisions of a StatefulSet or DaemonSet: `data` is the patch that restores the pod template. */
function addControllerRevisions(ctx: DemoContext, owner: KubeObject, images: readonly string[], names: readonly string[]): void {
  const spec = owner['spec'] as {
    template: { spec: { containers: Record<string, unknown>[] } };
    selector: { matchLabels: Record<string, string> };
  };
  images.forEach((image, i) => {
    const template = structuredClone(spec.template);
    const first = template.spec.containers[0];
    if (first) first['image'] = image;
    const name = names[i] ?? `${owner.metadata.name ?? ''}-${suffix(`${owner.metadata.name ?? ''}${image}`, 10)}`;
    ctx.fake.upsert({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: owner.metadata.namespace ?? 'default',
        labels: { ...spec.selector.matchLabels, 'controller.kubernetes.io/hash': name.slice(name.lastIndexOf('-') + 1) },
        creationTimestamp: ts((images.length - i) * 3 * DAY, ctx.now),
        ownerReferences: [ownerRef(owner)],
      },
      data: { spec: { template: { ...template, $patch: 'replace' } } },
      revision: i + 1,
    });
  });
}

export function seedRolloutHistory(ctx: DemoContext): void {
  addOldReplicaSets(ctx, 'shop', 'frontend', ['nginx:1.25.5', 'nginx:1.26.3']);
  addOldReplicaSets(ctx, 'payments', 'payments-api', ['ghcr.io/clusterdeck/payments-api:3.0.4', 'ghcr.io/clusterdeck/payments-api:3.1.1']);
  const redis = ctx.fake.get('apps/v1', 'StatefulSet', 'shop', 'redis');
  if (redis) {
    const current = String((redis['status'] as { currentRevision?: string } | undefined)?.currentRevision ?? '');
    addControllerRevisions(ctx, redis, ['redis:7.2.5', 'redis:7.4.2'], [`redis-${suffix('redis-old', 10)}`, current]);
  }
  const proxy = ctx.fake.get('apps/v1', 'DaemonSet', 'kube-system', 'kube-proxy');
  if (proxy) addControllerRevisions(ctx, proxy, ['registry.k8s.io/kube-proxy:v1.32.5', 'registry.k8s.io/kube-proxy:v1.33.2'], []);
}

/** monitoring/alertmanager: two containers and an init container per pod (container choice, 400 without one). */
export function seedSidecarWorkload(ctx: DemoContext): void {
  const containers: ContainerDemo[] = [
    { name: 'alertmanager', image: 'quay.io/prometheus/alertmanager:v0.28.1', port: 9093, requests: { cpu: '50m', memory: '64Mi' } },
    { name: 'config-reloader', image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.81.0' },
  ];
  addDeployment(ctx, { namespace: 'monitoring', name: 'alertmanager', replicas: 1, ageMs: 15 * DAY, containers });
  for (const pod of ctx.fake.list('v1', 'Pod', 'monitoring').filter((p) => p.metadata.name?.startsWith('alertmanager-'))) {
    const spec = pod['spec'] as Record<string, unknown>;
    const status = pod['status'] as Record<string, unknown>;
    ctx.fake.upsert({
      ...pod,
      metadata: {
        ...pod.metadata,
        annotations: { ...pod.metadata.annotations, 'kubectl.kubernetes.io/default-container': 'alertmanager' },
      },
      spec: {
        ...spec,
        initContainers: [{ name: 'init-config', image: 'busybox:1.37', command: ['sh', '-c', 'cp /config/* /etc/alertmanager/'] }],
      },
      status: {
        ...status,
        initContainerStatuses: [
          {
            name: 'init-config',
            image: 'busybox:1.37',
            imageID: `busybox@sha256:${suffix('busybox', 12)}`,
            ready: true,
            restartCount: 0,
            state: {
              terminated: { exitCode: 0, reason: 'Completed', startedAt: ts(15 * DAY, ctx.now), finishedAt: ts(15 * DAY - 2000, ctx.now) },
            },
          },
        ],
      },
    });
  }
}

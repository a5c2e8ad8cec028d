/** Pods for bulk seeding (`seedPods`): built directly, without per-object validation, so 10,000 take milliseconds. */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from './types';

const POD_IMAGES = ['nginx:1.27', 'ghcr.io/clusterdeck/sample-api:2.4.1', 'redis:7.4'];

export interface SeedPodParams {
  readonly name: string;
  readonly namespace: string;
  readonly index: number;
  readonly prefix: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly now: string;
}

export function buildSeedPod({ name, namespace, index, prefix, labels, now }: SeedPodParams): KubeObject {
  const image = POD_IMAGES[index % POD_IMAGES.length] ?? 'nginx:1.27';
  const node = `node-${(index % 3) + 1}`;
  const ip = `10.244.${Math.floor(index / 250) % 250}.${(index % 250) + 2}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: randomUUID(), creationTimestamp: now, labels: { app: prefix, ...labels } },
    spec: {
      nodeName: node,
      restartPolicy: 'Always',
      serviceAccountName: 'default',
      containers: [{ name: 'app', image, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } }],
    },
    status: {
      phase: 'Running',
      podIP: ip,
      hostIP: '172.18.0.2',
      startTime: now,
      qosClass: 'Burstable',
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      ],
      containerStatuses: [
        {
          name: 'app',
          image,
          imageID: `docker.io/library/${image}`,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: now } },
        },
      ],
    },
  };
}

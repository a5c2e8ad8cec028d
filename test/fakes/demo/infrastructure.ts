/** Demo nodes and metrics.k8s.io PodMetrics/NodeMetrics. */
import type { DemoContext } from './builders';
import { DAY, NODES, suffix, ts } from './builders';

export function seedNodes(ctx: DemoContext): void {
  NODES.forEach((name, i) => {
    ctx.fake.upsert({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        creationTimestamp: ts(40 * DAY, ctx.now),
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node.kubernetes.io/instance-type': 'm6i.large',
          'topology.kubernetes.io/region': 'eu-west-1',
          'topology.kubernetes.io/zone': `eu-west-1${'abc'[i] ?? 'a'}`,
          ...(i === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        },
      },
      spec: { podCIDR: `10.244.${i}.0/24`, providerID: `aws:///eu-west-1${'abc'[i] ?? 'a'}/i-0${suffix(name, 16)}` },
      status: {
        capacity: { cpu: '2', memory: '8010952Ki', pods: '110', 'ephemeral-storage': '81106868Ki', 'hugepages-2Mi': '0' },
        allocatable: { cpu: '1930m', memory: '7291208Ki', pods: '110', 'ephemeral-storage': '74747837551', 'hugepages-2Mi': '0' },
        conditions: [
          {
            type: 'MemoryPressure',
            status: 'False',
            reason: 'KubeletHasSufficientMemory',
            message: 'kubelet has sufficient memory available',
          },
          { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
          { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
          { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
        ].map((c) => ({ ...c, lastHeartbeatTime: ts(30_000, ctx.now), lastTransitionTime: ts(40 * DAY, ctx.now) })),
        addresses: [
          { type: 'InternalIP', address: `172.18.0.${i + 2}` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.33.2',
          kubeProxyVersion: 'v1.33.2',
          containerRuntimeVersion: 'containerd://2.0.5',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          kernelVersion: '6.1.0-37-cloud-amd64',
          operatingSystem: 'linux',
          architecture: 'amd64',
          machineID: suffix(`m${name}`, 32),
          systemUUID: suffix(`s${name}`, 32),
          bootID: suffix(`b${name}`, 32),
        },
      },
    });
  });
}

export function seedMetrics(ctx: DemoContext): void {
  const window = '15.03s';
  const timestamp = ts(10_000, ctx.now);
  for (const pod of ctx.runningPods) {
    ctx.fake.upsert({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: pod.name, namespace: pod.namespace, labels: pod.labels, creationTimestamp: timestamp },
      timestamp,
      window,
      containers: pod.containers.map((c, i) => {
        const seed = parseInt(suffix(pod.name + c.name, 4).replace(/\D/g, '') || '7', 10) + i;
        return {
          name: c.name,
          usage: {
            cpu: `${pod.heavy ? 412_573_385 : 1_573_385 + (seed % 97) * 1_000_000}n`,
            memory: `${pod.heavy ? 260_112 : 12_468 + (seed % 53) * 1_024}Ki`,
          },
        };
      }),
    });
  }
  NODES.forEach((name, i) => {
    ctx.fake.upsert({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'NodeMetrics',
      metadata: { name, labels: { 'kubernetes.io/hostname': name }, creationTimestamp: timestamp },
      timestamp,
      window: '20.05s',
      usage: { cpu: `${312_845_102 + i * 97_000_000}n`, memory: `${2_456_132 + i * 301_000}Ki` },
    });
  });
}

/**
 * Realistic, deterministic demo data for the fake cluster (`startFakeKube({ seed: 'demo' })`, the sample
 * cluster of `npm start`, UI tests): namespaces, nodes, workloads with their ReplicaSets and Pods (ready, not
 * ready, one CrashLoopBackOff), services, ingress, config, secrets with canary values, HPAs, a StatefulSet with
 * its PVC, a CronJob and Job, events, metrics and Velero objects. Names and numbers are stable across runs;
 * timestamps are relative to the seeding time.
 */
import type { FakeKube } from './kubeApiServer';
import type { ContainerDemo, DemoContext } from './demo/builders';
import { DAY, HOUR, MINUTE, addDeployment, addEvent, addPod, addService, b64, ownerRef, podTemplate, suffix, ts } from './demo/builders';
import { seedMetrics, seedNodes } from './demo/infrastructure';
import { seedVelero } from './demo/velero';
import { seedRolloutHistory, seedSidecarWorkload } from './demo/history';

/** Seeds the demo cluster into `fake` (meant for a freshly started, empty fake). */
export function seedDemo(fake: FakeKube): void {
  const ctx: DemoContext = { fake, now: Date.now(), podIndex: 0, runningPods: [] };
  const { now } = ctx;
  for (const name of ['shop', 'payments', 'monitoring', 'velero']) {
    fake.upsert({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        creationTimestamp: ts(30 * DAY, now),
        labels: name === 'payments' ? { 'pod-security.kubernetes.io/enforce': 'restricted' } : {},
      },
    });
  }
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'shop', 'payments', 'monitoring', 'velero']) {
    fake.upsert({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: ns, creationTimestamp: ts(30 * DAY, now) },
    });
    fake.upsert({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace: ns, creationTimestamp: ts(30 * DAY, now) },
      data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n' },
    });
  }
  seedNodes(ctx);
  fake.upsert({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'ebs.csi.aws.com',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  });
  fake.upsert({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });

  // kube-system
  addDeployment(ctx, {
    namespace: 'kube-system',
    name: 'coredns',
    replicas: 2,
    ageMs: 40 * DAY,
    labels: { 'k8s-app': 'kube-dns' },
    containers: [
      {
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.12.0',
        port: 8181,
        requests: { cpu: '100m', memory: '70Mi' },
        limits: { memory: '170Mi' },
      },
    ],
  });
  addDeployment(ctx, {
    namespace: 'kube-system',
    name: 'metrics-server',
    replicas: 1,
    ageMs: 40 * DAY,
    containers: [
      {
        name: 'metrics-server',
        image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2',
        port: 10250,
        requests: { cpu: '100m', memory: '200Mi' },
      },
    ],
  });
  addService(ctx, 'kube-system', 'kube-dns', 53, 53, { selector: { 'k8s-app': 'kube-dns' }, clusterIP: '10.96.0.10' });
  addService(ctx, 'default', 'kubernetes', 443, 6443, { selector: null, clusterIP: '10.96.0.1' });
  fake.upsert({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: ts(40 * DAY, now) },
    subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });
  const kubeProxyLabels = { 'k8s-app': 'kube-proxy' };
  const ds = fake.upsert({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: 'kube-proxy',
      namespace: 'kube-system',
      labels: kubeProxyLabels,
      creationTimestamp: ts(40 * DAY, now),
      generation: 1,
    },
    spec: {
      selector: { matchLabels: kubeProxyLabels },
      template: podTemplate(kubeProxyLabels, [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.33.2' }]),
    },
    status: {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 3,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      numberMisscheduled: 0,
      observedGeneration: 1,
    },
  });
  for (let i = 0; i < 3; i++)
    addPod(
      ctx,
      'kube-system',
      `kube-proxy-${suffix(`kp${i}`, 5)}`,
      kubeProxyLabels,
      [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.33.2' }],
      ds,
      'ready',
      40 * DAY,
    );

  // shop
  const web = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } };
  addDeployment(ctx, {
    namespace: 'shop',
    name: 'frontend',
    replicas: 3,
    ageMs: 12 * DAY,
    containers: [{ name: 'nginx', image: 'nginx:1.27.4', port: 8080, ...web }],
  });
  addDeployment(ctx, {
    namespace: 'shop',
    name: 'cart-api',
    replicas: 2,
    ageMs: 6 * DAY,
    health: ['ready', 'notReady'],
    containers: [
      {
        name: 'api',
        image: 'ghcr.io/clusterdeck/cart-api:2.4.1',
        port: 8080,
        requests: { cpu: '250m', memory: '256Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      },
    ],
  });
  addDeployment(ctx, {
    namespace: 'shop',
    name: 'checkout',
    replicas: 1,
    ageMs: 2 * DAY,
    health: ['crashLoop'],
    containers: [
      {
        name: 'checkout',
        image: 'ghcr.io/clusterdeck/checkout:1.9.0',
        port: 8080,
        requests: { cpu: '100m', memory: '64Mi' },
        limits: { memory: '128Mi' },
      },
    ],
  });
  addService(ctx, 'shop', 'frontend', 80, 8080, { type: 'LoadBalancer', lbIP: '203.0.113.10' });
  addService(ctx, 'shop', 'cart-api', 8080, 8080);
  addService(ctx, 'shop', 'checkout', 8080, 8080);
  addService(ctx, 'shop', 'redis', 6379, 6379, { clusterIP: 'None' });
  fake.upsert({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'shop',
      namespace: 'shop',
      creationTimestamp: ts(12 * DAY, now),
      generation: 1,
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.test'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.example.test',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { number: 80 } } } },
              { path: '/api/cart', pathType: 'Prefix', backend: { service: { name: 'cart-api', port: { number: 8080 } } } },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
  });
  fake.upsert({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'frontend-config', namespace: 'shop', creationTimestamp: ts(12 * DAY, now) },
    data: { 'nginx.conf': 'server { listen 8080; location / { root /usr/share/nginx/html; } }\n', FEATURE_FLAGS: 'checkout-v2=false' },
  });
  fake.upsert({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'cart-api-db', namespace: 'shop', creationTimestamp: ts(6 * DAY, now) },
    type: 'Opaque',
    data: { username: b64('cart'), password: b64('CANARY-db-password-7f3a') },
  });
  fake.upsert({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'shop-tls', namespace: 'shop', creationTimestamp: ts(12 * DAY, now) },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64('-----BEGIN CERTIFICATE-----\nCANARY\n-----END CERTIFICATE-----\n'), 'tls.key': b64('CANARY-tls-private-key') },
  });
  fake.upsert({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'frontend', namespace: 'shop', creationTimestamp: ts(12 * DAY, now) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
    status: {
      currentReplicas: 3,
      desiredReplicas: 3,
      lastScaleTime: ts(3 * HOUR, now),
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '45m' } } }],
      conditions: [
        { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', lastTransitionTime: ts(12 * DAY, now) },
        { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', lastTransitionTime: ts(12 * DAY, now) },
        { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', lastTransitionTime: ts(12 * DAY, now) },
      ],
    },
  });
  // StatefulSet redis with its PVC and PV
  const redisLabels = { app: 'redis' };
  const redisContainers: ContainerDemo[] = [
    {
      name: 'redis',
      image: 'redis:7.4.2',
      port: 6379,
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { cpu: '100m', memory: '256Mi' },
    },
  ];
  const sts = fake.upsert({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'redis', namespace: 'shop', labels: redisLabels, creationTimestamp: ts(20 * DAY, now), generation: 1 },
    spec: {
      replicas: 1,
      serviceName: 'redis',
      selector: { matchLabels: redisLabels },
      template: podTemplate(redisLabels, redisContainers),
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
    status: {
      replicas: 1,
      readyReplicas: 1,
      currentReplicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 1,
      currentRevision: `redis-${suffix('redis', 10)}`,
      updateRevision: `redis-${suffix('redis', 10)}`,
    },
  });
  addPod(
    ctx,
    'shop',
    'redis-0',
    { ...redisLabels, 'statefulset.kubernetes.io/pod-name': 'redis-0' },
    redisContainers,
    sts,
    'ready',
    20 * DAY,
  );
  const pvc = fake.upsert({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data-redis-0', namespace: 'shop', labels: redisLabels, creationTimestamp: ts(20 * DAY, now) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'standard',
      resources: { requests: { storage: '1Gi' } },
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
  });
  const pvName = `pvc-${pvc.metadata.uid ?? suffix('pv', 8)}`;
  fake.upsert({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: pvName, creationTimestamp: ts(20 * DAY, now) },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data-redis-0', uid: pvc.metadata.uid },
      csi: { driver: 'ebs.csi.aws.com', volumeHandle: `vol-0${suffix('vol', 16)}` },
    },
    status: { phase: 'Bound' },
  });
  fake.upsert({ ...pvc, spec: { ...(pvc['spec'] as Record<string, unknown>), volumeName: pvName } });
  // CronJob + Job
  const cron = fake.upsert({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly-report', namespace: 'shop', creationTimestamp: ts(20 * DAY, now), generation: 1 },
    spec: {
      schedule: '0 2 * * *',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      suspend: false,
      jobTemplate: {
        spec: {
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'report', image: 'ghcr.io/clusterdeck/report:1.0.3' }] } },
        },
      },
    },
    status: { lastScheduleTime: ts(6 * HOUR, now), lastSuccessfulTime: ts(6 * HOUR - 90_000, now) },
  });
  const jobName = `nightly-report-${Math.floor((now - 6 * HOUR) / 60_000)}`;
  const jobLabels = { 'batch.kubernetes.io/job-name': jobName, 'job-name': jobName };
  const job = fake.upsert({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName,
      namespace: 'shop',
      labels: jobLabels,
      creationTimestamp: ts(6 * HOUR, now),
      generation: 1,
      ownerReferences: [ownerRef(cron)],
    },
    spec: {
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      template: {
        metadata: { labels: jobLabels },
        spec: { restartPolicy: 'OnFailure', containers: [{ name: 'report', image: 'ghcr.io/clusterdeck/report:1.0.3' }] },
      },
    },
    status: {
      succeeded: 1,
      startTime: ts(6 * HOUR, now),
      completionTime: ts(6 * HOUR - 90_000, now),
      conditions: [
        { type: 'Complete', status: 'True', lastProbeTime: ts(6 * HOUR - 90_000, now), lastTransitionTime: ts(6 * HOUR - 90_000, now) },
      ],
    },
  });
  addPod(
    ctx,
    'shop',
    `${jobName}-${suffix(jobName, 5)}`,
    jobLabels,
    [{ name: 'report', image: 'ghcr.io/clusterdeck/report:1.0.3' }],
    job,
    'succeeded',
    6 * HOUR,
  );

  // payments
  addDeployment(ctx, {
    namespace: 'payments',
    name: 'payments-api',
    replicas: 2,
    ageMs: 9 * DAY,
    containers: [
      {
        name: 'api',
        image: 'ghcr.io/clusterdeck/payments-api:3.2.0',
        port: 8443,
        requests: { cpu: '500m', memory: '512Mi' },
        limits: { cpu: '1', memory: '1Gi' },
      },
    ],
  });
  addService(ctx, 'payments', 'payments-api', 443, 8443);
  fake.upsert({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'stripe-key', namespace: 'payments', creationTimestamp: ts(9 * DAY, now) },
    type: 'Opaque',
    data: { apiKey: b64('CANARY-sk_test_4eC39HqLyjWDarjtT1zdp7dc') },
  });
  fake.upsert({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'payments-api', namespace: 'payments', creationTimestamp: ts(9 * DAY, now) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'payments-api' },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '700Mi' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
    },
    status: {
      currentReplicas: 2,
      desiredReplicas: 2,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 82, averageValue: '410m' } } },
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '612Mi' } } },
      ],
      conditions: [
        { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', lastTransitionTime: ts(9 * DAY, now) },
        { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', lastTransitionTime: ts(9 * DAY, now) },
      ],
    },
  });
  fake.upsert({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'payments-api', namespace: 'payments', creationTimestamp: ts(9 * DAY, now), generation: 1 },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'payments-api' } } },
    status: { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2, observedGeneration: 1 },
  });
  fake.upsert({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace: 'payments', creationTimestamp: ts(9 * DAY, now), generation: 1 },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });

  // monitoring
  addDeployment(ctx, {
    namespace: 'monitoring',
    name: 'prometheus-server',
    replicas: 1,
    ageMs: 15 * DAY,
    containers: [
      {
        name: 'prometheus',
        image: 'quay.io/prometheus/prometheus:v3.2.1',
        port: 9090,
        requests: { cpu: '200m', memory: '1Gi' },
        limits: { memory: '2Gi' },
      },
    ],
  });
  addDeployment(ctx, {
    namespace: 'monitoring',
    name: 'grafana',
    replicas: 1,
    ageMs: 15 * DAY,
    containers: [{ name: 'grafana', image: 'grafana/grafana:11.5.2', port: 3000, requests: { cpu: '50m', memory: '128Mi' } }],
  });
  addService(ctx, 'monitoring', 'prometheus-server', 80, 9090);
  addService(ctx, 'monitoring', 'grafana', 80, 3000);

  // velero
  addDeployment(ctx, {
    namespace: 'velero',
    name: 'velero',
    replicas: 1,
    ageMs: 30 * DAY,
    labels: { component: 'velero' },
    containers: [
      {
        name: 'velero',
        image: 'velero/velero:v1.18.1',
        port: 8085,
        requests: { cpu: '500m', memory: '128Mi' },
        limits: { cpu: '1', memory: '512Mi' },
      },
    ],
  });
  fake.upsert({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'cloud-credentials', namespace: 'velero', creationTimestamp: ts(30 * DAY, now) },
    type: 'Opaque',
    data: { cloud: b64('[default]\naws_access_key_id=CANARYAKIAFAKE\naws_secret_access_key=CANARY-secret\n') },
  });
  seedVelero(ctx);

  seedRolloutHistory(ctx);
  seedSidecarWorkload(ctx);

  // events
  const checkoutPod = ctx.fake.list('v1', 'Pod', 'shop').find((p) => p.metadata.name?.startsWith('checkout-'));
  const cartPods = ctx.fake.list('v1', 'Pod', 'shop').filter((p) => p.metadata.name?.startsWith('cart-api-'));
  if (checkoutPod?.metadata.name) {
    addEvent(
      ctx,
      'shop',
      { kind: 'Pod', name: checkoutPod.metadata.name },
      'Warning',
      'BackOff',
      'Back-off restarting failed container checkout in pod ' + checkoutPod.metadata.name,
      MINUTE,
      31,
    );
    addEvent(
      ctx,
      'shop',
      { kind: 'Pod', name: checkoutPod.metadata.name },
      'Normal',
      'Pulled',
      'Container image "ghcr.io/clusterdeck/checkout:1.9.0" already present on machine',
      3 * MINUTE,
      7,
    );
  }
  const notReady = cartPods[1]?.metadata.name;
  if (notReady)
    addEvent(
      ctx,
      'shop',
      { kind: 'Pod', name: notReady },
      'Warning',
      'Unhealthy',
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
      2 * MINUTE,
      14,
    );
  addEvent(
    ctx,
    'shop',
    { kind: 'Deployment', name: 'frontend', apiVersion: 'apps/v1' },
    'Normal',
    'ScalingReplicaSet',
    'Scaled up replica set frontend to 3 from 2',
    3 * HOUR,
  );
  addEvent(
    ctx,
    'velero',
    { kind: 'Backup', name: 'daily-shop', apiVersion: 'velero.io/v1' },
    'Warning',
    'PartiallyFailed',
    'Backup completed with 2 errors',
    7 * HOUR,
  );

  seedMetrics(ctx);
}

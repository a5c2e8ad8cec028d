/** Subresources and review endpoints: `/scale` (autoscaling/v1 Scale), `pods/log`, SelfSubjectAccessReview, SelfSubjectReview. */
import type { HandlerDeps, RequestAttributes, UserInfo } from './handler';
import type { ResourceDef } from './resources';
import { readJsonPath } from './resources';
import { badRequest } from './status';
import type { KubeObject } from './types';
import { getPath, isRecord, kubeTimestamp } from './types';

export function scaleOf(def: ResourceDef, obj: KubeObject): Record<string, unknown> {
  const specPath = def.scalePaths?.specReplicasPath ?? '.spec.replicas';
  const statusPath = def.scalePaths?.statusReplicasPath ?? '.status.replicas';
  let selector: unknown = def.scalePaths?.labelSelectorPath ? readJsonPath(obj, def.scalePaths.labelSelectorPath) : undefined;
  if (selector === undefined) {
    const matchLabels = getPath(obj, 'spec.selector.matchLabels');
    if (isRecord(matchLabels))
      selector = Object.entries(matchLabels)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
  }
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: Number(readJsonPath(obj, specPath) ?? 0) },
    status: { replicas: Number(readJsonPath(obj, statusPath) ?? 0), ...(selector !== undefined ? { selector } : {}) },
  };
}

export function podLog(pod: KubeObject, url: URL): string {
  const container = url.searchParams.get('container');
  const containers = Array.isArray(getPath(pod, 'spec.containers')) ? (getPath(pod, 'spec.containers') as unknown[]).filter(isRecord) : [];
  const names = containers.map((c) => String(c['name']));
  if (container && !names.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name ?? ''}`);
  }
  if (!container && names.length > 1) {
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name ?? ''}, choose one of: [${names.join(' ')}]`);
  }
  const annotated = pod.metadata.annotations?.['fake.clusterdeck.dev/log'];
  let lines =
    annotated !== undefined
      ? annotated.split('\n')
      : Array.from(
          { length: 20 },
          (_, i) =>
            `${kubeTimestamp(new Date(Date.parse(pod.metadata.creationTimestamp ?? '') + i * 1000 || Date.now()))} INFO [${container ?? names[0] ?? 'main'}] ${pod.metadata.name ?? ''} line ${i + 1}`,
        );
  const tail = Number(url.searchParams.get('tailLines') ?? NaN);
  if (Number.isInteger(tail) && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** The answer to a SelfSubjectAccessReview, decided by the fake's forbid() rules. */
export function accessReviewBody(body: KubeObject, user: UserInfo, authorize: HandlerDeps['authorize']): Record<string, unknown> {
  const spec = isRecord(body['spec']) ? body['spec'] : {};
  const ra = isRecord(spec['resourceAttributes']) ? spec['resourceAttributes'] : undefined;
  let allowed = true;
  if (ra) {
    const optional = (key: string): string | undefined => (typeof ra[key] === 'string' && ra[key] !== '' ? ra[key] : undefined);
    const ns = optional('namespace');
    const name = optional('name');
    const sub = optional('subresource');
    const attrs: RequestAttributes = {
      verb: asString(ra['verb']),
      group: asString(ra['group']),
      resource: asString(ra['resource']),
      ...(ns !== undefined ? { namespace: ns } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(sub !== undefined ? { subresource: sub } : {}),
    };
    allowed = authorize(attrs, user) === undefined;
  }
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: { allowed, reason: allowed ? 'allowed by the fake cluster' : 'forbidden by the fake cluster' },
  };
}

export function selfSubjectReviewBody(user: UserInfo): Record<string, unknown> {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: { userInfo: { username: user.username, groups: [...user.groups] } },
  };
}

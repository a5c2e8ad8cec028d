import { isQuantity, parseQuantity } from '../../kube/quantity';
import type { Rule, RuleContext } from '../rule';
import { asRecord, getAt, scalarString, type ContainerRef } from '../workloads';
import { cachedForSet, containerAnchor, containerLabel, containers, has, listText, podSpecOf } from './singleHelpers';
import { isByteResource, quantityFields, suggestQuantity } from './singleQuantities';

/** Defaults of the `type: Container` limits of the LimitRanges in a namespace (lint-rules.md §1.2). */
interface LimitRangeDefaults {
  /** Resources with a `defaultRequest` or a `default` (either one gives the container a request). */
  readonly request: ReadonlySet<string>;
  /** Resources with a `default` (a limit). */
  readonly limit: ReadonlySet<string>;
}

function limitRangeDefaults(ctx: RuleContext): LimitRangeDefaults {
  return cachedForSet(ctx.set, `limitRange:${ctx.namespace}`, () => {
    const request = new Set<string>();
    const limit = new Set<string>();
    for (const entry of ctx.set.inNamespace(ctx.namespace, ['LimitRange'])) {
      const limits = getAt(entry.doc.value, ['spec', 'limits']);
      if (!Array.isArray(limits)) continue;
      for (const item of limits) {
        const l = asRecord(item);
        if (!l || l.type !== 'Container') continue;
        const defaults = asRecord(l.default) ?? {};
        const defaultRequests = asRecord(l.defaultRequest) ?? {};
        for (const [k, v] of Object.entries(defaults))
          if (v !== null && v !== undefined) {
            limit.add(k);
            request.add(k);
          }
        for (const [k, v] of Object.entries(defaultRequests)) if (v !== null && v !== undefined) request.add(k);
      }
    }
    return { request, limit };
  });
}

function requestsOf(c: ContainerRef): Record<string, unknown> | undefined {
  return asRecord(asRecord(c.value.resources)?.requests);
}

function limitsOf(c: ContainerRef): Record<string, unknown> | undefined {
  return asRecord(asRecord(c.value.resources)?.limits);
}

const resourceTitle: Record<string, string> = { cpu: 'CPU', memory: 'memory', 'ephemeral-storage': 'ephemeral-storage' };
const example: Record<string, string> = { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '1Gi' };

/** `container-missing-cpu-request` / `container-missing-memory-request`: no effective request (§1.2). */
function missingRequestRule(resource: 'cpu' | 'memory', equivalents: readonly string[]): Rule {
  const why =
    resource === 'cpu'
      ? 'so the scheduler can place it and it gets a fair CPU share'
      : 'so the scheduler reserves memory for it and it is not evicted first under memory pressure';
  return {
    id: `container-missing-${resource}-request`,
    level: 'warning',
    scope: 'set',
    equivalents,
    description: `A container has no ${resourceTitle[resource] ?? resource} request (requests, limits, LimitRange default or pod-level resources).`,
    check(ctx) {
      const pod = podSpecOf(ctx);
      if (!pod) return;
      const podRequests = asRecord(asRecord(pod.spec.resources)?.requests);
      if (has(podRequests, resource)) return;
      const defaults = limitRangeDefaults(ctx);
      if (defaults.request.has(resource)) return;
      for (const c of containers(ctx, ['C', 'S'])) {
        if (has(requestsOf(c), resource) || has(limitsOf(c), resource)) continue;
        ctx.report(
          containerAnchor(c),
          `${containerLabel(c)} has no ${resourceTitle[resource] ?? resource} request; add resources.requests.${resource} (e.g. ${example[resource] ?? '1'}) ${why}.`,
          { data: { container: c.name, resource } },
        );
      }
    },
  };
}

const missingMemoryLimit: Rule = {
  id: 'container-missing-memory-limit',
  level: 'info',
  scope: 'set',
  equivalents: [
    'kube-linter:unset-memory-requirements',
    'polaris:memoryLimitsMissing',
    'kube-score:container-resources',
    'datree:CONTAINERS_MISSING_MEMORY_LIMIT_KEY',
  ],
  description: 'A container has no memory limit and no LimitRange default limit.',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod) return;
    if (has(asRecord(asRecord(pod.spec.resources)?.limits), 'memory')) return;
    if (limitRangeDefaults(ctx).limit.has('memory')) return;
    for (const c of containers(ctx, ['C', 'S'])) {
      if (has(limitsOf(c), 'memory')) continue;
      ctx.report(
        containerAnchor(c),
        `${containerLabel(c)} has no memory limit; add resources.limits.memory (e.g. equal to its request) so a leak is OOM-killed in its container instead of starving the node.`,
        { data: { container: c.name, resource: 'memory' } },
      );
    }
  },
};

const missingCpuLimit: Rule = {
  id: 'container-missing-cpu-limit',
  level: 'off',
  scope: 'document',
  equivalents: ['polaris:cpuLimitsMissing', 'kube-score:container-resources', 'datree:CONTAINERS_MISSING_CPU_LIMIT_KEY'],
  description: 'A container has no CPU limit (opt-in: CPU limits cause throttling, many teams prefer none).',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S'])) {
      if (has(limitsOf(c), 'cpu')) continue;
      ctx.report(
        containerAnchor(c),
        `${containerLabel(c)} has no CPU limit; add resources.limits.cpu if your policy requires one (it caps the container but can throttle it).`,
        { data: { container: c.name, resource: 'cpu' } },
      );
    }
  },
};

const cpuLimitSet: Rule = {
  id: 'container-cpu-limit-set',
  level: 'off',
  scope: 'document',
  equivalents: ['datree:EKS_INVALID_CPU_LIMIT'],
  description: 'A container sets a CPU limit (CFS throttling even when the node has idle CPU).',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S'])) {
      if (!has(limitsOf(c), 'cpu')) continue;
      ctx.report(
        [...c.path, 'resources', 'limits', 'cpu'],
        `${containerLabel(c)} sets a CPU limit, which throttles it even when the node has idle CPU; consider removing resources.limits.cpu and relying on the request.`,
        { data: { container: c.name, resource: 'cpu' } },
      );
    }
  },
};

/** Compares two quantities with a relative tolerance (floating point suffix arithmetic). */
function greater(a: number, b: number): boolean {
  return a > b + Math.max(Math.abs(b), 1) * 1e-9;
}

const requestExceedsLimit: Rule = {
  id: 'container-request-exceeds-limit',
  level: 'error',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: [],
  description: 'A container requests more of a resource than its limit; the API server rejects it.',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const requests = requestsOf(c);
      const limits = limitsOf(c);
      if (!requests || !limits) continue;
      for (const [resource, req] of Object.entries(requests)) {
        const lim = limits[resource];
        const r = parseQuantity(req);
        const l = parseQuantity(lim);
        if (r === undefined || l === undefined || !greater(r, l)) continue;
        ctx.report(
          [...c.path, 'resources', 'requests', resource],
          `${containerLabel(c)} requests ${resource} ${scalarString(req)}, more than its limit ${scalarString(lim)}; the API server rejects this ("must be less than or equal to ${resource} limit"). Lower the request or raise the limit.`,
          { data: { container: c.name, resource, request: scalarString(req), limit: scalarString(lim) } },
        );
      }
    }
  },
};

function sameQuantity(a: unknown, b: unknown): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  return x !== undefined && y !== undefined && !greater(x, y) && !greater(y, x);
}

const memoryLimitDiffers: Rule = {
  id: 'container-memory-limit-differs-from-request',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-score:container-memory-requests-equal-limits', 'datree:EKS_INVALID_MEMORY_REQUEST_LIMIT'],
  description: 'A container memory request differs from its memory limit (memory is not compressible: overcommit leads to OOM kills).',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S'])) {
      const requests = requestsOf(c);
      const limits = limitsOf(c);
      if (!has(requests, 'memory')) continue;
      const req = requests?.memory;
      const lim = limits?.memory;
      if (!has(limits, 'memory')) {
        ctx.report(
          [...c.path, 'resources', 'requests', 'memory'],
          `${containerLabel(c)} requests memory ${scalarString(req)} but sets no memory limit; set resources.limits.memory to the same value so the node is never overcommitted on memory.`,
          { data: { container: c.name, resource: 'memory', request: scalarString(req) } },
        );
      } else if (isQuantity(req) && isQuantity(lim) && !sameQuantity(req, lim)) {
        ctx.report(
          [...c.path, 'resources', 'limits', 'memory'],
          `${containerLabel(c)} has memory limit ${scalarString(lim)} but request ${scalarString(req)}; set them equal so the scheduler reserves what the container may use.`,
          { data: { container: c.name, resource: 'memory', request: scalarString(req), limit: scalarString(lim) } },
        );
      }
    }
  },
};

const requestsNotEqualLimits: Rule = {
  id: 'container-requests-not-equal-limits',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-score:container-resource-requests-equal-limits', 'kube-score:container-cpu-requests-equal-limits'],
  description: 'A container is not Guaranteed QoS: its CPU and memory requests do not equal its limits.',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S'])) {
      const requests = requestsOf(c);
      const limits = limitsOf(c);
      const bad: string[] = [];
      for (const resource of ['cpu', 'memory']) {
        if (!has(limits, resource)) bad.push(`no ${resource} limit`);
        else if (has(requests, resource) && !sameQuantity(requests?.[resource], limits?.[resource]))
          bad.push(`${resource} request ≠ limit`);
      }
      if (!bad.length) continue;
      ctx.report(
        containerAnchor(c),
        `${containerLabel(c)} is not Guaranteed QoS (${listText(bad)}); set resources.limits.cpu and .memory and make the requests equal to them.`,
        { data: { container: c.name } },
      );
    }
  },
};

const missingEphemeralStorage: Rule = {
  id: 'container-missing-ephemeral-storage',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-score:container-ephemeral-storage-request-and-limit', 'kube-score:container-ephemeral-storage-request-equals-limit'],
  description: 'A container has no ephemeral-storage request and limit.',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S'])) {
      const hasRequest = has(requestsOf(c), 'ephemeral-storage');
      const hasLimit = has(limitsOf(c), 'ephemeral-storage');
      if (hasLimit) continue;
      ctx.report(
        containerAnchor(c),
        hasRequest
          ? `${containerLabel(c)} requests ephemeral-storage but has no limit; add resources.limits.ephemeral-storage so a runaway log or cache cannot fill the node's disk.`
          : `${containerLabel(c)} has no ephemeral-storage request or limit; add resources.requests and .limits ephemeral-storage (e.g. 1Gi) so it cannot fill the node's disk and trigger evictions of other pods.`,
        { data: { container: c.name, resource: 'ephemeral-storage' } },
      );
    }
  },
};

const quantityInvalid: Rule = {
  id: 'quantity-invalid',
  level: 'error',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: [],
  description: 'A resource quantity does not follow the Kubernetes Quantity grammar (e.g. 1GB, 0.5cpu, "500 m").',
  check(ctx) {
    for (const f of quantityFields(ctx.doc)) {
      if (isQuantity(f.value)) continue;
      const raw = scalarString(f.value);
      const suggestion = raw ? suggestQuantity(raw, isByteResource(f.resource)) : undefined;
      const shown = raw ? `"${raw}"` : 'This value';
      ctx.report(
        f.path,
        `${shown} is not a valid Kubernetes quantity for ${f.resource}; ${
          suggestion
            ? `write ${suggestion}`
            : isByteResource(f.resource)
              ? 'use a number with a suffix such as 512Mi or 2Gi (binary) or 500M (decimal)'
              : 'use a number with an optional suffix such as 250m or 2'
        }.`,
        { data: { resource: f.resource, ...(suggestion ? { suggestion } : {}) } },
      );
    }
  },
};

const mebibyte = 2 ** 20;

const memoryQuantitySuspicious: Rule = {
  id: 'memory-quantity-suspicious',
  level: 'warning',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: [],
  description: 'A memory or storage quantity uses the milli suffix (512m = 0.512 bytes) or is below 1Mi.',
  check(ctx) {
    for (const f of quantityFields(ctx.doc)) {
      if (f.ratio || !isByteResource(f.resource) || !isQuantity(f.value)) continue;
      const bytes = parseQuantity(f.value);
      if (bytes === undefined || bytes <= 0) continue;
      const raw = scalarString(f.value);
      const milli = typeof f.value === 'string' && /^[+-]?[0-9.]+m$/.test(f.value);
      if (milli) {
        const suggestion = raw.replace(/m$/, 'Mi');
        ctx.report(
          f.path,
          `${f.resource} "${raw}" means ${bytes} bytes ("m" is milli, not mega); write ${suggestion} (mebibytes) or ${raw.replace(/m$/, 'M')} (megabytes).`,
          { data: { resource: f.resource, suggestion } },
        );
      } else if (bytes < mebibyte) {
        const suggestion = /^[0-9]+$/.test(raw) ? `${raw}Mi` : undefined;
        ctx.report(
          f.path,
          suggestion
            ? `${f.resource} ${raw} is only ${bytes} bytes (no unit means bytes); did you mean ${suggestion}? Add a unit suffix such as Mi or Gi.`
            : `${f.resource} ${raw} is only ${bytes} bytes, below 1Mi, which no workload can run in; check the unit (Mi or Gi).`,
          { data: { resource: f.resource, ...(suggestion ? { suggestion } : {}) } },
        );
      }
    }
  },
};

/** Rules of this family (lint-rules.md §2.1). */
export const resourceRules: readonly Rule[] = [
  missingRequestRule('cpu', [
    'kube-linter:unset-cpu-requirements',
    'polaris:cpuRequestsMissing',
    'kube-score:container-resources',
    'datree:CONTAINERS_MISSING_CPU_REQUEST_KEY',
  ]),
  missingRequestRule('memory', [
    'polaris:memoryRequestsMissing',
    'kube-score:container-resources',
    'datree:CONTAINERS_MISSING_MEMORY_REQUEST_KEY',
  ]),
  missingMemoryLimit,
  missingCpuLimit,
  cpuLimitSet,
  requestExceedsLimit,
  memoryLimitDiffers,
  requestsNotEqualLimits,
  missingEphemeralStorage,
  quantityInvalid,
  memoryQuantitySuspicious,
];

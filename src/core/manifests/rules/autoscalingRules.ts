import type { Rule, RuleContext } from '../rule';
import type { ManifestDocument } from '../types';
import { asArray, asRecord, getAt, labelSelectorMatches, podSpecPath, scalarString } from '../workloads';
import {
  findObjects,
  hasEffectiveRequest,
  hpaUtilizationMetrics,
  isClosed,
  isSet,
  limitRangeDefaults,
  num,
  objectsOfKind,
  podSpecOf,
  quoteList,
  ref,
  servingContainers,
  type UtilizationMetric,
} from './crossHelpers';

// ---------------------------------------------------------------------------------------------------------
// Shared pieces

const hpaKind = 'HorizontalPodAutoscaler';

interface TargetRef {
  readonly kind: string;
  readonly name: string;
}

function scaleTargetRef(doc: ManifestDocument): TargetRef | undefined {
  const r = asRecord(getAt(doc.value, ['spec', 'scaleTargetRef']));
  const kind = scalarString(r?.kind);
  const name = scalarString(r?.name);
  return kind && name ? { kind, name } : undefined;
}

/** The complete workload document an HPA scales, when it is in the set and has a pod template. */
function hpaTarget(ctx: RuleContext): ManifestDocument | undefined {
  const target = scaleTargetRef(ctx.doc);
  if (!target || !podSpecPath(target.kind)) return undefined;
  return findObjects(ctx.set, ctx.namespace, target.kind, target.name)[0]?.doc;
}

function describeMetric(hpa: string, m: UtilizationMetric): string {
  switch (m.source) {
    case 'v1':
      return `autoscaling/v1 ${hpa} scales on CPU utilization (targetCPUUtilizationPercentage ${m.utilization ?? 80}%)`;
    case 'default':
      return `${hpa} has no metrics, so it defaults to 80% CPU utilization`;
    case 'Resource':
      return `${hpa} scales on ${m.resource} utilization`;
    case 'ContainerResource':
      return `${hpa} scales on ${m.resource} utilization of container "${m.container ?? ''}"`;
  }
}

function suggestedRequest(resource: string): string {
  return resource === 'memory' ? '128Mi' : resource === 'cpu' ? '100m' : '1';
}

// ---------------------------------------------------------------------------------------------------------
// Rules

const hpaUtilizationWithoutRequest: Rule = {
  id: 'hpa-utilization-without-request',
  level: 'error',
  scope: 'set',
  equivalents: [],
  description: 'An HPA scales on resource utilization, but a container of its target has no request for that resource.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== hpaKind) return;
    const metrics = hpaUtilizationMetrics(doc);
    if (!metrics.length) return;
    const target = hpaTarget(ctx);
    if (!target) return;
    const containers = servingContainers(target);
    if (!containers.length) return;
    const defaults = limitRangeDefaults(ctx.set, ctx.namespace);
    const hpa = `HPA "${doc.name ?? '?'}"`;
    const workload = ref(target.kind, target.name);
    const podRequests = asRecord(asRecord(podSpecOf(target)?.resources)?.requests);
    for (const m of metrics) {
      const r = m.resource;
      if (m.source === 'ContainerResource') {
        const c = containers.find((x) => x.name === m.container);
        if (!c) {
          ctx.report(
            m.path,
            `${hpa} scales on ${r} of container "${m.container ?? ''}", but ${workload} has no such container (containers: ${quoteList(containers.map((x) => x.name))}); the metric can never be computed. Name one of its containers.`,
            { severity: 'warning', data: { containers: containers.map((x) => x.name).join(',') } },
          );
          continue;
        }
        if (hasEffectiveRequest(c, r, defaults)) continue;
        ctx.report(
          m.path,
          `${describeMetric(hpa, m)}, but that container of ${workload} has no ${r} request; the HPA controller fails ("missing request for ${r}", ScalingActive=False) and never scales. Set resources.requests.${r} on container "${c.name}" (e.g. ${suggestedRequest(r)}) or a LimitRange defaultRequest in namespace "${ctx.namespace}".`,
          {
            data: { resource: r, containers: c.name, target: `${target.kind}/${target.name ?? ''}`, suggestedRequest: suggestedRequest(r) },
          },
        );
        continue;
      }
      const missing = containers.filter((c) => !hasEffectiveRequest(c, r, defaults));
      if (!missing.length) continue;
      const names = missing.map((c) => c.name);
      const podLevel = isSet(podRequests?.[r]) ? ` (pod-level spec.resources.requests.${r} does not count for the HPA)` : '';
      ctx.report(
        m.path,
        `${describeMetric(hpa, m)}, but container${names.length > 1 ? 's' : ''} ${quoteList(names)} of ${workload} ${names.length > 1 ? 'have' : 'has'} no ${r} request${podLevel}; the HPA controller fails ("missing request for ${r} in container ${names[0] ?? ''}", ScalingActive=False) and never scales. Set resources.requests.${r} on every container (e.g. ${suggestedRequest(r)}) or add a LimitRange defaultRequest in namespace "${ctx.namespace}".`,
        {
          data: {
            resource: r,
            containers: names.join(','),
            target: `${target.kind}/${target.name ?? ''}`,
            suggestedRequest: suggestedRequest(r),
          },
        },
      );
    }
  },
};

const hpaTargetMissing: Rule = {
  id: 'hpa-target-missing',
  level: 'info',
  scope: 'set',
  equivalents: ['kube-linter:dangling-horizontalpodautoscaler', 'kube-score:horizontalpodautoscaler-has-target'],
  description: 'The HPA scaleTargetRef names no object in its namespace (closed set).',
  check(ctx) {
    if (ctx.doc.kind !== hpaKind) return;
    const target = scaleTargetRef(ctx.doc);
    if (!target || !isClosed(ctx.set, ctx.namespace)) return;
    if (findObjects(ctx.set, ctx.namespace, target.kind, target.name, false).length) return;
    const sameName = ctx.set.inNamespace(ctx.namespace).find((e) => e.doc.name === target.name && e.doc.kind && podSpecPath(e.doc.kind));
    const hint = sameName ? ` ${ref(sameName.doc.kind, sameName.doc.name)} exists: is scaleTargetRef.kind wrong?` : '';
    ctx.report(
      ['spec', 'scaleTargetRef', 'name'],
      `HPA "${ctx.doc.name ?? '?'}" scales ${target.kind} "${target.name}", which is not in namespace "${ctx.namespace}"; the HPA does nothing.${hint} Fix scaleTargetRef or add the workload.`,
      sameName?.doc.kind ? { data: { suggestedKind: sameName.doc.kind } } : undefined,
    );
  },
};

const notScalable = new Set(['DaemonSet', 'Job', 'CronJob', 'Pod']);

const hpaTargetNotScalable: Rule = {
  id: 'hpa-target-not-scalable',
  level: 'error',
  scope: 'document',
  equivalents: [],
  description: 'The HPA scaleTargetRef kind has no scale subresource (DaemonSet, Job, CronJob, Pod).',
  check(ctx) {
    if (ctx.doc.kind !== hpaKind) return;
    const kind = scalarString(getAt(ctx.doc.value, ['spec', 'scaleTargetRef', 'kind']));
    if (!notScalable.has(kind)) return;
    ctx.report(
      ['spec', 'scaleTargetRef', 'kind'],
      `HPA "${ctx.doc.name ?? '?'}" targets a ${kind}, which has no scale subresource, so it can never scale (FailedGetScale). Target a Deployment, StatefulSet or ReplicaSet instead.`,
    );
  },
};

const hpaMinExceedsMax: Rule = {
  id: 'hpa-min-exceeds-max',
  level: 'error',
  scope: 'document',
  equivalents: [],
  description: 'HPA minReplicas is greater than maxReplicas; the API rejects it.',
  check(ctx) {
    if (ctx.doc.kind !== hpaKind) return;
    const min = num(getAt(ctx.doc.value, ['spec', 'minReplicas']));
    const max = num(getAt(ctx.doc.value, ['spec', 'maxReplicas']));
    if (min === undefined || max === undefined || min <= max) return;
    ctx.report(
      ['spec', 'minReplicas'],
      `HPA "${ctx.doc.name ?? '?'}" has minReplicas ${min} above maxReplicas ${max}; the API rejects it. Lower minReplicas or raise maxReplicas.`,
      { data: { minReplicas: min, maxReplicas: max } },
    );
  },
};

const hpaMaxEqualsMin: Rule = {
  id: 'hpa-max-equals-min',
  level: 'warning',
  scope: 'document',
  equivalents: ['polaris:hpaMaxAvailability'],
  description: 'HPA maxReplicas equals minReplicas, so it can never scale.',
  check(ctx) {
    if (ctx.doc.kind !== hpaKind) return;
    const rawMin = getAt(ctx.doc.value, ['spec', 'minReplicas']);
    const min = rawMin === undefined || rawMin === null ? 1 : num(rawMin);
    const max = num(getAt(ctx.doc.value, ['spec', 'maxReplicas']));
    if (min === undefined || max === undefined || min !== max) return;
    ctx.report(
      ['spec', 'maxReplicas'],
      `HPA "${ctx.doc.name ?? '?'}" has maxReplicas equal to minReplicas (${max}${isSet(rawMin) ? '' : ', minReplicas defaults to 1'}), so it can never scale. Raise maxReplicas (e.g. to ${max * 2 + (max === 1 ? 1 : 0)}) or drop the HPA.`,
      { data: { suggestedMaxReplicas: max * 2 + (max === 1 ? 1 : 0) } },
    );
  },
};

/**
 * Whether the HPA's target in the set is marked production (core/tuning's marker: label `environment`/`env` =
 * `production`/`prod` on it or its pod template, annotation `clusterdeck.io/production: "true"`, or a
 * PodDisruptionBudget of the set selecting its pods).
 */
function targetIsProduction(ctx: RuleContext, target: ManifestDocument): boolean {
  const labels = (v: unknown): Record<string, string> =>
    Object.fromEntries(Object.entries(asRecord(v) ?? {}).map(([k, x]) => [k, scalarString(x)]));
  const templateLabels = labels(getAt(target.value, ['spec', 'template', 'metadata', 'labels']));
  const marked =
    scalarString(getAt(target.value, ['metadata', 'annotations', 'clusterdeck.io/production'])) === 'true' ||
    [labels(getAt(target.value, ['metadata', 'labels'])), templateLabels].some((l) =>
      ['environment', 'env'].some((k) => ['production', 'prod'].includes((l[k] ?? '').toLowerCase())),
    );
  return (
    marked ||
    objectsOfKind(ctx.set, ctx.namespace, 'PodDisruptionBudget').some((e) =>
      labelSelectorMatches(getAt(e.doc.value, ['spec', 'selector']), templateLabels),
    )
  );
}

const hpaMinReplicasBelow2: Rule = {
  id: 'hpa-min-replicas-below-2',
  level: 'info',
  scope: 'set',
  equivalents: [
    'kube-linter:hpa-minimum-three-replicas',
    'polaris:hpaMinAvailability',
    'kube-score:horizontalpodautoscaler-replicas',
    'datree:HPA_MISSING_MINREPLICAS_KEY',
  ],
  description:
    'HPA minReplicas is unset or 1, so the workload can scale down to a single pod (a warning when the target is marked production).',
  check(ctx) {
    if (ctx.doc.kind !== hpaKind || !asRecord(getAt(ctx.doc.value, ['spec']))) return;
    const raw = getAt(ctx.doc.value, ['spec', 'minReplicas']);
    const unset = raw === undefined || raw === null;
    if (!unset && raw !== 1) return;
    const target = hpaTarget(ctx);
    const production = target !== undefined && targetIsProduction(ctx, target);
    ctx.report(
      ['spec', 'minReplicas'],
      `HPA "${ctx.doc.name ?? '?'}" ${unset ? 'has no minReplicas (defaults to 1)' : 'has minReplicas 1'}, so at low load the workload runs a single pod and any restart or node drain interrupts it${production ? ` (${ref(target.kind, target.name)} is marked production)` : ''}. Set minReplicas: 2.`,
      { data: { suggestedMinReplicas: 2 }, ...(production ? { severity: 'warning' as const } : {}) },
    );
  },
};

const hpaUtilizationTargetOutOfRange: Rule = {
  id: 'hpa-utilization-target-out-of-range',
  level: 'info',
  scope: 'document',
  equivalents: [],
  description: 'An HPA utilization target is below 20 % or above 95 %.',
  check(ctx) {
    if (ctx.doc.kind !== hpaKind) return;
    for (const m of hpaUtilizationMetrics(ctx.doc)) {
      const u = m.utilization;
      if (u === undefined || !m.utilizationPath || (u >= 20 && u <= 95)) continue;
      const what = `HPA "${ctx.doc.name ?? '?'}" targets ${u}% ${m.resource} utilization`;
      ctx.report(
        m.utilizationPath,
        u > 95
          ? `${what}: with the controller's ±10% tolerance it scales up only once pods are saturated, leaving no headroom for load spikes or pod start-up. Use a target between 50% and 80%.`
          : `${what}: it keeps many mostly idle replicas, and the ±10% tolerance band is wide relative to such a low target, so the replica count flaps. Use a target between 50% and 80%.`,
        { data: { suggestedUtilization: 70 } },
      );
    }
  },
};

/** The resources a VerticalPodAutoscaler updates on its target (updateMode ≠ Off). */
function vpaControlledResources(vpa: ManifestDocument): Set<string> {
  const out = new Set<string>();
  const mode = scalarString(getAt(vpa.value, ['spec', 'updatePolicy', 'updateMode'])) || 'Auto';
  if (mode === 'Off') return out;
  const policies = asArray(getAt(vpa.value, ['spec', 'resourcePolicy', 'containerPolicies'])).flatMap((p) =>
    asRecord(p) ? [asRecord(p)] : [],
  );
  let hasWildcard = false;
  for (const p of policies) {
    if (p?.containerName === '*') hasWildcard = true;
    if (p?.mode === 'Off') continue;
    const controlled = Array.isArray(p?.controlledResources) ? p.controlledResources.map(scalarString) : ['cpu', 'memory'];
    for (const r of controlled) out.add(r);
  }
  if (!hasWildcard) {
    // Containers without a policy of their own get the defaults: cpu and memory.
    out.add('cpu');
    out.add('memory');
  }
  return out;
}

const hpaVpaConflict: Rule = {
  id: 'hpa-vpa-conflict',
  level: 'warning',
  scope: 'set',
  equivalents: [],
  description: 'A VerticalPodAutoscaler updates the resource that an HPA on the same target scales on by utilization.',
  check(ctx) {
    if (ctx.doc.kind !== hpaKind) return;
    const target = scaleTargetRef(ctx.doc);
    if (!target) return;
    const vpas = objectsOfKind(ctx.set, ctx.namespace, 'VerticalPodAutoscaler').filter((e) => {
      const t = asRecord(getAt(e.doc.value, ['spec', 'targetRef']));
      return (e.doc.apiVersion ?? '').startsWith('autoscaling.k8s.io/') && t?.kind === target.kind && t.name === target.name;
    });
    if (!vpas.length) return;
    for (const m of hpaUtilizationMetrics(ctx.doc)) {
      const vpa = vpas.find((v) => vpaControlledResources(v.doc).has(m.resource));
      if (!vpa) continue;
      const mode = scalarString(getAt(vpa.doc.value, ['spec', 'updatePolicy', 'updateMode'])) || 'Auto';
      ctx.report(
        m.path,
        `HPA "${ctx.doc.name ?? '?'}" scales ${ref(target.kind, target.name)} on ${m.resource} utilization while VerticalPodAutoscaler "${vpa.doc.name ?? '?'}" (updateMode ${mode}) changes its ${m.resource} requests: each resize moves the utilization the HPA reads, so they fight. Scale the HPA on another metric, exclude ${m.resource} from the VPA (controlledResources), or set the VPA to updateMode: Off.`,
        { data: { vpa: vpa.doc.name ?? '', resource: m.resource } },
      );
    }
  },
};

/** Rules of this family (lint-rules.md §2.7). */
export const autoscalingRules: readonly Rule[] = [
  hpaUtilizationWithoutRequest,
  hpaTargetMissing,
  hpaTargetNotScalable,
  hpaMinExceedsMax,
  hpaMaxEqualsMin,
  hpaMinReplicasBelow2,
  hpaUtilizationTargetOutOfRange,
  hpaVpaConflict,
];

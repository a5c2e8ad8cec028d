import type { LintSet } from '../lintSet';
import type { Rule, RuleContext } from '../rule';
import type { ManifestDocument, YamlPath } from '../types';
import { asArray, asRecord, getAt, labelSelectorMatches, podSpecPath, scalarString, templateLabels } from '../workloads';
import {
  closestWorkload,
  findObjects,
  formatLabels,
  formatSelector,
  hpaMinReplicas,
  hpasTargeting,
  intOrPercent,
  isClosed,
  isEmptyLabelSelector,
  isSet,
  memo,
  num,
  objectsOfKind,
  podSpecOf,
  ref,
  replicasOf,
  type Workload,
  workloadOf,
  workloadsIn,
  workloadsMatching,
} from './crossHelpers';

// ---------------------------------------------------------------------------------------------------------
// Shared pieces

const appsSelectorKinds = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/** The selector a workload's controller uses to own pods, when it has an explicit one. */
function controllerSelector(doc: ManifestDocument): { selector: Record<string, unknown>; mode: 'label' | 'equality' } | undefined {
  const selector = asRecord(getAt(doc.value, ['spec', 'selector']));
  if (doc.kind && appsSelectorKinds.has(doc.kind)) {
    return selector && !isEmptyLabelSelector(selector) ? { selector, mode: 'label' } : undefined;
  }
  if (doc.kind === 'ReplicationController') {
    if (selector && Object.keys(selector).length) return { selector, mode: 'equality' };
    const labels = templateLabels(doc); // an RC without selector defaults it to the template labels
    return Object.keys(labels).length ? { selector: labels, mode: 'equality' } : undefined;
  }
  if (doc.kind === 'Job' && getAt(doc.value, ['spec', 'manualSelector']) === true) {
    return selector && !isEmptyLabelSelector(selector) ? { selector, mode: 'label' } : undefined;
  }
  return undefined;
}

/** HPA minReplicas of the HPAs that scale a workload (the largest), or undefined when none does. */
function hpaMinFor(ctx: RuleContext, kind: string, name: string): number | undefined {
  let min: number | undefined;
  for (const hpa of hpasTargeting(ctx.set, ctx.namespace, kind, name)) {
    const m = hpaMinReplicas(hpa.doc);
    if (m !== undefined) min = Math.max(min ?? 0, m);
  }
  return min;
}

/** Deployment/StatefulSet that is meant to run more than one pod: `replicas > 1` or an HPA with `minReplicas > 1`. */
function replication(ctx: RuleContext): { count: number; why: string; path: YamlPath } | undefined {
  const { doc } = ctx;
  if ((doc.kind !== 'Deployment' && doc.kind !== 'StatefulSet') || !doc.name) return undefined;
  const replicas = num(getAt(doc.value, ['spec', 'replicas']));
  if (replicas !== undefined && replicas > 1) return { count: replicas, why: `runs ${replicas} replicas`, path: ['spec', 'replicas'] };
  const hpaMin = hpaMinFor(ctx, doc.kind, doc.name);
  if (hpaMin !== undefined && hpaMin > 1) {
    return { count: hpaMin, why: `is scaled by an HPA with minReplicas ${hpaMin}`, path: podSpecPath(doc.kind) ?? ['spec'] };
  }
  return undefined;
}

/** Workloads whose pods a PDB selects (policy/v1: `{}` selects all; policy/v1beta1: `{}` selects none; null selects none). */
function pdbSelectedWorkloads(set: LintSet, namespace: string, pdb: ManifestDocument): Workload[] {
  const selector = asRecord(getAt(pdb.value, ['spec', 'selector']));
  if (!selector) return [];
  if (isEmptyLabelSelector(selector)) return pdb.apiVersion === 'policy/v1beta1' ? [] : [...workloadsIn(set, namespace)];
  return workloadsMatching(set, namespace, selector, 'label');
}

// ---------------------------------------------------------------------------------------------------------
// Rules

const selectorTemplateMismatch: Rule = {
  id: 'selector-template-mismatch',
  level: 'error',
  scope: 'document',
  equivalents: [
    'kube-linter:mismatching-selector',
    'kube-score:deployment-pod-selector-labels-match-template-metadata-labels',
    'kube-score:statefulset-pod-selector-labels-match-template-metadata-labels',
  ],
  description: 'The workload selector does not match its pod template labels; the API rejects the object.',
  check(ctx) {
    const { doc } = ctx;
    const who = ref(doc.kind, doc.name);
    const labels = templateLabels(doc);
    const selector = asRecord(getAt(doc.value, ['spec', 'selector']));
    if (!selector) return;
    const failures: { path: YamlPath; text: string; missing?: string }[] = [];
    const isApps =
      doc.kind !== undefined && appsSelectorKinds.has(doc.kind) && (doc.apiVersion === 'apps/v1' || doc.apiVersion === 'apps/v1beta2');
    const isManualJob = doc.kind === 'Job' && getAt(doc.value, ['spec', 'manualSelector']) === true;
    if (isApps || isManualJob) {
      if (isEmptyLabelSelector(selector)) {
        if (isApps)
          ctx.report(
            ['spec', 'selector'],
            `${who} has an empty spec.selector; the API rejects it ("empty selector is invalid for ${doc.kind?.toLowerCase() ?? 'workload'}"). Select the template labels (${formatLabels(labels)}).`,
            { prefer: 'key', data: { labels: formatLabels(labels) } },
          );
        return;
      }
      for (const [k, v] of Object.entries(asRecord(selector.matchLabels) ?? {})) {
        if (labels[k] !== scalarString(v))
          failures.push({
            path: ['spec', 'selector', 'matchLabels', k],
            text: `${k}=${scalarString(v)}`,
            missing: `${k}=${scalarString(v)}`,
          });
      }
      asArray(selector.matchExpressions).forEach((expr, i) => {
        if (!labelSelectorMatches({ matchExpressions: [expr] }, labels))
          failures.push({
            path: ['spec', 'selector', 'matchExpressions', i, ...(asRecord(expr)?.key !== undefined ? ['key'] : [])],
            text: formatSelector({ matchExpressions: [expr] }),
          });
      });
    } else if (doc.kind === 'ReplicationController') {
      for (const [k, v] of Object.entries(selector)) {
        if (labels[k] !== scalarString(v))
          failures.push({ path: ['spec', 'selector', k], text: `${k}=${scalarString(v)}`, missing: `${k}=${scalarString(v)}` });
      }
    } else {
      return;
    }
    const first = failures[0];
    if (!first) return;
    const missing = failures.flatMap((f) => (f.missing ? [f.missing] : []));
    const fix =
      missing.length === failures.length
        ? `Add ${missing.join(', ')} to the template labels`
        : 'Make the template labels satisfy the selector';
    ctx.report(
      first.path,
      `${who}: spec.selector requires ${failures.map((f) => f.text).join(', ')}, but the pod template labels are ${formatLabels(labels)}; the API rejects this ("selector does not match template labels"). ${fix} or change the selector.`,
      { prefer: 'key', ...(missing.length ? { data: { labels: missing.join(',') } } : {}) },
    );
  },
};

const workloadSelectorOverlap: Rule = {
  id: 'workload-selector-overlap',
  level: 'warning',
  scope: 'set',
  equivalents: [],
  description: 'Two workloads of the same kind select each other’s pods, so their controllers fight over them.',
  check(ctx) {
    const self = workloadOf(ctx.set, ctx.namespace, ctx.doc);
    const mine = self && controllerSelector(self.doc);
    if (!self || !mine) return;
    const overlaps = memo(ctx.set, ctx.namespace, 'workloadOverlaps', () => {
      type How = { mine: boolean; theirs: boolean };
      const out = new Map<Workload, Map<Workload, How>>();
      const get = (a: Workload, b: Workload): How => {
        let m = out.get(a);
        if (!m) out.set(a, (m = new Map<Workload, How>()));
        let r = m.get(b);
        if (!r) m.set(b, (r = { mine: false, theirs: false }));
        return r;
      };
      for (const a of workloadsIn(ctx.set, ctx.namespace)) {
        const sel = controllerSelector(a.doc);
        if (!sel) continue;
        for (const b of workloadsMatching(ctx.set, ctx.namespace, sel.selector, sel.mode)) {
          if (b === a || b.kind !== a.kind || b.name === a.name || !controllerSelector(b.doc)) continue;
          get(a, b).mine = true;
          get(b, a).theirs = true;
        }
      }
      return out;
    });
    const others = [...(overlaps.get(self)?.entries() ?? [])];
    const first = others[0];
    if (!first) return;
    const [other, how] = first;
    const theirs = controllerSelector(other.doc);
    const me = ref(self.kind, self.name);
    const them = ref(other.kind, other.name);
    const detail = how.mine
      ? how.theirs
        ? `${me} and ${them} select each other's pods`
        : `the selector of ${me} (${formatSelector(mine.mode === 'label' ? mine.selector : { matchLabels: mine.selector })}) also matches the pod template of ${them}`
      : `the selector of ${them} (${formatSelector(theirs?.mode === 'label' ? theirs.selector : { matchLabels: theirs?.selector })}) also matches the pod template of ${me}`;
    const more = others.length > 1 ? ` (and ${others.length - 1} more ${self.kind} object${others.length > 2 ? 's' : ''})` : '';
    ctx.report(
      ['spec', 'selector'],
      `Overlapping selectors in namespace "${ctx.namespace}": ${detail}${more}; their controllers fight over the same pods. Give each workload a distinguishing label (e.g. app.kubernetes.io/name) in both its selector and its template.`,
      { prefer: 'key', data: { other: `${other.kind}/${other.name}` } },
    );
  },
};

const deploymentSingleReplica: Rule = {
  id: 'deployment-single-replica',
  level: 'info',
  scope: 'set',
  equivalents: [
    'kube-linter:minimum-three-replicas',
    'polaris:deploymentMissingReplicas',
    'kube-score:deployment-replicas',
    'datree:DEPLOYMENT_INCORRECT_REPLICAS_VALUE',
  ],
  description: 'A Deployment runs a single replica and no HPA scales it.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'Deployment' || !doc.name) return;
    const raw = getAt(doc.value, ['spec', 'replicas']);
    const unset = raw === undefined || raw === null;
    if (!unset && raw !== 1) return;
    if (hpasTargeting(ctx.set, ctx.namespace, 'Deployment', doc.name).length) return;
    ctx.report(
      ['spec', 'replicas'],
      `Deployment "${doc.name}" runs a single replica (${unset ? 'spec.replicas is unset and defaults to 1' : 'spec.replicas: 1'}), so every restart, rollout or node drain interrupts it. Set spec.replicas to 2 or more, or scale it with an HPA.`,
      { data: { suggestedReplicas: 2 } },
    );
  },
};

const workloadReplicasWithHpa: Rule = {
  id: 'workload-replicas-with-hpa',
  level: 'info',
  scope: 'set',
  equivalents: ['kube-score:deployment-targeted-by-hpa-does-not-have-replicas-configured'],
  description: 'A Deployment or StatefulSet scaled by an HPA also sets spec.replicas; every apply resets the scale.',
  check(ctx) {
    const { doc } = ctx;
    if ((doc.kind !== 'Deployment' && doc.kind !== 'StatefulSet') || !doc.name) return;
    const replicas = getAt(doc.value, ['spec', 'replicas']);
    if (!isSet(replicas)) return;
    const hpa = hpasTargeting(ctx.set, ctx.namespace, doc.kind, doc.name)[0];
    if (!hpa) return;
    ctx.report(
      ['spec', 'replicas'],
      `${ref(doc.kind, doc.name)} sets spec.replicas: ${scalarString(replicas)} but HPA "${hpa.doc.name ?? '?'}" scales it; every apply resets the replica count until the HPA corrects it. Remove spec.replicas and let the HPA own the scale (use its minReplicas instead).`,
      { data: { hpa: hpa.doc.name ?? '' } },
    );
  },
};

const replicatedWorkloadNoSpread: Rule = {
  id: 'replicated-workload-no-spread',
  level: 'info',
  scope: 'set',
  equivalents: [
    'kube-linter:no-anti-affinity',
    'polaris:topologySpreadConstraint',
    'kube-score:deployment-has-host-podantiaffinity',
    'kube-score:statefulset-has-host-podantiaffinity',
    'datree:EKS_MISSING_KEY_TOPOLOGYKEY',
  ],
  description: 'A replicated Deployment/StatefulSet has neither podAntiAffinity nor topologySpreadConstraints.',
  check(ctx) {
    const r = replication(ctx);
    if (!r) return;
    const spec = podSpecOf(ctx.doc);
    if (!spec) return;
    const antiAffinity = asRecord(asRecord(spec.affinity)?.podAntiAffinity);
    const hasAnti = !!antiAffinity && Object.values(antiAffinity).some((v) => asArray(v).length > 0);
    if (hasAnti || asArray(spec.topologySpreadConstraints).length > 0) return;
    const labels = formatLabels(templateLabels(ctx.doc));
    ctx.report(
      r.path,
      `${ref(ctx.doc.kind, ctx.doc.name)} ${r.why} but has neither podAntiAffinity nor topologySpreadConstraints, so the scheduler may place every replica on one node or zone. Add a topologySpreadConstraint (topologyKey kubernetes.io/hostname or topology.kubernetes.io/zone, labelSelector ${labels}).`,
      { prefer: r.path.length === 2 ? 'value' : 'key', data: { labels } },
    );
  },
};

const topologySpreadInvalid: Rule = {
  id: 'topology-spread-invalid',
  level: 'warning',
  scope: 'document',
  equivalents: ['kube-score:pod-topology-spread-constraints', 'datree:EKS_INVALID_VALUE_DONOOTSCHEDULE'],
  description: 'A topologySpreadConstraint has maxSkew < 1, no topologyKey, or a labelSelector that misses the template.',
  check(ctx) {
    const specPath = podSpecPath(ctx.doc.kind);
    const spec = podSpecOf(ctx.doc);
    if (!specPath || !spec) return;
    const labels = templateLabels(ctx.doc);
    const who = ref(ctx.doc.kind, ctx.doc.name);
    asArray(spec.topologySpreadConstraints).forEach((item, i) => {
      const c = asRecord(item);
      if (!c) return;
      const base: YamlPath = [...specPath, 'topologySpreadConstraints', i];
      // A missing field points at the item's first key (one line), not at the whole item.
      const firstKey = Object.keys(c)[0];
      const missingAt = (key: string): { path: YamlPath; prefer: 'key' | 'value' } =>
        key in c || firstKey === undefined
          ? { path: [...base, key], prefer: isSet(c[key]) ? 'value' : 'key' }
          : { path: [...base, firstKey], prefer: 'key' };
      const skew = num(c.maxSkew);
      if (skew !== undefined && skew < 1)
        ctx.report(
          [...base, 'maxSkew'],
          `${who}: topologySpreadConstraints[${i}].maxSkew is ${skew}; it must be at least 1 (the API rejects it). Use maxSkew: 1.`,
          { data: { suggested: 1 } },
        );
      const key = c.topologyKey;
      if (typeof key !== 'string' || key.trim() === '') {
        const at = missingAt('topologyKey');
        ctx.report(
          at.path,
          `${who}: topologySpreadConstraints[${i}] has no topologyKey, so it spreads over nothing. Set topologyKey to kubernetes.io/hostname or topology.kubernetes.io/zone.`,
          { prefer: at.prefer, data: { suggested: 'topology.kubernetes.io/zone' } },
        );
      }
      const selector = c.labelSelector;
      if (!asRecord(selector)) {
        const at = missingAt('labelSelector');
        ctx.report(
          at.path,
          `${who}: topologySpreadConstraints[${i}] has no labelSelector, so it counts no pods and spreads nothing. Add labelSelector.matchLabels with the template labels (${formatLabels(labels)}).`,
          { prefer: 'key', data: { labels: formatLabels(labels) } },
        );
      } else if (!labelSelectorMatches(selector, labels))
        ctx.report(
          [...base, 'labelSelector'],
          `${who}: topologySpreadConstraints[${i}].labelSelector (${formatSelector(selector)}) does not match the pod template labels (${formatLabels(labels)}), so the constraint ignores these pods. Select the template labels.`,
          { prefer: 'key', data: { labels: formatLabels(labels) } },
        );
    });
  },
};

const pdbMissing: Rule = {
  id: 'pdb-missing',
  level: 'off',
  scope: 'set',
  equivalents: [
    'polaris:missingPodDisruptionBudget',
    'kube-score:deployment-has-poddisruptionbudget',
    'kube-score:statefulset-has-poddisruptionbudget',
  ],
  description: 'A replicated Deployment/StatefulSet has no PodDisruptionBudget in the set.',
  check(ctx) {
    const r = replication(ctx);
    if (!r || !isClosed(ctx.set, ctx.namespace)) return;
    const labels = templateLabels(ctx.doc);
    // Workloads that some PDB selects, computed once per namespace through the label index.
    const covered = memo(ctx.set, ctx.namespace, 'pdbCovered', () => {
      const out = new Set<ManifestDocument>();
      for (const p of objectsOfKind(ctx.set, ctx.namespace, 'PodDisruptionBudget'))
        for (const w of pdbSelectedWorkloads(ctx.set, ctx.namespace, p.doc)) out.add(w.doc);
      return out;
    });
    if (covered.has(ctx.doc)) return;
    ctx.report(
      r.path,
      `${ref(ctx.doc.kind, ctx.doc.name)} ${r.why} but no PodDisruptionBudget in namespace "${ctx.namespace}" selects its pods, so a node drain may evict them all at once. Add a PodDisruptionBudget with selector ${formatLabels(labels)} and maxUnavailable: 1.`,
      { prefer: r.path.length === 2 ? 'value' : 'key', data: { labels: formatLabels(labels) } },
    );
  },
};

const pdbBlocksEviction: Rule = {
  id: 'pdb-blocks-eviction',
  level: 'warning',
  scope: 'set',
  equivalents: ['kube-linter:pdb-max-unavailable', 'kube-linter:pdb-min-available', 'polaris:pdbDisruptionsIsZero'],
  description: 'A PodDisruptionBudget allows no voluntary disruption, so node drains block.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'PodDisruptionBudget') return;
    const spec = asRecord(getAt(doc.value, ['spec']));
    if (!spec || (isSet(spec.minAvailable) && isSet(spec.maxUnavailable))) return;
    const who = `PDB "${doc.name ?? '?'}"`;
    const maxU = intOrPercent(spec.maxUnavailable);
    if (maxU && maxU.n === 0) {
      ctx.report(
        ['spec', 'maxUnavailable'],
        `${who} allows no disruption (maxUnavailable: ${scalarString(spec.maxUnavailable)}): node drains and cluster upgrades block on its pods. Allow at least one (maxUnavailable: 1).`,
        { data: { suggested: 1 } },
      );
      return;
    }
    const minA = intOrPercent(spec.minAvailable);
    if (!minA) return;
    if (minA.kind === 'percent') {
      if (minA.n >= 100)
        ctx.report(
          ['spec', 'minAvailable'],
          `${who} requires ${minA.n}% of its pods available, so no pod can ever be evicted and node drains block. Use maxUnavailable: 1 (or a lower minAvailable percentage).`,
          { data: { suggested: 'maxUnavailable: 1' } },
        );
      return;
    }
    if (minA.n <= 0) return;
    const selected = pdbSelectedWorkloads(ctx.set, ctx.namespace, doc);
    if (!selected.length) return;
    let total = 0;
    for (const w of selected) {
      if (hpasTargeting(ctx.set, ctx.namespace, w.kind, w.name).length) return; // pdb-min-available-exceeds-hpa-min
      const r = replicasOf(w.doc);
      if (r === undefined) return; // DaemonSets, Jobs: the pod count is not in the manifest
      total += r;
    }
    if (minA.n < total) return;
    const names = selected.map(
      (w) => `${ref(w.kind, w.name)} with ${replicasOf(w.doc) ?? '?'} replica${replicasOf(w.doc) === 1 ? '' : 's'}`,
    );
    ctx.report(
      ['spec', 'minAvailable'],
      `${who} requires minAvailable: ${minA.n}, but it selects only ${total} pod${total === 1 ? '' : 's'} (${names.join(', ')}): no pod can ever be evicted, so node drains block. Lower minAvailable below ${total}, add replicas, or use maxUnavailable: 1.`,
      { data: { replicas: total, suggested: Math.max(total - 1, 0) } },
    );
  },
};

const pdbMinAvailableExceedsHpaMin: Rule = {
  id: 'pdb-min-available-exceeds-hpa-min',
  level: 'warning',
  scope: 'set',
  equivalents: ['polaris:pdbMinAvailableGreaterThanHPAMinReplicas'],
  description: 'A PDB requires at least as many pods as the HPA minReplicas of the workload it protects.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'PodDisruptionBudget') return;
    const minA = intOrPercent(getAt(doc.value, ['spec', 'minAvailable']));
    if (!minA) return;
    const offending: string[] = [];
    let firstDetail: { hpa: string; min: number; required: number; workload: string } | undefined;
    for (const w of pdbSelectedWorkloads(ctx.set, ctx.namespace, doc)) {
      for (const hpa of hpasTargeting(ctx.set, ctx.namespace, w.kind, w.name)) {
        const min = hpaMinReplicas(hpa.doc);
        if (min === undefined || min < 1) continue;
        const required = minA.kind === 'int' ? minA.n : Math.ceil((minA.n * min) / 100);
        if (required < min || required <= 0) continue;
        offending.push(`HPA "${hpa.doc.name ?? '?'}"`);
        firstDetail ??= { hpa: hpa.doc.name ?? '?', min, required, workload: ref(w.kind, w.name) };
      }
    }
    if (!firstDetail) return;
    const { hpa, min, required, workload } = firstDetail;
    const given = minA.kind === 'int' ? `${minA.n}` : `${minA.n}% (= ${required} of ${min})`;
    const more = offending.length > 1 ? ` (also ${offending.slice(1).join(', ')})` : '';
    ctx.report(
      ['spec', 'minAvailable'],
      `PDB "${doc.name ?? '?'}" keeps minAvailable: ${given} pods, but HPA "${hpa}" may scale ${workload} down to minReplicas ${min}${more}: at minimum scale no pod can be evicted and node drains block. Raise the HPA minReplicas above ${required}, or use maxUnavailable: 1 instead of minAvailable.`,
      { data: { hpa, minReplicas: min, suggested: 'maxUnavailable: 1' } },
    );
  },
};

const pdbInvalidPolicy: Rule = {
  id: 'pdb-invalid-policy',
  level: 'error',
  scope: 'document',
  equivalents: ['kube-score:poddisruptionbudget-has-policy'],
  description: 'A PDB sets both minAvailable and maxUnavailable (rejected), or neither.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'PodDisruptionBudget') return;
    const spec = asRecord(getAt(doc.value, ['spec']));
    const hasMin = isSet(spec?.minAvailable);
    const hasMax = isSet(spec?.maxUnavailable);
    const who = `PDB "${doc.name ?? '?'}"`;
    if (hasMin && hasMax)
      ctx.report(
        ['spec', 'maxUnavailable'],
        `${who} sets both minAvailable and maxUnavailable; the API rejects it ("minAvailable and maxUnavailable cannot be both set"). Keep only one (maxUnavailable adapts better to scaling).`,
        { prefer: 'key' },
      );
    else if (!hasMin && !hasMax)
      ctx.report(
        spec ? ['spec', 'maxUnavailable'] : ['kind'],
        `${who} sets neither minAvailable nor maxUnavailable, so its budget is implicit. State it explicitly, e.g. maxUnavailable: 1.`,
        { severity: 'info', data: { suggested: 'maxUnavailable: 1' } },
      );
  },
};

const pdbSelectsNothing: Rule = {
  id: 'pdb-selects-nothing',
  level: 'info',
  scope: 'set',
  equivalents: [],
  description: 'A PDB selector matches no workload template in its namespace (closed set).',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'PodDisruptionBudget' || !isClosed(ctx.set, ctx.namespace)) return;
    if (pdbSelectedWorkloads(ctx.set, ctx.namespace, doc).length) return;
    const selector = asRecord(getAt(doc.value, ['spec', 'selector']));
    const who = `PDB "${doc.name ?? '?'}"`;
    let why: string;
    if (!selector) why = 'has no spec.selector, which selects no pods';
    else if (isEmptyLabelSelector(selector) && doc.apiVersion === 'policy/v1beta1')
      why = 'has an empty selector, which selects no pods in policy/v1beta1 (use policy/v1, where {} selects every pod)';
    else why = `selector ${formatSelector(selector)} matches no pod template in namespace "${ctx.namespace}"`;
    const closest = selector && closestWorkload(workloadsIn(ctx.set, ctx.namespace), asRecord(selector.matchLabels) ?? {});
    const hint = closest ? ` ${ref(closest.kind, closest.name)} has labels ${formatLabels(closest.labels)}.` : '';
    ctx.report(
      ['spec', 'selector'],
      `${who} ${why}, so it protects nothing.${hint} Make the selector match the workload's template labels.`,
      {
        prefer: 'key',
        ...(closest ? { data: { labels: formatLabels(closest.labels) } } : {}),
      },
    );
  },
};

const pdbUnhealthyEvictionPolicyUnset: Rule = {
  id: 'pdb-unhealthy-eviction-policy-unset',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:pdb-unhealthy-pod-eviction-policy'],
  description: 'A PDB has no unhealthyPodEvictionPolicy.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'PodDisruptionBudget' || doc.apiVersion === 'policy/v1beta1') return;
    const spec = asRecord(getAt(doc.value, ['spec']));
    if (!spec || isSet(spec.unhealthyPodEvictionPolicy)) return;
    ctx.report(
      ['spec', 'unhealthyPodEvictionPolicy'],
      `PDB "${doc.name ?? '?'}" has no unhealthyPodEvictionPolicy, so running-but-unready pods cannot be evicted while the budget is exhausted, which blocks node drains. Set unhealthyPodEvictionPolicy: AlwaysAllow.`,
      { data: { suggested: 'AlwaysAllow' } },
    );
  },
};

const statefulSetServiceName: Rule = {
  id: 'statefulset-service-name',
  level: 'info',
  scope: 'set',
  equivalents: ['kube-score:statefulset-has-servicename'],
  description: 'A StatefulSet serviceName is empty or names no headless Service in the set.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'StatefulSet') return;
    const who = `StatefulSet "${doc.name ?? '?'}"`;
    const serviceName = scalarString(getAt(doc.value, ['spec', 'serviceName']));
    if (!serviceName) {
      ctx.report(
        ['spec', 'serviceName'],
        `${who} has no spec.serviceName, so its pods get no stable DNS names (<pod>.<service>). Create a headless Service (clusterIP: None) selecting ${formatLabels(templateLabels(doc))} and set spec.serviceName to it.`,
        { data: { suggested: doc.name ?? '' } },
      );
      return;
    }
    const services = findObjects(ctx.set, ctx.namespace, 'Service', serviceName, false);
    if (!services.length) {
      if (isClosed(ctx.set, ctx.namespace))
        ctx.report(
          ['spec', 'serviceName'],
          `${who} names Service "${serviceName}", which is not in namespace "${ctx.namespace}". Create a headless Service "${serviceName}" (clusterIP: None) selecting ${formatLabels(templateLabels(doc))}.`,
        );
      return;
    }
    const svc = services.find((s) => !s.doc.partial);
    if (!svc) return;
    const spec = asRecord(getAt(svc.doc.value, ['spec']));
    if (spec?.clusterIP !== 'None') {
      ctx.report(
        ['spec', 'serviceName'],
        `${who} names Service "${serviceName}", which is not headless (clusterIP: ${scalarString(spec?.clusterIP) || 'unset'}), so the pods get no per-pod DNS records. Set clusterIP: None on that Service (or point serviceName at a headless one).`,
        { data: { suggested: 'clusterIP: None' } },
      );
      return;
    }
    const selector = asRecord(spec.selector);
    const labels = templateLabels(doc);
    if (selector && Object.keys(selector).length && !Object.entries(selector).every(([k, v]) => labels[k] === scalarString(v)))
      ctx.report(
        ['spec', 'serviceName'],
        `${who} names headless Service "${serviceName}", but its selector (${formatLabels(selector)}) does not match the pod template labels (${formatLabels(labels)}), so the pods get no DNS records. Make the Service select the StatefulSet's pods.`,
        { data: { labels: formatLabels(labels) } },
      );
  },
};

const deploymentStrategyUnset: Rule = {
  id: 'deployment-strategy-unset',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:no-rolling-update-strategy', 'kube-score:deployment-strategy'],
  description: 'A Deployment has no explicit strategy.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'Deployment' || !asRecord(getAt(doc.value, ['spec']))) return;
    if (isSet(getAt(doc.value, ['spec', 'strategy']))) return;
    ctx.report(
      ['spec', 'strategy'],
      `Deployment "${doc.name ?? '?'}" has no explicit strategy (the default is RollingUpdate with maxSurge and maxUnavailable 25%). Set spec.strategy so rollouts are deliberate, e.g. type: RollingUpdate with maxUnavailable: 0.`,
      { data: { suggested: 'RollingUpdate' } },
    );
  },
};

const priorityClassUnset: Rule = {
  id: 'priority-class-unset',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:priority-class-name', 'polaris:priorityClassNotSet'],
  description: 'A workload has no priorityClassName.',
  check(ctx) {
    const specPath = podSpecPath(ctx.doc.kind);
    const spec = podSpecOf(ctx.doc);
    if (!specPath || !spec || isSet(spec.priorityClassName)) return;
    ctx.report(
      [...specPath, 'priorityClassName'],
      `${ref(ctx.doc.kind, ctx.doc.name)} has no priorityClassName, so under node pressure it is preempted like any other pod. Set priorityClassName to one of your cluster's PriorityClasses.`,
    );
  },
};

const nodeAffinityUnset: Rule = {
  id: 'node-affinity-unset',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:no-node-affinity'],
  description: 'A workload has no nodeAffinity.',
  check(ctx) {
    const specPath = podSpecPath(ctx.doc.kind);
    const spec = podSpecOf(ctx.doc);
    if (!specPath || !spec || isSet(asRecord(spec.affinity)?.nodeAffinity)) return;
    ctx.report(
      [...specPath, 'affinity', 'nodeAffinity'],
      `${ref(ctx.doc.kind, ctx.doc.name)} has no affinity.nodeAffinity, so it may be scheduled on any node pool. Add a nodeAffinity (e.g. on a node-pool or instance-type label) to place it deliberately.`,
    );
  },
};

/** Rules of this family (lint-rules.md §2.5). */
export const availabilityRules: readonly Rule[] = [
  selectorTemplateMismatch,
  workloadSelectorOverlap,
  deploymentSingleReplica,
  workloadReplicasWithHpa,
  replicatedWorkloadNoSpread,
  topologySpreadInvalid,
  pdbMissing,
  pdbBlocksEviction,
  pdbMinAvailableExceedsHpaMin,
  pdbInvalidPolicy,
  pdbSelectsNothing,
  pdbUnhealthyEvictionPolicyUnset,
  statefulSetServiceName,
  deploymentStrategyUnset,
  priorityClassUnset,
  nodeAffinityUnset,
];

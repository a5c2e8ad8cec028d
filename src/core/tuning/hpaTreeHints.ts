/**
 * The HPA hints the Clusters tree shows on the rows of the Autoscaling folder: the static rules of `recommendHpa`
 * (Utilization without a request, min == max, min < 2 for production, `spec.replicas` fighting the HPA) over the
 * live objects read through the KubeClient port. No metrics are needed, so nothing is ever estimated here; the
 * history rules (pinned at max, flapping, target vs observed) run in the Right-size report and the CLI.
 * Its own chunk (dist/hpaTreeHints.js): loaded when an Autoscaling folder is first opened; the row text is in
 * hpaRowHints.ts.
 */
import { CancelledError, ClusterDeckError, isCancellation } from '../errors';
import type { KubeClient } from '../kube/kubeClient';
import { listAllObjects } from '../kube/listAllPages';
import { clusterKinds, namespaceCategories, rk, type ResourceKind } from '../kube/resourceKinds';
import { labelSelectorMatches } from '../manifests/workloads';
import type { HpaRowHints } from './hpaRowHints';
import { parseHpa, recommendHpa } from './recommendHpa';
import { hpaTargetOf, workloadOf } from './recommendWorkloads';

const kindNamed = (kind: string): ResourceKind | undefined =>
  namespaceCategories.flatMap((c) => c.kinds).find((k) => k.kind === kind) ?? clusterKinds.find((k) => k.kind === kind);
const pdbKind = rk('PodDisruptionBudget', 'poddisruptionbudgets', 'policy', 'v1', 'PodDisruptionBudgets');

const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(rec(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** Pure: HPA objects, their targets, PDBs and namespaces → hints per `namespace/name`. */
export function hpaHintsFromObjects(input: {
  readonly hpas: readonly Record<string, unknown>[];
  readonly workloads: readonly Record<string, unknown>[];
  readonly pdbs?: readonly Record<string, unknown>[];
  readonly namespaces?: readonly Record<string, unknown>[];
}): Map<string, HpaRowHints> {
  const out = new Map<string, HpaRowHints>();
  const workloads = input.workloads.flatMap((o) => workloadOf(o) ?? []);
  for (const obj of input.hpas) {
    const hpa = parseHpa(obj);
    const key = `${hpa.namespace}/${hpa.name}`;
    const w = workloads.find((x) => x.namespace === hpa.namespace && x.kind === hpa.targetKind && x.name === hpa.targetName);
    if (!w) {
      out.set(key, { hints: [], unchecked: `${hpa.targetKind || 'The target'} ${hpa.targetName} was not found in ${hpa.namespace}.` });
      continue;
    }
    const ns = input.namespaces?.find((n) => rec(n.metadata).name === hpa.namespace);
    const hasPdb = (input.pdbs ?? []).some(
      (p) => rec(p.metadata).namespace === hpa.namespace && labelSelectorMatches(rec(p.spec).selector, w.templateLabels),
    );
    const target = hpaTargetOf(w, {
      namespaceLabels: strMap(rec(ns?.metadata).labels),
      namespaceAnnotations: strMap(rec(ns?.metadata).annotations),
      hasPdb,
    });
    out.set(key, { hints: recommendHpa(hpa, target) });
  }
  return out;
}

async function listOrEmpty(
  kube: KubeClient,
  kind: ResourceKind | undefined,
  namespace: string | undefined,
  signal: AbortSignal,
): Promise<Record<string, unknown>[]> {
  if (!kind) return [];
  try {
    return (await listAllObjects(kube, kind, namespace, { signal })).items;
  } catch (e) {
    if (isCancellation(e)) throw new CancelledError();
    // A list the user may not read only weakens the checks (no production marker from PDBs, say).
    if (e instanceof ClusterDeckError && (e.reason === 'forbidden' || e.reason === 'notFound')) return [];
    throw e;
  }
}

/**
 * Reads the HPAs of a namespace (all namespaces when undefined), their Deployments and StatefulSets, PDBs and
 * namespaces, and returns the static hints per `namespace/name`. Throws the HPA list's ClusterDeckError.
 */
export async function loadHpaHints(
  kube: KubeClient,
  namespace: string | undefined,
  signal: AbortSignal,
): Promise<Map<string, HpaRowHints>> {
  const hpaKind = kindNamed('HorizontalPodAutoscaler');
  if (!hpaKind) return new Map();
  const hpas = (await listAllObjects(kube, hpaKind, namespace, { signal })).items;
  if (hpas.length === 0) return new Map();
  const [deployments, statefulSets, pdbs, namespaces] = await Promise.all([
    listOrEmpty(kube, kindNamed('Deployment'), namespace, signal),
    listOrEmpty(kube, kindNamed('StatefulSet'), namespace, signal),
    listOrEmpty(kube, pdbKind, namespace, signal),
    listOrEmpty(kube, kindNamed('Namespace'), undefined, signal),
  ]);
  return hpaHintsFromObjects({ hpas, workloads: [...deployments, ...statefulSets], pdbs, namespaces });
}

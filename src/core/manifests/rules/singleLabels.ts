// Walks a document for label maps and label selectors (lint-rules.md §2.9 `label-invalid`, `enum-value-invalid`).
import type { ManifestDocument, YamlPath } from '../types';
import { asRecord } from '../workloads';
import { cachedForDoc } from './singleHelpers';

export type LabelSite =
  /** A map of label keys to values: metadata.labels, matchLabels, nodeSelector, Service/RC `spec.selector`. */
  | { readonly type: 'labels'; readonly path: YamlPath; readonly map: Record<string, unknown> }
  /** A `matchExpressions` / `matchFields` list; `node` for node selector requirements (Gt and Lt allowed). */
  | { readonly type: 'expressions'; readonly path: YamlPath; readonly list: unknown[]; readonly node: boolean; readonly fields: boolean };

/** Kinds whose content is not a Kubernetes object body (schemas, tool configs). */
export function isConfigDocument(doc: ManifestDocument): boolean {
  const apiVersion = doc.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = doc.kind ?? '';
  return (
    group.endsWith('config.k8s.io') ||
    group.endsWith('kubeadm.k8s.io') ||
    (apiVersion === 'v1' && kind === 'Config') ||
    kind.endsWith('List')
  );
}

/** Keys never descended into: free-form content. */
const opaque = new Set(['annotations', 'managedFields', 'data', 'binaryData', 'stringData', 'status']);

/** Every label map and selector expression list of the document (CRDs and tool configs are skipped). */
export function labelSites(doc: ManifestDocument): readonly LabelSite[] {
  return cachedForDoc(doc, 'labelSites', () => collectLabelSites(doc));
}

function collectLabelSites(doc: ManifestDocument): LabelSite[] {
  const out: LabelSite[] = [];
  if (doc.kind === 'CustomResourceDefinition' || isConfigDocument(doc)) return out;
  const root = asRecord(doc.value);
  if (!root) return out;
  const equalitySelector = doc.kind === 'Service' || doc.kind === 'ReplicationController';
  const walk = (node: unknown, path: YamlPath, nodeAffinity: boolean, depth: number): void => {
    if (depth > 60) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i], nodeAffinity, depth + 1));
      return;
    }
    const map = asRecord(node);
    if (!map) return;
    for (const [key, value] of Object.entries(map)) {
      const childPath = [...path, key];
      if (opaque.has(key)) continue;
      const parent = path[path.length - 1];
      if ((key === 'labels' && parent === 'metadata') || key === 'matchLabels' || key === 'nodeSelector') {
        const labels = asRecord(value);
        if (labels) out.push({ type: 'labels', path: childPath, map: labels });
        continue;
      }
      if (key === 'selector' && equalitySelector && path.length === 1 && path[0] === 'spec') {
        const labels = asRecord(value);
        if (labels) out.push({ type: 'labels', path: childPath, map: labels });
        continue;
      }
      if ((key === 'matchExpressions' || key === 'matchFields') && Array.isArray(value)) {
        out.push({ type: 'expressions', path: childPath, list: value, node: nodeAffinity, fields: key === 'matchFields' });
        continue;
      }
      walk(value, childPath, nodeAffinity || key === 'nodeAffinity' || key === 'nodeSelectorTerms', depth + 1);
    }
  };
  walk(root, [], false, 0);
  return out;
}

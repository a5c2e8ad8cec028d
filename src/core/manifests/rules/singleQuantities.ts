// Where Quantity values live in a document (lint-rules.md §2.1 `quantity-invalid`, `memory-quantity-suspicious`).
import { isQuantity } from '../../kube/quantity';
import type { ManifestDocument, YamlPath } from '../types';
import { asRecord, containersOf, getAt, podSpecPath } from '../workloads';
import { cachedForDoc, recordsOf } from './singleHelpers';

/** One Quantity value with its path and the resource it measures (`cpu`, `memory`, `storage`, `requests.memory`…). */
export interface QuantityField {
  readonly path: YamlPath;
  readonly value: unknown;
  readonly resource: string;
  /** LimitRange `maxLimitRequestRatio`: a plain ratio, not an amount of the resource. */
  readonly ratio?: boolean;
}

function mapEntries(out: QuantityField[], root: unknown, path: YamlPath, ratio = false): void {
  const map = asRecord(getAt(root, path));
  if (!map) return;
  for (const [key, value] of Object.entries(map)) out.push({ path: [...path, key], value, resource: key, ...(ratio ? { ratio } : {}) });
}

/** Every Quantity field of the document that the rules know about. Null values are skipped (not set). */
export function quantityFields(doc: ManifestDocument): readonly QuantityField[] {
  return cachedForDoc(doc, 'quantities', () => collectQuantityFields(doc));
}

function collectQuantityFields(doc: ManifestDocument): QuantityField[] {
  const out: QuantityField[] = [];
  const root = doc.value;
  const specPath = podSpecPath(doc.kind);
  if (specPath) {
    for (const c of containersOf(doc)) {
      mapEntries(out, root, [...c.path, 'resources', 'requests']);
      mapEntries(out, root, [...c.path, 'resources', 'limits']);
    }
    mapEntries(out, root, [...specPath, 'resources', 'requests']);
    mapEntries(out, root, [...specPath, 'resources', 'limits']);
    for (const { value, index } of recordsOf(getAt(root, [...specPath, 'volumes']))) {
      const emptyDir = asRecord(value.emptyDir);
      if (emptyDir && 'sizeLimit' in emptyDir)
        out.push({ path: [...specPath, 'volumes', index, 'emptyDir', 'sizeLimit'], value: emptyDir.sizeLimit, resource: 'storage' });
    }
  }
  switch (doc.kind) {
    case 'StatefulSet':
      for (const { index } of recordsOf(getAt(root, ['spec', 'volumeClaimTemplates']))) {
        mapEntries(out, root, ['spec', 'volumeClaimTemplates', index, 'spec', 'resources', 'requests']);
        mapEntries(out, root, ['spec', 'volumeClaimTemplates', index, 'spec', 'resources', 'limits']);
      }
      break;
    case 'PersistentVolumeClaim':
      mapEntries(out, root, ['spec', 'resources', 'requests']);
      mapEntries(out, root, ['spec', 'resources', 'limits']);
      break;
    case 'PersistentVolume':
      mapEntries(out, root, ['spec', 'capacity']);
      break;
    case 'LimitRange':
      for (const { index } of recordsOf(getAt(root, ['spec', 'limits'])))
        for (const key of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'])
          mapEntries(out, root, ['spec', 'limits', index, key], key === 'maxLimitRequestRatio');
      break;
    case 'ResourceQuota':
      mapEntries(out, root, ['spec', 'hard']);
      break;
    case 'HorizontalPodAutoscaler':
      for (const { value, index } of recordsOf(getAt(root, ['spec', 'metrics']))) {
        for (const source of ['resource', 'containerResource', 'pods', 'object', 'external']) {
          const s = asRecord(value[source]);
          if (!s) continue;
          const metric = asRecord(s.metric);
          const metricName = typeof s.name === 'string' ? s.name : typeof metric?.name === 'string' ? metric.name : source;
          const target = asRecord(s.target);
          for (const key of ['averageValue', 'value']) {
            if (target && key in target)
              out.push({ path: ['spec', 'metrics', index, source, 'target', key], value: target[key], resource: metricName });
          }
          for (const key of ['targetAverageValue', 'targetValue']) {
            if (key in s) out.push({ path: ['spec', 'metrics', index, source, key], value: s[key], resource: metricName });
          }
        }
      }
      break;
    default:
      break;
  }
  return out.filter((f) => f.value !== null && f.value !== undefined);
}

/** Memory, storage and hugepages resources (byte quantities). */
export function isByteResource(resource: string): boolean {
  return (
    /(^|\.)(memory|storage|ephemeral-storage)$/.test(resource) || resource.startsWith('hugepages-') || resource.includes('.hugepages-')
  );
}

/** A corrected spelling of an invalid quantity when one is obvious ("1GB" → "1Gi", "500 m" → "500m"), else undefined. */
export function suggestQuantity(raw: string, byteResource: boolean): string | undefined {
  let s = raw.trim().replace(/\s+/g, '');
  s = s.replace(/(cpus?|cores?|vcpus?)$/i, '');
  s = s.replace(
    /^(\d+(?:\.\d+)?)([kKmMgGtTpPeE])i?[bB]$/,
    (_, n: string, u: string) => `${n}${u === 'k' || u === 'K' ? 'K' : u.toUpperCase()}i`,
  );
  s = s.replace(/^(\d+(?:\.\d+)?)([kmgtpe])i$/, (_, n: string, u: string) => `${n}${u === 'k' ? 'K' : u.toUpperCase()}i`);
  s = s.replace(/^(\d+(?:\.\d+)?)K$/, '$1k');
  if (byteResource) s = s.replace(/^(\d+(?:\.\d+)?)[bB]$/, '$1');
  if (s === raw || s === '') return undefined;
  return isQuantity(s) ? s : undefined;
}

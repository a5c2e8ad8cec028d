// Quick fixes on object fields: replicas, policies, selectors, ports, apiVersions, duplicate keys.
import { isMap, isScalar, visit, type Node } from 'yaml';
import { nodeAt } from '../parseManifests';
import { replaceFix, type FixProvider, type TextEdit } from '../quickFixes';
import { asRecord, getAt, podTemplateMetadataPath, scalarString } from '../workloads';
import { deletePair, renderBlock, scalarText, setIn } from './yamlEdits';

/** Replaces the finding's value with `data.<key>` (restart policies, suggested ports, …). */
export function replaceWithData(key: string, title: (v: string) => string): FixProvider {
  return (_file, _doc, finding) => {
    const v = finding.data?.[key];
    return v === undefined ? [] : [replaceFix(title(String(v)), finding, scalarText(v))];
  };
}

export const fixRestartPolicy = replaceWithData('suggestion', (v) => `Set restartPolicy to ${v}`);

export const fixTargetPort: FixProvider = (_file, _doc, finding) => {
  const v = finding.data?.suggestedPort ?? finding.data?.suggestedName;
  return v === undefined ? [] : [replaceFix(`Change targetPort to ${String(v)}`, finding, scalarText(v))];
};

export const addJobTtl: FixProvider = (file, doc) => {
  const edit = doc ? setIn(file.text, doc, ['spec'], ['ttlSecondsAfterFinished'], 86400) : undefined;
  return edit
    ? [{ title: 'Add ttlSecondsAfterFinished: 86400 (delete the Job a day after it finishes)', edits: [edit], isPreferred: true }]
    : [];
};

export const renameServiceAccountField: FixProvider = (file, _doc, finding) => {
  if (file.text.slice(finding.range.start, finding.range.end) !== 'serviceAccount') return [];
  return [{ title: 'Rename to serviceAccountName', edits: [{ range: finding.range, newText: 'serviceAccountName' }], isPreferred: true }];
};

/** HPA with minReplicas > maxReplicas: swap them. */
export const swapHpaBounds: FixProvider = (file, doc) => {
  if (!doc) return [];
  const min = nodeAt(doc.yaml, ['spec', 'minReplicas']).value;
  const max = nodeAt(doc.yaml, ['spec', 'maxReplicas']).value;
  if (!min?.range || !max?.range) return [];
  const minText = file.text.slice(min.range[0], min.range[1]);
  const maxText = file.text.slice(max.range[0], max.range[1]);
  return [
    {
      title: `Swap minReplicas and maxReplicas (${maxText} and ${minText})`,
      edits: [
        { range: { start: min.range[0], end: min.range[1] }, newText: maxText },
        { range: { start: max.range[0], end: max.range[1] }, newText: minText },
      ],
      isPreferred: true,
    },
  ];
};

/** Makes the pod template carry every label of the workload's selector.matchLabels. */
export const alignTemplateLabels: FixProvider = (file, doc) => {
  if (!doc) return [];
  const selector = asRecord(getAt(doc.value, ['spec', 'selector', 'matchLabels']));
  const metaPath = podTemplateMetadataPath(doc.kind);
  if (!selector || !metaPath) return [];
  const labels = asRecord(getAt(doc.value, [...metaPath, 'labels'])) ?? {};
  const missing = Object.entries(selector).filter(([k, v]) => scalarString(labels[k]) !== scalarString(v));
  if (!missing.length) return [];
  const edits = missing
    .map(([k, v]) => setIn(file.text, doc, metaPath, ['labels', k], scalarString(v)))
    .filter((e): e is TextEdit => e !== undefined);
  return edits.length === missing.length
    ? [
        {
          title: `Add the selector's labels to the pod template (${missing.map(([k, v]) => `${k}=${scalarString(v)}`).join(', ')})`,
          edits: dedupeInserts(edits),
          isPreferred: true,
        },
      ]
    : [];
};

/** Several inserts of new keys under the same missing parent would each create the parent: keep the first, merge the rest. */
function dedupeInserts(edits: TextEdit[]): TextEdit[] {
  const byStart = new Map<number, TextEdit>();
  for (const e of edits) {
    const prev = byStart.get(e.range.start);
    if (!prev || e.range.end !== e.range.start) byStart.set(e.range.start + (prev ? 0.5 : 0), e);
    else {
      // Both create "labels:" at the same place: append the second's last line to the first.
      const lastLine = e.newText.split('\n').at(-1) ?? '';
      byStart.set(e.range.start, { ...prev, newText: `${prev.newText}\n${lastLine}` });
    }
  }
  return [...byStart.values()];
}

/** Replica counts: set to 2. */
export const setReplicasTwo: FixProvider = (file, doc) => {
  const edit = doc ? setIn(file.text, doc, ['spec'], ['replicas'], 2) : undefined;
  return edit ? [{ title: 'Set replicas: 2', edits: [edit] }] : [];
};

export const setHpaMinTwo: FixProvider = (file, doc) => {
  const edit = doc ? setIn(file.text, doc, ['spec'], ['minReplicas'], 2) : undefined;
  return edit ? [{ title: 'Set minReplicas: 2', edits: [edit] }] : [];
};

/** Duplicate key: delete the earlier occurrence (Kubernetes' lenient decoding keeps the last one). */
export const removeEarlierDuplicate: FixProvider = (file, doc, finding) => {
  if (!doc) return [];
  let edit: TextEdit | undefined;
  visit(doc.yaml, {
    Map(_key, map) {
      const dupIndex = map.items.findIndex((p) => (p.key as Node | null)?.range?.[0] === finding.range.start);
      if (dupIndex < 0) return undefined;
      const name = isScalar(map.items[dupIndex]?.key) ? String((map.items[dupIndex].key as { value: unknown }).value) : undefined;
      const earlier = map.items.findIndex((p, i) => i < dupIndex && isScalar(p.key) && String(p.key.value) === name);
      const pair = map.items[earlier];
      const key = pair?.key as Node | undefined;
      if (key?.range) {
        const start = file.text.lastIndexOf('\n', key.range[0] - 1) + 1;
        const valueNode = (pair?.value as Node | null) ?? key;
        const endLine = file.text.indexOf('\n', Math.max((valueNode.range?.[1] ?? key.range[1]) - 1, 0));
        edit = { range: { start, end: endLine === -1 ? file.text.length : endLine + 1 }, newText: '' };
      }
      return visit.BREAK;
    },
  });
  return edit ? [{ title: 'Remove the earlier duplicate (Kubernetes keeps the last value)', edits: [edit], isPreferred: true }] : [];
};

const quantityRepair: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^(\d+(?:\.\d+)?)\s*([KMGTPE])i?B$/i, (m) => `${m[1]}${(m[2] ?? '').toUpperCase()}i`],
  [/^(\d+(?:\.\d+)?)\s*(m|Mi|Gi|Ki|k|M|G)$/, (m) => `${m[1]}${m[2]}`],
  [/^(\d+(?:\.\d+)?)\s*(?:cpus?|cores?)$/i, (m) => `${m[1]}`],
];

/** An invalid Quantity: rewrite it in the grammar (`1GB` → `1Gi`, `500 m` → `500m`, `0.5cpu` → `0.5`). */
export const repairQuantity: FixProvider = (file, _doc, finding) => {
  const raw = file.text.slice(finding.range.start, finding.range.end).replace(/^["']|["']$/g, '');
  for (const [re, to] of quantityRepair) {
    const m = re.exec(raw);
    if (m) return [replaceFix(`Change to ${to(m)}`, finding, to(m))];
  }
  return [];
};

/** `512m` of memory is half a byte: offer `512Mi`. */
export const fixMilliBytes: FixProvider = (file, _doc, finding) => {
  const raw = file.text.slice(finding.range.start, finding.range.end).replace(/^["']|["']$/g, '');
  const m = /^(\d+(?:\.\d+)?)m$/.exec(raw);
  return m ? [replaceFix(`Change to ${m[1]}Mi`, finding, `${m[1]}Mi`)] : [];
};

/** Removed workload apiVersions: apps/v1, adding the selector apps/v1 requires. */
export const migrateWorkloadApiVersion: FixProvider = (file, doc, finding) => {
  if (!doc || !['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'].includes(doc.kind ?? '')) return [];
  if (!/^(extensions\/v1beta1|apps\/v1beta[12])$/.test(doc.apiVersion ?? '')) return [];
  const edits: TextEdit[] = [{ range: finding.range, newText: 'apps/v1' }];
  const labels = asRecord(getAt(doc.value, ['spec', 'template', 'metadata', 'labels']));
  if (!getAt(doc.value, ['spec', 'selector']) && labels) {
    const e = setIn(file.text, doc, ['spec'], ['selector'], { matchLabels: labels });
    if (e) edits.push(e);
  }
  return [{ title: `Migrate ${doc.kind} to apps/v1`, edits, isPreferred: true }];
};

/** Ingress extensions/v1beta1 or networking.k8s.io/v1beta1 → networking.k8s.io/v1, backends rewritten. */
export const migrateIngress: FixProvider = (file, doc, finding) => {
  if (!doc || doc.kind !== 'Ingress' || !/^(extensions|networking\.k8s\.io)\/v1beta1$/.test(doc.apiVersion ?? '')) return [];
  const spec = asRecord(getAt(doc.value, ['spec']));
  const specNode = nodeAt(doc.yaml, ['spec']);
  if (!spec || !isMap(specNode.value) || specNode.value.flow || !specNode.key?.range || !specNode.value.range) return [];
  const backend = (b: unknown) => {
    const o = asRecord(b);
    if (!o) return b;
    const port = o.servicePort;
    return {
      service: {
        name: o.serviceName,
        port: typeof port === 'number' || /^\d+$/.test(scalarString(port)) ? { number: Number(port) } : { name: scalarString(port) },
      },
    };
  };
  const migrated: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'backend') migrated.defaultBackend = backend(v);
    else if (k === 'rules' && Array.isArray(v)) {
      migrated.rules = (v as unknown[]).map((rule: unknown) => {
        const r = asRecord(rule);
        const http = asRecord(r?.http);
        if (!r || !http) return rule;
        return {
          ...r,
          http: {
            ...http,
            paths: (Array.isArray(http.paths) ? http.paths : []).map((p) => {
              const path = asRecord(p) ?? {};
              return { ...path, pathType: path.pathType ?? 'ImplementationSpecific', backend: backend(path.backend) };
            }),
          },
        };
      });
    } else migrated[k] = v;
  }
  const keyCol = specNode.key.range[0] - (file.text.lastIndexOf('\n', specNode.key.range[0] - 1) + 1);
  const start = specNode.key.range[0];
  const endLine = file.text.indexOf('\n', specNode.value.range[1] - 1);
  const end = endLine === -1 ? file.text.length : endLine;
  return [
    {
      title: 'Migrate the Ingress to networking.k8s.io/v1 (backends and pathType rewritten)',
      edits: [
        { range: finding.range, newText: 'networking.k8s.io/v1' },
        { range: { start, end }, newText: renderBlock({ spec: migrated }, keyCol).slice(keyCol) },
      ],
      isPreferred: true,
    },
  ];
};

/** The removed-apiVersion fix for any kind: the dedicated migrations first, else a plain replacement. */
export const fixRemovedApiVersion: FixProvider = (file, doc, finding) => {
  const specific = [...migrateIngress(file, doc, finding), ...migrateWorkloadApiVersion(file, doc, finding)];
  if (specific.length) return specific;
  const replacement = finding.data?.replacement;
  return typeof replacement === 'string' && /^[a-z0-9.-]*\/?v\d/.test(replacement)
    ? [replaceFix(`Change apiVersion to ${replacement}`, finding, replacement)]
    : [];
};

/** An invalid port name: lower-case it and keep only [a-z0-9-], at most 15 characters. */
export const fixPortName: FixProvider = (file, _doc, finding) => {
  const raw = file.text.slice(finding.range.start, finding.range.end).replace(/^["']|["']$/g, '');
  const fixed = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 15)
    .replace(/-$/, '');
  return fixed && fixed !== raw && /[a-z]/.test(fixed) ? [replaceFix(`Rename the port to "${fixed}"`, finding, fixed)] : [];
};

/** PDB with both minAvailable and maxUnavailable: keep maxUnavailable. */
export const dropMinAvailable: FixProvider = (file, doc) => {
  if (!doc || getAt(doc.value, ['spec', 'minAvailable']) === undefined || getAt(doc.value, ['spec', 'maxUnavailable']) === undefined)
    return [];
  const edit = deletePair(file.text, doc, ['spec', 'minAvailable']);
  return edit ? [{ title: 'Remove minAvailable (keep maxUnavailable)', edits: [edit], isPreferred: true }] : [];
};

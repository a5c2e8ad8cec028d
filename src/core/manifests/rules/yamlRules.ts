import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Rule } from '../rule';
import type { YamlPath } from '../types';
import { getAt, scalarString } from '../workloads';

// yaml-1-1-scalar (lint-rules.md §2.11). The editor parses YAML 1.2, but Kubernetes decodes manifests with a
// YAML 1.1 reader (sigs.k8s.io/yaml → go-yaml v2): `yes`, `on`, `0777`, `1_000` are booleans and numbers
// there. In a string-typed field the API then rejects the value ("cannot unmarshal bool into Go struct field").

const containerLists = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Describes the string-typed field at a path ("label \"app\"", "env \"DEBUG\" value"), or undefined. */
function stringField(kind: string | undefined, value: unknown, path: YamlPath): string | undefined {
  const n = path.length;
  const last = path[n - 1];
  const p1 = path[n - 2];
  const p2 = path[n - 3];
  const inContainer = (i: number) => typeof path[i] === 'number' && containerLists.has(String(path[i - 1]));
  if (typeof last === 'string') {
    if (p2 === 'metadata' && p1 === 'labels') return `Label "${last}"`;
    if (p2 === 'metadata' && p1 === 'annotations') return `Annotation "${last}"`;
    if (n === 2 && kind === 'ConfigMap' && (p1 === 'data' || p1 === 'binaryData')) return `ConfigMap ${p1} "${last}"`;
    if (n === 2 && kind === 'Secret' && (p1 === 'data' || p1 === 'stringData')) return `Secret ${p1} "${last}"`;
    if (p1 === 'matchLabels') return `matchLabels "${last}"`;
    if (p1 === 'nodeSelector' && typeof p2 === 'string') return `nodeSelector "${last}"`;
    if (n === 3 && path[0] === 'spec' && p1 === 'selector' && (kind === 'Service' || kind === 'ReplicationController'))
      return `${kind} selector "${last}"`;
    if (last === 'value' && typeof p1 === 'number' && p2 === 'env' && inContainer(n - 4)) {
      const name = scalarString(getAt(value, [...path.slice(0, -1), 'name']));
      return `Environment variable "${name || '?'}" value`;
    }
    if (last === 'value' && typeof p1 === 'number' && p2 === 'tolerations') return 'Toleration value';
    return undefined;
  }
  if (typeof last === 'number') {
    if ((p1 === 'command' || p1 === 'args') && inContainer(n - 3)) return `Container ${p1}[${last}]`;
    if (p1 === 'values' && typeof p2 === 'number' && path[n - 4] === 'matchExpressions') return 'matchExpressions value';
  }
  return undefined;
}

const yaml11True = /^(y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/;
const yaml11False = /^(n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/;

/**
 * What a YAML 1.1 reader makes of a plain scalar, when it is not a string (null is left alone). `yaml11` is true
 * when the reading differs from YAML 1.2's (e.g. `yes`, `0777`, `1_000`), false for plain numbers and booleans.
 */
export function yaml11Reading(source: string, value12: unknown): { reading: string; yaml11: boolean } | undefined {
  const s = source.trim();
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[-+]/, '');
  const v11 = (reading: string) => ({ reading, yaml11: true });
  if (typeof value12 === 'string') {
    if (yaml11True.test(s)) return v11('the boolean true');
    if (yaml11False.test(s)) return v11('the boolean false');
  }
  if (/^0[0-7_]+$/.test(body) && /[0-7]/.test(body.slice(1))) return v11(`the octal number ${sign * parseInt(body.replace(/_/g, ''), 8)}`);
  if (/^0b[01_]+$/.test(body)) return v11(`the binary number ${sign * parseInt(body.slice(2).replace(/_/g, ''), 2)}`);
  if (/^[1-9][0-9_]*(:[0-5]?[0-9])+$/.test(body)) {
    const n = body
      .replace(/_/g, '')
      .split(':')
      .reduce((acc, part) => acc * 60 + Number(part), 0);
    return v11(`the sexagesimal (base 60) number ${sign * n}`);
  }
  if (typeof value12 === 'string' && body.includes('_')) {
    if (/^0x[0-9a-fA-F_]+$/.test(body)) return v11(`the number ${sign * parseInt(body.slice(2).replace(/_/g, ''), 16)}`);
    if (/^(0|[1-9][0-9_]*)$/.test(body) || /^[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?$/.test(body))
      return v11(`the number ${sign * Number(body.replace(/_/g, ''))}`);
  }
  if (typeof value12 === 'boolean') return { reading: `the boolean ${String(value12)}`, yaml11: false };
  if (typeof value12 === 'number' || typeof value12 === 'bigint')
    return { reading: `the number ${String(value12)}${String(value12) === s ? '' : ` (${s})`}`, yaml11: false };
  return undefined;
}

const yaml11Scalar: Rule = {
  id: 'yaml-1-1-scalar',
  level: 'error',
  scope: 'document',
  equivalents: [],
  runsOnPartial: true,
  description: 'A plain scalar in a string field (label, annotation, env value, ConfigMap data) is a bool or number for Kubernetes.',
  check(ctx) {
    const { doc, file } = ctx;
    const visit = (node: unknown, path: (string | number)[]): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const key = pair.key.value;
          if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') continue;
          visit(pair.value, [...path, String(key)]);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => visit(item, [...path, i]));
      } else if (isScalar(node)) {
        check(node, path);
      }
    };
    const check = (node: Scalar, path: (string | number)[]) => {
      if (node.type !== 'PLAIN' || node.tag || node.value === null || !node.range) return;
      const field = stringField(doc.kind, doc.value, path);
      if (!field) return;
      const source = typeof node.source === 'string' ? node.source : file.text.slice(node.range[0], node.range[1]);
      const read = yaml11Reading(source, node.value);
      if (!read) return;
      const plain = source.trim();
      const quoted = JSON.stringify(plain);
      ctx.report(
        path,
        read.yaml11
          ? `${field} must be a string, but Kubernetes decodes manifests as YAML 1.1, where the plain value ${plain} is ${read.reading}; the API rejects it. Quote it: ${quoted}.`
          : `${field} must be a string, but the plain value ${plain} is ${read.reading}; the API rejects it. Quote it: ${quoted}.`,
        { data: { quoted } },
      );
    };
    visit(doc.yaml.contents, []);
  },
};

/** Rules of this family (lint-rules.md §2.11). */
export const yamlRules: readonly Rule[] = [yaml11Scalar];

import type { LintSet } from '../lintSet';
import type { Rule, RuleContext } from '../rule';
import { apiVersionChange } from '../schema/apiVersionTables';
import { isKnownKind, schemaFor, schemaVersionFor, tableFromCrd, validateDocument, type SchemaIssue } from '../schema/schemaCatalog';
import { closestMatch } from '../schema/stringDistance';
import type { SchemaTable } from '../schema/schemaTypes';
import type { ManifestDocument } from '../types';
import { asArray, asRecord, scalarString } from '../workloads';

/**
 * Schema rules (lint-rules.md §2.11, §4): OpenAPI-style validation of built-in kinds for the target Kubernetes
 * version, of the bundled CRDs (Istio, Prometheus Operator, Velero) and of custom resources whose
 * CustomResourceDefinition is in the lint set. The three rules share one validation per document and version.
 */

/** CRD tables from the CustomResourceDefinitions of a lint set, built once per set. */
const crdTablesBySet = new WeakMap<LintSet, { tables: SchemaTable[]; kinds: Set<string> }>();

/** The set's CRD tables plus the config's extra tables (a bound cluster's custom kinds), as one stable array. */
const mergedTables = new WeakMap<
  LintSet,
  { extra: readonly SchemaTable[] | undefined; merged: { tables: SchemaTable[]; kinds: Set<string> } }
>();

function setCrds(set: LintSet, extra?: readonly SchemaTable[]): { tables: SchemaTable[]; kinds: Set<string> } {
  const own = setOwnCrds(set);
  if (!extra?.length) return own;
  const cached = mergedTables.get(set);
  if (cached && cached.extra === extra) return cached.merged;
  const merged = { tables: [...own.tables, ...extra], kinds: own.kinds };
  mergedTables.set(set, { extra, merged });
  return merged;
}

function setOwnCrds(set: LintSet): { tables: SchemaTable[]; kinds: Set<string> } {
  let found = crdTablesBySet.get(set);
  if (!found) {
    found = { tables: [], kinds: new Set() };
    for (const { doc } of set.entries()) {
      if (doc.kind !== 'CustomResourceDefinition' || !doc.apiVersion?.startsWith('apiextensions.k8s.io/')) continue;
      const spec = asRecord(asRecord(doc.value)?.spec);
      const group = scalarString(spec?.group);
      const kind = scalarString(asRecord(spec?.names)?.kind);
      if (!group || !kind) continue;
      // Names count even without a usable schema (v1beta1 CRDs, partial documents): the kind is known.
      for (const v of asArray(spec?.versions)) {
        const name = scalarString(asRecord(v)?.name);
        if (name) found.kinds.add(`${group}/${name}/${kind}`);
      }
      const legacyVersion = scalarString(spec?.version);
      if (legacyVersion) found.kinds.add(`${group}/${legacyVersion}/${kind}`);
      const table = tableFromCrd(doc.value);
      if (table) found.tables.push(table);
    }
    crdTablesBySet.set(set, found);
  }
  return found;
}

const issuesByDoc = new WeakMap<ManifestDocument, { version: string; tables: readonly SchemaTable[]; issues: SchemaIssue[] }>();

/** The document's schema issues for the run's target version (cached per document, version and set CRDs). */
export function schemaIssues(ctx: Pick<RuleContext, 'doc' | 'config' | 'set'>): SchemaIssue[] {
  const { doc } = ctx;
  if (!doc.apiVersion || !doc.kind) return [];
  const version = schemaVersionFor(ctx.config.targetKubernetesVersion);
  const { tables } = setCrds(ctx.set, ctx.config.extraSchemas);
  const cached = issuesByDoc.get(doc);
  if (cached && cached.version === version && cached.tables === tables) return cached.issues;
  const issues = validateDocument(doc, version, { extraTables: tables });
  issuesByDoc.set(doc, { version, tables, issues });
  return issues;
}

const schemaViolation: Rule = {
  id: 'schema-violation',
  level: 'error',
  scope: 'set',
  equivalents: ['kube-linter:schema-validation'],
  description: 'A field has the wrong type, a required field is missing, or a value breaks its format (date-time, base64, CRD enum).',
  runsOnPartial: true,
  check(ctx) {
    for (const issue of schemaIssues(ctx)) {
      if (issue.kind === 'unknown-field' || (issue.kind === 'enum' && issue.builtinEnum)) continue;
      if (issue.valueType === 'quantity') continue; // quantity-invalid (resourceRules.ts) reports Quantity values
      const field = issue.path[issue.path.length - 1];
      ctx.report(issue.path, issue.message, {
        data: { problem: issue.kind, ...(issue.kind === 'required' && typeof field === 'string' ? { field } : {}) },
      });
    }
  },
};

const schemaUnknownField: Rule = {
  id: 'schema-unknown-field',
  level: 'error',
  scope: 'set',
  equivalents: ['kube-linter:schema-validation'],
  description: 'A field that the schema does not have (often a typo); kubectl --validate=strict and the API server reject it.',
  runsOnPartial: true,
  check(ctx) {
    for (const issue of schemaIssues(ctx)) {
      if (issue.kind !== 'unknown-field') continue;
      ctx.report(issue.path, issue.message, { prefer: 'key', ...(issue.suggestion ? { data: { suggestion: issue.suggestion } } : {}) });
    }
  },
};

/** Kinds that are not API objects (tool configuration) or handled elsewhere. */
function isToolKind(apiVersion: string, kind: string): boolean {
  return (
    apiVersion.startsWith('kustomize.config.k8s.io/') ||
    apiVersion.startsWith('config.kubernetes.io/') ||
    // Cluster-creation files (checked by provisioning-spec), not API objects of a running cluster.
    apiVersion.startsWith('eksctl.io/') ||
    apiVersion.startsWith('kubeadm.k8s.io/') ||
    (apiVersion === 'v1' && kind === 'List') ||
    apiVersionChange(apiVersion, kind) !== undefined // removed or deprecated: api-version-removed says more
  );
}

const schemaUnknownKind: Rule = {
  id: 'schema-unknown-kind',
  level: 'info',
  scope: 'set',
  equivalents: [],
  description: 'No schema for this apiVersion/kind (not built in, not a bundled CRD, no CRD in the lint set): it is not validated.',
  check(ctx) {
    const { apiVersion, kind } = ctx.doc;
    if (!apiVersion || !kind || isToolKind(apiVersion, kind)) return;
    const target = ctx.config.targetKubernetesVersion;
    const crds = setCrds(ctx.set, ctx.config.extraSchemas);
    if (crds.kinds.has(`${apiVersion}/${kind}`) || isKnownKind(apiVersion, kind, target, crds.tables)) return;
    const schema = schemaFor(target);
    const known = schema.kinds();
    const sameKind = known.filter((k) => k.endsWith(`/${kind}`)).map((k) => k.slice(0, -kind.length - 1));
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
    const kindsOfVersion = known.filter((k) => k.startsWith(`${apiVersion}/`) && !k.slice(apiVersion.length + 1).includes('/'));
    const kindTypo = closestMatch(
      kind,
      kindsOfVersion.map((k) => k.slice(apiVersion.length + 1)),
    );
    let hint: string;
    let path: (string | number)[] = ['kind'];
    let data: Record<string, string> = {};
    if (kindTypo) {
      hint = `did you mean kind "${kindTypo}"?`;
      data = { suggestion: kindTypo };
    } else if (sameKind.length) {
      const preferred =
        sameKind.find((v) => !apiVersionChange(v, kind) && (group === '' || v.startsWith(`${group}/`))) ??
        sameKind.find((v) => !apiVersionChange(v, kind)) ??
        sameKind[0];
      hint = `${kind} is served as ${sameKind.slice(0, 4).join(', ')}${preferred ? `; use ${preferred}` : ''}.`;
      path = ['apiVersion'];
      if (preferred) data = { replacement: preferred };
    } else {
      hint = 'add its CustomResourceDefinition to the lint set to validate it, or check apiVersion and kind.';
    }
    ctx.report(path, `No schema for ${apiVersion} ${kind} (Kubernetes ${schema.version} and known CRDs): not validated; ${hint}`, {
      data,
    });
  },
};

/**
 * §2.9 `enum-value-invalid` over the schema: fields whose values the API server enforces but the OpenAPI schema
 * does not list (enumHints.ts), in every API version and nesting that has the type (pod templates, CronJob job
 * templates, HPA metrics…). Not in `schemaRules` while metadataRules.ts defines a rule with the same id.
 */
export const enumValueInvalidRule: Rule = {
  id: 'enum-value-invalid',
  level: 'error',
  scope: 'set',
  equivalents: [],
  description: 'A field with a fixed set of values (imagePullPolicy, restartPolicy, Service type, pathType, operators…) has another value.',
  runsOnPartial: true,
  check(ctx) {
    for (const issue of schemaIssues(ctx)) {
      if (issue.kind !== 'enum' || !issue.builtinEnum) continue;
      ctx.report(issue.path, issue.message, issue.suggestion ? { data: { suggestion: issue.suggestion } } : {});
    }
  },
};

/** Rules of this family (lint-rules.md §2.11). */
export const schemaRules: readonly Rule[] = [schemaViolation, schemaUnknownField, schemaUnknownKind, enumValueInvalidRule];

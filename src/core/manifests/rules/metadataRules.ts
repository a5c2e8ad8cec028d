import type { Rule, RuleContext } from '../rule';
import { asArray, asRecord, getAt, scalarString } from '../workloads';
import {
  cachedForSet,
  containerLabel,
  containers,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isIanaSvcName,
  labelValueProblem,
  listText,
  objectLabel,
  podSpecOf,
  qualifiedNameProblem,
  recordsOf,
  stringsOf,
  suggestDnsName,
} from './singleHelpers';
import { isConfigDocument, labelSites } from './singleLabels';

/** True for documents that are Kubernetes objects (apiVersion and kind) and not tool configs. */
function isObject(ctx: RuleContext): boolean {
  return ctx.doc.apiVersion !== undefined && ctx.doc.kind !== undefined && !isConfigDocument(ctx.doc);
}

const nameMissing: Rule = {
  id: 'name-missing',
  level: 'error',
  scope: 'document',
  equivalents: ['datree:RESOURCE_MISSING_NAME'],
  description: 'An object has neither metadata.name nor metadata.generateName.',
  check(ctx) {
    if (!isObject(ctx)) return;
    const metadata = asRecord(asRecord(ctx.doc.value)?.metadata);
    const name = metadata?.name;
    const generateName = metadata?.generateName;
    if ((typeof name === 'string' && name !== '') || (typeof generateName === 'string' && generateName !== '')) return;
    if (name !== undefined && name !== null && typeof name !== 'string') return; // a typed value: schema-violation's job
    ctx.report(
      metadata ? ('name' in metadata ? ['metadata', 'name'] : ['metadata']) : ['kind'],
      `This ${ctx.doc.kind ?? 'object'} has no metadata.name (nor generateName), so the API server rejects it; add metadata.name.`,
      { prefer: 'key' },
    );
  },
};

const rbacKinds = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** The reason a metadata.name is invalid for its kind, with a suggestion, or undefined. */
function nameProblem(kind: string, name: string): { rule: string; max: number; dots: boolean } | undefined {
  if (rbacKinds.has(kind)) {
    // RBAC objects use path-segment names (system:controller:… is fine).
    return name === '.' || name === '..' || /[/%]/.test(name)
      ? { rule: 'a path segment (no "/" or "%", not "." or "..")', max: 253, dots: true }
      : undefined;
  }
  switch (kind) {
    case 'Namespace':
      return isDns1123Label(name)
        ? undefined
        : { rule: 'a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)', max: 63, dots: false };
    case 'Service':
      return isDns1035Label(name)
        ? undefined
        : {
            rule: 'a DNS-1035 label (lowercase letters, digits and "-", starting with a letter, at most 63 characters)',
            max: 63,
            dots: false,
          };
    case 'CronJob':
      if (isDns1123Subdomain(name) && name.length > 52)
        return { rule: 'at most 52 characters (the controller appends an 11-character suffix to Job names)', max: 52, dots: true };
      break;
    default:
      break;
  }
  return isDns1123Subdomain(name)
    ? undefined
    : {
        rule: 'a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters)',
        max: 253,
        dots: true,
      };
}

const nameInvalid: Rule = {
  id: 'name-invalid',
  level: 'error',
  scope: 'document',
  equivalents: [],
  description: 'metadata.name (or a container name) does not follow the naming rules of its kind.',
  check(ctx) {
    if (!isObject(ctx)) return;
    const kind = ctx.doc.kind ?? '';
    const name = getAt(ctx.doc.value, ['metadata', 'name']);
    if (typeof name === 'string' && name !== '') {
      const problem = nameProblem(kind, name);
      if (problem) {
        let suggestion = suggestDnsName(name, problem.max, problem.dots);
        if (kind === 'Service') suggestion = suggestion.replace(/^[^a-z]+/, '');
        ctx.report(
          ['metadata', 'name'],
          `The ${kind} name "${name}" must be ${problem.rule}${suggestion && suggestion !== name ? `; e.g. "${suggestion}"` : ''}. The API server rejects it as is.`,
          { data: suggestion && suggestion !== name ? { suggestion } : {} },
        );
      }
    }
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const cname = c.value.name;
      if (typeof cname !== 'string' || cname === '' || isDns1123Label(cname)) continue;
      const suggestion = suggestDnsName(cname, 63, false);
      ctx.report(
        [...c.path, 'name'],
        `Container name "${cname}" must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)${suggestion ? `; e.g. "${suggestion}"` : ''}.`,
        { data: suggestion ? { container: cname, suggestion } : { container: cname } },
      );
    }
  },
};

const labelInvalid: Rule = {
  id: 'label-invalid',
  level: 'error',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: ['kube-score:label-values', 'datree:WORKLOAD_INVALID_LABELS_VALUE'],
  description: 'A label key or value (in metadata, templates or selectors) is not valid.',
  check(ctx) {
    for (const site of labelSites(ctx.doc)) {
      if (site.type === 'labels') {
        for (const [key, value] of Object.entries(site.map)) {
          const keyProblem = qualifiedNameProblem(key);
          if (keyProblem) {
            ctx.report(
              [...site.path, key],
              `Label key "${key}" is invalid: ${keyProblem}. Use [prefix/]name, e.g. app.kubernetes.io/name.`,
              {
                prefer: 'key',
                data: { key },
              },
            );
            continue;
          }
          if (value === null || typeof value === 'object') continue;
          const text = scalarString(value);
          const valueProblem = labelValueProblem(text);
          if (valueProblem)
            ctx.report(
              [...site.path, key],
              `Label value "${text}" of "${key}" is invalid: ${valueProblem}. Shorten it or replace other characters with "-".`,
              {
                data: { key },
              },
            );
        }
        continue;
      }
      site.list.forEach((item, i) => {
        const expr = asRecord(item);
        if (!expr) return;
        const key = expr.key;
        if (typeof key === 'string' && !site.fields) {
          const keyProblem = qualifiedNameProblem(key);
          if (keyProblem) {
            ctx.report([...site.path, i, 'key'], `Selector key "${key}" is invalid: ${keyProblem}.`, { data: { key } });
            return;
          }
        }
        if (expr.operator !== 'In' && expr.operator !== 'NotIn') return;
        for (const { value, index } of stringsOf(expr.values)) {
          const valueProblem = labelValueProblem(value);
          if (valueProblem)
            ctx.report([...site.path, i, 'values', index], `Selector value "${value}" is invalid: ${valueProblem}.`, {
              data: { key: scalarString(key) },
            });
        }
      });
    }
  },
};

const portNameInvalid: Rule = {
  id: 'port-name-invalid',
  level: 'error',
  scope: 'document',
  equivalents: ['kube-linter:invalid-target-ports'],
  description: 'A container port name is not an IANA_SVC_NAME or is used twice in the pod.',
  check(ctx) {
    const seen = new Map<string, string>();
    // Init containers first (pod order), so the later duplicate is the one reported.
    const all = containers(ctx, ['C', 'S', 'I']);
    for (const c of [...all.filter((x) => x.set !== 'C'), ...all.filter((x) => x.set === 'C')]) {
      for (const { value, index } of recordsOf(c.value.ports)) {
        const raw = value.name;
        if (raw === undefined || raw === null || raw === '') continue;
        const name = scalarString(raw);
        const path = [...c.path, 'ports', index, 'name'];
        if (typeof raw !== 'string' || !isIanaSvcName(name)) {
          const suggestion = suggestDnsName(name, 63, false);
          const valid = isIanaSvcName(suggestion);
          ctx.report(
            path,
            `${containerLabel(c)}: port name "${name}" is not a valid IANA service name (at most 15 lowercase letters, digits and "-", with at least one letter, no "-" at either end or twice in a row)${valid ? `; e.g. "${suggestion}"` : ''}.`,
            { data: valid ? { container: c.name, suggestion } : { container: c.name } },
          );
          continue;
        }
        const first = seen.get(name);
        if (first !== undefined) {
          ctx.report(
            path,
            `${containerLabel(c)}: port name "${name}" is already used by ${first.charAt(0).toLowerCase()}${first.slice(1)} in this pod; give each port a unique name so Services and probes resolve it unambiguously.`,
            { data: { container: c.name } },
          );
          continue;
        }
        seen.set(name, containerLabel(c));
      }
    }
  },
};

const duplicateEnvVar: Rule = {
  id: 'duplicate-env-var',
  level: 'warning',
  scope: 'document',
  equivalents: ['kube-linter:duplicate-env-var', 'kube-score:environment-variable-key-duplication'],
  description: 'A container defines the same env var twice (the last one wins silently).',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const seen = new Set<string>();
      for (const { value, index } of recordsOf(c.value.env)) {
        if (typeof value.name !== 'string' || value.name === '') continue;
        if (seen.has(value.name)) {
          ctx.report(
            [...c.path, 'env', index, 'name'],
            `${containerLabel(c)} defines env var "${value.name}" more than once; only the last definition takes effect, so remove the duplicate.`,
            { data: { container: c.name, env: value.name } },
          );
        }
        seen.add(value.name);
      }
    }
  },
};

/** Names of objects that produce Secrets/ConfigMaps under another kind (SealedSecret, ExternalSecret, kustomize generators). */
function producedNames(ctx: RuleContext): { secrets: Set<string>; configMaps: Set<string> } {
  return cachedForSet(ctx.set, `produced:${ctx.namespace}`, () => {
    const secrets = new Set<string>();
    const configMaps = new Set<string>();
    for (const entry of ctx.set.inNamespace(ctx.namespace, ['SealedSecret', 'ExternalSecret'])) {
      if (entry.doc.name) secrets.add(entry.doc.name);
      const target = getAt(entry.doc.value, ['spec', 'target', 'name']);
      if (typeof target === 'string') secrets.add(target);
      const template = getAt(entry.doc.value, ['spec', 'template', 'metadata', 'name']);
      if (typeof template === 'string') secrets.add(template);
    }
    for (const entry of ctx.set.entries()) {
      if (entry.doc.kind !== 'Kustomization') continue;
      for (const { value } of recordsOf(getAt(entry.doc.value, ['secretGenerator'])))
        if (typeof value.name === 'string') secrets.add(value.name);
      for (const { value } of recordsOf(getAt(entry.doc.value, ['configMapGenerator'])))
        if (typeof value.name === 'string') configMaps.add(value.name);
    }
    return { secrets, configMaps };
  });
}

const envValueFromMissing: Rule = {
  id: 'env-value-from-missing',
  level: 'off',
  scope: 'set',
  equivalents: ['kube-linter:env-value-from'],
  description: 'An env var reads a ConfigMap or Secret (or a key of one) that is not in the set.',
  check(ctx) {
    if (!ctx.set.isClosed(ctx.namespace)) return;
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      for (const { value: env, index } of recordsOf(c.value.env)) {
        const valueFrom = asRecord(env.valueFrom);
        for (const [refKey, kind] of [
          ['configMapKeyRef', 'ConfigMap'],
          ['secretKeyRef', 'Secret'],
        ] as const) {
          const ref = asRecord(valueFrom?.[refKey]);
          if (!ref || ref.optional === true || typeof ref.name !== 'string' || ref.name === '') continue;
          const name = ref.name;
          const envName = scalarString(env.name);
          const path = [...c.path, 'env', index, 'valueFrom', refKey];
          const found = ctx.set.find(ctx.namespace, kind, name);
          if (!found) {
            const produced = producedNames(ctx);
            if ((kind === 'Secret' ? produced.secrets : produced.configMaps).has(name)) continue;
            ctx.report(
              [...path, 'name'],
              `${containerLabel(c)}: env var "${envName}" reads ${kind} "${name}", which is not in namespace "${ctx.namespace}"; the pod fails with CreateContainerConfigError. Add the ${kind} or set optional: true.`,
              { data: { container: c.name, kind, name } },
            );
            continue;
          }
          const key = ref.key;
          if (typeof key !== 'string' || key === '') continue;
          const body = asRecord(found.doc.value);
          const maps = kind === 'Secret' ? [body?.data, body?.stringData] : [body?.data, body?.binaryData];
          if (maps.some((m) => asRecord(m) && key in (asRecord(m) ?? {}))) continue;
          ctx.report(
            [...path, 'key'],
            `${containerLabel(c)}: env var "${envName}" reads key "${key}" of ${kind} "${name}", which has no such key; the pod fails with CreateContainerConfigError. Fix the key or add it to the ${kind}.`,
            { data: { container: c.name, kind, name, key } },
          );
        }
      }
    }
  },
};

function serviceAccountName(spec: Record<string, unknown>): { name: string; field: 'serviceAccountName' | 'serviceAccount' } | undefined {
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '')
    return { name: spec.serviceAccountName, field: 'serviceAccountName' };
  if (typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '') return { name: spec.serviceAccount, field: 'serviceAccount' };
  return undefined;
}

const serviceAccountMissing: Rule = {
  id: 'service-account-missing',
  level: 'off',
  scope: 'set',
  equivalents: ['kube-linter:non-existent-service-account'],
  description: 'serviceAccountName names a ServiceAccount that is not in the set.',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod) return;
    const sa = serviceAccountName(pod.spec);
    if (!sa || sa.name === 'default' || !ctx.set.isClosed(ctx.namespace)) return;
    if (ctx.set.find(ctx.namespace, 'ServiceAccount', sa.name)) return;
    ctx.report(
      [...pod.path, sa.field],
      `ServiceAccount "${sa.name}" is not in namespace "${ctx.namespace}"; the pods will not be created until it exists. Add the ServiceAccount or fix the name.`,
      { data: { name: sa.name } },
    );
  },
};

const deprecatedServiceAccountField: Rule = {
  id: 'deprecated-service-account-field',
  level: 'info',
  scope: 'document',
  equivalents: ['kube-linter:deprecated-service-account-field'],
  description: 'The pod uses the deprecated spec.serviceAccount field.',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod || !('serviceAccount' in pod.spec)) return;
    const both = 'serviceAccountName' in pod.spec;
    ctx.report(
      [...pod.path, 'serviceAccount'],
      both
        ? 'serviceAccount is a deprecated alias of serviceAccountName, which is also set; remove serviceAccount.'
        : 'serviceAccount is a deprecated alias; rename the field to serviceAccountName.',
      { prefer: 'key', data: { replacement: 'serviceAccountName' } },
    );
  },
};

const defaultServiceAccount: Rule = {
  id: 'default-service-account',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:default-service-account'],
  description: "The pod runs as the namespace's default ServiceAccount.",
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod) return;
    const sa = serviceAccountName(pod.spec);
    if (sa && sa.name !== 'default') return;
    ctx.report(
      sa ? [...pod.path, sa.field] : [...pod.path, 'serviceAccountName'],
      `${objectLabel(ctx)} runs as the "default" ServiceAccount, which every pod of the namespace shares; create a dedicated ServiceAccount and set serviceAccountName.`,
    );
  },
};

/** Cluster-scoped kinds beyond the lint set's own list (their namespace never matters). */
const clusterScopedKinds = new Set([
  'GatewayClass',
  'CSINode',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'ComponentStatus',
  'VolumeSnapshotClass',
  'VolumeAttributesClass',
  'PodSecurityPolicy',
  'TokenReview',
  'SubjectAccessReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
]);

const defaultNamespace: Rule = {
  id: 'default-namespace',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:use-namespace', 'datree:WORKLOAD_INCORRECT_NAMESPACE_VALUE_DEFAULT'],
  description: 'A namespaced object lives in the default namespace.',
  check(ctx) {
    if (!isObject(ctx) || ctx.namespace !== 'default') return;
    const kind = ctx.doc.kind ?? '';
    if (kind.startsWith('Cluster') || clusterScopedKinds.has(kind)) return;
    const explicit = getAt(ctx.doc.value, ['metadata', 'namespace']) === 'default';
    ctx.report(
      ['metadata', 'namespace'],
      explicit
        ? `${objectLabel(ctx)} is in the "default" namespace; use a dedicated namespace for the application.`
        : `${objectLabel(ctx)} has no namespace and will land in "default"; set metadata.namespace (or a kustomization namespace).`,
      explicit ? {} : { prefer: 'key' },
    );
  },
};

const nakedPod: Rule = {
  id: 'naked-pod',
  level: 'off',
  scope: 'document',
  equivalents: ['datree:K8S_INCORRECT_KIND_VALUE_POD'],
  description: 'A bare Pod outside a controller (not rescheduled when its node fails).',
  check(ctx) {
    if (ctx.doc.kind !== 'Pod') return;
    if (asArray(getAt(ctx.doc.value, ['metadata', 'ownerReferences'])).length) return;
    ctx.report(
      ['kind'],
      'A bare Pod is not recreated when it fails or its node goes away; wrap it in a Deployment (or a Job for run-to-completion work).',
    );
  },
};

const requiredLabels: Rule = {
  id: 'required-labels',
  level: 'off',
  scope: 'document',
  equivalents: [
    'kube-linter:required-label-owner',
    'kube-linter:required-annotation-email',
    'polaris:metadataAndInstanceMismatched',
    'datree:WORKLOAD_MISSING_LABEL_OWNER_VALUE',
    'datree:DEPLOYMENT_MISSING_LABEL_ENV_VALUE',
  ],
  description: 'An object lacks a label required by the workspace config (requiredLabels: ["owner", "tier=backend"]).',
  check(ctx) {
    if (!ctx.config.requiredLabels.length || !isObject(ctx)) return;
    const labels = asRecord(getAt(ctx.doc.value, ['metadata', 'labels'])) ?? {};
    const missing: string[] = [];
    for (const entry of ctx.config.requiredLabels) {
      const eq = entry.indexOf('=');
      const key = eq >= 0 ? entry.slice(0, eq).trim() : entry.trim();
      const expected = eq >= 0 ? entry.slice(eq + 1).trim() : undefined;
      if (!key) continue;
      const actual = labels[key];
      const text = actual === undefined || actual === null ? '' : scalarString(actual);
      if (expected === undefined ? text === '' : text !== expected) missing.push(expected === undefined ? key : `${key}=${expected}`);
    }
    if (!missing.length) return;
    ctx.report(
      ['metadata', 'labels'],
      `${objectLabel(ctx)} lacks the required label${missing.length > 1 ? 's' : ''} ${listText(missing.map((m) => `"${m}"`))}; add ${missing.length > 1 ? 'them' : 'it'} under metadata.labels.`,
      { prefer: 'key', data: { missing: missing.join(',') } },
    );
  },
};

/** Rules of this family (lint-rules.md §2.9). */
export const metadataRules: readonly Rule[] = [
  nameMissing,
  nameInvalid,
  labelInvalid,
  portNameInvalid,
  duplicateEnvVar,
  envValueFromMissing,
  serviceAccountMissing,
  deprecatedServiceAccountField,
  defaultServiceAccount,
  defaultNamespace,
  nakedPod,
  requiredLabels,
];

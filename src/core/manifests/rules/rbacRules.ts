import type { Rule, RuleContext } from '../rule';
import type { YamlPath } from '../types';
import { asRecord, getAt } from '../workloads';
import { listText, objectLabel, recordsOf, stringsOf } from './singleHelpers';

const roleKinds = new Set(['Role', 'ClusterRole']);
const bindingKinds = new Set(['RoleBinding', 'ClusterRoleBinding']);

interface Item {
  readonly value: string;
  readonly index: number;
}

/** One entry of a Role's `rules`. */
interface PolicyRule {
  readonly path: YamlPath;
  readonly verbs: readonly Item[];
  readonly resources: readonly Item[];
  readonly apiGroups: readonly Item[];
  /** apiGroups absent: treated as the core group. */
  readonly coreImplied: boolean;
}

function policyRules(value: unknown): PolicyRule[] {
  return recordsOf(getAt(value, ['rules'])).map(({ value: r, index }) => ({
    path: ['rules', index],
    verbs: stringsOf(r.verbs),
    resources: stringsOf(r.resources),
    apiGroups: stringsOf(r.apiGroups),
    coreImplied: r.apiGroups === undefined || r.apiGroups === null,
  }));
}

function hasVerb(rule: PolicyRule, verbs: readonly string[]): boolean {
  return rule.verbs.some((v) => v.value === '*' || verbs.includes(v.value));
}

function inGroup(rule: PolicyRule, groups: readonly string[]): boolean {
  return rule.coreImplied || rule.apiGroups.some((g) => g.value === '*' || groups.includes(g.value));
}

/** The first resource item granting one of `resources` (with `*` and `pods/*` wildcards). */
function resourceItem(rule: PolicyRule, resources: readonly string[]): Item | undefined {
  return rule.resources.find(
    (r) =>
      r.value === '*' ||
      resources.includes(r.value) ||
      (r.value.endsWith('/*') && resources.some((x) => x.startsWith(r.value.slice(0, -1)))),
  );
}

/** The rule entry grants create on pods/exec or pods/attach; returns the resource item. */
function execItem(rule: PolicyRule): Item | undefined {
  if (!hasVerb(rule, ['create']) || !inGroup(rule, [''])) return undefined;
  return resourceItem(rule, ['pods/exec', 'pods/attach']);
}

const clusterAdminBinding: Rule = {
  id: 'rbac-cluster-admin-binding',
  level: 'warning',
  scope: 'document',
  equivalents: [
    'kube-linter:cluster-admin-role-binding',
    'polaris:clusterrolebindingClusterAdmin',
    'polaris:rolebindingClusterAdminClusterRole',
    'polaris:rolebindingClusterAdminRole',
    'datree:CIS_INVALID_ROLE_CLUSTER_ADMIN',
    'datree:CIS_INVALID_VALUE_SYSTEM_MASTERS',
  ],
  description: 'A binding grants cluster-admin, or names the system:masters group.',
  check(ctx) {
    if (!bindingKinds.has(ctx.doc.kind ?? '')) return;
    const roleRef = asRecord(getAt(ctx.doc.value, ['roleRef']));
    if (roleRef?.kind === 'ClusterRole' && roleRef.name === 'cluster-admin') {
      ctx.report(
        ['roleRef', 'name'],
        `${objectLabel(ctx)} grants cluster-admin (every permission${ctx.doc.kind === 'ClusterRoleBinding' ? ' in every namespace' : ' in the namespace'}); bind a narrower role with only the verbs and resources the subjects need.`,
      );
    }
    for (const { value, index } of recordsOf(getAt(ctx.doc.value, ['subjects']))) {
      if (value.kind !== 'Group' || value.name !== 'system:masters') continue;
      ctx.report(
        ['subjects', index, 'name'],
        'The system:masters group bypasses all authorization (RBAC cannot restrict it, and its certificates cannot be revoked); bind a named group instead.',
      );
    }
  },
};

const wildcardRule: Rule = {
  id: 'rbac-wildcard-rule',
  level: 'info',
  scope: 'document',
  equivalents: ['kube-linter:wildcard-in-rules', 'datree:CIS_INVALID_WILDCARD_ROLE'],
  description: 'A Role or ClusterRole rule uses "*" in verbs, resources or apiGroups.',
  check(ctx) {
    if (!roleKinds.has(ctx.doc.kind ?? '')) return;
    for (const rule of policyRules(ctx.doc.value)) {
      const fields: { field: string; item: Item }[] = [];
      for (const field of ['verbs', 'resources', 'apiGroups'] as const) {
        const item = rule[field].find((i) => i.value === '*');
        if (item) fields.push({ field, item });
      }
      const first = fields[0];
      if (!first) continue;
      ctx.report(
        [...rule.path, first.field, first.item.index],
        `This rule uses "*" in ${listText(fields.map((f) => f.field))}, which also grants anything added later (new resources, subresources, verbs); list the exact ${listText(fields.map((f) => f.field))} needed.`,
        { data: { fields: fields.map((f) => f.field).join(',') } },
      );
    }
  },
};

/** Built-in ClusterRoles that grant pods/exec. */
const builtinExecRoles = new Set(['cluster-admin', 'admin', 'edit']);

function roleGrantsExec(ctx: RuleContext, kind: string, name: string): boolean {
  if (kind === 'ClusterRole' && builtinExecRoles.has(name)) return true;
  const target = kind === 'ClusterRole' ? ctx.set.find('', 'ClusterRole', name) : ctx.set.find(ctx.namespace, 'Role', name);
  return target !== undefined && policyRules(target.doc.value).some((r) => execItem(r) !== undefined);
}

const podExecAttach: Rule = {
  id: 'rbac-pod-exec-attach',
  level: 'info',
  scope: 'set',
  equivalents: [
    'polaris:clusterrolePodExecAttach',
    'polaris:rolePodExecAttach',
    'polaris:clusterrolebindingPodExecAttach',
    'polaris:rolebindingClusterRolePodExecAttach',
    'polaris:rolebindingRolePodExecAttach',
    'datree:CONTAINERS_INCORRECT_RESOURCES_VERBS_VALUE',
  ],
  description: 'A role (or a binding to one) grants create on pods/exec or pods/attach.',
  check(ctx) {
    const kind = ctx.doc.kind ?? '';
    if (roleKinds.has(kind)) {
      for (const rule of policyRules(ctx.doc.value)) {
        const item = execItem(rule);
        if (!item) continue;
        ctx.report(
          [...rule.path, 'resources', item.index],
          `This rule grants create on ${item.value === 'pods/exec' || item.value === 'pods/attach' ? item.value : `${item.value} (including pods/exec and pods/attach)`}, i.e. a shell in any pod it can reach, with that pod's ServiceAccount and secrets; grant it only to break-glass roles.`,
          { data: { resource: item.value } },
        );
      }
      return;
    }
    if (!bindingKinds.has(kind)) return;
    const roleRef = asRecord(getAt(ctx.doc.value, ['roleRef']));
    if (typeof roleRef?.kind !== 'string' || typeof roleRef.name !== 'string') return;
    if (!roleGrantsExec(ctx, roleRef.kind, roleRef.name)) return;
    ctx.report(
      ['roleRef', 'name'],
      `${objectLabel(ctx)} binds ${roleRef.kind} "${roleRef.name}", which allows exec/attach into pods (a shell with their ServiceAccount and secrets); bind a role without pods/exec and pods/attach unless this is break-glass access.`,
      { data: { role: roleRef.name } },
    );
  },
};

const dangerousVerbs = ['escalate', 'bind', 'impersonate'];

const escalateBindImpersonate: Rule = {
  id: 'rbac-escalate-bind-impersonate',
  level: 'info',
  scope: 'document',
  equivalents: ['datree:CIS_INVALID_VALUE_BIND_IMPERSONATE_ESCALATE'],
  description: 'A role grants the escalate, bind or impersonate verbs.',
  check(ctx) {
    if (!roleKinds.has(ctx.doc.kind ?? '')) return;
    for (const rule of policyRules(ctx.doc.value)) {
      const found = rule.verbs.filter((v) => dangerousVerbs.includes(v.value));
      const first = found[0];
      if (!first) continue;
      const verbs = listText(found.map((v) => v.value));
      ctx.report(
        [...rule.path, 'verbs', first.index],
        `This rule grants ${verbs}, which ${found.length > 1 ? 'let' : 'lets'} the holder gain permissions it does not have (create bindings to stronger roles or act as other users); remove ${found.length > 1 ? 'them' : 'it'} unless this role administers RBAC.`,
        { data: { verbs: found.map((v) => v.value).join(',') } },
      );
    }
  },
};

const secretsAccess: Rule = {
  id: 'rbac-secrets-access',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:access-to-secrets', 'datree:CIS_INVALID_VERB_SECRETS'],
  description: 'A role can get, list or watch Secrets.',
  check(ctx) {
    if (!roleKinds.has(ctx.doc.kind ?? '')) return;
    for (const rule of policyRules(ctx.doc.value)) {
      if (!hasVerb(rule, ['get', 'list', 'watch']) || !inGroup(rule, [''])) continue;
      const item = resourceItem(rule, ['secrets']);
      if (!item) continue;
      ctx.report(
        [...rule.path, 'resources', item.index],
        `This rule can read ${item.value === 'secrets' ? 'Secrets' : item.value === '*' ? 'every resource (including Secrets)' : `${item.value} (including Secrets)`}${ctx.doc.kind === 'ClusterRole' ? ' (in every namespace it is bound to)' : ''}; restrict it with resourceNames to the Secrets it needs, or mount them into the pod instead.`,
        { data: { resource: item.value } },
      );
    }
  },
};

const podCreatingResources = [
  'pods',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'replicationcontrollers',
];

const createPods: Rule = {
  id: 'rbac-create-pods',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:access-to-create-pods', 'datree:CIS_INVALID_VALUE_CREATE_POD'],
  description: 'A role can create pods or workloads (which run with any ServiceAccount of the namespace).',
  check(ctx) {
    if (!roleKinds.has(ctx.doc.kind ?? '')) return;
    for (const rule of policyRules(ctx.doc.value)) {
      if (!hasVerb(rule, ['create'])) continue;
      const item = resourceItem(rule, podCreatingResources);
      if (!item) continue;
      ctx.report(
        [...rule.path, 'resources', item.index],
        `This rule can create ${item.value === '*' ? 'any resource, including pods' : item.value}, which lets the holder run pods with any ServiceAccount and mount any Secret of the namespace; grant it only to deployment tooling.`,
        { data: { resource: item.value } },
      );
    }
  },
};

/** Rules of this family (lint-rules.md §2.10). */
export const rbacRules: readonly Rule[] = [
  clusterAdminBinding,
  wildcardRule,
  podExecAttach,
  escalateBindImpersonate,
  secretsAccess,
  createPods,
];

import type { Rule, RuleContext } from '../rule';
import { apiVersionStatus, type ApiVersionChange } from '../schema/apiVersionTables';
import { newestKubernetesVersion } from '../schema/schemaCatalog';

/**
 * api-version-removed / api-version-deprecated (lint-rules.md §2.11, tables §4.6 and §4.7) for the target version:
 * `targetKubernetesVersion` of the config, else the newest bundled version (§4.8). Matched on apiVersion + kind.
 */
function targetOf(ctx: RuleContext): string {
  return ctx.config.targetKubernetesVersion ?? newestKubernetesVersion;
}

function advice(replacement: string | undefined, note: string | undefined, change: ApiVersionChange): string {
  if (replacement) return `use ${replacement}${note ? ` (${note})` : ''}.`;
  return `${note ?? `there is no direct replacement for ${change.apiVersion}`}.`;
}

const removedEquivalents = [
  'kube-linter:no-extensions-v1beta',
  'kube-score:stable-version',
  ...['1.22', '1.23', '1.24', '1.25', '1.26', '1.27'].map((v) => `datree:K8S_REMOVED_APIVERSION_${v}`),
];
const deprecatedEquivalents = [
  'kube-score:stable-version',
  ...['1.16', '1.17', '1.18', '1.19', '1.20', '1.21', '1.22', '1.23', '1.24'].map((v) => `datree:K8S_DEPRECATED_APIVERSION_${v}`),
];

const apiVersionRemoved: Rule = {
  id: 'api-version-removed',
  level: 'error',
  scope: 'document',
  equivalents: removedEquivalents,
  description: 'The apiVersion of this kind is no longer served by the target Kubernetes version.',
  runsOnPartial: true,
  check(ctx) {
    const { apiVersion, kind } = ctx.doc;
    if (!apiVersion || !kind) return;
    const target = targetOf(ctx);
    const s = apiVersionStatus(apiVersion, kind, target);
    if (s.status !== 'removed') return;
    ctx.report(
      ['apiVersion'],
      `${apiVersion} ${kind} was removed in Kubernetes ${s.change.removedIn ?? '?'} and is not served by ${target}: ${advice(s.replacement, s.note, s.change)}`,
      { data: { ...(s.replacement ? { replacement: s.replacement } : {}), removedIn: s.change.removedIn ?? '', target } },
    );
  },
};

const apiVersionDeprecated: Rule = {
  id: 'api-version-deprecated',
  level: 'warning',
  scope: 'document',
  equivalents: deprecatedEquivalents,
  description: 'The apiVersion of this kind is deprecated in the target Kubernetes version (still served, removal announced).',
  runsOnPartial: true,
  check(ctx) {
    const { apiVersion, kind } = ctx.doc;
    if (!apiVersion || !kind) return;
    const target = targetOf(ctx);
    const s = apiVersionStatus(apiVersion, kind, target);
    if (s.status !== 'deprecated') return;
    const removal = s.change.removedIn ? `; it is removed in ${s.change.removedIn}` : '';
    ctx.report(
      ['apiVersion'],
      `${apiVersion} ${kind} is deprecated since Kubernetes ${s.change.deprecatedIn}${removal} (target ${target}): ${advice(s.replacement, s.note, s.change)}`,
      {
        data: {
          ...(s.replacement ? { replacement: s.replacement } : {}),
          deprecatedIn: s.change.deprecatedIn,
          ...(s.change.removedIn ? { removedIn: s.change.removedIn } : {}),
          target,
        },
      },
    );
  },
};

/** Rules of this family (lint-rules.md §2.11). */
export const apiVersionRules: readonly Rule[] = [apiVersionRemoved, apiVersionDeprecated];

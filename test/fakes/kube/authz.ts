/** The fake's authorization: `forbid()` rules and the apiserver's 403 Forbidden Status. */
import type { RequestAttributes } from './handler';
import { failureStatus, KubeStatusError } from './status';

export interface ForbidRule {
  /** get, list, watch, create, update, patch, delete, deletecollection; any when unset. */
  verb?: string;
  /** Plural resource, e.g. 'pods'; any when unset. */
  resource?: string;
  /** API group ('' core); any when unset. */
  group?: string;
  /** Only in this namespace (all-namespaces requests are denied too, as RBAC would); any when unset. */
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Only for this username; any when unset. */
  user?: string;
}

export function forbiddenError(attrs: RequestAttributes, user: string): KubeStatusError {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const subject = attrs.name ? `${attrs.resource} "${attrs.name}"` : attrs.resource;
  const qualified = attrs.group ? subject.replace(attrs.resource, `${attrs.resource}.${attrs.group}`) : subject;
  const where = attrs.namespace !== undefined ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  const message = `${qualified} is forbidden: User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${where}`;
  return new KubeStatusError(
    failureStatus(403, message, 'Forbidden', {
      ...(attrs.name ? { name: attrs.name } : {}),
      ...(attrs.group ? { group: attrs.group } : {}),
      kind: attrs.resource,
    }),
  );
}

export function ruleMatches(rule: ForbidRule, attrs: RequestAttributes, user: string): boolean {
  if (rule.verb !== undefined && rule.verb !== attrs.verb) return false;
  if (rule.resource !== undefined && rule.resource !== attrs.resource) return false;
  if (rule.group !== undefined && rule.group !== attrs.group) return false;
  if (rule.subresource !== undefined && rule.subresource !== attrs.subresource) return false;
  if (rule.name !== undefined && rule.name !== attrs.name) return false;
  if (rule.user !== undefined && rule.user !== user) return false;
  // A namespaced denial also denies the all-namespaces request (namespace undefined), as RBAC would.
  if (rule.namespace !== undefined && attrs.namespace !== undefined && rule.namespace !== attrs.namespace) return false;
  return true;
}

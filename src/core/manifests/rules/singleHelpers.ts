// Helpers shared by the single-document rule families (resources, probes, images, security, jobs, metadata,
// RBAC, Velero). Everything here is total: odd shapes (strings for objects, null, numbers) give "not applicable".
import type { LintSet } from '../lintSet';
import type { RuleContext } from '../rule';
import type { ManifestDocument, YamlPath } from '../types';
import { asArray, asRecord, containersOf, getAt, podSpecPath, scalarString, type ContainerRef, type ContainerSet } from '../workloads';

/** The pod spec of a workload document with its path, or undefined for other kinds / bad shapes. */
export function podSpecOf(ctx: Pick<RuleContext, 'doc'>): { path: YamlPath; spec: Record<string, unknown> } | undefined {
  const path = podSpecPath(ctx.doc.kind);
  if (!path) return undefined;
  const spec = asRecord(getAt(ctx.doc.value, path));
  return spec ? { path, spec } : undefined;
}

const docCaches = new WeakMap<object, Map<string, unknown>>();

/**
 * Memoises a per-document computation shared by several rules (containers, quantity fields, label sites).
 * Documents are immutable once parsed, and a new parse makes new document objects.
 */
export function cachedForDoc<T>(doc: ManifestDocument, key: string, compute: () => T): T {
  let cache = docCaches.get(doc);
  if (!cache) {
    cache = new Map();
    docCaches.set(doc, cache);
  }
  if (cache.has(key)) return cache.get(key) as T;
  const value = compute();
  cache.set(key, value);
  return value;
}

/** Containers of the document in the given sets (ephemeral containers are never returned). */
export function containers(ctx: Pick<RuleContext, 'doc'>, sets: readonly ContainerSet[]): readonly ContainerRef[] {
  const all = cachedForDoc(ctx.doc, 'containers', () => containersOf(ctx.doc));
  return sets.length === 3 ? all : all.filter((c) => sets.includes(c.set));
}

/** `Container "web"`, `Init container "migrate"`, `Sidecar container "proxy"`. */
export function containerLabel(c: ContainerRef): string {
  const kind = c.set === 'C' ? 'container' : c.set === 'S' ? 'sidecar container' : 'init container';
  if (!c.name) return `An unnamed ${kind}`;
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} "${c.name}"`;
}

/** Where a finding about a missing field of a container points: its `name` value, else the container itself. */
export function containerAnchor(c: ContainerRef): YamlPath {
  return typeof c.value.name === 'string' && c.value.name !== '' ? [...c.path, 'name'] : c.path;
}

/** The container's securityContext (empty when absent or not a mapping). */
export function securityContextOf(c: ContainerRef): Record<string, unknown> {
  return asRecord(c.value.securityContext) ?? {};
}

/** A value that is present: not undefined, not null, not ''. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/** Name of a record entry if the key is present with a set value. */
export function has(record: Record<string, unknown> | undefined, key: string): boolean {
  return record !== undefined && isSet(record[key]);
}

const setCaches = new WeakMap<LintSet, Map<string, unknown>>();

/** Memoises a per-lint-run computation (a LintSet lives for exactly one run). */
export function cachedForSet<T>(set: LintSet, key: string, compute: () => T): T {
  let cache = setCaches.get(set);
  if (!cache) {
    cache = new Map();
    setCaches.set(set, cache);
  }
  if (cache.has(key)) return cache.get(key) as T;
  const value = compute();
  cache.set(key, value);
  return value;
}

/** Kubernetes names and keys (apimachinery validation). */
const dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1035LabelPattern = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedNamePattern = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && dns1123LabelPattern.test(s);
}

export function isDns1035Label(s: string): boolean {
  return s.length <= 63 && dns1035LabelPattern.test(s);
}

export function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && s.split('.').every((part) => dns1123LabelPattern.test(part));
}

/** IANA_SVC_NAME: ≤ 15 chars of [a-z0-9-], at least one letter, no leading, trailing or double '-'. */
export function isIanaSvcName(s: string): boolean {
  return s.length >= 1 && s.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && !s.includes('--') && /[a-z]/.test(s);
}

/** Why a label/annotation key is not a qualified name (`[prefix/]name`), or undefined when it is valid. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'it has more than one "/"';
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (!isDns1123Subdomain(prefix)) return `the prefix "${prefix}" is not a lowercase DNS subdomain (≤ 253 characters)`;
  }
  if (name === '') return 'the name part is empty';
  if (name.length > 63) return `the name part is ${name.length} characters (max 63)`;
  if (!qualifiedNamePattern.test(name))
    return 'the name part must be alphanumeric, "-", "_" or ".", starting and ending with an alphanumeric';
  return undefined;
}

/** Why a label value is invalid, or undefined when it is valid (empty is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `it is ${value.length} characters (max 63)`;
  if (!qualifiedNamePattern.test(value)) return 'it must be alphanumeric, "-", "_" or ".", starting and ending with an alphanumeric';
  return undefined;
}

/** A lowercase DNS-style suggestion for a bad name ("My_App" → "my-app"). */
export function suggestDnsName(s: string, maxLength = 253, allowDots = true): string {
  const out = s
    .toLowerCase()
    .replace(allowDots ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/\.{2,}/g, '.')
    .slice(0, maxLength)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return out;
}

/** An image reference split into name, tag and digest. */
export interface ImageRef {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImageRef(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const slash = rest.lastIndexOf('/');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), ...(digest !== undefined ? { digest } : {}) };
  return { name: rest, ...(digest !== undefined ? { digest } : {}) };
}

/** True when the image is pinned by a content digest (`@sha256:…` or another algorithm). */
export function hasDigest(ref: ImageRef): boolean {
  return ref.digest !== undefined && /^[a-z0-9]+([+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(ref.digest);
}

/** Env var names that usually hold credentials (lint-rules.md §2.4 `env-secret-literal`). */
export const secretNamePattern = /SECRET|PASSW(OR)?D|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/** Names that mention a secret but hold a reference to one (a path, a name, a flag), not the secret itself. */
const secretReferenceSuffix =
  /(_|-|\.)(FILE|PATH|DIR|NAME|REF|ENABLED|TTL|TIMEOUT|LENGTH|EXPIRY|EXPIRATION|HEADER|URL|ENDPOINT|KEY_?ID|ID)$/i;

/** Well-known credential formats (values). */
const secretValuePatterns: readonly RegExp[] = [
  /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/, // PEM private keys
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{50,}\b/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API key
  /\b(sk|rk)_live_[0-9A-Za-z]{20,}\b/, // Stripe
  /\bglpat-[0-9A-Za-z_-]{20,}\b/, // GitLab
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/, // JWT
];

/** True when a value looks like a credential by its format alone. */
export function looksLikeSecretValue(value: string): boolean {
  return secretValuePatterns.some((p) => p.test(value));
}

/** True when the name suggests a secret and does not merely reference one. */
export function isSecretName(name: string): boolean {
  return secretNamePattern.test(name) && !secretReferenceSuffix.test(name);
}

/** A value that is a placeholder or a reference rather than a literal secret. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v) || // $(OTHER_VAR) expansion
    /^\$\{[^}]+\}$/.test(v) ||
    /^(true|false|yes|no|on|off|none|null|changeme|<[^>]*>)$/i.test(v) ||
    v.startsWith('/') // a file path
  );
}

/** Items of a list with their index, keeping only mappings. */
export function recordsOf(list: unknown): { value: Record<string, unknown>; index: number }[] {
  const out: { value: Record<string, unknown>; index: number }[] = [];
  asArray(list).forEach((item, index) => {
    const value = asRecord(item);
    if (value) out.push({ value, index });
  });
  return out;
}

/** Scalar strings of a list with their index (non-scalars skipped). */
export function stringsOf(list: unknown): { value: string; index: number }[] {
  const out: { value: string; index: number }[] = [];
  asArray(list).forEach((item, index) => {
    const value = scalarString(item);
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out.push({ value, index });
  });
  return out;
}

/** `Deployment "web"` for messages. */
export function objectLabel(ctx: Pick<RuleContext, 'doc'>): string {
  return `${ctx.doc.kind ?? 'Object'} "${ctx.doc.name ?? '(unnamed)'}"`;
}

/** Lists for messages: `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

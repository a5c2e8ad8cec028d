import { dirname, join, normalize } from 'node:path';
import type { LintConfig } from './lintConfig';
import { LintSet } from './lintSet';
import { rangeAt } from './parseManifests';
import type { Rule, RuleContext } from './rule';
import { annotationSuppression, parseCommentDirectives, type CommentDirectives } from './suppressions';
import type { Finding, ManifestFile, RuleLevel, Severity } from './types';
import { asArray, asRecord } from './workloads';

/** The level a rule runs at under a config: explicit setting, else the preset's. */
export function effectiveLevel(rule: Pick<Rule, 'id' | 'level' | 'strictLevel'>, config: LintConfig): RuleLevel {
  const explicit = config.rules[rule.id];
  if (explicit) return explicit;
  if (config.preset === 'strict') return rule.strictLevel ?? rule.level;
  if (config.preset === 'minimal') return rule.level === 'error' ? 'error' : 'off';
  return rule.level;
}

/** Kustomize context: files that are patches (partial by design) and namespaces set by kustomizations. */
export function kustomizeContext(files: readonly ManifestFile[]): { partialPaths: Set<string>; namespaces: Map<string, string> } {
  const partialPaths = new Set<string>();
  const namespaces = new Map<string, string>();
  for (const file of files) {
    for (const doc of file.documents) {
      if (doc.kind !== 'Kustomization') continue;
      const k = asRecord(doc.value) ?? {};
      const dir = dirname(file.path);
      const resolve = (p: unknown) => (typeof p === 'string' && !p.includes('\n') ? normalize(join(dir, p)) : undefined);
      for (const p of asArray(k.patchesStrategicMerge)) {
        const r = resolve(p);
        if (r) partialPaths.add(r);
      }
      for (const p of [...asArray(k.patches), ...asArray(k.patchesJson6902)]) {
        const r = resolve(asRecord(p)?.path);
        if (r) partialPaths.add(r);
      }
      if (typeof k.namespace === 'string') {
        for (const res of asArray(k.resources)) {
          const r = resolve(res);
          if (r) namespaces.set(r, k.namespace);
        }
      }
    }
  }
  return { partialPaths, namespaces };
}

/**
 * Lints parsed files with the given rules: parse findings plus every enabled rule on every document, with
 * suppressions applied (suppressed findings are kept, marked `suppressedBy`). Pure and synchronous.
 * Returns findings per file path, sorted by position. With `only`, findings are computed for those paths
 * alone while every file stays visible to cross-document rules (incremental re-lint in the editor).
 */
export function lintManifests(
  files: readonly ManifestFile[],
  rules: readonly Rule[],
  config: LintConfig,
  options: { readonly only?: ReadonlySet<string> } = {},
): Map<string, Finding[]> {
  const { partialPaths, namespaces } = kustomizeContext(files);
  const marked = files.map((f) =>
    partialPaths.has(normalize(f.path)) ? { ...f, documents: f.documents.map((d) => ({ ...d, partial: true })) } : f,
  );
  const set = new LintSet(marked, config, namespaces);
  const out = new Map<string, Finding[]>();
  const directives = new Map<string, CommentDirectives>();
  const lineStarts = new Map<string, number[]>();
  const enabled = rules
    .map((rule) => ({ rule, level: effectiveLevel(rule, config) }))
    .filter((r): r is { rule: Rule; level: Severity } => r.level !== 'off');

  const wanted = (path: string) => !options.only || options.only.has(path);
  for (const file of marked) {
    if (!wanted(file.path)) continue;
    const findings: Finding[] = [];
    for (const f of file.findings) {
      const level = config.rules[f.ruleId];
      if (level === 'off') continue;
      const fileDirectives = directives.get(file.path) ?? parseCommentDirectives(file.text);
      directives.set(file.path, fileDirectives);
      const starts = lineStarts.get(file.path) ?? computeLineStarts(file.text);
      lineStarts.set(file.path, starts);
      const suppressedBy = fileDirectives.suppression(f.ruleId, lineOf(starts, f.range.start));
      findings.push({ ...f, ...(level ? { severity: level } : {}), ...(suppressedBy ? { suppressedBy } : {}) });
    }
    out.set(file.path, findings);
  }
  for (const entry of set.entries()) {
    const { file, doc, namespace } = entry;
    const findings = out.get(file.path);
    if (!findings) continue; // in the set for lookups only
    const fileDirectives = directives.get(file.path) ?? parseCommentDirectives(file.text);
    directives.set(file.path, fileDirectives);
    for (const { rule, level } of enabled) {
      if (doc.partial && !rule.runsOnPartial) continue;
      const ctx: RuleContext = {
        doc,
        file,
        namespace,
        set,
        config,
        level,
        strict: config.preset === 'strict',
        report(path, message, options) {
          const range = rangeAt(doc, path, options?.prefer ?? 'value');
          const severity = options?.severity ?? level;
          let suppressedBy = annotationSuppression(doc, rule, config.honorForeignSuppressions);
          if (!suppressedBy) {
            const starts = lineStarts.get(file.path) ?? computeLineStarts(file.text);
            lineStarts.set(file.path, starts);
            suppressedBy = fileDirectives.suppression(rule.id, lineOf(starts, range.start));
          }
          findings.push({
            ruleId: rule.id,
            severity,
            message,
            range,
            object: {
              ...(doc.apiVersion ? { apiVersion: doc.apiVersion } : {}),
              ...(doc.kind ? { kind: doc.kind } : {}),
              ...(namespace ? { namespace } : {}),
              ...(doc.name ? { name: doc.name } : {}),
            },
            ...(suppressedBy ? { suppressedBy } : {}),
            ...(options?.data ? { data: options.data } : {}),
          });
        },
      };
      try {
        rule.check(ctx);
      } catch (e) {
        // A rule bug must never take the linter down: report it as a finding of that rule.
        findings.push({
          ruleId: rule.id,
          severity: 'info',
          message: `Internal error in rule ${rule.id}: ${(e as Error).message}`,
          range: { start: doc.range.start, end: doc.range.start },
        });
      }
    }
  }
  for (const findings of out.values()) findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
  return out;
}

/** 0-based offsets of line starts. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 0-based line of an offset (binary search). */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

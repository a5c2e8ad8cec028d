import type { Rule } from './rule';
import { asRecord, getAt, podTemplateMetadataPath } from './workloads';
import type { ManifestDocument } from './types';

/**
 * Suppression annotations, ours and the other linters' (lint-rules.md §3), on the object's metadata or its
 * pod template metadata. Returns the annotation that suppresses `rule`, or undefined.
 */
export function annotationSuppression(doc: ManifestDocument, rule: Rule, honorForeign: boolean): string | undefined {
  const sources = [asRecord(getAt(doc.value, ['metadata', 'annotations']))];
  const templateMeta = podTemplateMetadataPath(doc.kind);
  if (templateMeta && doc.kind !== 'Pod') sources.push(asRecord(getAt(doc.value, [...templateMeta, 'annotations'])));
  const foreign = (tool: string) => rule.equivalents.filter((e) => e.startsWith(`${tool}:`)).map((e) => e.slice(tool.length + 1));
  for (const annotations of sources) {
    if (!annotations) continue;
    const listed = (key: string): string[] | undefined => {
      const v = annotations[key];
      return typeof v === 'string' ? v.split(',').map((s) => s.trim()) : undefined;
    };
    const ours = listed('clusterdeck/ignore');
    if (ours && (ours.includes(rule.id) || ours.includes('*'))) return `clusterdeck/ignore: ${String(annotations['clusterdeck/ignore'])}`;
    if (!honorForeign) continue;
    for (const id of foreign('kube-linter'))
      if (`ignore-check.kube-linter.io/${id}` in annotations) return `ignore-check.kube-linter.io/${id}`;
    if (foreign('kube-linter').length && 'kube-linter.io/ignore-all' in annotations) return 'kube-linter.io/ignore-all';
    const polaris = foreign('polaris');
    if (polaris.length && String(annotations['polaris.fairwinds.com/exempt']).toLowerCase() === 'true')
      return 'polaris.fairwinds.com/exempt';
    for (const id of polaris)
      if (String(annotations[`polaris.fairwinds.com/${id}-exempt`]).toLowerCase() === 'true') return `polaris.fairwinds.com/${id}-exempt`;
    const kubeScore = foreign('kube-score');
    const ignored = listed('kube-score/ignore');
    if (kubeScore.length && ignored && (ignored.includes('*') || kubeScore.some((id) => ignored.includes(id))))
      return `kube-score/ignore: ${ignored.join(',')}`;
    if (kubeScore.length && (annotations['kube-score/skip'] === true || annotations['kube-score/skip'] === 'true'))
      return 'kube-score/skip';
    for (const id of foreign('datree')) if (`datree.skip/${id}` in annotations) return `datree.skip/${id}`;
  }
  return undefined;
}

/** Comment directives of a file: which rules are disabled on which 0-based lines. */
export interface CommentDirectives {
  /** Returns the directive text that disables `ruleId` on `line`, if any. */
  suppression(ruleId: string, line: number): string | undefined;
}

const directive = /#\s*clusterdeck-(disable-next-line|disable|enable)\b([^\n#]*)/;

/**
 * `# clusterdeck-disable-next-line rule[,rule]` (the next non-comment line), and `# clusterdeck-disable rule`
 * until `# clusterdeck-enable [rule]`. No rule list means every rule.
 */
export function parseCommentDirectives(text: string): CommentDirectives {
  const lines = text.split('\n');
  const nextLine = new Map<number, { rules: string[] | 'all'; text: string }[]>();
  const blocks: { from: number; to: number; rules: string[] | 'all'; text: string }[] = [];
  const open: { from: number; rules: string[] | 'all'; text: string }[] = [];
  if (!text.includes('clusterdeck-')) return { suppression: () => undefined };
  lines.forEach((line, i) => {
    const m = directive.exec(line);
    if (!m) return;
    const list = (m[2] ?? '')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const rules: string[] | 'all' = list.length ? list : 'all';
    const directiveText = m[0].replace(/^#\s*/, '').trim();
    if (m[1] === 'disable-next-line') {
      let target = i + 1;
      while (target < lines.length && /^\s*(#.*)?$/.test(lines[target] ?? '')) target++;
      const entries = nextLine.get(target) ?? [];
      entries.push({ rules, text: directiveText });
      nextLine.set(target, entries);
    } else if (m[1] === 'disable') {
      open.push({ from: i, rules, text: directiveText });
    } else {
      for (let k = open.length - 1; k >= 0; k--) {
        const o = open[k]!;
        if (rules === 'all' || o.rules === 'all' || rules.some((r) => (o.rules as string[]).includes(r))) {
          blocks.push({ ...o, to: i });
          open.splice(k, 1);
        }
      }
    }
  });
  for (const o of open) blocks.push({ ...o, to: lines.length });
  const matches = (rules: string[] | 'all', id: string) => rules === 'all' || rules.includes(id);
  return {
    suppression(ruleId, line) {
      for (const e of nextLine.get(line) ?? []) if (matches(e.rules, ruleId)) return e.text;
      for (const b of blocks) if (line > b.from && line < b.to && matches(b.rules, ruleId)) return b.text;
      return undefined;
    },
  };
}

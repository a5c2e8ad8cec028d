import type { LintConfig } from './lintConfig';
import type { LintSet, SetEntry } from './lintSet';
import type { ManifestDocument, ManifestFile, RuleLevel, Severity, YamlPath } from './types';

/** What a rule reports; the engine adds the range, object and severity. */
export interface ReportOptions {
  /** Point at the key instead of the value (e.g. an unknown field name). */
  readonly prefer?: 'key' | 'value';
  /** Override the rule's configured severity for this finding (rules with two levels, e.g. warning / info). */
  readonly severity?: Severity;
  readonly data?: Readonly<Record<string, string | number | boolean>>;
}

/** Everything a rule sees while checking one document. */
export interface RuleContext {
  readonly doc: ManifestDocument;
  readonly file: ManifestFile;
  /** The document's resolved namespace (metadata.namespace, kustomization namespace, default). */
  readonly namespace: string;
  /** Every document the lint run can see, for cross-document rules. */
  readonly set: LintSet;
  readonly config: LintConfig;
  /** The severity this rule runs at in this run (never 'off': off rules are not called). */
  readonly level: Severity;
  /** True in the strict preset: rules with "strict: …" behaviour widen their checks. */
  readonly strict: boolean;
  report(path: YamlPath, message: string, options?: ReportOptions): void;
}

/** One lint rule of the catalogue (../shared/reference/lint-rules.md). */
export interface Rule {
  readonly id: string;
  /** Level in the `recommended` preset. */
  readonly level: RuleLevel;
  /** Level in the `strict` preset when it differs. */
  readonly strictLevel?: RuleLevel;
  /** `document`: sees one document; `set`: also reads other documents (re-run when the set changes). */
  readonly scope: 'document' | 'set';
  /** Equivalent check ids of other tools, prefixed: `kube-linter:latest-tag`, `polaris:tagNotSpecified`, `kube-score:container-image-tag`, `datree:…`. */
  readonly equivalents: readonly string[];
  /** One line for docs and hovers. */
  readonly description: string;
  /** Partial documents (Kustomize patches) are skipped unless the rule says it is safe on them. */
  readonly runsOnPartial?: boolean;
  check(ctx: RuleContext): void;
}

export type { SetEntry };

import type { Document, Node } from 'yaml';

/** Severity of a finding; `off` only appears in rule configuration. */
export type Severity = 'error' | 'warning' | 'info';
export type RuleLevel = Severity | 'off';
export type Preset = 'recommended' | 'strict' | 'minimal';

/** Offsets into the file text: `start` inclusive, `end` exclusive (UTF-16 code units, as VS Code and `yaml`). */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** The object a finding is about. */
export interface ObjectRef {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** One diagnostic of the lint engine. `message` says what is wrong and what to do. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: TextRange;
  readonly object?: ObjectRef;
  /** Set when an annotation or comment suppressed it: the suppression that did. */
  readonly suppressedBy?: string;
  /** Rule-specific data a quick fix needs (e.g. the replacement apiVersion, the suggested field name). */
  readonly data?: Readonly<Record<string, string | number | boolean>>;
}

/** A path into a document's value: keys and list indexes. */
export type YamlPath = readonly (string | number)[];

/** One YAML document of a file, parsed with positions. */
export interface ManifestDocument {
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly yaml: Document.Parsed;
  /** The plain JavaScript value (undefined when the document is empty or could not be converted). */
  readonly value: unknown;
  readonly range: TextRange;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  /** `metadata.namespace` as written (resolution to a default happens in the lint set). */
  readonly namespace?: string;
  /** True when the document is a Kustomize patch or otherwise partial by design (no required-field errors). */
  readonly partial: boolean;
}

/** A parsed file: its documents and the findings of parsing itself (syntax, limits, templates). */
export interface ManifestFile {
  readonly path: string;
  readonly text: string;
  readonly documents: readonly ManifestDocument[];
  readonly findings: readonly Finding[];
  /** Helm template syntax was found: the file is not validated as plain YAML. */
  readonly isTemplate: boolean;
}

/** The node at a path, for ranges: the key node (when the last step is a map key) and the value node. */
export interface NodeAt {
  readonly key?: Node;
  readonly value?: Node;
}

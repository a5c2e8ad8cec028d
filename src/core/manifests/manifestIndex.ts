import type { LintConfig } from './lintConfig';
import { lintManifests } from './lintManifests';
import { parseManifestFile } from './parseManifests';
import type { Rule } from './rule';
import type { Finding, ManifestFile } from './types';

/** Cluster-scoped kinds do not tie files together; everything else joins its namespace. */
const looksLikeManifest = /^\s*(apiVersion|kind)\s*:/m;

/**
 * The workspace's YAML manifests, parsed once each and updated one file at a time, so the editor re-lints
 * only the changed file plus the files that share a namespace with it (what cross-document rules read).
 */
export class ManifestIndex {
  private readonly files = new Map<string, ManifestFile>();
  private readonly namespaces = new Map<string, Set<string>>();

  constructor(private readonly defaultNamespace: () => string = () => 'default') {}

  /** Parses and stores a file; returns the paths whose findings may have changed. */
  update(path: string, text: string): string[] {
    const before = this.namespaces.get(path) ?? new Set<string>();
    if (!looksLikeManifest.test(text)) {
      this.remove(path);
      return [path];
    }
    const file = parseManifestFile(path, text);
    this.files.set(path, file);
    // A CRD is cluster-wide: its custom resources in every namespace depend on it (marked with '*').
    const after = new Set(
      file.documents.map((d) => (d.kind === 'CustomResourceDefinition' ? '*' : (d.namespace ?? this.defaultNamespace()))),
    );
    this.namespaces.set(path, after);
    return this.affectedBy(path, new Set([...before, ...after]));
  }

  remove(path: string): string[] {
    const before = this.namespaces.get(path) ?? new Set<string>();
    this.files.delete(path);
    this.namespaces.delete(path);
    return this.affectedBy(path, before);
  }

  get(path: string): ManifestFile | undefined {
    return this.files.get(path);
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  get size(): number {
    return this.files.size;
  }

  /** Lints `paths` with every indexed file visible to cross-document rules. */
  lint(paths: readonly string[], rules: readonly Rule[], config: LintConfig): Map<string, Finding[]> {
    const only = new Set(paths.filter((p) => this.files.has(p)));
    if (only.size === 0) return new Map();
    return lintManifests([...this.files.values()], rules, config, { only });
  }

  private affectedBy(path: string, namespaces: ReadonlySet<string>): string[] {
    const out = [path];
    for (const [other, ns] of this.namespaces) {
      if (other !== path && (namespaces.has('*') || ns.has('*') || [...ns].some((n) => namespaces.has(n)))) out.push(other);
    }
    return out;
  }
}

import type { LintConfig } from './lintConfig';
import type { ManifestDocument, ManifestFile } from './types';

/** A document with its file and resolved namespace. */
export interface SetEntry {
  readonly file: ManifestFile;
  readonly doc: ManifestDocument;
  readonly namespace: string;
}

/** Kinds that live outside namespaces (their namespace resolves to ''). */
const clusterScoped = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'PriorityClass',
  'RuntimeClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'CSIDriver',
  'VolumeAttachment',
  'ClusterIssuer',
]);

/** Pod-template workload kinds (lint-rules.md §1.2, "WK"). */
export const workloadKinds = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'PodTemplate',
]);

/**
 * Every document a lint run can see, indexed by namespace and kind, for cross-document rules. Also decides
 * whether a namespace is a closed set ("target missing" rules fire only then, lint-rules.md §1.2).
 */
export class LintSet {
  private readonly byNamespace = new Map<string, SetEntry[]>();
  private readonly all: SetEntry[] = [];

  constructor(
    files: readonly ManifestFile[],
    private readonly config: Pick<LintConfig, 'complete' | 'partialNamespaces' | 'defaultNamespace'>,
    kustomizeNamespaces: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const file of files) {
      for (const doc of file.documents) {
        const namespace = this.resolveNamespace(doc, kustomizeNamespaces.get(file.path));
        const entry = { file, doc, namespace };
        this.all.push(entry);
        const list = this.byNamespace.get(namespace);
        if (list) list.push(entry);
        else this.byNamespace.set(namespace, [entry]);
      }
    }
  }

  resolveNamespace(doc: ManifestDocument, kustomizeNamespace?: string): string {
    if (doc.kind && clusterScoped.has(doc.kind)) return '';
    return doc.namespace ?? kustomizeNamespace ?? this.config.defaultNamespace;
  }

  entries(): readonly SetEntry[] {
    return this.all;
  }

  /** Documents of a namespace, optionally of some kinds. */
  inNamespace(namespace: string, kinds?: readonly string[]): SetEntry[] {
    const list = this.byNamespace.get(namespace) ?? [];
    return kinds ? list.filter((e) => e.doc.kind !== undefined && kinds.includes(e.doc.kind)) : list;
  }

  find(namespace: string, kind: string, name: string): SetEntry | undefined {
    return this.inNamespace(namespace, [kind]).find((e) => e.doc.name === name);
  }

  /** A namespace's set is closed when the CLI says --complete, or it holds a workload and is not partial. */
  isClosed(namespace: string): boolean {
    if (this.config.partialNamespaces.includes(namespace)) return false;
    if (this.config.complete) return true;
    return this.inNamespace(namespace).some((e) => e.doc.kind !== undefined && workloadKinds.has(e.doc.kind) && !e.doc.partial);
  }
}

// "Connect": the kubeconfig cluster/user/context entries for a cloud cluster, named as the clouds' CLIs name them,
// and their merge into an existing kubeconfig text that keeps every unrelated entry, comment and format.
import { isMap, isScalar, isSeq, parseDocument, stringify, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { ClusterDeckError } from '../errors';
import type { CloudCluster } from './cloudProvider';
import { cliContextName } from './cloudTree';

/** The AKS AAD server application id every AKS cluster with Entra ID accepts (kubelogin's --server-id). */
export const aksServerId = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** An exec credential command as the kubeconfig's `users[].user.exec` holds it. */
export interface ExecEntry {
  readonly apiVersion: 'client.authentication.k8s.io/v1';
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly interactiveMode: 'IfAvailable' | 'Never';
  readonly provideClusterInfo: boolean;
  readonly installHint?: string;
}

/** The three entries Connect writes. `contextName` names all of them except the AKS user (as `az` does). */
export interface KubeconfigEntry {
  readonly contextName: string;
  readonly cluster: { readonly name: string; readonly server: string; readonly certificateAuthorityData?: string };
  readonly user: { readonly name: string; readonly exec: ExecEntry };
  readonly context: { readonly name: string; readonly cluster: string; readonly user: string };
}

/** Our own credential command: `<command> <leadingArgs…> token eks|gke|aks …` (e.g. node /…/dist/cli.js). */
export interface OwnTokenCommand {
  readonly command: string;
  readonly leadingArgs: readonly string[];
  /** Extra environment (e.g. ELECTRON_RUN_AS_NODE=1 when the command is the editor's own runtime). */
  readonly env?: readonly { readonly name: string; readonly value: string }[];
}

export interface KubeconfigEntryOptions {
  /** True when the cloud's standard plugin (aws, gke-gcloud-auth-plugin, kubelogin) is installed: the caller looks. */
  readonly standardPluginAvailable: boolean;
  /** Used when the standard plugin is not available. */
  readonly ownCommand: OwnTokenCommand;
}

/** The binary of each cloud's standard credential plugin (what the caller looks for). */
export const standardPlugins: Readonly<Record<CloudCluster['cloud'], string>> = {
  eks: 'aws',
  gke: 'gke-gcloud-auth-plugin',
  aks: 'kubelogin',
};

/** AWS "account" ids that are not profile names (environment credentials): no --profile is written. */
const awsNonProfiles = new Set(['env', '']);

/**
 * The kubeconfig entries for a cluster. Throws `invalid` when the cloud reported no endpoint (a cluster still
 * being created, or one with no public and no reachable private endpoint).
 */
export function buildKubeconfigEntry(cluster: CloudCluster, options: KubeconfigEntryOptions): KubeconfigEntry {
  if (!cluster.endpoint) {
    throw new ClusterDeckError(
      'invalid',
      `Cluster "${cluster.name}" has no API server endpoint yet; wait until it is running, then Connect again.`,
    );
  }
  const contextName = cliContextName(cluster);
  const userName = cluster.cloud === 'aks' ? `clusterUser_${cluster.resourceGroup ?? ''}_${cluster.name}` : contextName;
  return {
    contextName,
    cluster: { name: contextName, server: cluster.endpoint, ...(cluster.caData ? { certificateAuthorityData: cluster.caData } : {}) },
    user: { name: userName, exec: options.standardPluginAvailable ? standardExec(cluster) : ownExec(cluster, options.ownCommand) },
    context: { name: contextName, cluster: contextName, user: userName },
  };
}

function standardExec(cluster: CloudCluster): ExecEntry {
  const base = { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'IfAvailable' } as const;
  switch (cluster.cloud) {
    case 'eks':
      return {
        ...base,
        command: 'aws',
        args: [
          'eks',
          'get-token',
          ...bind('--cluster-name', cluster.name),
          ...bind('--region', cluster.location),
          '--output',
          'json',
          ...(awsNonProfiles.has(cluster.account) ? [] : bind('--profile', cluster.account)),
        ],
        provideClusterInfo: false,
      };
    case 'gke':
      return {
        ...base,
        command: 'gke-gcloud-auth-plugin',
        args: [],
        provideClusterInfo: true,
        installHint:
          'Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin',
      };
    case 'aks':
      return {
        ...base,
        command: 'kubelogin',
        args: ['get-token', '--login', 'azurecli', '--server-id', aksServerId],
        provideClusterInfo: false,
      };
  }
}

/**
 * An option and its value as argv (catalogue B53): `[flag, value]`, except for a value that itself looks like an
 * option (`-n`, `--kubeconfig=evil.yaml`, e.g. an AWS profile name), which is bound as `flag=value` so no parser can
 * take it for an option of its own (Node's parseArgs and Python's argparse both refuse or misread `--flag -x`).
 */
export function bind(flag: string, value: string): string[] {
  return value.startsWith('-') ? [`${flag}=${value}`] : [flag, value];
}

/** `clusterdeck token …` arguments per cloud (the `token` command of the CLI parses these). */
export function ownTokenArgs(cluster: Pick<CloudCluster, 'cloud' | 'account' | 'location' | 'name' | 'resourceGroup'>): string[] {
  switch (cluster.cloud) {
    case 'eks':
      return [
        'token',
        'eks',
        ...bind('--cluster', cluster.name),
        ...bind('--region', cluster.location),
        ...(awsNonProfiles.has(cluster.account) ? [] : bind('--profile', cluster.account)),
      ];
    case 'gke':
      return [
        'token',
        'gke',
        ...bind('--cluster', cluster.name),
        ...bind('--location', cluster.location),
        ...bind('--project', cluster.account),
      ];
    case 'aks':
      return [
        'token',
        'aks',
        ...bind('--cluster', cluster.name),
        ...bind('--resource-group', cluster.resourceGroup ?? ''),
        ...bind('--subscription', cluster.account),
      ];
  }
}

function ownExec(cluster: CloudCluster, own: OwnTokenCommand): ExecEntry {
  return {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: own.command,
    args: [...own.leadingArgs, ...ownTokenArgs(cluster)],
    ...(own.env?.length ? { env: own.env } : {}),
    // Our command never prompts: sign-in happens in the editor or the clouds' own tools.
    interactiveMode: 'Never',
    provideClusterInfo: false,
  };
}

/** The plain kubeconfig shape of each entry, as written (key order as kubectl writes it). */
export function entryObjects(entry: KubeconfigEntry): { clusters: object; users: object; contexts: object } {
  const exec = entry.user.exec;
  return {
    clusters: {
      cluster: {
        ...(entry.cluster.certificateAuthorityData ? { 'certificate-authority-data': entry.cluster.certificateAuthorityData } : {}),
        server: entry.cluster.server,
      },
      name: entry.cluster.name,
    },
    users: {
      name: entry.user.name,
      user: {
        exec: {
          apiVersion: exec.apiVersion,
          args: [...exec.args],
          command: exec.command,
          ...(exec.env?.length ? { env: exec.env.map((e) => ({ name: e.name, value: e.value })) } : {}),
          ...(exec.installHint ? { installHint: exec.installHint } : {}),
          interactiveMode: exec.interactiveMode,
          provideClusterInfo: exec.provideClusterInfo,
        },
      },
    },
    contexts: { context: { cluster: entry.context.cluster, user: entry.context.user }, name: entry.context.name },
  };
}

/** One same-named entry whose content differs from what Connect would write. */
export interface KubeconfigConflict {
  readonly section: 'clusters' | 'users' | 'contexts';
  readonly name: string;
  /** Dotted paths that differ (e.g. "cluster.server"), for the question the host asks. */
  readonly differences: readonly string[];
}

export type MergeResult =
  | { readonly kind: 'added' | 'replaced' | 'unchanged'; readonly text: string }
  | { readonly kind: 'conflict'; readonly conflicts: readonly KubeconfigConflict[] };

export interface MergeOptions {
  /** Replace same-named entries that differ (after the user agreed); otherwise they are reported as a conflict. */
  readonly replace?: boolean;
  /** Also set current-context to the new context. */
  readonly setCurrent?: boolean;
}

const sections = ['clusters', 'users', 'contexts'] as const;

/**
 * Merges the entries into a kubeconfig text by splicing text at node positions (from the `yaml` document model),
 * never by re-printing: unrelated entries, their order, comments and formatting stay byte for byte; new entries are
 * appended to their list in its own indentation; identical entries are left alone (`unchanged` when nothing
 * changes at all). Same-named entries with other content → `conflict` unless `replace`, which swaps just those items.
 * Throws `badConfig` when the text is not a YAML mapping (or a list is not a list).
 */
export function mergeKubeconfigEntry(text: string, entry: KubeconfigEntry, options: MergeOptions = {}): MergeResult {
  return mergeKubeconfigItems(text, entryObjects(entry) as KubeconfigItems, entry.contextName, options);
}

/** One named item per kubeconfig list, in the file's own shape (`{name, cluster: {...}}` and so on). */
export interface KubeconfigItems {
  readonly clusters: { readonly name: string; readonly [key: string]: unknown };
  readonly users: { readonly name: string; readonly [key: string]: unknown };
  readonly contexts: { readonly name: string; readonly [key: string]: unknown };
}

/**
 * {@link mergeKubeconfigEntry} for items of any shape (e.g. an imported admin.conf's client-certificate user):
 * the same text splicing, conflict detection and `setCurrent` to `contextName`.
 */
export function mergeKubeconfigItems(text: string, wanted: KubeconfigItems, contextName: string, options: MergeOptions = {}): MergeResult {
  const entry = { contextName };
  if (text.trim() === '') {
    const body = sections.map((section) => `${section}:\n${renderItem(wanted[section], 0)}`).join('');
    return {
      kind: 'added',
      text: `apiVersion: v1\nkind: Config\n${body}${options.setCurrent ? `current-context: ${scalarText(entry.contextName)}\n` : ''}`,
    };
  }
  const doc = parseDocument(text);
  const root = doc.contents;
  if (doc.errors.length || !isMap(root) || (root.flow && root.items.length > 0)) {
    throw new ClusterDeckError(
      'badConfig',
      'The kubeconfig file is not a YAML mapping in block style; it was not changed. Fix or move it, then Connect again.',
    );
  }
  const pairOf = (key: string) => (root as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === key);
  const conflicts: KubeconfigConflict[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  const appended: string[] = [];
  for (const section of sections) {
    const pair = pairOf(section);
    const seq = pair?.value as Node | null | undefined;
    const value = wanted[section];
    const name = (value as { name: string }).name;
    if (seq !== undefined && seq !== null && !isSeq(seq) && !(isScalar(seq) && seq.value === null)) {
      throw new ClusterDeckError(
        'badConfig',
        `The kubeconfig's "${section}" is not a list; it was not changed. Fix it, then Connect again.`,
      );
    }
    if (!isSeq(seq)) {
      if (pair && isScalar(pair.value) && pair.value.range) {
        // `clusters:` with nothing (null, `~` or a comment): the list goes below the key's line, which stays as is
        // unless it holds an explicit `~`/`null` (then that word goes).
        const keyNode = pair.key as Node;
        const keyCol = columnOf(text, keyNode.range?.[0] ?? 0);
        const explicit = pair.value.range[1] > pair.value.range[0];
        const nl = text.indexOf('\n', keyNode.range?.[1] ?? 0);
        const at = explicit ? pair.value.range[1] : nl === -1 ? text.length : nl;
        edits.push({
          start: explicit ? trimLeftSpaces(text, pair.value.range[0]) : at,
          end: at,
          text: `\n${renderItem(value, keyCol).replace(/\n$/, '')}`,
        });
      } else if (!pair) appended.push(`${section}:\n${renderItem(value, 0)}`);
      continue;
    }
    const items = seq.items as Node[];
    const index = items.findIndex((item) => isMap(item) && item.get('name') === name);
    if (index >= 0) {
      const item = items[index] as YAMLMap;
      const differences = diffPaths(item.toJSON(), value, '');
      if (differences.length === 0) continue;
      conflicts.push({ section, name, differences });
      edits.push(seq.flow ? flowReplace(item, value) : blockReplace(text, item, value));
    } else {
      edits.push(
        seq.flow && seq.items.length === 0 && seq.range
          ? // `clusters: []` becomes a block list below its key.
            {
              start: trimLeftSpaces(text, seq.range[0]),
              end: seq.range[1],
              text: `\n${renderItem(value, columnOf(text, (pair?.key as Node).range?.[0] ?? 0)).replace(/\n$/, '')}`,
            }
          : seq.flow
            ? flowAppend(text, seq, value)
            : blockAppend(text, seq, value),
      );
    }
  }
  if (conflicts.length && !options.replace) return { kind: 'conflict', conflicts };
  if (options.setCurrent) {
    const pair = pairOf('current-context');
    const current = pair?.value as Node | null | undefined;
    if (isScalar(current) && current.range) {
      if (current.value !== entry.contextName)
        edits.push({ start: current.range[0], end: current.range[1], text: scalarText(entry.contextName) });
    } else if (pair) {
      throw new ClusterDeckError(
        'badConfig',
        'The kubeconfig\'s "current-context" is not a name; it was not changed. Fix it, then Connect again.',
      );
    } else appended.push(`current-context: ${scalarText(entry.contextName)}\n`);
  }
  if (edits.length === 0 && appended.length === 0) return { kind: 'unchanged', text };
  // Windows-edited files keep their CRLF line ends.
  const eol = (t: string) => (text.includes('\r\n') ? t.replace(/\r?\n/g, '\r\n') : t);
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + eol(e.text) + out.slice(e.end);
  if (appended.length) out = `${out}${out.endsWith('\n') ? '' : eol('\n')}${eol(appended.join(''))}`;
  return { kind: conflicts.length ? 'replaced' : 'added', text: out };
}

/** A list item rendered in block style with its dash at `column`, ending with a newline. */
function renderItem(value: unknown, column: number): string {
  const body = stringify([value], { indent: 2, indentSeq: false, lineWidth: 0 });
  const pad = ' '.repeat(column);
  return body
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

function scalarText(value: string): string {
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

function trimLeftSpaces(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] === ' ') i--;
  return i;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Where an item's "- " starts (the dash may sit on the same line as the item's first key). */
function dashOf(text: string, item: Node): number {
  const start = item.range?.[0] ?? 0;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const dash = text.lastIndexOf('-', start - 1);
  return dash >= lineStart ? dash : start;
}

function blockAppend(text: string, seq: YAMLSeq, value: unknown): { start: number; end: number; text: string } {
  const items = seq.items as Node[];
  const first = items[0];
  const last = items[items.length - 1];
  const column = first ? columnOf(text, dashOf(text, first)) : 0;
  const at = last?.range?.[1] ?? seq.range?.[1] ?? text.length;
  const lead = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return { start: at, end: at, text: lead + renderItem(value, column) };
}

function blockReplace(text: string, item: Node, value: unknown): { start: number; end: number; text: string } {
  const dash = dashOf(text, item);
  const end = item.range?.[1] ?? dash;
  const rendered = renderItem(value, columnOf(text, dash)).slice(columnOf(text, dash));
  return { start: dash, end, text: text[end - 1] === '\n' ? rendered : rendered.replace(/\n$/, '') };
}

function flowAppend(text: string, seq: YAMLSeq, value: unknown): { start: number; end: number; text: string } {
  const close = text.lastIndexOf(']', (seq.range?.[1] ?? 1) - 1);
  return { start: close, end: close, text: `${seq.items.length ? ', ' : ''}${JSON.stringify(value)}` };
}

function flowReplace(item: Node, value: unknown): { start: number; end: number; text: string } {
  return { start: item.range?.[0] ?? 0, end: item.range?.[1] ?? 0, text: JSON.stringify(value) };
}

/** The paths at which two plain values differ; [] when equal. Arrays compare by position. */
function diffPaths(a: unknown, b: unknown, path: string): string[] {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return a === b ? [] : [path || '(entry)'];
  }
  if (Array.isArray(a) !== Array.isArray(b)) return [path || '(entry)'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys) {
    out.push(...diffPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return out;
}

/** One sentence naming the conflicts, for the question before replacing. */
export function describeConflicts(conflicts: readonly KubeconfigConflict[]): string {
  return conflicts
    .map(
      (c) =>
        `${c.section.slice(0, -1)} "${c.name}" differs in ${c.differences.slice(0, 4).join(', ')}${c.differences.length > 4 ? ', …' : ''}`,
    )
    .join('; ');
}

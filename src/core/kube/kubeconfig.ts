import { isAbsolute, join } from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isSeq, type Node } from 'yaml';
import { ClusterDeckError } from '../errors';

/** One kubeconfig file's text, read by node/ (core does no I/O). `path` is absolute. */
export interface KubeconfigSource {
  readonly path: string;
  readonly text: string;
}

/** A `clusters[]` entry; relative file paths already resolved against the file that defined it. */
export interface ClusterEntry {
  readonly name: string;
  readonly server: string;
  readonly certificateAuthorityFile?: string;
  readonly certificateAuthorityData?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
  readonly sourcePath: string;
}

/** An exec credential plugin (`users[].user.exec`). Env values may be secrets: never log them. */
export interface ExecPluginConfig {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly interactiveMode?: string;
  readonly installHint?: string;
  readonly provideClusterInfo: boolean;
}

/** A `users[]` entry. Holds secrets: never log, never show. */
export interface UserEntry {
  readonly name: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly clientCertificateFile?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyFile?: string;
  readonly clientKeyData?: string;
  readonly username?: string;
  readonly password?: string;
  readonly exec?: ExecPluginConfig;
  readonly authProviderName?: string;
  readonly sourcePath: string;
}

/** A `contexts[]` entry. */
export interface ContextEntry {
  readonly name: string;
  readonly clusterName: string;
  readonly userName: string;
  readonly namespace?: string;
  readonly sourcePath: string;
}

/**
 * A problem with one file; the other files still load. `line` and `column` are 1-based (the parser's position;
 * the message never quotes the source, which may hold a token). `severity` absent = `error`; a `warning` (a
 * listed file that does not exist) loses nothing the user could use.
 */
export interface KubeconfigProblem {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly severity?: 'error' | 'warning';
  readonly message: string;
}

/** `file:line:col` (or `file:line`, or `file`) of a problem, for messages; `name` is how the file is shown. */
export function problemLocation(problem: KubeconfigProblem, name: string = problem.path): string {
  if (problem.line === undefined) return name;
  return `${name}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
}

/**
 * A definition a later file repeats: kubectl uses the first file's entry (`shadowedBy`), the one in `path` is
 * ignored. Kept so the UI can say "shadowed by <file>" instead of silently using another file's entry.
 */
export interface ShadowedEntry {
  readonly kind: 'context' | 'cluster' | 'user';
  readonly name: string;
  /** The file whose definition is ignored. */
  readonly path: string;
  /** The file whose definition wins. */
  readonly shadowedBy: string;
}

/** The merged view of all kubeconfig files, by kubectl's loading rules. */
export interface MergedKubeconfig {
  readonly files: readonly string[];
  readonly contexts: readonly ContextEntry[];
  readonly clusters: ReadonlyMap<string, ClusterEntry>;
  readonly users: ReadonlyMap<string, UserEntry>;
  readonly currentContext?: string;
  readonly problems: readonly KubeconfigProblem[];
  /** Later definitions of a name an earlier file already defined, in file order (absent: none recorded). */
  readonly shadowed?: readonly ShadowedEntry[];
}

/** A context with the cluster and user it names. */
export interface ResolvedContext {
  readonly context: ContextEntry;
  readonly cluster: ClusterEntry;
  readonly user: UserEntry;
}

/**
 * Merges kubeconfig files the way kubectl (client-go) does: files in order, the first file to define a
 * cluster, user or context name wins, the first non-empty `current-context` wins, relative file paths are
 * resolved against the directory of the file that holds them. A malformed file becomes a problem (with
 * its line) and contributes nothing; the other files still load.
 */
export function mergeKubeconfigs(sources: readonly KubeconfigSource[]): MergedKubeconfig {
  const contexts = new Map<string, ContextEntry>();
  const clusters = new Map<string, ClusterEntry>();
  const users = new Map<string, UserEntry>();
  const problems: KubeconfigProblem[] = [];
  let currentContext: string | undefined;
  // Names taken by an entry we skipped as unusable (a cluster without a server, a context without a cluster) count
  // too: client-go keeps such an entry, so it still wins over a later file's entry of the same name: kubectl then
  // fails on it rather than silently using another file's cluster, and so must we.
  const shadowed: ShadowedEntry[] = [];
  // The file that first defined each name (usable or not): a later definition is shadowed by it.
  const owner = { context: new Map<string, string>(), cluster: new Map<string, string>(), user: new Map<string, string>() };
  const claim = (kind: ShadowedEntry['kind'], name: string, path: string): boolean => {
    const first = owner[kind].get(name);
    if (first === undefined) {
      owner[kind].set(name, path);
      return true;
    }
    shadowed.push({ kind, name, path, shadowedBy: first });
    return false;
  };

  for (const source of sources) {
    const parsed = parseKubeconfigFile(source);
    problems.push(...parsed.problems);
    // Entries in file order, skipped (unusable) ones included: they claim their name as client-go keeps them.
    for (const c of parsed.clusters) if (claim('cluster', c.name, source.path)) clusters.set(c.name, c);
    for (const name of parsed.skippedClusters) claim('cluster', name, source.path);
    for (const u of parsed.users) if (claim('user', u.name, source.path)) users.set(u.name, u);
    for (const c of parsed.contexts) if (claim('context', c.name, source.path)) contexts.set(c.name, c);
    for (const name of parsed.skippedContexts) claim('context', name, source.path);
    if (!currentContext && parsed.currentContext) currentContext = parsed.currentContext;
  }
  return {
    files: sources.map((s) => s.path),
    contexts: [...contexts.values()],
    clusters,
    users,
    ...(currentContext ? { currentContext } : {}),
    problems,
    shadowed,
  };
}

/** The definitions of `name` (a context, or the cluster or user a context uses) that later files repeat in vain. */
export function shadowedDefinitions(config: MergedKubeconfig, kind: ShadowedEntry['kind'], name: string): ShadowedEntry[] {
  return (config.shadowed ?? []).filter((s) => s.kind === kind && s.name === name);
}

/**
 * What `current-context` amounts to: a context that exists (`active`), none set (`unset`), or a name no file
 * defines (`missing`, B08): then no context is active, nothing is contacted, and the user is offered the picker.
 */
export type CurrentContextState =
  | { readonly kind: 'active'; readonly context: ContextEntry }
  | { readonly kind: 'unset' }
  | { readonly kind: 'missing'; readonly name: string };

/** The state of the merged `current-context` (see `CurrentContextState`). */
export function currentContextState(config: MergedKubeconfig): CurrentContextState {
  if (!config.currentContext) return { kind: 'unset' };
  const context = config.contexts.find((c) => c.name === config.currentContext);
  return context ? { kind: 'active', context } : { kind: 'missing', name: config.currentContext };
}

/** Looks up the cluster and user a context names; throws `badConfig` naming what is missing. */
export function resolveContext(config: MergedKubeconfig, contextName: string): ResolvedContext {
  const context = config.contexts.find((c) => c.name === contextName);
  if (!context) throw new ClusterDeckError('badConfig', `No kubeconfig file defines the context "${contextName}".`);
  const cluster = config.clusters.get(context.clusterName);
  if (!cluster) {
    throw new ClusterDeckError(
      'badConfig',
      `Context "${contextName}" names the cluster "${context.clusterName}", which no kubeconfig file defines.`,
      { file: context.sourcePath },
    );
  }
  const known = config.users.get(context.userName);
  // Like client-go's validation: a context naming a user that no file defines is broken (it must not quietly go
  // out anonymous); a context without a user at all is anonymous on purpose.
  if (!known && context.userName !== '') {
    throw new ClusterDeckError(
      'badConfig',
      `Context "${contextName}" names the user "${context.userName}", which no kubeconfig file defines.`,
      { file: context.sourcePath },
    );
  }
  const user = known ?? { name: context.userName, sourcePath: context.sourcePath };
  return { context, cluster, user };
}

interface ParsedFile {
  clusters: ClusterEntry[];
  users: UserEntry[];
  contexts: ContextEntry[];
  currentContext?: string;
  problems: KubeconfigProblem[];
  /** Names of entries skipped as unusable; they still shadow later files (see `mergeKubeconfigs`). */
  skippedClusters: string[];
  skippedContexts: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parseKubeconfigFile(source: KubeconfigSource): ParsedFile {
  const result: ParsedFile = { clusters: [], users: [], contexts: [], problems: [], skippedClusters: [], skippedContexts: [] };
  const lineCounter = new LineCounter();
  // client-go (sigs.k8s.io/yaml over go-yaml v2) decodes only the first YAML document of a kubeconfig and
  // ignores the rest, so a trailing `---` (or a second document) must not make the file unreadable, as
  // `parseDocument` would with its MULTIPLE_DOCS error. Errors of the later documents are ignored too.
  // go-yaml v2 also honours `<<: *anchor` merge keys, which the `yaml` package's YAML 1.2 default does not.
  const doc = parseAllDocuments(source.text, { lineCounter, uniqueKeys: false, merge: true })[0];
  if (!doc) return result; // an empty (or comment-only) file is allowed and contributes nothing
  const lineOf = (node: Node | null | undefined): Position => (node?.range ? positionField(lineCounter.linePos(node.range[0])) : {});
  const firstError = doc.errors[0];
  if (firstError) {
    // Only the parser's first message line: the lines after it quote the source, which may hold a token.
    result.problems.push({
      path: source.path,
      ...positionField(firstError.linePos?.[0]),
      // The position is in the fields (shown as file:line:col), so the parser's "at line L, column C:" goes.
      message: `Not valid YAML: ${(firstError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
    });
    return result;
  }
  if (doc.contents === null) return result; // an empty file is allowed and contributes nothing
  if (!isMap(doc.contents)) {
    const at = lineOf(doc.contents);
    result.problems.push({
      path: source.path,
      ...(at.line === undefined ? { line: 1 } : at),
      message: 'A kubeconfig must be a YAML mapping.',
    });
    return result;
  }
  let root: Json;
  try {
    root = doc.toJS({ maxAliasCount: 100 }) as Json;
  } catch (e) {
    result.problems.push({ path: source.path, message: `Not readable: ${(e as Error).message}` });
    return result;
  }
  const dir = dirnameOf(source.path);
  const obj = asObject(root) ?? {};

  const listOf = (key: string): { item: Record<string, Json>; name: string; at: Position }[] => {
    const value = obj[key];
    if (value === undefined || value === null) return [];
    const node = doc.get(key, true) as Node | undefined;
    if (!Array.isArray(value) || !isSeq(node)) {
      result.problems.push({ path: source.path, ...lineOf(node), message: `"${key}" must be a list.` });
      return [];
    }
    const out: { item: Record<string, Json>; name: string; at: Position }[] = [];
    const seen = new Set<string>();
    value.forEach((v, i) => {
      const itemNode = node.items[i] as Node | undefined;
      const item = asObject(v);
      if (!item || typeof item.name !== 'string' || item.name === '') {
        result.problems.push({
          path: source.path,
          ...lineOf(itemNode),
          message: `An entry of "${key}" has no name; it was skipped.`,
        });
        return;
      }
      // client-go refuses a file that repeats a name inside one list ("duplicate name … in list"), so kubectl
      // fails on it; we keep the first entry (the first-wins rule) but say so instead of hiding it.
      if (seen.has(item.name)) {
        result.problems.push({
          path: source.path,
          ...lineOf(itemNode),
          message: `"${key}" names "${item.name}" twice; kubectl refuses this file; the later entry was skipped.`,
        });
        return;
      }
      seen.add(item.name);
      out.push({ item, name: item.name, at: lineOf(itemNode) });
    });
    return out;
  };

  for (const { item, name, at } of listOf('clusters')) {
    const c = asObject(item.cluster);
    const server = c && typeof c.server === 'string' ? c.server : undefined;
    if (!c || !server) {
      result.problems.push({ path: source.path, ...at, message: `Cluster "${name}" has no server URL; it was skipped.` });
      result.skippedClusters.push(name);
      continue;
    }
    result.clusters.push({
      name: name,
      server,
      ...opt('certificateAuthorityFile', resolveFile(dir, str(c['certificate-authority']))),
      ...opt('certificateAuthorityData', str(c['certificate-authority-data'])),
      insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
      ...opt('tlsServerName', str(c['tls-server-name'])),
      ...opt('proxyUrl', str(c['proxy-url'])),
      sourcePath: source.path,
    });
  }
  for (const { item, name } of listOf('users')) {
    const u = asObject(item.user) ?? {};
    result.users.push({
      name: name,
      ...opt('token', str(u.token)),
      ...opt('tokenFile', resolveFile(dir, str(u.tokenFile))),
      ...opt('clientCertificateFile', resolveFile(dir, str(u['client-certificate']))),
      ...opt('clientCertificateData', str(u['client-certificate-data'])),
      ...opt('clientKeyFile', resolveFile(dir, str(u['client-key']))),
      ...opt('clientKeyData', str(u['client-key-data'])),
      ...opt('username', str(u.username)),
      ...opt('password', str(u.password)),
      ...opt('exec', parseExec(asObject(u.exec), dir)),
      ...opt('authProviderName', str(asObject(u['auth-provider'])?.name)),
      sourcePath: source.path,
    });
  }
  for (const { item, name, at } of listOf('contexts')) {
    const c = asObject(item.context);
    if (!c || typeof c.cluster !== 'string') {
      result.problems.push({ path: source.path, ...at, message: `Context "${name}" names no cluster; it was skipped.` });
      result.skippedContexts.push(name);
      continue;
    }
    result.contexts.push({
      name: name,
      clusterName: c.cluster,
      userName: str(c.user) ?? '',
      ...opt('namespace', str(c.namespace)),
      sourcePath: source.path,
    });
  }
  const current = str(obj['current-context']);
  if (current) result.currentContext = current;
  return result;
}

function parseExec(exec: Record<string, Json> | undefined, dir: string): ExecPluginConfig | undefined {
  if (!exec || typeof exec.command !== 'string') return undefined;
  const command = exec.command;
  // client-go resolves a command relative to the kubeconfig only when it contains a path separator.
  const resolved = command.includes('/') && !isAbsolute(command) ? join(dir, command) : command;
  const env = Array.isArray(exec.env)
    ? exec.env.flatMap((e) => {
        const o = asObject(e);
        return o && typeof o.name === 'string' ? [{ name: o.name, value: str(o.value) ?? '' }] : [];
      })
    : [];
  return {
    apiVersion: str(exec.apiVersion) ?? 'client.authentication.k8s.io/v1beta1',
    command: resolved,
    args: Array.isArray(exec.args) ? exec.args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))) : [],
    env,
    ...opt('interactiveMode', str(exec.interactiveMode)),
    ...opt('installHint', str(exec.installHint)),
    provideClusterInfo: exec.provideClusterInfo === true,
  };
}

function asObject(v: Json | undefined): Record<string, Json> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}
function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
/** A 1-based position of a problem (empty when unknown). */
interface Position {
  line?: number;
  column?: number;
}
function positionField(pos: { line: number; col: number } | undefined): Position {
  return pos && pos.line > 0 ? { line: pos.line, ...(pos.col > 0 ? { column: pos.col } : {}) } : {};
}
function resolveFile(dir: string, p: string | undefined): string | undefined {
  if (!p) return undefined;
  return isAbsolute(p) ? p : join(dir, p);
}
function dirnameOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i <= 0 ? (i === 0 ? p.slice(0, 1) : '.') : p.slice(0, i);
}

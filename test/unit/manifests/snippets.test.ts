// Every snippet of snippets/kubernetes.json, expanded with its defaults, is valid YAML and lints clean (no error,
// no warning) in the `recommended` preset with the whole rule catalogue; the required kinds are all covered.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultLintConfig } from '../../../src/core/manifests/lintConfig';
import { computeLineStarts, lineOf, lintManifests } from '../../../src/core/manifests/lintManifests';
import { parseManifestFile } from '../../../src/core/manifests/parseManifests';
import { ruleCatalogue } from '../../../src/core/manifests/ruleCatalogue';
import type { Finding, ManifestFile } from '../../../src/core/manifests/types';

const snippetsPath = join(__dirname, '..', '..', '..', 'snippets', 'kubernetes.json');

interface Snippet {
  readonly name: string;
  readonly prefix: string;
  readonly description: string;
  readonly body: string;
}

/** Snippets that are YAML but not Kubernetes objects: parsed, never linted. */
const notKubernetes = new Set(['helm-chart', 'helm-values']);

// ---------------------------------------------------------------------------------------------------------------
// A small expander for the VS Code snippet syntax (https://code.visualstudio.com/docs/editor/userdefinedsnippets):
// tab stops `$1` `${1}`, placeholders `${1:default}` (nested), choices `${1|a,b|}`, variables `$NAME` `${NAME}`
// `${NAME:default}`, escapes `\$` `\}` `\\` (and `\,` `\|` in choices). Like VS Code, a tab stop or placeholder
// without a default takes the default of another placeholder with the same index (mirrors). Transforms are not
// supported (they throw, so a snippet that starts using them fails loudly here).
// ---------------------------------------------------------------------------------------------------------------

type SnippetNode =
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'tabstop'; readonly index: number; readonly children: readonly SnippetNode[] }
  | { readonly type: 'choice'; readonly index: number; readonly options: readonly string[] }
  | { readonly type: 'variable'; readonly name: string; readonly children?: readonly SnippetNode[] };

/** Fixed values for the snippet variables, so expansion is deterministic. */
const variableValues: Readonly<Record<string, string>> = {
  TM_FILENAME: 'app.yaml',
  TM_FILENAME_BASE: 'app',
  TM_DIRECTORY: '/workspace/manifests',
  TM_FILEPATH: '/workspace/manifests/app.yaml',
  RELATIVE_FILEPATH: 'manifests/app.yaml',
  TM_LINE_INDEX: '0',
  TM_LINE_NUMBER: '1',
  TM_SELECTED_TEXT: '',
  TM_CURRENT_LINE: '',
  TM_CURRENT_WORD: '',
  CLIPBOARD: '',
  WORKSPACE_NAME: 'workspace',
  WORKSPACE_FOLDER: '/workspace',
  CURSOR_INDEX: '0',
  CURSOR_NUMBER: '1',
  CURRENT_YEAR: '2026',
  CURRENT_YEAR_SHORT: '26',
  CURRENT_MONTH: '01',
  CURRENT_MONTH_NAME: 'January',
  CURRENT_MONTH_NAME_SHORT: 'Jan',
  CURRENT_DATE: '15',
  CURRENT_DAY_NAME: 'Thursday',
  CURRENT_DAY_NAME_SHORT: 'Thu',
  CURRENT_HOUR: '09',
  CURRENT_MINUTE: '30',
  CURRENT_SECOND: '00',
  CURRENT_SECONDS_UNIX: '1768469400',
  CURRENT_TIMEZONE_OFFSET: '+00:00',
  RANDOM: '123456',
  RANDOM_HEX: 'a1b2c3',
  UUID: '00000000-0000-4000-8000-000000000000',
  LINE_COMMENT: '#',
  BLOCK_COMMENT_START: '#',
  BLOCK_COMMENT_END: '',
};

class SnippetParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): SnippetNode[] {
    const nodes = this.sequence(false);
    if (this.pos < this.src.length) throw this.error('unexpected "}"');
    return nodes;
  }

  private error(message: string): Error {
    return new Error(`snippet syntax at offset ${this.pos}: ${message} in ${JSON.stringify(this.src.slice(this.pos, this.pos + 30))}`);
  }

  /** Nodes until the end, or (inside a placeholder) until an unescaped `}`. */
  private sequence(nested: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ type: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '$' || next === '}' || next === '\\') {
          text += next;
          this.pos += 2;
        } else {
          text += c;
          this.pos += 1;
        }
      } else if (c === '}' && nested) {
        break;
      } else if (c === '$') {
        const node = this.dollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          text += '$';
          this.pos += 1;
        }
      } else {
        text += c;
        this.pos += 1;
      }
    }
    flush();
    return nodes;
  }

  /** At a `$`: a tab stop, placeholder, choice or variable, or undefined when the `$` is literal text. */
  private dollar(): SnippetNode | undefined {
    const rest = this.src.slice(this.pos + 1);
    const bareIndex = /^\d+/.exec(rest);
    if (bareIndex) {
      this.pos += 1 + bareIndex[0].length;
      return { type: 'tabstop', index: Number(bareIndex[0]), children: [] };
    }
    const bareName = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(rest);
    if (bareName) {
      this.pos += 1 + bareName[0].length;
      return { type: 'variable', name: bareName[0] };
    }
    if (!rest.startsWith('{')) return undefined;
    const head = /^\{(?:(\d+)|([_a-zA-Z][_a-zA-Z0-9]*))/.exec(rest);
    if (!head) return undefined;
    this.pos += 1 + head[0].length;
    const index = head[1] === undefined ? undefined : Number(head[1]);
    const name = head[2];
    const c = this.src[this.pos];
    if (c === '}') {
      this.pos += 1;
      return index === undefined ? { type: 'variable', name: name! } : { type: 'tabstop', index, children: [] };
    }
    if (c === ':') {
      this.pos += 1;
      const children = this.sequence(true);
      if (this.src[this.pos] !== '}') throw this.error('unterminated placeholder');
      this.pos += 1;
      return index === undefined ? { type: 'variable', name: name!, children } : { type: 'tabstop', index, children };
    }
    if (c === '|' && index !== undefined) {
      this.pos += 1;
      const options: string[] = [];
      let option = '';
      for (;;) {
        const ch = this.src[this.pos];
        if (ch === undefined) throw this.error('unterminated choice');
        if (ch === '\\' && [',', '|', '\\', '$', '}'].includes(this.src[this.pos + 1] ?? '')) {
          option += this.src[this.pos + 1];
          this.pos += 2;
        } else if (ch === ',') {
          options.push(option);
          option = '';
          this.pos += 1;
        } else if (ch === '|' && this.src[this.pos + 1] === '}') {
          options.push(option);
          this.pos += 2;
          return { type: 'choice', index, options };
        } else {
          option += ch;
          this.pos += 1;
        }
      }
    }
    if (c === '/') throw this.error('transforms are not supported by this expander');
    throw this.error('malformed ${…}');
  }
}

/** Expands a snippet body as VS Code inserts it when every tab stop keeps its default. */
function expandSnippet(body: string): string {
  const nodes = new SnippetParser(body).parse();
  // The first placeholder of an index that has a value defines the value of every placeholder with that index.
  const defaults = new Map<number, readonly SnippetNode[] | string>();
  const collect = (list: readonly SnippetNode[]) => {
    for (const n of list) {
      if (n.type === 'tabstop') {
        if (n.children.length && !defaults.has(n.index)) defaults.set(n.index, n.children);
        collect(n.children);
      } else if (n.type === 'choice') {
        if (!defaults.has(n.index)) defaults.set(n.index, n.options[0] ?? '');
      } else if (n.type === 'variable' && n.children) {
        collect(n.children);
      }
    }
  };
  collect(nodes);
  const render = (list: readonly SnippetNode[], depth: number): string => {
    if (depth > 20) throw new Error('snippet placeholders refer to each other in a cycle');
    return list
      .map((n) => {
        switch (n.type) {
          case 'text':
            return n.value;
          case 'choice':
            return n.options[0] ?? '';
          case 'tabstop': {
            if (n.children.length) return render(n.children, depth + 1);
            const d = n.index === 0 ? undefined : defaults.get(n.index);
            return d === undefined ? '' : typeof d === 'string' ? d : render(d, depth + 1);
          }
          case 'variable': {
            const value = variableValues[n.name];
            if (value !== undefined && value !== '') return value;
            if (n.children) return render(n.children, depth + 1);
            if (value !== undefined) return value;
            throw new Error(`unknown snippet variable $${n.name} (VS Code would insert its name as text)`);
          }
        }
      })
      .join('');
  };
  return render(nodes, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Loading and helpers
// ---------------------------------------------------------------------------------------------------------------

function loadSnippets(): { snippets: Snippet[]; problems: string[] } {
  const raw = JSON.parse(readFileSync(snippetsPath, 'utf8')) as unknown;
  const problems: string[] = [];
  const snippets: Snippet[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { snippets, problems: ['the file must hold a JSON object'] };
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const s = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    const body = Array.isArray(s.body) && s.body.every((l) => typeof l === 'string') ? s.body.join('\n') : s.body;
    if (typeof s.prefix !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(s.prefix))
      problems.push(`${name}: prefix must be a lower-case string`);
    if (typeof s.description !== 'string' || s.description.trim().length < 10) problems.push(`${name}: description missing or too short`);
    if (typeof body !== 'string' || !body.trim()) problems.push(`${name}: body must be a non-empty string or list of strings`);
    if (typeof s.prefix === 'string' && typeof s.description === 'string' && typeof body === 'string')
      snippets.push({ name, prefix: s.prefix, description: s.description, body });
  }
  return { snippets, problems };
}

const { snippets, problems: loadProblems } = loadSnippets();

interface Expanded {
  readonly snippet: Snippet;
  readonly text?: string;
  readonly error?: string;
}

const expanded: Expanded[] = snippets.map((snippet) => {
  try {
    return { snippet, text: expandSnippet(snippet.body) };
  } catch (e) {
    return { snippet, error: (e as Error).message };
  }
});

function describeFinding(text: string, f: Finding): string {
  const line = lineOf(computeLineStarts(text), f.range.start) + 1;
  const where = f.object?.kind ? ` ${f.object.kind}${f.object.name ? `/${f.object.name}` : ''}` : '';
  return `  line ${line}${where}: [${f.severity}] ${f.ruleId}: ${f.message}`;
}

function parseSnippet(prefix: string, text: string): ManifestFile {
  return parseManifestFile(`snippets/${prefix}.yaml`, text);
}

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => rec(o)?.[k], v);

/** The pod spec of a workload document (lint-rules.md §1.2). */
function podSpecOf(kind: string | undefined, value: unknown): Obj | undefined {
  switch (kind) {
    case 'Pod':
      return rec(at(value, 'spec'));
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return rec(at(value, 'spec', 'template', 'spec'));
    case 'CronJob':
      return rec(at(value, 'spec', 'jobTemplate', 'spec', 'template', 'spec'));
    default:
      return undefined;
  }
}

function templateLabelsOf(kind: string | undefined, value: unknown): Obj {
  if (kind === 'Pod') return rec(at(value, 'metadata', 'labels')) ?? {};
  if (kind === 'CronJob') return rec(at(value, 'spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels')) ?? {};
  return rec(at(value, 'spec', 'template', 'metadata', 'labels')) ?? {};
}

/**
 * What the brief asks of every workload snippet, checked directly (independent of how far the rule catalogue
 * has got): CPU and memory requests, a memory limit, an explicit non-latest image tag, a readiness probe on a
 * declared named port (not for Jobs/CronJobs), replicas ≥ 2 (Deployment/StatefulSet), selector ⊆ template labels,
 * Service targetPorts naming a container port of the selected pods in the same snippet.
 */
function workloadProblems(file: ManifestFile): string[] {
  const out: string[] = [];
  const portNames = new Map<string, Set<string>>(); // "label=value,…" of each template → its container port names
  for (const doc of file.documents) {
    const spec = podSpecOf(doc.kind, doc.value);
    if (!spec) continue;
    const who = `${doc.kind}/${doc.name ?? '?'}`;
    const labels = templateLabelsOf(doc.kind, doc.value);
    const names = new Set<string>();
    for (const c of list(spec.containers)) {
      const name = String(at(c, 'name'));
      const rawImage = at(c, 'image');
      const image = typeof rawImage === 'string' ? rawImage : '';
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      if (!tag || tag === 'latest') out.push(`${who} container ${name}: image "${image}" needs an explicit, non-latest tag`);
      if (at(c, 'resources', 'requests', 'cpu') === undefined) out.push(`${who} container ${name}: no CPU request`);
      if (at(c, 'resources', 'requests', 'memory') === undefined) out.push(`${who} container ${name}: no memory request`);
      if (at(c, 'resources', 'limits', 'memory') === undefined) out.push(`${who} container ${name}: no memory limit`);
      const ports = list(at(c, 'ports'))
        .map((p) => at(p, 'name'))
        .filter((n): n is string => typeof n === 'string');
      for (const p of ports) names.add(p);
      if (doc.kind !== 'Job' && doc.kind !== 'CronJob') {
        const probe = rec(at(c, 'readinessProbe'));
        const port = at(probe, 'httpGet', 'port') ?? at(probe, 'tcpSocket', 'port') ?? at(probe, 'grpc', 'port');
        if (!probe) out.push(`${who} container ${name}: no readinessProbe`);
        else if (typeof port !== 'string' || !ports.includes(port))
          out.push(`${who} container ${name}: the readiness probe must use a declared named port (got ${String(port)})`);
      }
    }
    if (doc.kind === 'Deployment' || doc.kind === 'StatefulSet') {
      const replicas = at(doc.value, 'spec', 'replicas');
      if (typeof replicas !== 'number' || replicas < 2) out.push(`${who}: replicas must be ≥ 2 (got ${String(replicas)})`);
    }
    if (doc.kind !== 'Pod' && doc.kind !== 'Job' && doc.kind !== 'CronJob') {
      const selector = rec(at(doc.value, 'spec', 'selector', 'matchLabels')) ?? {};
      if (!Object.keys(selector).length) out.push(`${who}: spec.selector.matchLabels is empty`);
      for (const [k, v] of Object.entries(selector))
        if (labels[k] !== v) out.push(`${who}: selector ${k}=${String(v)} is not among the template labels`);
    }
    portNames.set(JSON.stringify(labels), names);
  }
  for (const doc of file.documents) {
    if (doc.kind !== 'Service') continue;
    const selector = rec(at(doc.value, 'spec', 'selector'));
    if (!selector) continue;
    const selected = [...portNames.entries()].filter(([labels]) => {
      const l = JSON.parse(labels) as Obj;
      return Object.entries(selector).every(([k, v]) => l[k] === v);
    });
    for (const p of list(at(doc.value, 'spec', 'ports'))) {
      const target = at(p, 'targetPort');
      if (typeof target !== 'string')
        out.push(`Service/${doc.name ?? '?'}: targetPort should name the container port (got ${String(target)})`);
      else
        for (const [, names] of selected)
          if (!names.has(target)) out.push(`Service/${doc.name ?? '?'}: targetPort "${target}" is no container port name`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

describe('snippet expander', () => {
  test('placeholders, nesting, choices, mirrors, variables and escapes', () => {
    assert.equal(expandSnippet('name: ${1:app}'), 'name: app');
    assert.equal(expandSnippet('${1:foo-${2:bar}} ${2}'), 'foo-bar bar');
    assert.equal(expandSnippet('kind: ${1|Deployment,StatefulSet|} again: $1'), 'kind: Deployment again: Deployment');
    assert.equal(expandSnippet('a: ${1:x} b: $1 c: ${1} $0'), 'a: x b: x c: x ');
    assert.equal(expandSnippet('a: $2 b: ${3}'), 'a:  b: ');
    assert.equal(expandSnippet('f: ${TM_FILENAME_BASE} y: $CURRENT_YEAR s: ${TM_SELECTED_TEXT:none}'), 'f: app y: 2026 s: none');
    assert.equal(expandSnippet('cost: \\$5 brace: ${1:a\\}b} slash: \\\\'), 'cost: $5 brace: a}b slash: \\');
    assert.equal(expandSnippet('${1|a\\,b,c|}'), 'a,b');
    assert.equal(expandSnippet('price $ 5'), 'price $ 5');
    assert.throws(() => expandSnippet('${1:unterminated'), /unterminated/);
    assert.throws(() => expandSnippet('${1/(.*)/$1/}'), /transforms/);
    assert.throws(() => expandSnippet('$NOT_A_VARIABLE'), /unknown snippet variable/);
  });
});

describe('snippets/kubernetes.json', () => {
  test('every snippet has a prefix, a body and a description; prefixes are unique', () => {
    assert.deepEqual(loadProblems, []);
    assert.ok(snippets.length > 0, 'no snippets');
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const s of snippets) {
      const other = seen.get(s.prefix);
      if (other) duplicates.push(`${s.prefix}: "${other}" and "${s.name}"`);
      seen.set(s.prefix, s.name);
    }
    assert.deepEqual(duplicates, [], 'duplicate prefixes');
    const required = ['k8s-deployment', 'k8s-service', 'helm-chart', 'helm-values'];
    assert.deepEqual(
      required.filter((p) => !seen.has(p)),
      [],
      'required prefixes missing',
    );
    const badPrefix = snippets.filter((s) => !s.prefix.startsWith('k8s-') && !notKubernetes.has(s.prefix)).map((s) => s.prefix);
    assert.deepEqual(badPrefix, [], 'snippet prefixes start with k8s- (helm-chart, helm-values excepted)');
  });

  test('every body expands, ends with $0 and is indented with 2 spaces', () => {
    const problems: string[] = [];
    for (const e of expanded) {
      if (e.error) problems.push(`${e.snippet.name} (${e.snippet.prefix}): ${e.error}`);
      if (!/\$0\s*$/.test(e.snippet.body)) problems.push(`${e.snippet.name} (${e.snippet.prefix}): the body must end with $0`);
      e.snippet.body.split('\n').forEach((line, i) => {
        const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
        if (indent.includes('\t') || indent.length % 2)
          problems.push(`${e.snippet.name} (${e.snippet.prefix}) line ${i + 1}: indent with 2 spaces`);
      });
    }
    assert.deepEqual(problems, []);
  });

  for (const e of expanded) {
    const { snippet } = e;
    const label = `${snippet.prefix} (${snippet.name})`;
    test(`${label}: valid YAML${notKubernetes.has(snippet.prefix) ? '' : ', lints clean in the recommended preset'}`, (t) => {
      assert.ok(e.text !== undefined, `${label}: does not expand: ${e.error ?? ''}`);
      const text = e.text;
      const file = parseSnippet(snippet.prefix, text);
      const parseProblems = file.findings.filter(
        (f) => f.ruleId.startsWith('yaml-') || f.ruleId === 'document-not-object' || f.severity !== 'info',
      );
      assert.equal(
        parseProblems.length,
        0,
        `${label}: the expanded snippet is not clean YAML:\n${parseProblems.map((f) => describeFinding(text, f)).join('\n')}\n--- expanded ---\n${text}`,
      );
      assert.ok(file.documents.length > 0, `${label}: no YAML document`);
      if (notKubernetes.has(snippet.prefix)) return;

      const missing = file.documents.filter((d) => !d.apiVersion || !d.kind);
      assert.deepEqual(
        missing.map((d) => d.index),
        [],
        `${label}: documents without apiVersion/kind`,
      );

      const findings = (lintManifests([file], ruleCatalogue, defaultLintConfig).get(file.path) ?? []).filter((f) => !f.suppressedBy);
      const bad = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      const infos = findings.filter((f) => f.severity === 'info');
      if (infos.length) t.diagnostic(`${label}: info findings (allowed):\n${infos.map((f) => describeFinding(text, f)).join('\n')}`);
      assert.equal(
        bad.length,
        0,
        `${label}: lint errors/warnings in the recommended preset:\n${bad.map((f) => describeFinding(text, f)).join('\n')}`,
      );

      const problems = workloadProblems(file);
      assert.deepEqual(problems, [], `${label}: workload requirements`);
    });
  }

  test('coverage: every required kind and variant appears in some snippet', () => {
    const docs = expanded.flatMap((e) =>
      e.text === undefined || notKubernetes.has(e.snippet.prefix)
        ? []
        : parseSnippet(e.snippet.prefix, e.text).documents.map((d) => ({ prefix: e.snippet.prefix, doc: d })),
    );
    const has = (apiVersion: string, kind: string, extra: (value: unknown) => boolean = () => true) =>
      docs.some(({ doc }) => doc.apiVersion === apiVersion && doc.kind === kind && extra(doc.value));
    const sameSnippet = (...kinds: string[]) =>
      expanded.some((e) => {
        if (e.text === undefined) return false;
        const present = parseSnippet(e.snippet.prefix, e.text).documents.map((d) => d.kind);
        return kinds.every((k) => present.includes(k));
      });
    const serviceType = (type: string) => (v: unknown) =>
      (at(v, 'spec', 'type') ?? 'ClusterIP') === type && at(v, 'spec', 'clusterIP') !== 'None';
    const netpolRules = (v: unknown) => [...list(at(v, 'spec', 'ingress')), ...list(at(v, 'spec', 'egress'))];
    const required: [string, boolean][] = [
      ['Pod', has('v1', 'Pod')],
      ['Deployment', has('apps/v1', 'Deployment')],
      ['Service ClusterIP', has('v1', 'Service', serviceType('ClusterIP'))],
      ['Service NodePort', has('v1', 'Service', serviceType('NodePort'))],
      ['Service LoadBalancer', has('v1', 'Service', serviceType('LoadBalancer'))],
      [
        'Service ExternalName',
        has('v1', 'Service', (v) => at(v, 'spec', 'type') === 'ExternalName' && typeof at(v, 'spec', 'externalName') === 'string'),
      ],
      ['Service headless', has('v1', 'Service', (v) => at(v, 'spec', 'clusterIP') === 'None')],
      [
        'StatefulSet with volumeClaimTemplates',
        has('apps/v1', 'StatefulSet', (v) => list(at(v, 'spec', 'volumeClaimTemplates')).length > 0),
      ],
      ['StatefulSet + its headless Service in one snippet', sameSnippet('StatefulSet', 'Service')],
      ['DaemonSet', has('apps/v1', 'DaemonSet')],
      ['Job', has('batch/v1', 'Job')],
      ['CronJob', has('batch/v1', 'CronJob')],
      ['ConfigMap', has('v1', 'ConfigMap')],
      ['Secret with stringData', has('v1', 'Secret', (v) => rec(at(v, 'stringData')) !== undefined)],
      ['PersistentVolume', has('v1', 'PersistentVolume')],
      ['PersistentVolumeClaim', has('v1', 'PersistentVolumeClaim')],
      ['StorageClass', has('storage.k8s.io/v1', 'StorageClass')],
      [
        'Ingress with pathType, ingressClassName and tls',
        has(
          'networking.k8s.io/v1',
          'Ingress',
          (v) =>
            typeof at(v, 'spec', 'ingressClassName') === 'string' &&
            list(at(v, 'spec', 'tls')).length > 0 &&
            list(at(v, 'spec', 'rules')).every((r) => list(at(r, 'http', 'paths')).every((p) => typeof at(p, 'pathType') === 'string')),
        ),
      ],
      ['IngressClass', has('networking.k8s.io/v1', 'IngressClass')],
      [
        'HorizontalPodAutoscaler v2 with behavior',
        has('autoscaling/v2', 'HorizontalPodAutoscaler', (v) => rec(at(v, 'spec', 'behavior')) !== undefined),
      ],
      ['PodDisruptionBudget policy/v1', has('policy/v1', 'PodDisruptionBudget')],
      [
        'NetworkPolicy default-deny',
        has(
          'networking.k8s.io/v1',
          'NetworkPolicy',
          (v) => Object.keys(rec(at(v, 'spec', 'podSelector')) ?? { x: 1 }).length === 0 && netpolRules(v).length === 0,
        ),
      ],
      [
        'NetworkPolicy allow-from-pods',
        has('networking.k8s.io/v1', 'NetworkPolicy', (v) =>
          list(at(v, 'spec', 'ingress')).some((r) => list(at(r, 'from')).some((p) => rec(at(p, 'podSelector')) !== undefined)),
        ),
      ],
      [
        'NetworkPolicy allow-DNS-egress',
        has('networking.k8s.io/v1', 'NetworkPolicy', (v) =>
          list(at(v, 'spec', 'egress')).some((r) => list(at(r, 'ports')).some((p) => at(p, 'port') === 53)),
        ),
      ],
      ['ServiceAccount + Role + RoleBinding in one snippet', sameSnippet('ServiceAccount', 'Role', 'RoleBinding')],
      ['ClusterRole + ClusterRoleBinding in one snippet', sameSnippet('ClusterRole', 'ClusterRoleBinding')],
      ['Namespace + ResourceQuota + LimitRange in one snippet', sameSnippet('Namespace', 'ResourceQuota', 'LimitRange')],
      ['Istio VirtualService', has('networking.istio.io/v1', 'VirtualService')],
      ['Istio DestinationRule', has('networking.istio.io/v1', 'DestinationRule')],
      ['Istio PeerAuthentication', has('security.istio.io/v1', 'PeerAuthentication')],
      ['Istio AuthorizationPolicy', has('security.istio.io/v1', 'AuthorizationPolicy')],
      ['Velero Backup', has('velero.io/v1', 'Backup')],
      ['Velero Schedule', has('velero.io/v1', 'Schedule')],
      ['Velero Restore', has('velero.io/v1', 'Restore')],
      ['Kustomization', has('kustomize.config.k8s.io/v1beta1', 'Kustomization')],
      ['k8s-deployment is a Deployment', docs.some(({ prefix, doc }) => prefix === 'k8s-deployment' && doc.kind === 'Deployment')],
      ['k8s-service is a Service', docs.some(({ prefix, doc }) => prefix === 'k8s-service' && doc.kind === 'Service')],
    ];
    assert.deepEqual(
      required.filter(([, ok]) => !ok).map(([what]) => what),
      [],
      'kinds not covered by any snippet',
    );
  });
});

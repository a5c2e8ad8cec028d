// Catalogue rows B52 (names with shell metacharacters) and B53 (values that look like flags), what the user sees
// and what argv carries: tree labels are the names as typed (invisible characters as escapes); Markdown tooltips
// show them literally, rendered by a CommonMark renderer (markdown-it, as VS Code's tooltips are CommonMark), with
// no formatting, link, HTML or entity coming from a name; a value starting with `-` is bound as `--flag=value` in
// the argv ClusterDeck writes into kubeconfigs, and reads back the same through parseArgs and recognizeCloudExec.
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type * as vscode from 'vscode';
import type { CloudCluster } from '../../src/core/clouds/cloudProvider';
import { recognizeCloudExec } from '../../src/core/clouds/cloudExec';
import { bind, buildKubeconfigEntry, ownTokenArgs } from '../../src/core/clouds/kubeconfigEntry';
import type { ClusterNode } from '../../src/core/explorer/clusterNodes';
import { markdownCode, markdownText } from '../../src/core/explorer/displayText';
import { resourceKindOf, type ResourceKind } from '../../src/core/kube/resourceKinds';
import { installVscodeStub } from '../support/vscodeStub';

before(() => {
  installVscodeStub();
});

// markdown-it (a devDependency): CommonMark, like VS Code's renderer.
const MarkdownIt = createRequire(__filename)('markdown-it') as new (o?: object) => { render(src: string): string };
const md = new MarkdownIt({ html: false, linkify: false });

/** The text a reader sees: rendered HTML without tags, entities decoded. Also returns the tags used. */
function rendered(markdown: string): { text: string; tags: string[] } {
  const html = md.render(markdown);
  const tags = [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1] ?? '');
  const text = html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return { text, tags };
}

const extensionUri = { fsPath: '/ext', toString: () => 'file:///ext' } as unknown as vscode.Uri;
const tooltipOf = (item: vscode.TreeItem): string =>
  typeof item.tooltip === 'string' ? item.tooltip : ((item.tooltip as { value?: string } | undefined)?.value ?? '');

const hostile = [
  'a;rm -rf ~',
  '$(id)',
  '`whoami`',
  '``double``',
  `it's "quoted"`,
  'with space',
  '**bold** _it_ [link](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  '&amp; &#x41;',
  '# heading',
  '--kubeconfig=evil.yaml',
  '-n',
];

describe('B52: names with shell metacharacters are displayed as typed', () => {
  test('B52: markdownText and markdownCode render every hostile name literally, with no link, HTML or emphasis', () => {
    for (const name of hostile) {
      const asText = rendered(markdownText(name));
      assert.equal(asText.text.trim(), name, `text: ${name}`);
      assert.deepEqual(asText.tags, ['p', 'p'], `no markup from ${name}`);
      const asCode = rendered(markdownCode(name));
      assert.equal(asCode.text.trim(), name, `code: ${name}`);
      assert.deepEqual(asCode.tags, ['p', 'code', 'code', 'p'], `one code span for ${name}`);
    }
  });

  test('B52: the Clusters tree shows a hostile context name verbatim in its label and literally in its tooltip', async () => {
    const { toTreeItem } = await import('../../src/host/explorer/toTreeItem');
    for (const name of hostile) {
      const context: ClusterNode = {
        kind: 'context',
        id: `ctx:${name}`,
        contextName: name,
        provider: 'kubeadm',
        isCurrent: false,
        server: 'https://c.example:6443',
        namespace: name,
        sourcePath: `/home/u/${name}/config`,
        insecure: false,
      };
      const item = toTreeItem(context, extensionUri);
      assert.equal(item.label, name, 'a label is plain text: the name as typed');
      assert.equal(item.id, `ctx:${name}`);
      const { text, tags } = rendered(tooltipOf(item));
      assert.ok(text.includes(name), `tooltip shows ${name}: ${text}`);
      assert.ok(text.includes(`Namespace: ${name}`), text);
      assert.ok(text.includes(`From: /home/u/${name}/config`), text);
      assert.ok(!tags.includes('a') && !tags.includes('img') && !tags.includes('h1') && !tags.includes('em'), `${name}: ${tags.join(',')}`);
    }
  });

  test("B52: a resource's tooltip shows its name and its cells (status, reasons, conditions) literally", async () => {
    const { toTreeItem } = await import('../../src/host/explorer/toTreeItem');
    const pods = resourceKindOf('pods') as ResourceKind;
    const node = {
      kind: 'resource',
      id: 'res:c:shop:pods:x',
      contextName: 'c',
      resource: pods,
      namespace: 'shop',
      name: 'web-`1`',
      cells: { Status: '[click](command:evil) **now**', Reason: '<b>x</b>' },
      details: ['Ready: False (`$(id)`) — see <a href=x>'],
    } as unknown as ClusterNode;
    const { text, tags } = rendered(tooltipOf(toTreeItem(node, extensionUri)));
    assert.ok(text.includes('shop/web-`1`'), text);
    assert.ok(text.includes('Status: [click](command:evil) **now**'), text);
    assert.ok(text.includes('Reason: <b>x</b>'), text);
    assert.ok(text.includes('Ready: False (`$(id)`) — see <a href=x>'), text);
    assert.ok(!tags.includes('a') && !tags.includes('b'), tags.join(','));
  });
});

describe('B53: values that look like flags are bound as --flag=value', () => {
  const eks = {
    cloud: 'eks',
    account: '--kubeconfig=evil.yaml',
    location: 'eu-west-1',
    name: 'shop',
    endpoint: 'https://10.0.0.1',
  } as unknown as CloudCluster;
  const aks = { cloud: 'aks', account: 'sub', location: 'westeurope', name: 'shop', resourceGroup: '-n' } as unknown as CloudCluster;

  test('B53: bind keeps an ordinary value as its own argument and binds one starting with "-"', () => {
    assert.deepEqual(bind('--profile', 'dev'), ['--profile', 'dev']);
    assert.deepEqual(bind('--profile', '-n'), ['--profile=-n']);
    assert.deepEqual(bind('--profile', '--kubeconfig=evil.yaml'), ['--profile=--kubeconfig=evil.yaml']);
  });

  test('B53: `clusterdeck token` argv with flag-like values parses back to exactly those values (and would not unbound)', () => {
    const parse = (args: string[]) =>
      ({
        ...parseArgs({
          args,
          allowPositionals: false,
          options: Object.fromEntries(
            ['cluster', 'region', 'profile', 'resource-group', 'subscription'].map((n) => [n, { type: 'string' as const }]),
          ),
        }).values,
      }) as Record<string, unknown>;
    const eksArgs = ownTokenArgs(eks);
    assert.ok(eksArgs.includes('--profile=--kubeconfig=evil.yaml'), eksArgs.join(' '));
    assert.deepEqual(parse(eksArgs.slice(2)), { cluster: 'shop', region: 'eu-west-1', profile: '--kubeconfig=evil.yaml' });
    assert.deepEqual(parse(ownTokenArgs(aks).slice(2)), { cluster: 'shop', 'resource-group': '-n', subscription: 'sub' });
    // The same values as separate arguments are misread or refused: why they are bound.
    assert.throws(() => parse(['--cluster', 'shop', '--region', 'r', '--profile', '--kubeconfig=evil.yaml']));
  });

  test("B53: the aws plugin's argv written by Connect binds a flag-like profile, and the entry is still recognised", () => {
    const entry = buildKubeconfigEntry(eks, { standardPluginAvailable: true, ownCommand: { command: 'node', leadingArgs: ['cli.js'] } });
    assert.ok(entry.user.exec.args.includes('--profile=--kubeconfig=evil.yaml'), entry.user.exec.args.join(' '));
    assert.ok(!entry.user.exec.args.includes('--kubeconfig=evil.yaml'), 'never a free-standing flag-like argument');
    const recognised = recognizeCloudExec({ ...entry.user.exec, env: [] });
    assert.deepEqual(recognised, { cloud: 'eks', cluster: 'shop', region: 'eu-west-1', profile: '--kubeconfig=evil.yaml' });
  });
});

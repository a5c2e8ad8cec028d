// The Clouds view's commands (host/clouds/cloudCommands.ts) in plain Node with a scripted `vscode` module and
// in-memory providers: what each asks, what reaches the provider, and what never does (declined, invalid,
// untrusted, read-only).
import { afterEach, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudTreeNode } from '../../../src/core/clouds/cloudTree';
import { CloudRegistry } from '../../../src/node/clouds/cloudRegistry';
import type { CloudCommandDeps } from '../../../src/host/clouds/cloudCommands';
import type { PendingOperation } from '../../../src/core/clouds/pendingOperations';
import { readKubeconfigText, writeKubeconfig } from '../../../src/node/clouds/kubeconfigWriter';
import { mergeKubeconfigs } from '../../../src/core/kube/kubeconfig';
import { installVscodeStub, type VscodeStub } from '../../support/vscodeStub';
import { memoryCloudProvider, sampleClouds, type MemoryProvider } from '../../support/memoryCloudProvider';

let stub: VscodeStub;
let dir = '';
let eks: MemoryProvider;
let aks: MemoryProvider;
let contexts: { name: string; clusterName: string; server: string }[] = [];
let currentSet: string[] = [];
let aksLoads = 0;
let azureSignOuts = 0;
let tree: { refresh(): void; getChildren(n?: CloudTreeNode): Promise<CloudTreeNode[]> };
let deps: CloudCommandDeps;
let pendingStore: unknown = [];
let pendingSizes: number[] = [];
let documents: { provideTextDocumentContent(uri: { toString(): string }): string; lastUri?: { toString(): string } };

before(() => {
  stub = installVscodeStub();
});

beforeEach(async () => {
  stub.reset();
  stub.commands.clear();
  dir = mkdtempSync(join(tmpdir(), 'cd-cloudcmd-'));
  const s = sampleClouds();
  eks = memoryCloudProvider('eks', s.eks);
  aks = memoryCloudProvider('aks', s.aks);
  contexts = [];
  currentSet = [];
  pendingStore = [];
  pendingSizes = [];
  const { registerCloudCommands } = await import('../../../src/host/clouds/cloudCommands');
  const { CloudsTreeProvider } = await import('../../../src/host/clouds/cloudsTreeProvider');
  const { CloudDocuments } = await import('../../../src/host/clouds/cloudDocuments');
  const log = { info() {}, warn() {}, error() {}, debug() {}, show() {} };
  aksLoads = 0;
  azureSignOuts = 0;
  const source = new CloudRegistry({
    loaders: {
      eks: () => Promise.resolve(eks),
      aks: () => {
        aksLoads++;
        return Promise.resolve(aks);
      },
    },
    isTrusted: () => stub.trusted,
  });
  const kubeContexts = () => Promise.resolve(contexts);
  const t = new CloudsTreeProvider({ source, kubeContexts, scopesFor: () => undefined, isHidden: () => false, log });
  tree = t;
  deps = {
    log,
    tree: t,
    source,
    documents: (() => {
      const d = new CloudDocuments();
      const show = d.show.bind(d);
      documents = d;
      // Remember the URI shown, to read the document back.
      d.show = async (key, title, markdown) => {
        await show(key, title, markdown);
        (documents as { lastUri?: unknown }).lastUri = [...(d as unknown as { contents: Map<string, string> }).contents.keys()].pop();
      };
      return d;
    })(),
    connect: {
      targetPath: () => Promise.resolve(join(dir, 'config')),
      readText: readKubeconfigText,
      write: (p, text) => writeKubeconfig(p, text),
      hasBinary: () => Promise.resolve(false),
      ownCommand: () => ({ command: '/usr/bin/node', leadingArgs: ['/ext/dist/cli.js'] }),
    },
    setCurrentContext: (name) => {
      currentSet.push(name);
      return Promise.resolve(join(dir, 'config'));
    },
    kubeContexts,
    azure: {
      getToken: () => Promise.resolve(null),
      signIn: () => Promise.resolve('me@example.com'),
      signOut: () => {
        azureSignOuts++;
      },
    },
    hiddenAccounts: { add: () => Promise.resolve() },
    pending: {
      get: () => pendingStore,
      set: (list) => {
        pendingStore = list;
        pendingSizes.push(list.length);
        return Promise.resolve();
      },
    },
  };
  registerCloudCommands(deps);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (id: string, ...args: unknown[]) => stub.commands.get(id)!(...args) as Promise<unknown>;

/** The tree's nodes down to a cluster (by name) of the EKS account. */
async function clusterNode(name: string, cloud: 'eks' | 'aks' = 'eks'): Promise<Extract<CloudTreeNode, { kind: 'cluster' }>> {
  const root = await tree.getChildren();
  for (const c of root.filter((n) => n.kind === 'cloud' && n.cloud === cloud))
    for (const a of await tree.getChildren(c))
      for (const s of await tree.getChildren(a))
        for (const n of await tree.getChildren(s)) if (n.kind === 'cluster' && n.cluster.name === name) return n;
  throw new Error(`no cluster ${name}`);
}

async function poolNode(cluster: string, pool: string): Promise<Extract<CloudTreeNode, { kind: 'pool' }>> {
  const c = await clusterNode(cluster);
  const [folder] = await tree.getChildren(c);
  const hit = (await tree.getChildren(folder)).find((n) => n.kind === 'pool' && n.pool.name === pool);
  assert.ok(hit?.kind === 'pool');
  return hit;
}

test('Scale asks min, max, desired with the rules checked as the user types, then follows the operation', async () => {
  const pool = await poolNode('shop', 'ng-1');
  stub.answers.inputBox.push('2', '5', '4');
  await run('clusterdeck.nodePool.scale', pool);
  const boxes = stub.asked.filter((a) => a.kind === 'inputBox');
  assert.deepEqual(
    boxes.map((b) => b.text),
    ['Scale node group "ng-1" of shop (1/3)', 'Scale node group "ng-1" of shop (2/3)', 'Scale node group "ng-1" of shop (3/3)'],
  );
  const validate = (i: number, v: string) => (boxes[i]!.options as { validateInput: (v: string) => string | undefined }).validateInput(v);
  assert.match(validate(0, '-1') ?? '', /whole number/);
  // The validators see the answers given so far: max below the min typed (2), desired above the max typed (5).
  assert.match(validate(1, '1') ?? '', /Minimum \(2\) must not be above maximum \(1\)/);
  assert.match(validate(2, '6') ?? '', /above maximum \(5\)/);
  assert.equal(validate(2, '4'), undefined);
  assert.deepEqual(eks.calls, ['scale shop/ng-1 2/4/5']);
  assert.ok(stub.asked.some((a) => a.kind === 'progress' && /Scaling ng-1 to 2 ≤ 4 ≤ 5/.test(a.text)));
  assert.deepEqual(stub.progressReports, ['step 1', 'step 2']);
  assert.equal(eks.state.clusters[0]!.pools[0]!.desired, 4, 'the operation completed');
});

test('Scale: Escape on any box sends nothing; cancelling the progress stops waiting and says the cloud goes on', async () => {
  const pool = await poolNode('shop', 'ng-1');
  stub.answers.inputBox.push('1', undefined);
  await run('clusterdeck.nodePool.scale', pool);
  assert.deepEqual(eks.calls, []);
  stub.answers.inputBox.push('1', '3', '3');
  stub.cancelProgress = true;
  await run('clusterdeck.nodePool.scale', pool);
  assert.deepEqual(eks.calls, ['scale shop/ng-1 1/3/3']);
  assert.ok(stub.asked.some((a) => a.kind === 'info' && /Stopped waiting\..*goes on in the cloud/.test(a.text)));
  assert.equal(eks.state.clusters[0]!.pools[0]!.desired, 2, 'not applied by the double: waiting was cancelled');
});

test('Delete cluster: names cloud, account, location and the node groups, asks for the typed name; declined → nothing', async () => {
  const node = await clusterNode('shop');
  stub.answers.warning.push('Delete');
  stub.answers.inputBox.push('sho'); // wrong name
  await run('clusterdeck.cloud.deleteCluster', node);
  assert.deepEqual(eks.calls, []);
  const modal = stub.asked.find((a) => a.kind === 'warning')!;
  assert.equal(modal.text, 'Delete cluster "shop"?');
  assert.match(modal.detail ?? '', /Its 2 node groups \(ng-1, spot-1\) and their nodes are deleted with it\./);
  assert.match(modal.detail ?? '', /Where: AWS \(EKS\) · profile prod · eu-west-1/);
  stub.reset();
  stub.answers.warning.push('Delete');
  stub.answers.inputBox.push('shop');
  await run('clusterdeck.cloud.deleteCluster', node);
  assert.deepEqual(eks.calls, ['deleteCluster shop']);
});

test('Delete node pool goes through the same confirmation with the pool name typed', async () => {
  const pool = await poolNode('shop', 'spot-1');
  stub.answers.warning.push('Delete');
  stub.answers.inputBox.push('spot-1');
  await run('clusterdeck.nodePool.delete', pool);
  assert.deepEqual(eks.calls, ['deletePool shop/spot-1']);
  assert.equal(stub.asked.find((a) => a.kind === 'warning')?.text, 'Delete node group "spot-1" of cluster "shop"?');
});

test('Upgrade offers the newer versions, confirms, then upgrades', async () => {
  const node = await clusterNode('shop');
  stub.answers.quickPick.push('1.34');
  stub.answers.warning.push('Upgrade');
  await run('clusterdeck.cloud.upgrade', node);
  const pick = stub.asked.find((a) => a.kind === 'quickPick')!;
  assert.deepEqual((pick.options as { items: string[] }).items, ['1.34']);
  assert.match(stub.asked.find((a) => a.kind === 'warning')?.text ?? '', /from 1\.33 to 1\.34/);
  assert.deepEqual(eks.calls, ['upgrade shop 1.34']);
});

test('Restricted Mode: scale and delete refuse before any provider call', async () => {
  const pool = await poolNode('shop', 'ng-1');
  stub.trusted = false;
  stub.answers.inputBox.push('1', '3', '2');
  await run('clusterdeck.nodePool.scale', pool);
  assert.deepEqual(eks.calls, []);
  assert.ok(stub.asked.some((a) => a.kind === 'error' && /Restricted Mode/.test(a.text)));
  assert.equal(stub.asked.filter((a) => a.kind === 'inputBox').length, 0);
});

test('a cluster linked to a read-only context refuses changes', async () => {
  contexts = [{ name: 'shop-ctx', clusterName: 'x', server: 'https://abc.gr7.eu-west-1.eks.amazonaws.com' }];
  stub.settings.set('clusterdeck.explorer.readOnlyContexts', ['shop-ctx']);
  const pool = await poolNode('shop', 'ng-1');
  stub.answers.inputBox.push('1', '3', '2');
  await run('clusterdeck.nodePool.scale', pool);
  assert.deepEqual(eks.calls, []);
  assert.ok(stub.asked.some((a) => a.kind === 'error' && /read-only mode/.test(a.text)));
});

test('Connect writes the kubeconfig, says where, and Set as Current makes it current', async () => {
  const node = await clusterNode('api', 'aks');
  stub.answers.info.push('Set as Current');
  await run('clusterdeck.cloud.connect', node);
  const text = readFileSync(join(dir, 'config'), 'utf8');
  const merged = mergeKubeconfigs([{ path: join(dir, 'config'), text }]);
  assert.equal(merged.contexts[0]?.name, 'api');
  assert.deepEqual(merged.users.get('clusterUser_rg-b_api')?.exec?.args.slice(1, 3), ['token', 'aks']);
  assert.match(stub.asked.find((a) => a.kind === 'info')?.text ?? '', /Added context "api" in .*config\..*clusterdeck token/);
  assert.deepEqual(currentSet, ['api']);
});

test('Connect over a different same-named context asks first; "no" leaves the file as it was', async () => {
  await writeKubeconfig(join(dir, 'config'), 'clusters:\n- name: api\n  cluster: {server: https://elsewhere}\n');
  const node = await clusterNode('api', 'aks');
  stub.answers.warning.push(undefined);
  await run('clusterdeck.cloud.connect', node);
  assert.match(stub.asked.find((a) => a.kind === 'warning')?.text ?? '', /already has cluster "api" differs in cluster\.server/);
  assert.equal(readFileSync(join(dir, 'config'), 'utf8'), 'clusters:\n- name: api\n  cluster: {server: https://elsewhere}\n');
  stub.reset();
  stub.answers.warning.push('Replace');
  await run('clusterdeck.cloud.connect', node);
  assert.match(stub.asked.find((a) => a.kind === 'info')?.text ?? '', /Replaced context "api".*Backup: .*clusterdeck-backup-/);
});

test('Details renders networking, logging (describeCluster when the provider has it), pools and add-ons', async () => {
  eks.describeCluster = () => Promise.resolve({ sections: [{ title: 'Logging', rows: [['audit', 'enabled']] }] });
  const node = await clusterNode('shop');
  await run('clusterdeck.cloud.details', node);
  const md = documents.provideTextDocumentContent({ toString: () => String(documents.lastUri) });
  assert.match(md, /^# shop\n/);
  assert.match(md, /## Networking and endpoint access[\s\S]*\| Endpoint access \| public \+ private \|/);
  assert.match(md, /## Logging[\s\S]*\| audit \| enabled \|/);
  assert.match(md, /## Node groups[\s\S]*\| ng-1 \|/);
  assert.match(md, /## Add-ons[\s\S]*\| vpc-cni \|/);
});

test('Choose AWS Profiles stores the picked profiles in user settings; Sign out drops the provider and the session', async () => {
  stub.answers.quickPick.push((items: { label: string }[]) => items.filter((i) => i.label === 'prod'));
  await run('clusterdeck.cloud.chooseAwsProfile');
  assert.deepEqual(stub.settings.get('clusterdeck.aws.profiles'), ['prod']);
  const cloud = (await tree.getChildren()).find((n) => n.kind === 'cloud' && n.cloud === 'aks');
  const loadsBefore = aksLoads;
  await run('clusterdeck.cloud.signOut', cloud);
  assert.equal(azureSignOuts, 1);
  assert.ok(stub.asked.some((a) => a.kind === 'info' && /Signed out of Azure \(AKS\)/.test(a.text)));
  await tree.getChildren();
  assert.equal(aksLoads, loadsBefore + 1, 'the provider is loaded afresh after sign-out');
});

test('an operation is stored while it is followed and forgotten at its end (so a restart can follow it again)', async () => {
  const pool = await poolNode('shop', 'ng-1');
  stub.answers.inputBox.push('1', '4', '3');
  await run('clusterdeck.nodePool.scale', pool);
  assert.deepEqual(pendingSizes, [1, 0]);
  assert.deepEqual(pendingStore, []);
});

test('after a restart, stored operations are followed again to their end; too old or unknown ones are dropped', async () => {
  const { resumeCloudOperations } = await import('../../../src/host/clouds/cloudCommands');
  const shop = (await clusterNode('shop')).cluster;
  // A scale the previous session started and was following when the editor closed.
  const op = await eks.scaleNodePool(shop, 'ng-1', { desired: 5, max: 6 });
  const now = Date.now();
  const stored: PendingOperation[] = [
    { cloud: 'eks', cluster: shop, id: op.id, description: op.description, title: 'Scaling ng-1 to 1 ≤ 5 ≤ 6', startedAtMs: now - 60_000 },
    { cloud: 'eks', cluster: shop, id: 'op-garbled', description: 'mystery', title: 'Mystery', startedAtMs: now - 60_000 },
    { cloud: 'eks', cluster: shop, id: 'op-ancient', description: 'ancient', title: 'Ancient', startedAtMs: now - 3 * 24 * 3600_000 },
  ];
  pendingStore = stored;
  await resumeCloudOperations(deps);
  assert.equal(eks.state.clusters[0]!.pools.find((p) => p.name === 'ng-1')?.desired, 5, 'the resumed operation was followed to its end');
  assert.ok(stub.asked.some((a) => a.kind === 'info' && a.text === 'Scaling ng-1 to 1 ≤ 5 ≤ 6: done.'));
  assert.ok(stub.asked.some((a) => a.kind === 'error' && /^Mystery failed: "op-garbled" is not an operation/.test(a.text)));
  assert.ok(!stub.asked.some((a) => /Ancient/.test(a.text)), 'a day-old operation is not resumed');
  assert.deepEqual(pendingStore, []);
});

test('Upgrade Node Pool moves a pool to the control plane version after a confirmation; a pool already there is left alone', async () => {
  const pool = await poolNode('shop', 'ng-1');
  await run('clusterdeck.nodePool.upgrade', pool);
  assert.ok(stub.asked.some((a) => a.kind === 'info' && /already runs the control plane's version \(1\.33\)/.test(a.text)));
  assert.deepEqual(eks.calls, []);
  eks.state.clusters[0]!.pools[0] = { ...eks.state.clusters[0]!.pools[0]!, version: '1.32' };
  tree.refresh();
  const behind = await poolNode('shop', 'ng-1');
  stub.answers.warning.push('Upgrade');
  await run('clusterdeck.nodePool.upgrade', behind);
  assert.match(stub.asked.find((a) => a.kind === 'warning')?.text ?? '', /Upgrade node group "ng-1" of "shop" from 1\.32 to 1\.33\?/);
  assert.deepEqual(eks.calls, ['upgradePool shop/ng-1 1.33']);
  assert.equal(eks.state.clusters[0]!.pools[0].version, '1.33');
});

test('a control-plane upgrade then offers the node pools, upgraded one after the other', async () => {
  const node = await clusterNode('shop');
  stub.answers.quickPick.push('1.34');
  stub.answers.warning.push('Upgrade');
  stub.answers.info.push(undefined, 'Upgrade Node groups');
  await run('clusterdeck.cloud.upgrade', node);
  assert.ok(stub.asked.some((a) => a.kind === 'info' && /runs 1\.34\. Upgrade its 2 node groups \(ng-1, spot-1\) too\?/.test(a.text)));
  assert.deepEqual(eks.calls, ['upgrade shop 1.34', 'upgradePool shop/ng-1 1.34', 'upgradePool shop/spot-1 1.34']);
});

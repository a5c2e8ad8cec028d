// The host's tree provider with a scripted `vscode`: item mapping (id, contextValue, tooltip, next-step command)
// and refresh aborting a load in flight.
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CloudProvider } from '../../../src/core/clouds/cloudProvider';
import { CloudRegistry } from '../../../src/node/clouds/cloudRegistry';
import { installVscodeStub } from '../../support/vscodeStub';
import { memoryCloudProvider, sampleClouds } from '../../support/memoryCloudProvider';

before(() => installVscodeStub());
const log = { info() {}, warn() {}, error() {}, debug() {}, show() {} };

async function provider(loaders: ConstructorParameters<typeof CloudRegistry>[0]['loaders']) {
  const { CloudsTreeProvider } = await import('../../../src/host/clouds/cloudsTreeProvider');
  return new CloudsTreeProvider({
    source: new CloudRegistry({ loaders }),
    kubeContexts: () => Promise.resolve([]),
    scopesFor: () => undefined,
    isHidden: () => false,
    log,
  });
}

test('items carry the node id, contextValue, Markdown tooltip, and a message node its next step as command', async () => {
  const s = sampleClouds();
  const tree = await provider({
    eks: () => Promise.resolve(memoryCloudProvider('eks', s.eks)),
    aks: () => Promise.resolve(memoryCloudProvider('aks', { accounts: [], clusters: [] })),
  });
  const [eks, aks] = await tree.getChildren();
  const [msg] = await tree.getChildren(aks);
  const msgItem = tree.getTreeItem(msg!) as unknown as { command?: { command: string }; contextValue: string };
  assert.equal(msgItem.command?.command, 'clusterdeck.cloud.signInAzure');
  const [account] = await tree.getChildren(eks);
  const [region] = await tree.getChildren(account);
  const [cluster] = await tree.getChildren(region);
  const item = tree.getTreeItem(cluster!) as unknown as {
    id: string;
    contextValue: string;
    tooltip: { value: string };
    description: string;
  };
  assert.equal(item.id, 'cloud:eks:acct:prod:scope:eu-west-1:cluster:shop');
  assert.equal(item.contextValue, 'cloudCluster eks ok upgradable connectable');
  assert.match(item.tooltip.value, /\*\*shop\*\*/);
  assert.equal(tree.loadedClusters().length, 1);
  assert.equal(tree.node(cluster!.id), cluster);
});

test('refresh aborts a listing in flight; that load ends quietly with no children', async () => {
  let seen: AbortSignal | undefined;
  const slow: CloudProvider = {
    ...memoryCloudProvider('eks', sampleClouds().eks),
    listClusters: (_a, _s, signal) =>
      new Promise((_resolve, reject) => {
        seen = signal;
        signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      }),
  };
  const tree = await provider({ eks: () => Promise.resolve(slow) });
  const [eks] = await tree.getChildren();
  const [account] = await tree.getChildren(eks);
  const pending = tree.getChildren(account);
  await new Promise((r) => setTimeout(r, 5));
  tree.refresh();
  assert.equal(seen?.aborted, true);
  assert.deepEqual(await pending, []);
});

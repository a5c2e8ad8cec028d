// "Forget Credentials" (Reliability 5) with a scripted `vscode`: every secret ClusterDeck stored in SecretStorage is
// removed (their names come from the globalState index), in-memory cluster and cloud tokens are dropped, and a
// declined confirmation changes nothing. The exec credential cache is the real one.
import { before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ExecCredentialCache } from '../../../src/node/kube/execAuthClient';
import { installVscodeStub, type VscodeStub } from '../../support/vscodeStub';

let stub: VscodeStub;
before(() => {
  stub = installVscodeStub();
});
beforeEach(() => {
  stub.reset();
  stub.commands.clear();
});

function stores() {
  const secrets = new Map<string, string>();
  const state = new Map<string, unknown>();
  return {
    secrets,
    state,
    secretStorage: {
      get: (k: string) => Promise.resolve(secrets.get(k)),
      store: (k: string, v: string) => Promise.resolve(void secrets.set(k, v)),
      delete: (k: string) => Promise.resolve(void secrets.delete(k)),
      keys: () => Promise.resolve([...secrets.keys()]),
      onDidChange: () => ({ dispose() {} }),
    },
    memento: {
      get: <T>(k: string, d?: T) => (state.has(k) ? (state.get(k) as T) : d),
      update: (k: string, v: unknown) => Promise.resolve(void state.set(k, v)),
      keys: () => [...state.keys()],
    },
  };
}

test('Forget Credentials removes the stored secrets and the cached tokens; declining changes nothing', async () => {
  const { OwnedSecrets } = await import('../../../src/host/shared/ownedSecrets');
  const { registerForgetCredentials } = await import('../../../src/host/shared/forgetCredentials');
  const s = stores();
  const owned = new OwnedSecrets(s.secretStorage, s.memento);
  await owned.store('clusterdeck.prometheus.token:prod', 'prom-canary-token-1');
  await owned.store('clusterdeck.prometheus.token:staging', 'prom-canary-token-2');
  s.secrets.set('someone-else', 'not ours');
  const cache = new ExecCredentialCache();
  await cache.get('ctx-a', () => Promise.resolve({ token: 'exec-canary' }));
  let cloudForgets = 0;
  registerForgetCredentials({
    log: { info() {}, warn() {}, error() {}, debug() {}, show() {} },
    secrets: owned,
    forgetClusterCredentials: () => cache.clear(),
    forgetCloudCredentials: () => void cloudForgets++,
  });
  const run = () => stub.commands.get('clusterdeck.credentials.forget')!() as Promise<unknown>;

  await run(); // no answer: declined
  assert.equal(s.secrets.size, 3);
  assert.equal(cloudForgets, 0);

  stub.answers.warning.push('Forget');
  assert.equal(await run(), 3);
  assert.deepEqual([...s.secrets.keys()], ['someone-else'], 'only our secrets are removed');
  assert.deepEqual(owned.keys(), []);
  assert.equal(cloudForgets, 1);
  let reran = 0;
  await cache.get('ctx-a', () => Promise.resolve({ token: `exec-${++reran}` }));
  assert.equal(reran, 1, 'the exec credential is asked for again');
  const said = stub.asked.find((a) => a.kind === 'info')?.text ?? '';
  assert.match(said, /forgot 2 stored secrets and 1 cached cluster credential/);
  assert.doesNotMatch(JSON.stringify(stub.asked), /canary/);
});

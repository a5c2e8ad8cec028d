// Catalogue row B33, the re-prompt (reliability.md §4.3 scenario 12): with SecretStorage failing (Linux without a
// keyring), Right-size asks for the Prometheus token once and keeps it for this session only (never in globalState,
// settings or anywhere else); with the store cleared (the key is still indexed, the value gone), it asks again and
// stores the answer again instead of running into Prometheus' 401. Through the real host code with a scripted vscode.
import { before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { OwnedSecrets } from '../../src/host/shared/ownedSecrets';
import { memento, secretStorage } from '../support/memoryStores';
import { installVscodeStub, type VscodeStub } from '../support/vscodeStub';

const TOKEN = 'prom-token-b33-CANARY-5d1e';
const URL = 'https://prometheus.example/api';

let stub: VscodeStub;
before(() => {
  stub = installVscodeStub();
});
beforeEach(async () => {
  stub.reset();
  stub.settings.set('clusterdeck.tuning.prometheusUrl', { prod: URL });
  (await import('../../src/host/tuning/tuningContext')).forgetSessionTokens();
});

/** What findMetrics was handed (the configured URL and token), recorded; it finds nothing. */
function recorder() {
  const seen: ({ url: string; bearerToken?: string } | undefined)[] = [];
  return {
    seen,
    findMetrics: (_kube: KubeClient, configured: { readonly url: string; readonly bearerToken?: string } | undefined) => {
      seen.push(configured ? { ...configured } : undefined);
      return Promise.resolve({ missing: 'test' });
    },
  };
}

const kube = {} as KubeClient;
const signal = new AbortController().signal;
const asked = () =>
  stub.asked.filter((a) => a.kind === 'inputBox').map((a) => ({ options: a.options as { password?: boolean; prompt?: string } }));

describe('B33: the Prometheus token when SecretStorage fails or was cleared', () => {
  test('B33: SecretStorage failing: asked once, the token is used for the session and never persisted anywhere', async () => {
    const { findContextMetrics } = await import('../../src/host/tuning/tuningContext');
    const store = secretStorage({ broken: true });
    const state = memento();
    const secrets = new OwnedSecrets(store, state);
    const rec = recorder();
    stub.answers.inputBox.push(TOKEN);
    await findContextMetrics({ secrets, findMetrics: rec.findMetrics }, 'prod', kube, signal);
    assert.deepEqual(rec.seen, [{ url: URL, bearerToken: TOKEN }], 'the run goes on with the token, no 401');
    assert.equal(asked().length, 1);
    assert.equal(asked()[0]?.options.password, true, 'a password box');
    assert.match(
      String(asked()[0]?.options.prompt),
      /secret storage is not available \(Cannot create an item in a locked collection.*\): the token is used for this session only and is not saved/,
    );
    // The next run in the same session does not ask again.
    await findContextMetrics({ secrets, findMetrics: rec.findMetrics }, 'prod', kube, signal);
    assert.equal(rec.seen[1]?.bearerToken, TOKEN);
    assert.equal(asked().length, 1);
    // Nowhere else: not in the store, not in globalState, not in the settings.
    assert.equal(store.data.size, 0);
    assert.ok(!JSON.stringify([...state.data]).includes(TOKEN), 'not in globalState');
    assert.ok(!JSON.stringify([...stub.settings]).includes(TOKEN), 'not in the settings');
  });

  test('B33: Set Prometheus Token with SecretStorage failing says "this session only" and does not throw', async () => {
    const { findContextMetrics, saveToken } = await import('../../src/host/tuning/tuningContext');
    const state = memento();
    const secrets = new OwnedSecrets(secretStorage({ broken: true }), state);
    assert.equal(await saveToken({ secrets }, 'prod', TOKEN), 'session');
    const warning = stub.asked.find((a) => a.kind === 'warning');
    assert.match(
      warning?.text ?? '',
      /secret storage is not available .*Prometheus token for "prod" is used for this session only and not saved/,
    );
    assert.ok(!(warning?.text ?? '').includes(TOKEN));
    const rec = recorder();
    await findContextMetrics({ secrets, findMetrics: rec.findMetrics }, 'prod', kube, signal);
    assert.equal(rec.seen[0]?.bearerToken, TOKEN, 'used without asking');
    assert.equal(asked().length, 0);
    assert.ok(!JSON.stringify([...state.data]).includes(TOKEN));
  });

  test('B33: a cleared SecretStorage: the token is asked for again and stored again, instead of a 401 later', async () => {
    const { findContextMetrics } = await import('../../src/host/tuning/tuningContext');
    const store = secretStorage({ broken: false });
    const secrets = new OwnedSecrets(store, memento());
    await secrets.store('clusterdeck.tuning.prometheusToken/prod', 'old-token');
    store.data.clear(); // a wiped keyring or a refreshed web session
    const rec = recorder();
    stub.answers.inputBox.push(TOKEN);
    await findContextMetrics({ secrets, findMetrics: rec.findMetrics }, 'prod', kube, signal);
    assert.equal(asked().length, 1);
    assert.match(String(asked()[0]?.options.prompt), /stored token is gone \(the secret storage was cleared\)/);
    assert.deepEqual(rec.seen, [{ url: URL, bearerToken: TOKEN }]);
    assert.equal(store.data.get('clusterdeck.tuning.prometheusToken/prod'), TOKEN, 'stored again');
  });

  test('B33: no token ever stored, or no configured URL: nobody is asked', async () => {
    const { findContextMetrics } = await import('../../src/host/tuning/tuningContext');
    const secrets = new OwnedSecrets(secretStorage({ broken: false }), memento());
    const rec = recorder();
    await findContextMetrics({ secrets, findMetrics: rec.findMetrics }, 'prod', kube, signal);
    assert.deepEqual(rec.seen, [{ url: URL }]);
    stub.settings.set('clusterdeck.tuning.prometheusUrl', {});
    await findContextMetrics(
      { secrets: new OwnedSecrets(secretStorage({ broken: true }), memento()), findMetrics: rec.findMetrics },
      'prod',
      kube,
      signal,
    );
    assert.equal(rec.seen[1], undefined, 'discovery: no token, SecretStorage not touched');
    assert.equal(asked().length, 0);
  });
});

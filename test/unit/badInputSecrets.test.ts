// Bad-input catalogue row B33 (reliability.md §3): SecretStorage unavailable (Linux without a keyring) or cleared.
// ClusterDeck's own secrets (OwnedSecrets: the Prometheus bearer tokens) never fall back to globalState, settings
// or any plaintext store: a failing store is an error and leaves nothing behind; a cleared store reads as "no
// token", never a stale copy (the right-size run then meets a 401 that asks for a token).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OwnedSecrets } from '../../src/host/shared/ownedSecrets';
import { memento, secretStorage } from '../support/memoryStores';

const TOKEN = 'prom-token-secret-storage-CANARY-77e1';

describe('bad-input row B33: SecretStorage unavailable or cleared', () => {
  test('B33: with SecretStorage failing, a token is refused loudly and never kept in globalState or anywhere else', async () => {
    const mode = { broken: true };
    const state = memento();
    const secrets = new OwnedSecrets(secretStorage(mode), state);
    await assert.rejects(secrets.store('clusterdeck.tuning.prometheusToken/prod', TOKEN), /keyring/);
    assert.deepEqual(secrets.keys(), [], 'no key recorded for a secret that was not stored');
    assert.ok(!JSON.stringify([...state.data]).includes(TOKEN), 'the token is not in globalState');
    await assert.rejects(Promise.resolve(secrets.get('clusterdeck.tuning.prometheusToken/prod')), /keyring/);
  });

  test('B33: a cleared SecretStorage reads as "no token", never a stale copy, and Forget Credentials still works', async () => {
    const mode = { broken: false };
    const store = secretStorage(mode);
    const state = memento();
    const secrets = new OwnedSecrets(store, state);
    await secrets.store('clusterdeck.tuning.prometheusToken/prod', TOKEN);
    assert.equal(await secrets.get('clusterdeck.tuning.prometheusToken/prod'), TOKEN);
    assert.ok(!JSON.stringify([...state.data]).includes(TOKEN), 'only the key name is indexed');
    store.data.clear(); // a web refresh or a wiped keyring
    assert.equal(await secrets.get('clusterdeck.tuning.prometheusToken/prod'), undefined);
    assert.equal(await secrets.deleteAll(), 1);
    assert.deepEqual(secrets.keys(), []);
  });
});

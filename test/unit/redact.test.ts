import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/redact';

test('redacts bearer tokens, kubeconfig credential fields, AWS secrets and private keys', () => {
  const canary = 'canary-7d1e0b3f9a';
  const samples = [
    `Authorization: Bearer ${canary}`,
    `{"authorization":"Bearer ${canary}"}`,
    `token: ${canary}`,
    `client-key-data: ${canary}`,
    `"secretAccessKey":"${canary}"`,
    `password=${canary}`,
    `https://x/?access_token=${canary}&a=1`,
    `-----BEGIN RSA PRIVATE KEY-----\n${canary}\n-----END RSA PRIVATE KEY-----`,
  ];
  for (const s of samples) {
    const out = redactSecrets(s);
    assert.ok(!out.includes(canary), `leaked in: ${out}`);
    assert.match(out, /redacted/);
  }
  assert.equal(redactSecrets('> kube list namespaces prod [42ms] ok'), '> kube list namespaces prod [42ms] ok');
});

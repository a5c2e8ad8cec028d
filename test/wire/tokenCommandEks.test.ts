// `clusterdeck token eks` through main(), against the EKS/STS wire fake: the printed ExecCredential's token is
// accepted by the fake STS (the same check an EKS API server's authenticator makes).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';

const secret = 'cLiCaNaRySeCrEt/0123456789abcdefghijklmn';

describe('clusterdeck token eks', () => {
  let fake: EksFake;
  let dir = '';
  let env: Record<string, string> = {};
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-token-'));
    writeFileSync(
      join(dir, 'config'),
      '[default]\nregion = eu-west-1\n[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n',
    );
    writeFileSync(
      join(dir, 'credentials'),
      `[default]\naws_access_key_id = AKIDCLI\naws_secret_access_key = ${secret}\n[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = ci-secret\n`,
    );
    fake = await startEksFake({
      keys: {
        AKIDCLI: { secretAccessKey: secret, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/cli' },
        AKIDCI: { secretAccessKey: 'ci-secret', account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ci' },
        AKIDENV: { secretAccessKey: 'env-secret', account: '123456789012', arn: 'arn:aws:iam::123456789012:user/env' },
      },
    });
    env = {
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ENDPOINT_URL: fake.url,
    };
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(
      args,
      {
        out: (s) => (out += `${s}\n`),
        err: (s) => (err += `${s}\n`),
        cwd: dir,
        isTty: false,
        readStdin: () => Promise.resolve(''),
        version: '0.0.0',
      },
      { ...env, ...extraEnv },
    );
    return { code, out, err };
  }

  test('prints an ExecCredential whose token the fake STS accepts for that cluster', async () => {
    const started = Date.now();
    const r = await cli(['token', 'eks', '--cluster', 'prod', '--region', 'us-east-1']);
    assert.equal(r.code, 0, r.err);
    const cred = JSON.parse(r.out) as {
      kind: string;
      apiVersion: string;
      spec: object;
      status: { token: string; expirationTimestamp: string };
    };
    assert.equal(cred.kind, 'ExecCredential');
    assert.equal(cred.apiVersion, 'client.authentication.k8s.io/v1');
    assert.deepEqual(cred.spec, {});
    assert.match(cred.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const expires = Date.parse(cred.status.expirationTimestamp);
    assert.ok(expires >= started + 14 * 60_000 - 1000 && expires <= Date.now() + 14 * 60_000, cred.status.expirationTimestamp);
    assert.equal(await fake.authenticate(cred.status.token, 'prod'), 'arn:aws:iam::123456789012:user/cli');
    await assert.rejects(fake.authenticate(cred.status.token, 'staging'), /SignatureDoesNotMatch/);
    assert.ok(!r.err.includes(secret));
  });

  test('--profile, then environment keys, pick the credentials', async () => {
    const ci = await cli(['token', 'eks', '--cluster', 'prod', '--region', 'eu-west-1', '--profile', 'ci']);
    assert.equal(ci.code, 0, ci.err);
    const fromProfile = JSON.parse(ci.out) as { status: { token: string } };
    assert.equal(await fake.authenticate(fromProfile.status.token, 'prod'), 'arn:aws:iam::123456789012:user/ci');
    const e = await cli(['token', 'eks', '--cluster', 'prod', '--region', 'eu-west-1'], {
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
    });
    assert.equal(e.code, 0, e.err);
    const fromEnv = JSON.parse(e.out) as { status: { token: string } };
    assert.equal(await fake.authenticate(fromEnv.status.token, 'prod'), 'arn:aws:iam::123456789012:user/env');
  });

  test('usage errors exit 2; a profile without a usable session exits 1 with the next step', async () => {
    const noCluster = await cli(['token', 'eks', '--region', 'us-east-1']);
    assert.equal(noCluster.code, 2);
    assert.match(noCluster.err, /--cluster is required/);
    const unknownFlag = await cli(['token', 'eks', '--cluster', 'a', '--region', 'us-east-1', '--bogus', 'x']);
    assert.equal(unknownFlag.code, 2);
    const unknownCloud = await cli(['token', 'ibm']);
    assert.equal(unknownCloud.code, 2);
    assert.match(unknownCloud.err, /unknown cloud "ibm"/);
    assert.equal((await cli(['token'])).code, 2);
    assert.match((await cli(['--help'])).out, /token <cloud>/);
    const sso = await cli(['token', 'eks', '--cluster', 'a', '--region', 'us-east-1', '--profile', 'sso']);
    assert.equal(sso.code, 1);
    assert.match(sso.err, /Run `aws sso login --profile sso`, then refresh\./);
    assert.equal(sso.out, '');
    const badRegion = await cli(['token', 'eks', '--cluster', 'a', '--region', 'https://evil']);
    assert.equal(badRegion.code, 2, 'an invalid region is a usage error');
    assert.match(badRegion.err, /not an AWS region name/);
  });
});

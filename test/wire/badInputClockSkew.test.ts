// Bad-input row B50 (a local clock 10 minutes off), the AWS side: the EKS fake's clock runs 10 minutes ahead of
// ours and, like AWS SigV4, refuses a request signed more than 5 minutes away from it ("Signature expired", with
// its own time in the Date header). Our EKS provider lists clusters anyway: the SDK's clock-skew correction (smithy
// CLOCK_SKEW_ERROR_CODES) learns the offset from that answer and signs the retry with the server's time. The exec
// credential side of B50 is in badInputExec.test.ts.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEksProvider } from '../../src/node/clouds/eks/eksProvider';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';

const SECRET = 'b50-skew-secret-key-canary';

describe('B50: AWS requests from a machine whose clock is 10 minutes off', () => {
  let dir = '';
  const fakes: EksFake[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-skew-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = AKIDSKEW\naws_secret_access_key = ${SECRET}\n`);
  });
  after(async () => {
    for (const f of fakes) await f.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (clockOffsetMs: number) => {
    const fake = await startEksFake({
      keys: { AKIDSKEW: { secretAccessKey: SECRET, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/skew' } },
      clockOffsetMs,
      maxSignatureAgeMs: 5 * 60_000,
    });
    fakes.push(fake);
    fake.addCluster('eu-west-1', { name: 'skewed', version: '1.33' });
    const log: string[] = [];
    const provider = createEksProvider({
      endpoint: fake.url,
      stsEndpoint: fake.url,
      configFile: join(dir, 'config'),
      credentialsFile: join(dir, 'credentials'),
      homeDir: dir,
      env: {},
      regions: () => ['eu-west-1'],
      requestTimeoutMs: 5_000,
      onRequest: (l) => log.push(l),
    });
    return { fake, provider, log };
  };

  for (const [label, offset] of [
    ['ahead of', 10 * 60_000],
    ['behind', -10 * 60_000],
  ] as const) {
    test(`the server's clock 10 minutes ${label} ours: ListClusters succeeds after one refused attempt`, async () => {
      const { fake, provider, log } = await start(offset);
      const listed = await provider.listClusters('default', ['eu-west-1']);
      assert.deepEqual(
        listed.map((r) => [r.scope, r.error, r.items.map((c) => c.name)]),
        [['eu-west-1', undefined, ['skewed']]],
        JSON.stringify(listed),
      );
      const list = fake.records.filter((r) => r.operation === 'ListClusters');
      assert.deepEqual(
        list.map((r) => r.status),
        [403, 200],
        'refused once (signature expired), then signed with the corrected time',
      );
      const signedAt = (r: (typeof list)[number]) =>
        Date.parse(String(r.headers['x-amz-date']).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      const [first, second] = list;
      assert.ok(first && second);
      assert.ok(Math.abs(signedAt(second) - (Date.now() + offset)) < 2 * 60_000, 'the retry carries the server time');
      // The correction sticks to the client: the next call is signed right the first time.
      fake.addCluster('eu-west-1', { name: 'second', version: '1.33' });
      await provider.listClusters('default', ['eu-west-1']);
      assert.deepEqual(
        fake.records.filter((r) => r.operation === 'ListClusters').map((r) => r.status),
        [403, 200, 200],
      );
      assert.ok(log.every((l) => !l.includes(SECRET)));
    });
  }
});

// `clusterdeck clusters list` through main() with the real EKS and GKE providers against their wire fakes,
// configured only by environment (AWS files and AWS_ENDPOINT_URL, a service-account key, gcloud's endpoint
// overrides): the inventory's JSON shape, per-scope errors in the output, exit codes.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';
import { startGkeFake, type GkeFake } from '../fakes/clouds/gkeFake';

const SECRET = 'clustersListSeCrEt/abcdefghijklmnopqrstuvwxyz01';
const SA = 'lister@p1.iam.gserviceaccount.com';

describe('clusterdeck clusters list (real providers, wire fakes)', () => {
  let eks: EksFake;
  let gke: GkeFake;
  let dir = '';
  let env: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-list-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = AKIDLIST\naws_secret_access_key = ${SECRET}\n`);
    eks = await startEksFake({
      keys: { AKIDLIST: { secretAccessKey: SECRET, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/list' } },
    });
    eks.addCluster('eu-west-1', {
      name: 'prod',
      version: '1.33',
      nodegroups: [{ name: 'general', instanceTypes: ['m6i.large'], min: 1, max: 5, desired: 2 }],
    });
    gke = await startGkeFake();
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    gke.trustServiceAccount(SA, publicKey);
    writeFileSync(
      join(dir, 'sa.json'),
      JSON.stringify({
        type: 'service_account',
        project_id: 'p1',
        private_key_id: 'k1',
        private_key: privateKey,
        client_email: SA,
        token_uri: gke.tokenUrl,
      }),
    );
    gke.addProject({ projectId: 'p1', projectNumber: '100000000001', displayName: 'Project One' });
    gke.addCluster('p1', {
      name: 'web',
      location: 'europe-west1',
      status: 'RUNNING',
      currentMasterVersion: '1.33.2-gke.100',
      endpoint: '34.1.2.3',
      currentNodeCount: 3,
      nodePools: [
        {
          name: 'default-pool',
          config: { machineType: 'e2-standard-4' },
          initialNodeCount: 2,
          autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 4 },
          version: '1.33.2-gke.100',
          status: 'RUNNING',
        },
      ],
    });
    env = {
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_ENDPOINT_URL: eks.url,
      GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'sa.json'),
      CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER: gke.url,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER: gke.url,
      KUBECONFIG: join(dir, 'no-kubeconfig'),
    };
  });
  after(async () => {
    await eks?.close();
    await gke?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
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
      { ...env, ...extra },
    );
    return { code, out, err };
  }

  test('JSON inventory of EKS and GKE: cloud, account, location, version, status, node pools', async () => {
    const r = await cli(['clusters', 'list', '--cloud', 'eks,gke', '--region', 'eu-west-1,europe-west1', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as { clusters: Record<string, unknown>[]; errors: unknown[] };
    const rows = parsed.clusters;
    assert.deepEqual(parsed.errors, []);
    const prod = rows.find((c) => c['cloud'] === 'eks' && c['name'] === 'prod');
    const web = rows.find((c) => c['cloud'] === 'gke' && c['name'] === 'web');
    assert.ok(prod && web, r.out);
    assert.equal(prod['account'], 'default');
    assert.equal(prod['region'], 'eu-west-1');
    assert.equal(prod['version'], '1.33');
    assert.deepEqual(prod['nodePools'], [{ name: 'general', instanceType: 'm6i.large', min: 1, max: 5, desired: 2, status: 'ACTIVE' }]);
    assert.equal(web['account'], 'p1');
    assert.equal(web['location'], 'europe-west1');
    assert.equal((web['nodePools'] as { instanceType: string }[])[0]?.instanceType, 'e2-standard-4');
    assert.doesNotMatch(r.out + r.err, new RegExp(SECRET.replace(/[/]/g, '\\/')));
  });

  test('one cloud failing is reported in the output; the exit code is 0 while another scope listed', async () => {
    const r = await cli(['clusters', 'list', '--cloud', 'eks,gke', '--region', 'eu-west-1', '--format', 'table'], {
      GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'missing.json'),
    });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /prod/);
    assert.match(r.out + r.err, /gke/i);
    assert.match(r.out + r.err, /missing\.json|credentials/i);
  });

  test('every scope failing exits non-zero', async () => {
    const r = await cli(['clusters', 'list', '--cloud', 'gke', '--format', 'json'], {
      GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'missing.json'),
    });
    assert.notEqual(r.code, 0);
  });
});

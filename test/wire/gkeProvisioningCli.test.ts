// `clusterdeck cluster create` / `nodepool create` with GKE files, end to end: the file the wizard writes (YAML, or
// the same as JSON) → the catalog → runPlan with a file journal → the real GKE provider → the Google fake.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createCommand } from '../../src/cli/createCommand';
import { captureIo } from '../support/cliIo';
import { gkeProvisioning } from '../../src/core/provisioning/gke/index';
import type { GkeClusterSpec } from '../../src/core/provisioning/gke/gkeSpec';
import { createGkeProvider } from '../../src/node/clouds/gke/gkeProvider';
import { startGkeFake, type GkeFake } from '../fakes/clouds/gkeFake';

const SA_EMAIL = 'clusterdeck-cli@proj-cli.iam.gserviceaccount.com';

describe('clusterdeck cluster/nodepool create with GKE files', () => {
  let fake: GkeFake;
  let dir: string;
  let keyFile: string;
  const loaders = () => ({
    gke: () =>
      Promise.resolve(
        createGkeProvider({
          apiEndpoint: fake.url,
          resourceManagerEndpoint: fake.url,
          computeEndpoint: fake.url,
          credentialsFile: keyFile,
          env: { HOME: dir },
          requestTimeoutMs: 5_000,
          pollIntervalMs: 5,
        }),
      ),
  });
  async function cli(which: 'cluster' | 'nodePool', args: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo(dir);
    const code = await createCommand(which, args, c.io, { env: {}, loaders: loaders(), journalDir: join(dir, 'ops') });
    return { code, out: c.out(), err: c.err() };
  }
  const clusterCreates = (name: string) =>
    fake.records.filter((r) => r.method === 'POST' && /\/clusters$/.test(r.path) && r.body.includes(`"${name}"`)).length;
  const writeCluster = (name: string, json = false): string => {
    const spec: GkeClusterSpec = {
      project: 'proj-cli',
      location: 'europe-west1',
      cluster: {
        name,
        releaseChannel: { channel: 'REGULAR' },
        network: 'default',
        subnetwork: 'default',
        masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: '203.0.113.7/32' }] },
        nodePools: [
          {
            name: 'default-pool',
            initialNodeCount: 1,
            config: { machineType: 'e2-medium', diskSizeGb: 100, diskType: 'pd-balanced', imageType: 'COS_CONTAINERD' },
            autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 3, locationPolicy: 'BALANCED' },
          },
        ],
      },
    };
    const text = gkeProvisioning.clusterFormat.write(spec);
    const file = join(dir, `${name}.${json ? 'json' : 'yaml'}`);
    writeFileSync(file, json ? JSON.stringify(parse(text), null, 2) : text);
    return file;
  };

  before(async () => {
    fake = await startGkeFake();
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-gkecli-'));
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    fake.trustServiceAccount(SA_EMAIL, publicKey);
    keyFile = join(dir, 'sa.json');
    writeFileSync(
      keyFile,
      JSON.stringify({
        type: 'service_account',
        private_key_id: 'k1',
        private_key: privateKey,
        client_email: SA_EMAIL,
        token_uri: fake.tokenUrl,
      }),
    );
    fake.addProject({ projectId: 'proj-cli', projectNumber: '200000000001' });
  });

  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('without --yes: the summary and the gcloud line, nothing sent', async () => {
    const file = writeCluster('cli-one');
    const r = await cli('cluster', ['--file', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^Create GKE Standard cluster cli-one \(REGULAR channel, 1 node pool\)\nWhere: project proj-cli, region europe-west1\nEstimated nodes: 3/,
    );
    assert.match(r.out, /Equivalent: gcloud container clusters create cli-one/);
    assert.match(r.out, /Nothing created/);
    assert.equal(clusterCreates('cli-one'), 0);
  });

  test('--yes --wait creates and follows to the end; the same file again says it already exists; one cluster', async () => {
    const file = writeCluster('cli-one');
    const r = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Done: GKE Standard cluster cli-one/);
    assert.equal(fake.cluster('proj-cli', 'europe-west1', 'cli-one')?.status, 'RUNNING');
    const again = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(again.code, 0, again.err);
    assert.match(
      again.out,
      /GKE cluster cli-one already exists in project proj-cli, region europe-west1 \(created by ClusterDeck operation [0-9a-f-]{36}\); nothing was sent\./,
    );
    assert.equal(clusterCreates('cli-one'), 1);
  });

  test('a JSON file; the answer lost after GKE accepted: started, then --wait resumes from the journal; one cluster', async () => {
    const file = writeCluster('cli-json', true);
    fake.faults.push({ method: 'POST', path: /\/clusters$/, times: 1, dropResponse: true });
    const first = await cli('cluster', ['--file', file, '--yes']);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /already being created .*by this operation/);
    assert.match(first.out, /Started: GKE Standard cluster cli-json/);
    const second = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /Done: GKE Standard cluster cli-json/);
    assert.equal(clusterCreates('cli-json'), 1);
    assert.equal(fake.cluster('proj-cli', 'europe-west1', 'cli-json')?.status, 'RUNNING');
  });

  test('failure midway: exit 1 with the service message and what is left in place', async () => {
    const file = writeCluster('cli-fail');
    fake.failNextOperation(
      "Insufficient regional quota to satisfy request: resource \"SSD_TOTAL_GB\": request requires '300.0' and is short '100.0'.",
      8,
    );
    const r = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(r.code, 1);
    assert.match(r.err, /the SSD_TOTAL_GB quota of project proj-cli in europe-west1 is too small/);
    assert.match(
      r.err,
      /Left in place \(nothing was deleted\): cluster cli-fail in project proj-cli, region europe-west1 \(ERROR: Insufficient regional quota/,
    );
  });

  test('nodepool create --file: the node-pool file into an existing cluster', async () => {
    const file = join(dir, 'pool.yaml');
    writeFileSync(
      file,
      gkeProvisioning.nodePoolFormat.write({
        project: 'proj-cli',
        location: 'europe-west1',
        cluster: 'cli-one',
        nodePool: {
          name: 'batch',
          initialNodeCount: 0,
          config: { machineType: 'e2-standard-4', spot: true },
          autoscaling: { enabled: true, minNodeCount: 0, maxNodeCount: 4 },
        },
      }),
    );
    const wrong = await cli('cluster', ['--file', file]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /use `clusterdeck nodepool create`/);
    const r = await cli('nodePool', ['--file', file, '--yes', '--wait']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Done: GKE node pool batch \(e2-standard-4\) in cluster cli-one/);
    const pool = (fake.cluster('proj-cli', 'europe-west1', 'cli-one')?.nodePools as { name: string; status: string }[]).find(
      (p) => p.name === 'batch',
    );
    assert.equal(pool?.status, 'RUNNING');
  });

  test('a file with problems is refused before anything is sent (exit 2), naming the paths', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'parent: projects/proj-cli/locations/europe-west1\ncluster:\n  name: Bad_Name\n  status: RUNNING\n  nodePools: []\n',
    );
    const before = fake.records.length;
    const r = await cli('cluster', ['--file', file, '--yes']);
    assert.equal(r.code, 2);
    assert.match(r.err, /cluster\.name/);
    assert.match(r.err, /status is output only/);
    assert.equal(fake.records.length, before);
  });
});

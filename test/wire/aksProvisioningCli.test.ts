// `clusterdeck cluster create` / `nodepool create` with AKS files, end to end: the JSON the wizard writes → the
// catalog → runPlan with a file journal → the real AKS provider → the ARM fake.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommand } from '../../src/cli/createCommand';
import { captureIo } from '../support/cliIo';
import { aksProvisioning } from '../../src/core/provisioning/aks/index';
import type { AksClusterState } from '../../src/core/provisioning/aks/aksWizards';
import { createAksProvider } from '../../src/node/clouds/aks/aksProvider';
import { createFakeAzureCredential, startAksFake, type AksFake } from '../fakes/clouds/aksFake';

const SUB = '0b1f6471-1bf0-4dda-aec3-999999999999';

describe('clusterdeck cluster/nodepool create with AKS files', () => {
  let fake: AksFake;
  let dir: string;
  const loaders = () => ({
    aks: () =>
      Promise.resolve(
        createAksProvider({
          credential: createFakeAzureCredential(),
          resourceManagerEndpoint: fake.url,
          tlsCa: fake.caPem,
          requestTimeoutMs: 5_000,
          pollIntervalMs: 5,
          retryDelayMs: 5,
        }),
      ),
  });
  async function cli(which: 'cluster' | 'nodePool', args: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo(dir);
    const code = await createCommand(which, args, c.io, { env: {}, loaders: loaders(), journalDir: join(dir, 'ops') });
    return { code, out: c.out(), err: c.err() };
  }
  const writeCluster = (name: string, over: Partial<AksClusterState> = {}): string => {
    const w = aksProvisioning.clusterWizard;
    const spec = w.toSpec({
      ...w.initial({ account: SUB, location: 'westeurope' }),
      resourceGroup: 'cli-rg',
      newResourceGroup: true,
      name,
      version: '1.33.2',
      authorizedRanges: ['203.0.113.7/32'],
      systemPool: { name: 'system', vmSize: 'Standard_D4ds_v5', autoscale: false, count: 2, zones: ['1', '2', '3'] },
      ...over,
    });
    const file = join(dir, w.fileName(spec).replace('clusters/', ''));
    writeFileSync(file, aksProvisioning.clusterFormat.write(spec));
    return file;
  };

  before(async () => {
    fake = await startAksFake({ resourceGroups: [], lroPolls: 1 });
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-akscli-'));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('without --yes: the summary and the az lines, nothing sent', async () => {
    const r = await cli('cluster', ['--file', writeCluster('cli-one')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /AKS cluster cli-one \(Kubernetes 1\.33\.2, 1 agent pool\)/);
    assert.match(r.out, /resource group cli-rg \(new\), location westeurope/);
    assert.match(r.out, /1\. resource group cli-rg\n {2}2\. cluster cli-one/);
    assert.match(r.out, /Equivalent: az group create --subscription \S+ --name cli-rg --location westeurope\naz aks create /);
    assert.match(r.out, /Nothing created/);
    assert.equal(fake.records.filter((x) => x.method === 'PUT').length, 0);
  });

  test('--yes --wait: the resource group, then the cluster, followed to the end; the same file again says it already exists', async () => {
    const file = writeCluster('cli-one');
    const r = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Done: AKS cluster cli-one/);
    assert.equal(fake.resourceGroups.find((g) => g.name === 'cli-rg')?.location, 'westeurope');
    assert.equal(fake.clusters.find((c) => c.name === 'cli-one')?.provisioningState, 'Succeeded');
    const again = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /Resource group cli-rg already exists/);
    assert.match(again.out, /AKS cluster cli-one already exists in resource group cli-rg \(created from this file earlier\)/);
    assert.equal(fake.clusters.filter((c) => c.name === 'cli-one').length, 1);
  });

  test('nodepool create --file: the agent pool file, created and followed; a cluster file is refused there', async () => {
    const w = aksProvisioning.nodePoolWizard;
    const spec = w.toSpec({
      ...w.initial({ account: SUB, resourceGroup: 'cli-rg', cluster: 'cli-one' }),
      location: 'westeurope',
      version: '1.33.2',
      mode: 'User',
      pool: { name: 'spot', vmSize: 'Standard_D4ds_v5', autoscale: true, min: 0, max: 3, count: 0, spot: true },
    });
    const file = join(dir, 'pool.json');
    writeFileSync(file, aksProvisioning.nodePoolFormat.write(spec));
    const r = await cli('nodePool', ['--file', file, '--yes', '--wait']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Done: AKS agent pool spot of cluster cli-one/);
    assert.equal(
      fake.clusters.find((c) => c.name === 'cli-one')?.agentPools.find((p) => p.name === 'spot')?.provisioningState,
      'Succeeded',
    );
    const wrong = await cli('nodePool', ['--file', writeCluster('cli-two')]);
    assert.equal(wrong.code, 2);
  });

  test('a failure midway: exit 1 with the service message and what is left', async () => {
    fake.failNextOperation({ code: 'QuotaExceeded', message: 'Total Regional Cores quota of 10 exceeded in westeurope.' });
    const r = await cli('cluster', [
      '--file',
      writeCluster('cli-quota', { resourceGroup: 'cli-rg', newResourceGroup: false }),
      '--yes',
      '--wait',
    ]);
    assert.equal(r.code, 1, r.out);
    assert.match(
      r.err,
      /Azure quota exceeded in westeurope while creating AKS cluster cli-quota \(QuotaExceeded\): Total Regional Cores quota/,
    );
    assert.match(r.err, /Left in place \(nothing was deleted\): cluster cli-quota in resource group cli-rg \(Failed\)/);
  });

  test('a file with a problem is refused before any request, naming the field', async () => {
    const file = join(dir, 'bad.json');
    const doc = JSON.parse(
      aksProvisioning.clusterFormat.write(
        aksProvisioning.clusterFormat.read(JSON.parse(readFileSync(writeCluster('cli-bad'), 'utf8'))).spec!,
      ),
    ) as {
      properties: { networkProfile: { serviceCidr: string } };
    };
    doc.properties.networkProfile.serviceCidr = '10.244.0.0/20';
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const before = fake.records.length;
    const r = await cli('cluster', ['--file', file, '--yes']);
    assert.equal(r.code, 2);
    assert.match(r.err, /overlaps the pod CIDR/);
    assert.equal(fake.records.length, before);
  });
});

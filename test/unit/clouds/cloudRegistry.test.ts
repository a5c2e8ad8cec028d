// The registry: enabled clouds from the setting, one load per cloud, failed loads retried, Restricted Mode refused
// before any loader runs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CloudRegistry } from '../../../src/node/clouds/cloudRegistry';
import { parseEnabledClouds, parseStringList } from '../../../src/core/clouds/cloudSettings';
import { ClusterDeckError } from '../../../src/core/errors';
import { memoryCloudProvider, sampleClouds } from '../../support/memoryCloudProvider';

test('clusterdeck.clouds.enabled: default all three; unknown and duplicate entries dropped; order kept', () => {
  assert.deepEqual(parseEnabledClouds(undefined), ['eks', 'gke', 'aks']);
  assert.deepEqual(parseEnabledClouds(['AKS', 'eks', 'openstack', 'eks']), ['aks', 'eks']);
  assert.deepEqual(parseEnabledClouds([]), []);
  assert.deepEqual(parseStringList([' eu-west-1 ', '', 3, 'eu-west-1', 'us-east-1']), ['eu-west-1', 'us-east-1']);
});

test('a provider is loaded once and cached; forget drops it; a failed load is tried again', async () => {
  let loads = 0;
  let fail = true;
  const registry = new CloudRegistry({
    loaders: {
      eks: () => {
        loads++;
        return Promise.resolve(memoryCloudProvider('eks', sampleClouds().eks));
      },
      gke: () => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('chunk missing'));
        }
        return Promise.resolve(memoryCloudProvider('gke', sampleClouds().gke));
      },
    },
  });
  assert.deepEqual(registry.availableClouds(), ['eks', 'gke']);
  const a = await registry.provider('eks');
  assert.equal(await registry.provider('eks'), a);
  assert.equal(loads, 1);
  registry.forget('eks');
  await registry.provider('eks');
  assert.equal(loads, 2);
  await assert.rejects(registry.provider('gke'), /chunk missing/);
  assert.equal((await registry.provider('gke')).cloud, 'gke');
  await assert.rejects(registry.provider('aks'), (e: unknown) => e instanceof ClusterDeckError && e.reason === 'invalid');
});

test('Restricted Mode: untrusted refuses before loading; a disabled cloud is refused', async () => {
  let loads = 0;
  let trusted = false;
  let enabled: unknown = ['gke'];
  const registry = new CloudRegistry({
    loaders: {
      eks: () => {
        loads++;
        return Promise.resolve(memoryCloudProvider('eks', sampleClouds().eks));
      },
    },
    isTrusted: () => trusted,
    enabledSetting: () => enabled,
  });
  await assert.rejects(registry.provider('eks'), (e: unknown) => e instanceof ClusterDeckError && e.reason === 'untrusted');
  trusted = true;
  await assert.rejects(registry.provider('eks'), (e: unknown) => e instanceof ClusterDeckError && /turned off/.test(e.message));
  assert.equal(loads, 0);
  enabled = undefined;
  assert.equal((await registry.provider('eks')).cloud, 'eks');
});

// The pure parts of the GKE provider: version order and upgrade choices, endpoint access, add-ons, progress text.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  compareGkeVersions,
  progressText,
  toCloudAddons,
  toCloudCluster,
  toCloudNodePool,
  upgradeVersions,
} from '../../src/node/clouds/gke/gkeProvider';

describe('GKE mapping', () => {
  test('versions compare numerically, including the gke build number', () => {
    assert.ok(compareGkeVersions('1.30.10-gke.1', '1.30.9-gke.99') > 0);
    assert.ok(compareGkeVersions('1.30.5-gke.1014001', '1.30.5-gke.999') > 0);
    assert.ok(compareGkeVersions('1.9.0-gke.1', '1.10.0-gke.1') < 0);
    assert.equal(compareGkeVersions('1.31', '1.31.0'), 0);
  });

  test('upgrade choices: newer, at most one minor ahead, newest first, channel versions for channel clusters', () => {
    const config = {
      validMasterVersions: ['1.32.0-gke.1', '1.31.2-gke.3', '1.31.2-gke.10', '1.30.1-gke.1', 'latest'],
      channels: [{ channel: 'STABLE' as const, validVersions: ['1.30.4-gke.1'] }],
    };
    assert.deepEqual(upgradeVersions('1.30.1-gke.1', config), ['1.31.2-gke.10', '1.31.2-gke.3']);
    assert.deepEqual(upgradeVersions('1.30.1-gke.1', config, 'STABLE'), ['1.30.4-gke.1']);
    assert.deepEqual(upgradeVersions('1.30.1-gke.1', config, 'UNSPECIFIED'), ['1.31.2-gke.10', '1.31.2-gke.3']);
    assert.deepEqual(upgradeVersions('1.32.0-gke.1', config), []);
    assert.deepEqual(upgradeVersions('', config), []);
    assert.deepEqual(upgradeVersions('1.30.1-gke.1', undefined), []);
  });

  test('endpoint access from privateClusterConfig or controlPlaneEndpointsConfig', () => {
    const access = (c: object) => toCloudCluster('p', { name: 'c', location: 'l', ...c }).endpointAccess;
    assert.deepEqual(access({}), { public: true, private: false });
    assert.deepEqual(access({ privateClusterConfig: { enablePrivateEndpoint: true, privateEndpoint: '10.0.0.2' } }), {
      public: false,
      private: true,
    });
    assert.deepEqual(
      access({
        controlPlaneEndpointsConfig: {
          ipEndpointsConfig: {
            enabled: true,
            enablePublicEndpoint: true,
            privateEndpoint: '10.0.0.2',
            authorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: '198.51.100.0/24' }] },
          },
        },
      }),
      { public: true, private: true, publicCidrs: ['198.51.100.0/24'] },
    );
    assert.deepEqual(
      access({ controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: false }, dnsEndpointConfig: { allowExternalTraffic: true } } }),
      { public: true, private: false },
    );
  });

  test('cluster statuses map to health; empty proto3 defaults are dropped', () => {
    const health = (status: string) => toCloudCluster('p', { name: 'c', location: 'l', status: status as never }).health;
    assert.deepEqual(['RUNNING', 'PROVISIONING', 'RECONCILING', 'STOPPING', 'ERROR', 'DEGRADED', 'STATUS_UNSPECIFIED'].map(health), [
      'ok',
      'progressing',
      'progressing',
      'progressing',
      'failed',
      'failed',
      'unknown',
    ]);
    const c = toCloudCluster('p', { name: 'c', location: 'l', endpoint: '', masterAuth: { clusterCaCertificate: '' } });
    assert.equal(c.endpoint, undefined);
    assert.equal(c.caData, undefined);
  });

  test('node pools: autoscaling off has no bounds; RUNNING_WITH_ERROR is failed', () => {
    const pool = toCloudNodePool({
      name: 'x',
      config: { machineType: 'e2-medium' },
      autoscaling: { enabled: false, maxNodeCount: 5 },
      status: 'RUNNING_WITH_ERROR',
    });
    assert.equal(pool.min, undefined);
    assert.equal(pool.max, undefined);
    assert.equal(pool.health, 'failed');
  });

  test('add-ons: "disabled: false" and "enabled: true" entries count, others do not', () => {
    const names = toCloudAddons({
      addonsConfig: {
        httpLoadBalancing: { disabled: false },
        networkPolicyConfig: { disabled: true },
        configConnectorConfig: { enabled: true },
        gcsFuseCsiDriverConfig: { enabled: false },
        kubernetesDashboard: null,
      },
    }).map((a) => a.name);
    assert.deepEqual(names, ['HTTP Load Balancing', 'Config Connector']);
  });

  test('operation progress shows step metrics (int64 strings) when present', () => {
    assert.equal(progressText({ status: 'RUNNING' }), 'RUNNING');
    assert.equal(
      progressText({
        status: 'RUNNING',
        progress: {
          metrics: [
            { name: 'NODES_TOTAL', intValue: '6' },
            { name: 'NODES_DONE', intValue: '2' },
          ],
        },
      }),
      'RUNNING (2/6)',
    );
  });
});

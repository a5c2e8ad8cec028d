// Pure parts of the AKS provider: ARM id parsing, status words, feature lists and the error mapping.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RestError } from '@azure/core-rest-pipeline';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import { mapAzureError } from '../../src/node/clouds/aks/aksErrors';
import { azureStatus, parseArmId, toCloudAddons, toCloudCluster } from '../../src/node/clouds/aks/aksModel';
import { retryAfterSeconds } from '../../src/node/clouds/aks/aksPipeline';

const c = { action: 'list clusters', host: 'management.azure.com' };

describe('AKS model', () => {
  test('resource group from an ARM id, case kept; junk gives nothing', () => {
    assert.deepEqual(parseArmId('/subscriptions/s1/resourcegroups/My-RG/providers/Microsoft.ContainerService/managedClusters/x'), {
      subscription: 's1',
      resourceGroup: 'My-RG',
    });
    assert.deepEqual(parseArmId('/providers/x'), {});
    assert.deepEqual(parseArmId(undefined), {});
  });

  test('status and health from provisioningState + powerState', () => {
    assert.deepEqual(azureStatus('Succeeded', 'Running'), { status: 'Running', health: 'ok' });
    assert.deepEqual(azureStatus('Succeeded', 'Stopped'), { status: 'Stopped', health: 'unknown' });
    for (const p of ['Creating', 'Updating', 'Upgrading', 'Deleting', 'Scaling', 'Starting', 'Stopping']) {
      assert.deepEqual(azureStatus(p, 'Running'), { status: p, health: 'progressing' });
    }
    assert.deepEqual(azureStatus('Failed', 'Running'), { status: 'Failed', health: 'failed' });
    assert.deepEqual(azureStatus('Canceled', 'Running'), { status: 'Canceled', health: 'unknown' });
    assert.deepEqual(azureStatus(undefined, undefined), { status: 'Unknown', health: 'unknown' });
  });

  test('a cluster without pools or endpoint still maps; disabled public network access is not public', () => {
    const cl = toCloudCluster('s1', {
      id: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a',
      name: 'a',
      location: 'eastus',
      kubernetesVersion: '1.33',
      publicNetworkAccess: 'Disabled',
    });
    assert.equal(cl.version, '1.33');
    assert.equal(cl.endpoint, undefined);
    assert.equal(cl.nodeCount, undefined);
    assert.deepEqual(cl.endpointAccess, { public: false, private: false });
  });

  test('legacy Entra ID integration is named as such', () => {
    const names = toCloudAddons({ location: 'x', aadProfile: { managed: false, serverAppID: 'app' } }).map((a) => `${a.name}=${a.status}`);
    assert.deepEqual(names, ['Entra ID integration=Legacy (app registrations)']);
  });
});

describe('mapAzureError', () => {
  test('HTTP statuses map to reasons; ARM codes appear, bodies do not leak beyond their message', () => {
    const rest = (statusCode: number, code: string) =>
      Object.assign(new RestError('x', { statusCode, code }), { details: { error: { code, message: 'Details here.' } } });
    const cases: [number, string, string][] = [
      [401, 'InvalidAuthenticationToken', 'unauthorized'],
      [403, 'AuthorizationFailed', 'forbidden'],
      [404, 'ResourceNotFound', 'notFound'],
      [409, 'OperationNotAllowed', 'conflict'],
      [412, 'PreconditionFailed', 'conflict'],
      [429, 'TooManyRequests', 'throttled'],
      [500, 'InternalServerError', 'serverError'],
      [503, 'ServiceUnavailable', 'serverError'],
      [400, 'InvalidParameter', 'invalid'],
    ];
    for (const [status, code, reason] of cases) {
      const e = mapAzureError(rest(status, code), c);
      assert.ok(e instanceof ClusterDeckError);
      assert.equal(e.reason, reason, `${status}`);
      assert.equal(e.detail.status, status);
    }
  });

  test('network, TLS, LRO failure, credential and cancellation', () => {
    const reason = (e: unknown): string => (mapAzureError(e, c) as ClusterDeckError).reason;
    assert.equal(reason(new RestError('connect ECONNREFUSED', { code: 'ECONNREFUSED' })), 'unreachable');
    assert.equal(reason(new RestError('getaddrinfo ENOTFOUND', { code: 'ENOTFOUND' })), 'unreachable');
    assert.equal(reason(new RestError('self-signed', { code: 'SELF_SIGNED_CERT_IN_CHAIN' })), 'tls');
    const lro = mapAzureError(new Error('The long-running operation has failed. QuotaExceeded. Insufficient regional vcpu quota left'), c);
    assert.ok(lro instanceof ClusterDeckError);
    assert.equal(lro.reason, 'serverError');
    assert.equal(lro.message, 'Azure could not list clusters: QuotaExceeded. Insufficient regional vcpu quota left.');
    assert.equal(reason(Object.assign(new Error('no account'), { name: 'CredentialUnavailableError' })), 'unauthorized');
    assert.ok(mapAzureError(Object.assign(new Error('aborted'), { name: 'AbortError' }), c) instanceof CancelledError);
    const odd = mapAzureError(new Error('token=abc secret'), c);
    assert.ok(odd instanceof ClusterDeckError && !odd.message.includes('abc'));
  });
});

describe('retryAfterSeconds', () => {
  test('delta-seconds, HTTP dates, junk', () => {
    const now = Date.parse('2026-11-27T05:00:00Z');
    assert.equal(retryAfterSeconds('0', now), 0);
    assert.equal(retryAfterSeconds(' 120 ', now), 120);
    assert.equal(retryAfterSeconds('Fri, 27 Nov 2026 05:01:30 GMT', now), 90);
    assert.equal(retryAfterSeconds('Fri, 27 Nov 2026 04:00:00 GMT', now), 0);
    assert.equal(retryAfterSeconds('soon', now), undefined);
    assert.equal(retryAfterSeconds(undefined, now), undefined);
  });
});

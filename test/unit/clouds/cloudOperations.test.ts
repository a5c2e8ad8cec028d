// Pure halves of the cloud operations: scale checks as the user types, upgrade choices, what deletes name, Details.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  checkScale,
  clusterDeletion,
  parseNodeCount,
  poolDeletion,
  renderClusterDetails,
  upgradeChoices,
  validateScaleField,
} from '../../../src/core/clouds/cloudOperations';
import { sampleClouds } from '../../support/memoryCloudProvider';

test('scale input: whole numbers ≥ 0 only; min ≤ desired ≤ max checked against what is known', () => {
  assert.equal(parseNodeCount(' 3 '), 3);
  for (const bad of ['', '-1', '1.5', 'x', '1e3', '999999']) assert.equal(parseNodeCount(bad), undefined, bad);
  assert.match(validateScaleField('min', '-1', {}) ?? '', /whole number/);
  assert.equal(validateScaleField('min', '0', { desired: 2, max: 3 }), undefined);
  assert.match(validateScaleField('min', '4', { desired: 2, max: 3 }) ?? '', /Minimum \(4\) must not be above maximum \(3\)/);
  assert.match(validateScaleField('desired', '1', { min: 2, max: 5 }) ?? '', /below minimum/);
  assert.match(validateScaleField('desired', '6', { min: 2, max: 5 }) ?? '', /above maximum/);
  assert.match(validateScaleField('max', '1', { min: 2, desired: 2 }) ?? '', /Minimum \(2\) must not be above maximum \(1\)/);
  assert.equal(validateScaleField('max', '9', { min: 2, desired: 2 }), undefined);
  assert.equal(checkScale({ min: 1, desired: 2, max: 3 }), undefined);
  assert.ok(checkScale({ min: 3, desired: 2, max: 3 }));
});

test('upgrade choices: only newer versions, newest first, GKE-style suffixes compared numerically', () => {
  assert.deepEqual(upgradeChoices('1.33', ['1.32', '1.34', '1.33', '1.35', '1.34']), ['1.35', '1.34']);
  assert.deepEqual(upgradeChoices('1.33.4-gke.100', ['1.33.5-gke.100', '1.34.1-gke.200', '1.33.4-gke.99', '1.33.10-gke.1']), [
    '1.34.1-gke.200',
    '1.33.10-gke.1',
    '1.33.5-gke.100',
  ]);
});

test('delete cluster names cloud, account, location, the pools deleted with it, and asks for the typed name', () => {
  const s = sampleClouds();
  const d = clusterDeletion(s.eks.clusters[0]!.cluster, s.eks.accounts[0]!, s.eks.clusters[0]!.pools);
  assert.equal(d.typeToConfirm, 'shop');
  assert.equal(d.where, 'AWS (EKS) · profile prod · eu-west-1');
  assert.match(d.consequence, /Its 2 node groups \(ng-1, spot-1\) and their nodes are deleted with it\./);
  const a = clusterDeletion(s.aks.clusters[0]!.cluster, s.aks.accounts[0]!, undefined);
  assert.equal(a.where, 'Azure (AKS) · subscription Pay-As-You-Go · resource group rg-b · westeurope');
  assert.match(a.consequence, /could not be listed/);
  const p = poolDeletion(s.gke.clusters[0]!.cluster, s.gke.accounts[0]!, s.gke.clusters[0]!.pools[0]!);
  assert.equal(p.title, 'Delete node pool "default-pool" of cluster "web"?');
  assert.equal(p.typeToConfirm, 'default-pool');
  assert.match(p.where, /Google Cloud \(GKE\) · project My Project · europe-west1/);
});

test('Details: overview, networking and endpoint access, logging (from describeCluster), pools, add-ons', () => {
  const s = sampleClouds();
  const e = s.eks.clusters[0]!;
  const md = renderClusterDetails({
    cluster: e.cluster,
    account: s.eks.accounts[0]!,
    pools: e.pools,
    addons: e.addons ?? [],
    details: {
      sections: [
        {
          title: 'Networking',
          rows: [
            ['VPC', 'vpc-123'],
            ['Service CIDR', '10.100.0.0/16'],
          ],
        },
        {
          title: 'Logging',
          rows: [
            ['api', 'enabled'],
            ['audit', 'disabled'],
          ],
        },
        { title: 'Identity', rows: [['OIDC issuer', 'https://oidc.example|x']] },
      ],
    },
    kubeContext: 'shop-ctx',
  });
  assert.match(md, /^# shop\n/);
  assert.match(md, /\| Endpoint access \| public \+ private \|/);
  assert.match(md, /\| VPC \| vpc-123 \|/);
  assert.match(md, /## Logging\n\n\| \| \|\n\|---\|---\|\n\| api \| enabled \|/);
  assert.match(md, /\| OIDC issuer \| https:\/\/oidc.example\\\|x \|/, 'pipes escaped');
  assert.match(md, /\| spot-1 \| m5.large,m5a.large \| 1 ≤ 2 ≤ 3 \| spot \|/);
  assert.match(md, /## Add-ons\n\n\| Name \| Version \| Status \|\n\|---\|---\|---\|\n\| vpc-cni \| v1.19.0 \| ACTIVE \|/);
  assert.match(md, /\| In kubeconfig as \| shop-ctx \|/);
  const bare = renderClusterDetails({
    cluster: s.aks.clusters[1]!.cluster,
    account: s.aks.accounts[0]!,
    problems: { pools: 'Access denied.' },
  });
  assert.match(bare, /## Logging\n\n_Not reported by the cloud._/);
  assert.match(bare, /## Agent pools\n\n_Not available: Access denied._/);
  assert.match(bare, /\| API server \| not reported \|/);
});

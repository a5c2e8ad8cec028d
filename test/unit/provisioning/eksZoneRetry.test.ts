// B72, pure half: EKS refuses a zone and names validZones → the error carries them → the wizards, run again with
// the pre-fill, pick exactly the subnets in those zones (cluster subnets, node subnets, a node group's subnets).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ClusterDeckError } from '../../../src/core/errors';
import { eksProvisioning } from '../../../src/core/provisioning/eks/index';
import type { EksClusterWizardState, EksNodePoolWizardState } from '../../../src/core/provisioning/eks/eksWizards';
import { zoneRetryPrefill, type ChoiceItem, type ChoiceLoader } from '../../../src/core/provisioning/provisioning';
import { runWizard, scriptedRenderer, type WizardStep } from '../../../src/core/wizard/wizard';
import { mapEksError } from '../../../src/node/clouds/eks/eksErrors';

const subnets: readonly ChoiceItem[] = [
  { value: 'subnet-0a1/eu-west-1a/private', label: 'subnet-0a1', description: 'eu-west-1a · private' },
  { value: 'subnet-0b2/eu-west-1b/private', label: 'subnet-0b2', description: 'eu-west-1b · private' },
  { value: 'subnet-0e5/eu-west-1e/private', label: 'subnet-0e5', description: 'eu-west-1e · private', isDefault: true },
];
const data: Record<string, readonly ChoiceItem[]> = {
  accounts: [{ value: 'default', isDefault: true }],
  regions: [{ value: 'eu-west-1', isDefault: true }],
  versions: [{ value: '1.33', isDefault: true }],
  roles: [{ value: 'arn:aws:iam::123456789012:role/AmazonEKSClusterRole', isDefault: true }],
  vpcs: [{ value: 'vpc-0abc', isDefault: true }],
  subnets,
  clusterSubnets: subnets,
  instanceTypes: [{ value: 'm5.large', isDefault: true }],
  clusters: [{ value: 'shop', isDefault: true }],
};
const load: ChoiceLoader = (query) => Promise.resolve(data[query] ?? []);

/** What EKS answers (the SDK's UnsupportedAvailabilityZoneException: name, message, validZones). */
const refusal = Object.assign(new Error("Cannot create cluster 'shop' because eu-west-1e ... choose from eu-west-1a, eu-west-1b"), {
  name: 'UnsupportedAvailabilityZoneException',
  validZones: ['eu-west-1a', 'eu-west-1b'],
  $metadata: { httpStatusCode: 400 },
});

test('B72: the mapped error names the valid zones and carries them; other errors give no zone pre-fill', () => {
  const mapped = mapEksError(refusal, { profile: 'default', region: 'eu-west-1', operation: 'CreateCluster' });
  assert.ok(mapped instanceof ClusterDeckError);
  assert.equal(mapped.reason, 'invalid');
  assert.deepEqual(mapped.detail.validZones, ['eu-west-1a', 'eu-west-1b']);
  assert.equal(
    mapped.message,
    'EKS cannot use the chosen availability zone in eu-west-1 for eks:CreateCluster; create again with subnets in eu-west-1a, eu-west-1b (the wizard pre-selects them).',
  );
  assert.deepEqual(zoneRetryPrefill(mapped, { account: 'default', location: 'eu-west-1' }), {
    account: 'default',
    location: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b'],
  });
  // Without validZones (an older answer): EKS's own sentence, no pre-fill.
  const bare = mapEksError(Object.assign(new Error('No capacity in eu-west-1e.'), { name: 'UnsupportedAvailabilityZoneException' }), {
    profile: 'default',
    region: 'eu-west-1',
    operation: 'CreateCluster',
  });
  assert.ok(bare instanceof ClusterDeckError);
  assert.match(bare.message, /^EKS refused eks:CreateCluster in eu-west-1: No capacity in eu-west-1e\.$/);
  assert.equal(zoneRetryPrefill(bare, {}), undefined);
  assert.equal(zoneRetryPrefill(new Error('x'), {}), undefined);
});

test('B72: the cluster wizard run again pre-selects the subnets in the valid zones only, for the cluster and its node group', async () => {
  const wizard = eksProvisioning.clusterWizard;
  const prefill = zoneRetryPrefill(mapEksError(refusal, { profile: 'default', region: 'eu-west-1', operation: 'CreateCluster' }), {
    account: 'default',
    location: 'eu-west-1',
  });
  assert.ok(prefill);
  const initial = wizard.initial(prefill);
  const steps = wizard.steps(load);
  const step = steps.find((s) => s.id === 'subnets') as Extract<WizardStep<EksClusterWizardState>, { kind: 'multi' }>;
  const choices = await step.choices(initial, new AbortController().signal);
  assert.deepEqual(
    choices.map((c) => [c.value, c.picked === true, c.description]),
    [
      ['subnet-0a1/eu-west-1a/private', true, 'eu-west-1a · private'],
      ['subnet-0b2/eu-west-1b/private', true, 'eu-west-1b · private'],
      ['subnet-0e5/eu-west-1e/private', false, 'eu-west-1e · private · zone not accepted by EKS'],
    ],
  );
  // Without the pre-fill the cloud's default stands (the refused zone's subnet is proposed).
  const plain = await step.choices(wizard.initial({}), new AbortController().signal);
  assert.deepEqual(
    plain.filter((c) => c.picked).map((c) => c.value),
    ['subnet-0e5/eu-west-1e/private'],
  );

  // Enter through every step: the file asks for the valid zones only.
  const state = await runWizard(steps, initial, scriptedRenderer<EksClusterWizardState>({ name: ['shop'] }));
  assert.ok(state);
  const spec = wizard.toSpec(state);
  assert.deepEqual(
    spec.subnets.map((s) => s.az),
    ['eu-west-1a', 'eu-west-1b'],
  );
  assert.deepEqual(
    state.ng.subnets?.map((s) => s.az),
    ['eu-west-1a', 'eu-west-1b'],
  );
});

test('B72: the node-group wizard run again with the zones pre-selects the cluster subnets in them', async () => {
  const wizard = eksProvisioning.nodePoolWizard;
  const state = await runWizard(
    wizard.steps(load),
    wizard.initial({ account: 'default', location: 'eu-west-1', cluster: 'shop', zones: ['eu-west-1b'] }),
    scriptedRenderer<EksNodePoolWizardState>({ nodeGroupName: ['more'] }),
  );
  assert.ok(state);
  assert.deepEqual(
    state.ng.subnets?.map((s) => s.id),
    ['subnet-0b2'],
  );
});

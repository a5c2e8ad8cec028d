import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWizard, scriptedRenderer, remainingSteps, type WizardStep } from '../../src/core/wizard/wizard';

interface S {
  readonly region?: string;
  readonly name?: string;
  readonly publicAccess?: boolean;
  readonly cidrs?: readonly string[];
}

const steps: WizardStep<S>[] = [
  {
    id: 'region',
    title: 'Region',
    kind: 'pick',
    isAnswered: (s) => s.region !== undefined,
    choices: () => [
      { label: 'eu-west-1', value: 'eu-west-1', isDefault: true },
      { label: 'us-east-1', value: 'us-east-1' },
    ],
    apply: (s, v) => ({ ...s, region: v }),
  },
  {
    id: 'name',
    title: 'Name',
    kind: 'input',
    prompt: 'Cluster name',
    value: (s) => s.name,
    validate: (v) => (/^[a-z][a-z0-9-]*$/.test(v) ? undefined : 'lowercase letters, digits and -'),
    apply: (s, v) => ({ ...s, name: v }),
  },
  {
    id: 'access',
    title: 'Endpoint',
    kind: 'pick',
    choices: () => [
      { label: 'public', value: 'public', isDefault: true },
      { label: 'private', value: 'private' },
    ],
    apply: (s, v) => ({ ...s, publicAccess: v === 'public' }),
  },
  {
    id: 'cidrs',
    title: 'Public CIDRs',
    kind: 'multi',
    when: (s) => s.publicAccess === true,
    choices: () => [{ label: '0.0.0.0/0', value: '0.0.0.0/0', picked: true }],
    validate: (v) => (v.length === 0 ? 'pick at least one' : undefined),
    apply: (s, v) => ({ ...s, cidrs: v }),
  },
];

test('wizard: answers apply in order, conditional steps count only when they apply', async () => {
  const r = scriptedRenderer<S>({ name: ['shop'], access: ['private'] });
  const out = await runWizard(steps, {}, r);
  assert.deepEqual(out, { region: 'eu-west-1', name: 'shop', publicAccess: false });
  // The CIDR step applies only once "public" is chosen: it is not counted before.
  assert.deepEqual(r.asked, ['region 1/3', 'name 2/3', 'access 3/3']);
});

test('wizard: Back undoes the later answer and returns to the previous asked step', async () => {
  const r = scriptedRenderer<S>({ name: ['first', 'second'], access: ['public', '<back>', 'public'], cidrs: ['<back>', ['0.0.0.0/0']] });
  const out = await runWizard(steps, {}, r);
  assert.equal(out?.name, 'second');
  assert.deepEqual(out?.cidrs, ['0.0.0.0/0']);
  assert.deepEqual(r.asked, ['region 1/3', 'name 2/3', 'access 3/3', 'cidrs 4/4', 'access 3/3', 'name 2/3', 'access 3/3', 'cidrs 4/4']);
});

test('wizard: a pre-filled answer (tree node) skips its step and is not counted', async () => {
  const r = scriptedRenderer<S>({ name: ['shop'], access: ['private'] });
  const out = await runWizard(steps, { region: 'us-east-1' }, r);
  assert.equal(out?.region, 'us-east-1');
  assert.deepEqual(r.asked, ['name 1/2', 'access 2/2']);
  assert.equal(remainingSteps(steps, { region: 'x' }), 2);
  assert.equal(remainingSteps(steps, { region: 'x', publicAccess: true }), 3);
});

test('wizard: an invalid answer is asked again, cancel returns undefined', async () => {
  const r = scriptedRenderer<S>({ name: ['Bad Name', 'ok'], access: ['<cancel>'] });
  assert.equal(await runWizard(steps, {}, r), undefined);
  assert.deepEqual(r.asked, ['region 1/3', 'name 2/3', 'name 2/3', 'access 3/3']);
});

test('wizard: an empty multi-pick is refused when the step requires one', async () => {
  const r = scriptedRenderer<S>({ name: ['shop'], access: ['public'], cidrs: [[], ['0.0.0.0/0']] });
  const out = await runWizard(steps, {}, r);
  assert.deepEqual(out?.cidrs, ['0.0.0.0/0']);
  assert.equal(r.asked.filter((a) => a.startsWith('cidrs')).length, 2);
});

// Catalogue row B82, host side: several Prometheus instances found are offered as a QuickPick (never silently the
// first); the choice is remembered per context for the session; dismissing the question cancels the run.
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancelledError } from '../../../src/core/errors';
import type { MetricsSource } from '../../../src/core/tuning/metricsSource';
import { installVscodeStub, type VscodeStub } from '../../support/vscodeStub';

let stub: VscodeStub;
before(() => {
  stub = installVscodeStub();
});

const source = (description: string): MetricsSource => ({ description }) as unknown as MetricsSource;
const choices = [
  { label: 'monitoring/prometheus-operated:9090', detail: 'Prometheus Operator (kube-prometheus-stack)', source: source('a') },
  { label: 'prometheus/prometheus-server:80', detail: 'prometheus-community/prometheus', source: source('b') },
];

describe('B82: several Prometheus instances are a choice', () => {
  test('B82: the QuickPick lists every instance with its install; the pick is used and remembered for the context', async () => {
    stub.reset();
    const { chooseMetrics } = await import('../../../src/host/tuning/tuningContext');
    stub.answers.quickPick.push((items: { label: string }[]) => items[1]);
    const found = await chooseMetrics('prod', choices);
    assert.ok('source' in found);
    assert.equal(found.source.description, 'b');
    const asked = stub.asked.filter((a) => a.kind === 'quickPick');
    assert.equal(asked.length, 1);
    assert.match(asked[0]?.text ?? '', /Several Prometheus instances answer on "prod"/);
    const items = (asked[0]?.options as { items: { label: string; description: string }[] }).items;
    assert.deepEqual(
      items.map((i) => [i.label, i.description]),
      choices.map((c) => [c.label, c.detail]),
    );
    // Asked once per context: the next run takes the same one without asking.
    const again = await chooseMetrics('prod', choices);
    assert.ok('source' in again && again.source.description === 'b');
    assert.equal(stub.asked.filter((a) => a.kind === 'quickPick').length, 1);
  });

  test('B82: dismissing the choice cancels; a single instance is used without a question', async () => {
    stub.reset();
    const { chooseMetrics } = await import('../../../src/host/tuning/tuningContext');
    stub.answers.quickPick.push(undefined);
    await assert.rejects(chooseMetrics('staging', choices), (e: unknown) => e instanceof CancelledError);
    const single = await chooseMetrics('dev', choices.slice(0, 1));
    assert.ok('source' in single && single.source.description === 'a');
    assert.equal(stub.asked.filter((a) => a.kind === 'quickPick').length, 1);
  });
});

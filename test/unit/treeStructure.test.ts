// Pure parts of the Clusters tree's structure: label selectors of workloads, container states, the
// SelfSubjectAccessReview cache (TTL), and the contextValues the package.json menus match (RBAC and read-only).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterNode } from '../../src/core/explorer/clusterNodes';
import { resourceContextValue } from '../../src/core/explorer/contextValues';
import { containerNodesOf, formatLabelSelector, podSelectorOf } from '../../src/core/explorer/workloadChildren';
import { AccessReviewCache } from '../../src/core/kube/accessReviews';
import type { AccessQuery, KubeClient } from '../../src/core/kube/kubeClient';
import { resourceKindOf } from '../../src/core/kube/resourceKinds';

describe('workload selectors', () => {
  test('matchLabels and matchExpressions become a label selector', () => {
    assert.equal(
      formatLabelSelector({
        matchLabels: { app: 'web', tier: 'front' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'stage'] },
          { key: 'canary', operator: 'NotIn', values: ['true'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
      'app=web,tier=front,env in (prod,stage),canary notin (true),team,!legacy',
    );
  });

  test('an empty selector never becomes "every pod"; a Job without one uses its job-name label', () => {
    assert.equal(formatLabelSelector({}), undefined);
    assert.equal(podSelectorOf('Deployment', { metadata: { name: 'x' }, spec: { selector: {} } }), undefined);
    assert.equal(podSelectorOf('Job', { metadata: { name: 'report-1' }, spec: {} }), 'batch.kubernetes.io/job-name=report-1');
  });
});

describe('containers of a pod', () => {
  test('init containers first, each with running / waiting / terminated state and last termination', () => {
    const nodes = containerNodesOf('dev', 'pod-1', {
      metadata: { name: 'api-0', namespace: 'shop' },
      spec: { initContainers: [{ name: 'migrate', image: 'm:1' }], containers: [{ name: 'api', image: 'a:1' }, { name: 'sidecar' }] },
      status: {
        initContainerStatuses: [
          { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
        containerStatuses: [
          {
            name: 'api',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          },
        ],
      },
    });
    assert.deepEqual(
      nodes.map((n) => (n.kind === 'container' ? [n.name, n.init, n.state.phase, n.state.reason, n.state.lastTerminationReason] : [])),
      [
        ['migrate', true, 'terminated', 'Completed', undefined],
        ['api', false, 'waiting', 'CrashLoopBackOff', 'OOMKilled'],
        ['sidecar', false, 'unknown', undefined, undefined],
      ],
    );
    assert.equal(new Set(nodes.map((n) => n.id)).size, 3);
  });
});

describe('SelfSubjectAccessReview cache', () => {
  test('answers are kept per context+verb+resource+namespace for the TTL, then asked again', async () => {
    let now = 0;
    const asked: AccessQuery[] = [];
    const client = {
      canI: (q: AccessQuery) => {
        asked.push(q);
        return Promise.resolve(q.verb !== 'delete');
      },
    } as unknown as KubeClient;
    const cache = new AccessReviewCache(300_000, () => now);
    const q: AccessQuery = { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'shop' };
    const s = new AbortController().signal;
    assert.equal(await cache.canI(client, 'a', q, s), false);
    assert.equal(await cache.canI(client, 'a', q, s), false);
    assert.equal(asked.length, 1);
    await cache.canI(client, 'b', q, s);
    await cache.canI(client, 'a', { ...q, namespace: 'payments' }, s);
    await cache.canI(client, 'a', { ...q, verb: 'patch' }, s);
    assert.equal(asked.length, 4);
    now = 299_999;
    await cache.canI(client, 'a', q, s);
    assert.equal(asked.length, 4);
    now = 300_000;
    await cache.canI(client, 'a', q, s);
    assert.equal(asked.length, 5, 'expired after 5 minutes');
    cache.clear();
    await cache.canI(client, 'a', q, s);
    assert.equal(asked.length, 6, 'cleared');
  });
});

interface Menu {
  command: string;
  when: string;
}
const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: { 'view/item/context': Menu[] } };
};

/** Evaluates the `viewItem =~ /…/` part of a menu's when clause for an item's contextValue. */
function shows(command: string, contextValue: string): boolean {
  const entry = pkg.contributes.menus['view/item/context'].find((m) => m.command === command);
  assert.ok(entry, command);
  const match = /viewItem =~ \/(.*)\/$/.exec(entry.when);
  assert.ok(match, entry.when);
  return new RegExp(match[1]!).test(contextValue);
}

describe('menus follow permissions and read-only mode', () => {
  const deployment = (permissions?: { delete: boolean; patch: boolean; scale: boolean }): Extract<ClusterNode, { kind: 'resource' }> => ({
    kind: 'resource',
    id: 'x',
    contextName: 'dev',
    namespace: 'shop',
    resource: resourceKindOf('deployments', 'apps')!,
    name: 'web',
    cells: {},
    ...(permissions ? { permissions } : {}),
  });
  const actions = (cv: string) =>
    ['clusterdeck.resource.delete', 'clusterdeck.resource.scale', 'clusterdeck.resource.restart'].filter((c) => shows(c, cv));

  test('allowed (or not asked): Delete, Scale and Restart', () => {
    assert.equal(resourceContextValue(deployment(), false), 'resource deployments canDelete canPatch canScale');
    assert.equal(actions(resourceContextValue(deployment(), false)).length, 3);
  });

  test('SSAR says no to delete and scale: only Restart is offered', () => {
    const cv = resourceContextValue(deployment({ delete: false, patch: true, scale: false }), false);
    assert.deepEqual(actions(cv), ['clusterdeck.resource.restart']);
  });

  test('a read-only context offers no mutating action, whatever RBAC allows; YAML and Copy stay', () => {
    const cv = resourceContextValue(deployment({ delete: true, patch: true, scale: true }), true);
    assert.equal(cv, 'resource deployments readonly');
    assert.deepEqual(actions(cv), []);
    assert.ok(shows('clusterdeck.resource.openYaml', cv));
    assert.ok(shows('clusterdeck.resource.copyName', cv));
  });

  test('Reveal stays on Secrets whatever their permissions', () => {
    const secret = { ...deployment(), resource: resourceKindOf('secrets')! };
    assert.ok(shows('clusterdeck.resource.revealSecret', resourceContextValue(secret, false)));
    assert.ok(shows('clusterdeck.resource.revealSecret', resourceContextValue(secret, true)));
    assert.ok(!shows('clusterdeck.resource.scale', resourceContextValue(secret, false)));
  });
});

// Property: Connect's merge never drops, reorders or reformats what was there. For generated kubeconfigs (block
// lists indented or not, comments, flow maps, other entries), every original line survives in order, the other
// entries parse to the same values, and merging again is a no-op.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { buildKubeconfigEntry, mergeKubeconfigEntry } from '../../../src/core/clouds/kubeconfigEntry';
import { fuzzRuns } from '../../support/fuzz';
import { sampleClouds } from '../../support/memoryCloudProvider';

const cluster = sampleClouds().gke.clusters[0]!.cluster;
const entry = buildKubeconfigEntry(cluster, { standardPluginAvailable: true, ownCommand: { command: 'node', leadingArgs: [] } });
const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);

const kubeconfig = fc
  .record({
    names: fc.uniqueArray(name, { maxLength: 4 }),
    indent: fc.boolean(),
    flowContexts: fc.boolean(),
    comments: fc.boolean(),
    order: fc.shuffledSubarray(['clusters', 'users', 'contexts'] as const, { minLength: 0, maxLength: 3 }),
    current: fc.option(name, { nil: undefined }),
  })
  .map(({ names, indent, flowContexts, comments, order, current }) => {
    const pad = indent ? '  ' : '';
    const c = (t: string) => (comments ? ` # ${t}` : '');
    const lines = [comments ? '# generated' : '', 'apiVersion: v1', 'kind: Config'];
    for (const section of order) {
      lines.push(`${section}:${c(section)}`);
      for (const n of names) {
        if (section === 'clusters')
          lines.push(`${pad}- name: ${n}`, `${pad}  cluster:`, `${pad}    server: https://${n}.example:6443${c('srv')}`);
        if (section === 'users') lines.push(`${pad}- name: ${n}`, `${pad}  user: {token: t-${n}}`);
        if (section === 'contexts')
          lines.push(
            flowContexts
              ? `${pad}- {name: ${n}, context: {cluster: ${n}, user: ${n}}}`
              : `${pad}- name: ${n}\n${pad}  context: {cluster: ${n}, user: ${n}}`,
          );
      }
    }
    if (current) lines.push(`current-context: ${current}${c('cur')}`);
    return `${lines.filter((l) => l !== '').join('\n')}\n`;
  });

test('merge keeps every original line in order and every other entry unchanged; a second merge is a no-op', () => {
  fc.assert(
    fc.property(kubeconfig, (text) => {
      const result = mergeKubeconfigEntry(text, entry);
      assert.equal(result.kind, 'added');
      if (result.kind !== 'added') return;
      // Every original line, in order (a subsequence of the output's lines).
      const out = result.text.split('\n');
      let i = 0;
      for (const line of text.split('\n')) {
        while (i < out.length && out[i] !== line) i++;
        assert.ok(i < out.length, `line kept: ${JSON.stringify(line)}\n--- in\n${text}--- out\n${result.text}`);
        i++;
      }
      const before = parse(text) as Record<string, unknown[] | undefined>;
      const after = parse(result.text) as Record<string, unknown[] | undefined>;
      for (const section of ['clusters', 'users', 'contexts']) {
        const old = before[section] ?? [];
        assert.deepEqual((after[section] ?? []).slice(0, old.length), old, section);
        assert.equal((after[section] ?? []).length, old.length + 1, section);
      }
      assert.equal(after['current-context'], before['current-context']);
      assert.deepEqual(mergeKubeconfigEntry(result.text, entry), { kind: 'unchanged', text: result.text });
    }),
    { numRuns: Math.min(fuzzRuns, 300) },
  );
});

// Property tests (fast-check) for the kubeconfig loader (against an oracle of client-go's merge rules) and the
// redactor (a canary never survives any message composition). CI runs 1,000 cases each; `npm run fuzz` runs the
// same properties (and the YAML front end's) with CLUSTERDECK_FUZZ_RUNS cases.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import YAML from 'yaml';
import { mergeKubeconfigs } from '../../src/core/kube/kubeconfig';
import { redactSecrets } from '../../src/core/redact';
import { fuzzRuns } from '../support/fuzz';

const names = fc.constantFrom('a', 'b', 'c', 'prod', 'dev', 'x y', 'weird;$(id)', '`tick`', 'ünï');

/** One kubeconfig file as data. Names are unique inside a file (kubectl refuses duplicates; a unit test covers it). */
const byName = { selector: (e: { name: string }) => e.name, maxLength: 4 };
const fileArb = fc.record({
  clusters: fc.uniqueArray(
    fc.record({ name: names, server: fc.constantFrom('https://1.example:6443', 'https://2.example', 'https://[::1]:6443') }),
    byName,
  ),
  users: fc.uniqueArray(fc.record({ name: names, token: fc.string({ minLength: 1, maxLength: 12 }) }), byName),
  contexts: fc.uniqueArray(
    fc.record({ name: names, cluster: names, user: names, namespace: fc.option(names, { nil: undefined }) }),
    byName,
  ),
  current: fc.option(names, { nil: undefined }),
});
type FileSpec = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;

function render(spec: FileSpec): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: spec.clusters.map((c) => ({ name: c.name, cluster: { server: c.server } })),
    users: spec.users.map((u) => ({ name: u.name, user: { token: u.token } })),
    contexts: spec.contexts.map((c) => ({
      name: c.name,
      context: { cluster: c.cluster, user: c.user, ...(c.namespace ? { namespace: c.namespace } : {}) },
    })),
    ...(spec.current ? { 'current-context': spec.current } : {}),
  });
}

describe('properties', () => {
  test('kubeconfig merge agrees with the client-go oracle: first file to define a name wins, first current-context wins', () => {
    fc.assert(
      fc.property(fc.array(fileArb, { minLength: 1, maxLength: 4 }), (files) => {
        const merged = mergeKubeconfigs(files.map((f, i) => ({ path: `/k/${i}.yaml`, text: render(f) })));
        assert.deepEqual(merged.problems, []);
        // Oracle.
        const clusters = new Map<string, string>();
        const users = new Map<string, string>();
        const contexts = new Map<string, { cluster: string; user: string; namespace?: string }>();
        let current: string | undefined;
        for (const f of files) {
          for (const c of f.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c.server);
          for (const u of f.users) if (!users.has(u.name)) users.set(u.name, u.token);
          for (const c of f.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
          current ??= f.current;
        }
        assert.deepEqual(
          [...merged.clusters.values()].map((c) => [c.name, c.server]),
          [...clusters.entries()],
        );
        assert.deepEqual(
          [...merged.users.values()].map((u) => [u.name, u.token]),
          [...users.entries()],
        );
        assert.deepEqual(
          merged.contexts.map((c) => [c.name, c.clusterName, c.userName, c.namespace]),
          [...contexts.entries()].map(([n, c]) => [n, c.cluster, c.user, c.namespace]),
        );
        assert.equal(merged.currentContext, current);
      }),
      { numRuns: fuzzRuns },
    );
  });

  test('the kubeconfig loader never throws on arbitrary text; every problem names its file (B02, B03, B18)', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.jsonValue({ maxDepth: 5 }).map((v) => YAML.stringify(v)),
      fileArb.map((f) => render(f).replace(/server: /, fc.sample(fc.constantFrom('server: [', 'server: {', '\tserver: '), 1)[0] ?? '')),
    );
    fc.assert(
      fc.property(text, text, (t1, t2) => {
        const merged = mergeKubeconfigs([
          { path: '/k/one.yaml', text: t1 },
          { path: '/k/two.yaml', text: t2 },
        ]);
        for (const p of merged.problems) {
          assert.ok(p.path === '/k/one.yaml' || p.path === '/k/two.yaml');
          assert.ok(p.line === undefined || (Number.isInteger(p.line) && p.line >= 1));
        }
      }),
      { numRuns: fuzzRuns },
    );
  });

  test('a canary credential never survives redaction, whatever message it is composed into (S5, B30)', () => {
    const canary = fc
      .tuple(fc.constantFrom('sk', 'tok', 'eyJ', 'AKIA', 'ghp_'), fc.stringMatching(/^[A-Za-z0-9]{12,24}$/))
      .map(([p, s]) => `${p}${s}CANARY`);
    const around = fc.string({ maxLength: 20 }).filter((s) => !/[A-Za-z0-9]$/.test(s));
    const frame = fc.constantFrom(
      (c: string) => `Authorization: Bearer ${c}`,
      (c: string) => `authorization: "Bearer ${c}"`,
      (c: string) => `{"headers":{"Authorization":"Bearer ${c}"}}`,
      (c: string) => `token: ${c}`,
      (c: string) => `"token":"${c}"`,
      (c: string) => `client-key-data: ${c}`,
      (c: string) => `password=${c}`,
      (c: string) => `aws_secret_access_key = ${c}`,
      (c: string) => `https://bucket.example/velero/backup.tar.gz?X-Amz-Signature=1&sig=${c}&x=1`,
      (c: string) => `GET /api?access_token=${c}`,
      (c: string) => `-----BEGIN EC PRIVATE KEY-----\n${c}\n-----END EC PRIVATE KEY-----`,
      (c: string) => `request failed: {"kind":"Status","message":"bearer ${c} rejected"}`,
    );
    fc.assert(
      fc.property(canary, frame, around, around, (c, f, before, after) => {
        const message = `${before}${f(c)}${after}`;
        const out = redactSecrets(message);
        assert.ok(!out.includes(c), `leaked in: ${JSON.stringify(out)}`);
        // Redaction is idempotent: logging a redacted line again changes nothing.
        assert.equal(redactSecrets(out), out);
      }),
      { numRuns: fuzzRuns },
    );
  });
});

// `clusterdeck recommend` usage errors and "no Prometheus" outcomes (the happy path against a real Prometheus is in
// tuningPrometheus.test.ts), plus the table and JSON formatters.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { formatTable, toJsonRecord } from '../../src/cli/recommendCommand';
import { recommendRequests } from '../../src/core/tuning/recommendRequests';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      cwd: process.cwd(),
      isTty: false,
      readStdin: () => Promise.resolve(''),
      version: 't',
    },
    {},
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('clusterdeck recommend', () => {
  let fake: FakeKube;
  let dir: string;
  let kubeconfig: string;
  before(async () => {
    fake = await startFakeKube({});
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-reccli-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, fake.kubeconfig());
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const usageRows: [args: string[], message: RegExp][] = [
    [[], /--context is required/],
    [['--context', 'fake', '--namespace', 'a', '--all-namespaces'], /not both/],
    [['--context', 'fake', '--strategy', 'magic'], /--strategy must be one of simple, simple_limit, vpa/],
    [['--context', 'fake', '--history', 'two weeks'], /--history must be a duration/],
    [['--context', 'fake', '--history', '1h'], /at least 3h/],
    [['--context', 'fake', '--format', 'yaml'], /--format must be table or json/],
    [['--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of usageRows)
    test(`usage error: ${args.join(' ') || '(none)'}`, async () => {
      const r = await run(['recommend', ...args]);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
    });

  test('--help and the main usage', async () => {
    const help = await run(['recommend', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /--prometheus-url URL/);
    assert.match((await run(['--help'])).out, /recommend {7}Right-size requests\/limits from Prometheus/);
  });

  test('unknown context → exit 2 with the kubeconfig message', async () => {
    const r = await run(['recommend', '--context', 'nope', '--kubeconfig', kubeconfig]);
    assert.equal(r.code, 2);
    assert.match(r.err, /No kubeconfig file defines the context "nope"/);
  });

  test('B14: a plain-http context is refused before any request unless --allow-plain-http is given', async () => {
    const before = fake.requests.length;
    const r = await run(['recommend', '--context', 'fake', '--kubeconfig', kubeconfig]);
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      `clusterdeck recommend: Context "fake" uses plain http to 127.0.0.1:${fake.port} on this machine (a kubectl proxy?), which ClusterDeck contacts only when allowed: pass --allow-plain-http, or use an https:// server.`,
    );
    assert.equal(fake.requests.length, before, 'nothing was sent to the http server');
    assert.match((await run(['recommend', '--help'])).out, /--allow-plain-http/);
  });

  test('no --prometheus-url and nothing to discover → how to install one', async () => {
    const r = await run(['recommend', '--context', 'fake', '--kubeconfig', kubeconfig, '--allow-plain-http']);
    assert.equal(r.code, 2);
    assert.match(r.err, /No Prometheus found in the namespaces monitoring, prometheus: install one \(helm install kube-prometheus-stack/);
  });

  test('an unreachable --prometheus-url → exit 2, redacted URL', async () => {
    fake.upsert({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'x' }] } },
      },
    });
    const r = await run([
      'recommend',
      '--context',
      'fake',
      '--kubeconfig',
      kubeconfig,
      '--allow-plain-http',
      '--prometheus-url',
      'http://user:secret@127.0.0.1:1/prom?x=1',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.err, /Cannot reach Prometheus at http:\/\/127\.0\.0\.1:1\/prom/);
    assert.ok(!r.err.includes('secret'));
  });
});

test('formatters: JSON has exactly the issue keys; the table shows unset as "-" and the notes', () => {
  const r = recommendRequests({
    key: { namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app' },
    current: { cpuRequest: '500m' },
    pods: [
      {
        pod: 'web-a-b',
        cpuQuantiles: { '95': 0.2 },
        memoryQuantiles: {},
        memoryMaxBytes: 400 * 2 ** 20,
        cpuPoints: 4032,
        memoryPoints: 4032,
      },
    ],
    source: 'prometheus',
    windowSeconds: 14 * 86400,
    stepSeconds: 300,
  });
  assert.deepEqual(toJsonRecord(r), {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
    container: 'app',
    current: { cpuRequest: '500m', cpuLimit: null, memoryRequest: null, memoryLimit: null },
    recommended: { cpuRequest: '200m', cpuLimit: null, memoryRequest: '460Mi', memoryLimit: '460Mi' },
    dataPoints: 4032,
    confidence: 'high',
    severity: 'WARNING',
    notes: [],
  });
  const table = formatTable([r]).split('\n');
  assert.match(table[0] ?? '', /^NAMESPACE +KIND\/NAME +CONTAINER +CPU REQ/);
  assert.match(table[1] ?? '', /500m → 200m +- → - +- → 460Mi +- → 460Mi +4032 +high +WARNING$/);
});

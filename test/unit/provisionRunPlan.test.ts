// runPlan's orchestration: journal before send, one create per step, resume after a lost answer or a reload,
// failure with partial resources, leases. The provider here is a small in-memory cloud with the same
// exactly-once rule the real ones implement (a token seen before returns the same resource); the wire tests
// (test/wire/*Provisioning.test.ts) run the real SDK providers against the fakes.
/* eslint-disable @typescript-eslint/require-await */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterDeckError } from '../../src/core/errors';
import type { CloudOperation } from '../../src/core/clouds/cloudProvider';
import type { JournalEntry, JournalStore } from '../../src/core/provisioning/journal';
import type { ProvisionPlan, ProvisionStep, ProvisioningProvider } from '../../src/core/provisioning/provisioning';
import { follow, ProvisionFailedError, runPlan, type RunDeps } from '../../src/core/provisioning/runPlan';
import { FileJournal } from '../../src/node/provisioning/fileJournal';

class MemJournal implements JournalStore {
  readonly entries = new Map<string, JournalEntry>();
  failWrites = false;
  puts = 0;
  async list() {
    return [...this.entries.values()];
  }
  async put(e: JournalEntry) {
    if (this.failWrites) throw new ClusterDeckError('badConfig', 'disk full');
    this.puts++;
    this.entries.set(e.id, structuredClone(e));
  }
  async remove(id: string) {
    this.entries.delete(id);
  }
}

/** A cloud: resources by name; each becomes ready after `polls` waits; tokens make creates idempotent. */
class MiniCloud implements ProvisioningProvider {
  readonly cloud = 'eks' as const;
  readonly resources = new Map<string, { token: string; polls: number; state: 'creating' | 'active' | 'failed' }>();
  creates = 0;
  dropAnswer = false;
  failPool?: string;
  journalSeenAtCreate: (JournalEntry | undefined)[] = [];
  constructor(private readonly journal?: MemJournal) {}
  private key(s: ProvisionStep) {
    return `${s.kind}:${s.target.cluster}:${s.name}`;
  }
  private op(s: ProvisionStep): CloudOperation {
    const r = () => this.resources.get(this.key(s));
    return {
      id: `op:${this.key(s)}`,
      description: s.name,
      wait: async (signal, onProgress) => {
        for (;;) {
          if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
          const res = r();
          if (!res) throw new ClusterDeckError('notFound', 'gone');
          if (res.polls <= 0) res.state = this.failPool === s.name ? 'failed' : 'active';
          if (res.state === 'failed') throw new ClusterDeckError('serverError', `${s.name}: AsgInstanceLaunchFailures: no capacity`);
          if (res.state === 'active') return;
          res.polls--;
          onProgress?.('CREATING');
          await new Promise((r2) => setImmediate(r2));
        }
      },
    };
  }
  async create(s: ProvisionStep, ids: { opId: string; token: string }) {
    this.journalSeenAtCreate.push([...(this.journal?.entries.values() ?? [])].find((e) => e.id === ids.opId));
    const existing = this.resources.get(this.key(s));
    if (existing) {
      if (existing.token !== ids.token) throw new ClusterDeckError('conflict', `${s.name} exists and is not ours; rename`);
      if (existing.state === 'active') return { state: 'exists' as const, message: `${s.name} already exists.` };
      return { state: 'inProgress' as const, operation: this.op(s), message: `${s.name} is already being created.` };
    }
    this.creates++;
    this.resources.set(this.key(s), { token: ids.token, polls: 3, state: 'creating' });
    if (this.dropAnswer) {
      this.dropAnswer = false;
      throw new ClusterDeckError('timeout', 'EKS did not answer in 30 s.');
    }
    return { state: 'started' as const, operation: this.op(s), message: `creating ${s.name}` };
  }
  resumeCreate(s: ProvisionStep) {
    return this.op(s);
  }
  async partialResources(s: ProvisionStep) {
    const r = this.resources.get(this.key(s));
    return r ? [`node pool ${s.name} (${r.state.toUpperCase()})`] : [];
  }
  async choices() {
    return [];
  }
}

const target = { cloud: 'eks' as const, account: 'prod', location: 'eu-west-1', cluster: 'shop' };
const plan: ProvisionPlan = {
  cloud: 'eks',
  what: 'EKS cluster shop',
  where: 'profile prod, region eu-west-1',
  estimatedNodes: 2,
  equivalentCommand: 'eksctl create cluster -f shop.yaml',
  warnings: [],
  steps: [
    { kind: 'cluster', target, name: 'shop', body: { name: 'shop', version: '1.34' }, estimatedNodes: 0 },
    { kind: 'nodePool', target, name: 'ng-1', body: { nodegroupName: 'ng-1', scalingConfig: { minSize: 2 } }, estimatedNodes: 2 },
  ],
};

function deps(provider: ProvisioningProvider, journal: JournalStore, over: Partial<RunDeps> = {}): RunDeps {
  return {
    provider,
    journal,
    newId: () => randomUUID(),
    digest: (t) => createHash('sha256').update(t).digest('hex'),
    now: () => Date.now(),
    owner: 'window-1',
    wait: true,
    ...over,
  };
}

test('runPlan: the journal entry is written before the first create, then every step runs to the end', async () => {
  const j = new MemJournal();
  const cloud = new MiniCloud(j);
  const r = await runPlan(plan, deps(cloud, j));
  assert.equal(r.outcome, 'succeeded');
  assert.equal(cloud.creates, 2);
  assert.equal(cloud.journalSeenAtCreate[0]?.steps[0]?.state, 'sending', 'the create was journalled before it was sent');
  const [e] = await j.list();
  assert.equal(e?.state, 'succeeded');
  assert.deepEqual(
    e?.steps.map((s) => s.state),
    ['succeeded', 'succeeded'],
  );
  assert.equal(e?.lease, undefined);
});

test('runPlan: a journal that cannot be written means nothing is created', async () => {
  const j = new MemJournal();
  j.failWrites = true;
  const cloud = new MiniCloud(j);
  await assert.rejects(runPlan(plan, deps(cloud, j)), /disk full/);
  assert.equal(cloud.creates, 0);
});

test('runPlan: an answer lost after the cloud accepted, then the same create again: exactly one resource', async () => {
  const j = new MemJournal();
  const cloud = new MiniCloud(j);
  cloud.dropAnswer = true;
  await assert.rejects(runPlan(plan, deps(cloud, j)), /did not answer/);
  const [pending] = await j.list();
  assert.equal(pending?.state, 'active', 'a create that may have landed stays active');
  const r = await runPlan(plan, deps(cloud, j));
  assert.equal(r.outcome, 'succeeded');
  assert.equal(cloud.creates, 2, 'one cluster create and one node-pool create in all');
  assert.equal((await j.list()).length, 1, 'the retry resumed the same journal entry');
  assert.match(r.notes.join(' '), /already being created/);
  // Same steps → same tokens: the resent create carried the first one's token.
  assert.equal(cloud.resources.get('cluster:shop:shop')?.token, pending?.steps[0]?.token);
});

test('runPlan: the same file created again after it finished says it already exists and creates nothing', async () => {
  const j = new MemJournal();
  const cloud = new MiniCloud(j);
  await runPlan(plan, deps(cloud, j));
  const r = await runPlan(plan, deps(cloud, j));
  assert.equal(r.outcome, 'succeeded');
  assert.equal(cloud.creates, 2);
  assert.deepEqual(r.notes, ['shop already exists.', 'ng-1 already exists.']);
});

test('runPlan: cancel stops waiting; after a "reload" another window resumes from the journal and finishes', async () => {
  const j = new MemJournal();
  const cloud = new MiniCloud(j);
  const ac = new AbortController();
  const first = runPlan(plan, deps(cloud, j, { signal: ac.signal, onProgress: () => ac.abort() }));
  const r = await first;
  assert.equal(r.outcome, 'running');
  const [e] = await j.list();
  assert.equal(e?.state, 'active');
  assert.equal(e?.lease, undefined, 'cancel released the lease');
  assert.equal(e?.steps[0]?.state, 'running');
  assert.ok(e?.steps[0]?.operationId);
  const r2 = await follow(e, deps(cloud, j, { owner: 'window-2' }));
  assert.equal(r2.outcome, 'succeeded');
  assert.equal(cloud.creates, 2);
});

test('runPlan: a failure midway reports the service message and what exists, and deletes nothing', async () => {
  const j = new MemJournal();
  const cloud = new MiniCloud(j);
  cloud.failPool = 'ng-1';
  const err = await runPlan(plan, deps(cloud, j)).then(
    () => assert.fail('should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProvisionFailedError);
  assert.match(err.message, /AsgInstanceLaunchFailures/);
  assert.deepEqual(err.partial, ['cluster shop (created)', 'node pool ng-1 (FAILED)']);
  assert.equal(cloud.resources.size, 2, 'nothing deleted');
  const [e] = await j.list();
  assert.equal(e?.state, 'failed');
  assert.deepEqual(e?.partial, err.partial);
});

test('runPlan: without --wait only the first step is sent; a later run continues with the next', async () => {
  const j = new MemJournal();
  const cloud = new MiniCloud(j);
  const r = await runPlan(plan, deps(cloud, j, { wait: false }));
  assert.equal(r.outcome, 'running');
  assert.equal(cloud.creates, 1);
  const r2 = await runPlan(plan, deps(cloud, j));
  assert.equal(r2.outcome, 'succeeded');
  assert.equal(cloud.creates, 2);
});

test('runPlan: an entry another live window follows is left to it', async () => {
  const j = new MemJournal();
  const cloud = new MiniCloud(j);
  await runPlan(plan, deps(cloud, j, { wait: false }));
  const [e] = await j.list();
  await j.put({ ...e!, lease: { owner: 'window-9', heartbeatAtMs: Date.now() } });
  const r = await runPlan(plan, deps(cloud, j));
  assert.equal(r.outcome, 'busy');
  // A stale lease (window closed) is taken over.
  await j.put({ ...e!, lease: { owner: 'window-9', heartbeatAtMs: Date.now() - 60_000 } });
  assert.equal((await runPlan(plan, deps(cloud, j))).outcome, 'succeeded');
});

test('FileJournal: entries survive as whole files; a torn or foreign file is skipped; unwritable dir refuses', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cd-journal-'));
  try {
    const skipped: string[] = [];
    const fj = new FileJournal(join(dir, 'ops'), (f) => skipped.push(f));
    const cloud = new MiniCloud();
    await runPlan(plan, deps(cloud, fj, { wait: false }));
    const [e] = await fj.list();
    assert.equal(e?.steps[0]?.state, 'running');
    await writeFile(join(dir, 'ops', 'torn.json'), '{"v":1,"id":');
    assert.equal((await fj.list()).length, 1);
    assert.deepEqual(skipped, ['torn.json']);
    assert.deepEqual(
      (await readdir(join(dir, 'ops'))).filter((n) => n.endsWith('.tmp')),
      [],
      'no temp files left',
    );
    // A journal folder that cannot be made (a file is in the way): the put refuses, so the create is never sent.
    await writeFile(join(dir, 'blocker'), '');
    const blocked = new FileJournal(join(dir, 'blocker', 'ops'));
    const cloud2 = new MiniCloud();
    await assert.rejects(runPlan(plan, deps(cloud2, blocked)), /operations journal .*nothing was created/);
    assert.equal(cloud2.creates, 0);
    await assert.rejects(fj.put({ ...e, id: '../escape' }), /not a plain id/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Model-based test of the operations journal (reliability.md C3, bad inputs B67, B68, B74): the editor is killed
// at any of the injected points of a create (every journal write, before and after the cloud accepts a create,
// every poll), then the next activation resumes from the journal. Whatever the kill points, every resource is
// created exactly once, tracking resumes on the first activation (no 30 s lease wait for a dead window) and the
// journal ends with one terminal entry.
/* eslint-disable @typescript-eslint/require-await */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ClusterDeckError } from '../../src/core/errors';
import type { CloudOperation } from '../../src/core/clouds/cloudProvider';
import type { JournalEntry, JournalStore } from '../../src/core/provisioning/journal';
import type { ProvisionPlan, ProvisionStep, ProvisioningProvider } from '../../src/core/provisioning/provisioning';
import { follow, runPlan, type RunDeps } from '../../src/core/provisioning/runPlan';
import { fuzzRuns } from '../support/fuzz';

class Killed extends Error {
  override readonly name = 'Killed';
}

/** Counts injected points; the `killAt`-th one throws Killed and every later point in the same "process" does too. */
class Process {
  points = 0;
  dead = false;
  constructor(readonly killAt: number) {}
  point(): void {
    if (this.dead) throw new Killed();
    if (this.points++ === this.killAt) {
      this.dead = true;
      throw new Killed();
    }
  }
}

/** Durable storage shared by every "process" (it outlives the kill, like files on disk). */
class Disk implements JournalStore {
  readonly entries = new Map<string, JournalEntry>();
  proc?: Process;
  async list() {
    return [...this.entries.values()].map((e) => structuredClone(e));
  }
  async put(e: JournalEntry) {
    this.proc?.point();
    this.entries.set(e.id, structuredClone(e));
  }
  async remove(id: string) {
    this.entries.delete(id);
  }
}

/** The cloud, also outliving the editor. A create is applied before its answer can be lost (kill after accept). */
class Cloud implements ProvisioningProvider {
  readonly cloud = 'aks' as const;
  readonly resources = new Map<string, { token: string; pollsLeft: number }>();
  creates = 0;
  proc?: Process;
  constructor(private readonly polls: readonly number[]) {}
  private key(s: ProvisionStep) {
    return `${s.kind}:${s.name}`;
  }
  private op(s: ProvisionStep): CloudOperation {
    return {
      id: `op:${this.key(s)}`,
      description: s.name,
      wait: async () => {
        for (;;) {
          this.proc?.point();
          const r = this.resources.get(this.key(s));
          if (!r) throw new ClusterDeckError('notFound', `${s.name} is gone`);
          if (r.pollsLeft <= 0) return;
          r.pollsLeft--;
        }
      },
    };
  }
  async create(s: ProvisionStep, ids: { opId: string; token: string }) {
    this.proc?.point();
    const r = this.resources.get(this.key(s));
    if (r) {
      if (r.token !== ids.token) throw new ClusterDeckError('conflict', 'not ours');
      return r.pollsLeft <= 0
        ? { state: 'exists' as const, message: `${s.name} already exists.` }
        : { state: 'inProgress' as const, operation: this.op(s), message: `${s.name} is already being created.` };
    }
    this.creates++;
    this.resources.set(this.key(s), { token: ids.token, pollsLeft: this.polls[this.creates % this.polls.length] ?? 2 });
    this.proc?.point(); // killed after the cloud accepted: the answer never arrives
    return { state: 'started' as const, operation: this.op(s), message: `creating ${s.name}` };
  }
  resumeCreate(s: ProvisionStep) {
    return this.op(s);
  }
  async partialResources() {
    return [];
  }
  async choices() {
    return [];
  }
}

const target = { cloud: 'aks' as const, account: 'sub', location: 'westeurope', resourceGroup: 'rg', cluster: 'shop' };
const plan: ProvisionPlan = {
  cloud: 'aks',
  what: 'AKS cluster shop',
  where: 'subscription sub, resource group rg',
  estimatedNodes: 3,
  equivalentCommand: 'az aks create …',
  warnings: [],
  steps: [
    { kind: 'cluster', target, name: 'shop', body: { location: 'westeurope' }, estimatedNodes: 3 },
    { kind: 'nodePool', target, name: 'user1', body: { count: 2 }, estimatedNodes: 2 },
  ],
};

let ids = 0;
function deps(cloud: Cloud, disk: Disk, owner: string, alive: ReadonlySet<string>, now: number): RunDeps {
  return {
    provider: cloud,
    journal: disk,
    newId: () => `op-${++ids}`,
    digest: (t) => createHash('sha256').update(t).digest('hex'),
    now: () => now,
    owner,
    wait: true,
    ownerAlive: (o) => alive.has(o),
  };
}

test('journal model: killed at any point, the next activation resumes at once; one resource per step; one terminal entry', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 0, maxLength: 3 }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
      async (killPoints, polls) => {
        const disk = new Disk();
        const cloud = new Cloud(polls);
        const alive = new Set<string>();
        let now = 1_000_000;
        let window = 0;
        let finished = false;
        // Session 0 is the user's Create; each later session is a reload: it resumes every active entry, and if
        // there is none (killed before the journal write) the user runs Create again.
        for (let session = 0; session <= killPoints.length && !finished; session++) {
          const proc = new Process(killPoints[session] ?? Number.MAX_SAFE_INTEGER);
          disk.proc = proc;
          cloud.proc = proc;
          const owner = `window-${++window}`;
          alive.clear();
          alive.add(owner);
          now += 1_000; // a reload takes a second, far less than a lease's 30 s
          const d = deps(cloud, disk, owner, alive, now);
          try {
            const active = (await disk.list()).filter((e) => e.state === 'active');
            if (session === 0 || active.length === 0) {
              const r = await runPlan(plan, d);
              assert.notEqual(r.outcome, 'busy', 'a dead window never blocks the next one');
            } else {
              for (const e of active) {
                const r = await follow(e, d);
                assert.notEqual(r.outcome, 'busy', 'resumed on the first activation, not after the lease expires');
              }
            }
            finished = true;
          } catch (e) {
            if (!(e instanceof Killed)) throw e;
          }
        }
        if (!finished) {
          // The last kill point was beyond the run's points: one more clean session finishes it.
          disk.proc = undefined;
          cloud.proc = undefined;
          const owner = `window-${++window}`;
          const active = (await disk.list()).filter((e) => e.state === 'active');
          const d = deps(cloud, disk, owner, new Set([owner]), now + 1_000);
          if (active.length === 0) await runPlan(plan, d);
          else for (const e of active) await follow(e, d);
        }
        assert.equal(cloud.creates, plan.steps.length, `exactly one create per step (kills at ${killPoints.join(',')})`);
        const entries = await disk.list();
        assert.equal(entries.length, 1, 'one journal entry');
        assert.equal(entries[0]?.state, 'succeeded');
        assert.equal(entries[0]?.lease, undefined);
      },
    ),
    { numRuns: Math.min(fuzzRuns, 1000) },
  );
});

test('journal model: a live window holding the lease keeps it; the other window shows the entry without polling', async () => {
  const disk = new Disk();
  const cloud = new Cloud([50]);
  const alive = new Set(['window-1', 'window-2']);
  const ac = new AbortController();
  // Window 1 starts and stops waiting before the end, but is still alive and (in this test) re-takes the lease.
  await runPlan(plan, { ...deps(cloud, disk, 'window-1', alive, 5_000), wait: false });
  const [e] = await disk.list();
  await disk.put({ ...e!, lease: { owner: 'window-1', heartbeatAtMs: 5_000 } });
  const r = await follow((await disk.list())[0]!, { ...deps(cloud, disk, 'window-2', alive, 6_000), signal: ac.signal });
  assert.equal(r.outcome, 'busy');
  assert.equal(cloud.creates, 1);
});

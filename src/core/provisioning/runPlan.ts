// Runs a ProvisionPlan: journal first, then one create per step through the cloud's ProvisioningProvider, following
// each operation. The same plan run twice (a retry after a lost response, a second window, the CLI after the
// editor) finds its journal entry and resumes it instead of sending a second create. Pure orchestration: the
// provider, the journal store, ids, hashing and time are injected.
import { ClusterDeckError, isCancellation } from '../errors';
import type { CloudOperation } from '../clouds/cloudProvider';
import {
  leaseHeartbeatMs,
  leasedByOther,
  planIdentity,
  stepIdentity,
  uuidFromHex,
  withStep,
  type JournalEntry,
  type JournalStore,
} from './journal';
import type { ProvisionPlan, ProvisionStep, ProvisioningProvider } from './provisioning';

export interface RunDeps {
  readonly provider: ProvisioningProvider;
  readonly journal: JournalStore;
  /** A fresh UUID (the journal id, also the `clusterdeck-op` tag). */
  newId(): string;
  /** Hex SHA-256 of a string. */
  digest(text: string): string;
  now(): number;
  /** This process/window: the lease owner. */
  readonly owner: string;
  /** Follow every step to its end (false: send the first pending step, then return it running). */
  readonly wait: boolean;
  readonly signal?: AbortSignal;
  onProgress?(message: string): void;
  /**
   * Whether a lease owner's process still runs (owner ids carry the pid): a window that crashed or reloaded does
   * not hold its entries for the 30 s a lease takes to go stale. Absent → every unexpired lease counts as alive.
   */
  ownerAlive?(owner: string): boolean;
  /** Timers for the lease heartbeat (injected so tests need no real clock). */
  setInterval?(fn: () => void, ms: number): { dispose(): void };
}

/**
 * How a run ended:
 * - `succeeded`: every step is done (created now, or already there);
 * - `running`: sent (or adopted) and not waited for (`wait: false`), or the user stopped waiting (cancel);
 * - `busy`: another window follows this entry right now.
 */
export interface RunResult {
  readonly outcome: 'succeeded' | 'running' | 'busy';
  readonly entry: JournalEntry;
  /** One sentence per step that was already there or already being created ("… already exists"). */
  readonly notes: readonly string[];
}

/** A failed step: the service's message and what exists now. */
export class ProvisionFailedError extends ClusterDeckError {
  // ClusterDeckError's brand check would make every ClusterDeckError an "instance" of this subclass too.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof ClusterDeckError && Array.isArray((value as { partial?: unknown }).partial);
  }
  constructor(
    message: string,
    readonly partial: readonly string[],
    readonly entry: JournalEntry,
  ) {
    super('serverError', message);
  }
}

/** Runs `plan`, or resumes the active journal entry for the same plan. */
export async function runPlan(plan: ProvisionPlan, deps: RunDeps): Promise<RunResult> {
  const planHash = deps.digest(planIdentity(plan));
  const existing = (await deps.journal.list()).find((e) => e.planHash === planHash && e.state === 'active');
  if (existing) {
    const notes = [`${plan.what} is already being created (started ${new Date(existing.createdAtMs).toISOString()}); following it.`];
    return follow(existing, deps, notes);
  }
  const now = deps.now();
  const entry: JournalEntry = {
    v: 1,
    id: deps.newId(),
    cloud: plan.cloud,
    what: plan.what,
    where: plan.where,
    planHash,
    createdAtMs: now,
    updatedAtMs: now,
    state: 'active',
    steps: plan.steps.map((step) => ({ step, token: uuidFromHex(deps.digest(stepIdentity(step))), state: 'pending' })),
    lease: { owner: deps.owner, heartbeatAtMs: now },
  };
  // Journal before send (P2): if this write fails, nothing is created.
  await deps.journal.put(entry);
  return follow(entry, deps, []);
}

/** Follows an active entry from wherever it stands (also what activation calls for each unfinished entry). */
export async function follow(start: JournalEntry, deps: RunDeps, notes: string[] = []): Promise<RunResult> {
  if (leasedByOther(start, deps.owner, deps.now()) && (deps.ownerAlive?.(start.lease?.owner ?? '') ?? true)) {
    return { outcome: 'busy', entry: start, notes };
  }
  let entry: JournalEntry = { ...start, lease: { owner: deps.owner, heartbeatAtMs: deps.now() } };
  await deps.journal.put(entry);
  const heartbeat = deps.setInterval?.(() => {
    entry = { ...entry, lease: { owner: deps.owner, heartbeatAtMs: deps.now() } };
    deps.journal.put(entry).catch(() => undefined);
  }, leaseHeartbeatMs);
  const save = async (next: JournalEntry) => {
    entry = next;
    await deps.journal.put(entry);
  };
  try {
    for (let i = 0; i < entry.steps.length; i++) {
      const js = entry.steps[i];
      if (!js || js.state === 'succeeded' || js.state === 'exists') continue;
      let op: CloudOperation | undefined;
      if (js.state === 'running' && js.operationId) {
        op = deps.provider.resumeCreate(js.step, js.operationId);
      } else {
        // pending, sending (a create whose answer was lost: resent with the same token), failed-and-retried.
        await save(withStep(entry, i, { state: 'sending' }, deps.now()));
        deps.onProgress?.(`Creating ${describeStep(js.step)}…`);
        const outcome = await deps.provider.create(js.step, { opId: entry.id, token: js.token }, deps.signal);
        if (outcome.state === 'exists' || !outcome.operation) {
          notes.push(outcome.message);
          await save(withStep(entry, i, { state: 'exists', message: outcome.message }, deps.now()));
          continue;
        }
        if (outcome.state === 'inProgress') notes.push(outcome.message);
        op = outcome.operation;
        await save(withStep(entry, i, { state: 'running', operationId: op.id, message: outcome.message }, deps.now()));
      }
      // Without --wait, a later step must not start before this one ends: stop here, the entry stays active.
      if (!deps.wait) return { outcome: 'running', entry, notes };
      try {
        await op.wait(deps.signal, (status) => deps.onProgress?.(`${describeStep(js.step)}: ${status}`));
      } catch (err) {
        if (isCancellation(err) || deps.signal?.aborted) throw err;
        await fail(i, err);
      }
      await save(withStep(entry, i, { state: 'succeeded', message: undefined }, deps.now()));
    }
    await save({ ...entry, state: 'succeeded', updatedAtMs: deps.now(), lease: undefined });
    return { outcome: 'succeeded', entry, notes };
  } catch (err) {
    if (isCancellation(err) || deps.signal?.aborted) {
      // Cancel stops waiting, not the cloud (P5): release the lease so a later run or reload resumes at once.
      await save({ ...entry, lease: undefined }).catch(() => undefined);
      return { outcome: 'running', entry, notes };
    }
    if (!(err instanceof ProvisionFailedError)) {
      // The create call itself failed (lost answer, refused): the entry stays active when the request may have
      // been accepted, so running the same create again resends the same token instead of a second create.
      const reason = err instanceof ClusterDeckError ? err.reason : 'unknown';
      const mayHaveLanded = reason === 'timeout' || reason === 'unreachable' || reason === 'serverError' || reason === 'unknown';
      const message = err instanceof Error ? err.message : String(err);
      await save({
        ...entry,
        state: mayHaveLanded ? 'active' : 'failed',
        message,
        updatedAtMs: deps.now(),
        lease: undefined,
      }).catch(() => undefined);
    }
    throw err;
  } finally {
    heartbeat?.dispose();
  }

  async function fail(i: number, err: unknown): Promise<never> {
    const js = entry.steps[i];
    const message = err instanceof Error ? err.message : String(err);
    const done = entry.steps
      .slice(0, i)
      .filter((s) => s.state === 'succeeded' || s.state === 'exists')
      .map((s) => describeStep(s.step));
    let now: readonly string[] = [];
    if (js) {
      try {
        now = await deps.provider.partialResources(js.step, deps.signal);
      } catch {
        now = [`(could not check what exists of ${describeStep(js.step)})`];
      }
    }
    const partial = [...done.map((d) => `${d} (created)`), ...now];
    const failed: JournalEntry = {
      ...withStep(entry, i, { state: 'failed', message }, deps.now()),
      state: 'failed',
      message,
      partial,
      lease: undefined,
    };
    await save(failed);
    throw new ProvisionFailedError(message, partial, failed);
  }
}

export function describeStep(s: {
  readonly kind: ProvisionStep['kind'];
  readonly name: string;
  readonly target: { readonly cluster: string };
}): string {
  if (s.kind === 'resourceGroup') return `resource group ${s.name}`;
  if (s.kind === 'iamRole') return `IAM role ${s.name}`;
  return s.kind === 'cluster' ? `cluster ${s.name}` : `node pool ${s.name} of ${s.target.cluster}`;
}

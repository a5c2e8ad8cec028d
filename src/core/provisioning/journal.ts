// The operations journal (provisioning.md P2, §4): every create is written down (and fsync'd, by the node store)
// before the cloud is called, so a reload, a crash or a lost response never loses track of it. Pure model here;
// node/provisioning/fileJournal.ts keeps one file per entry in the extension's global storage.
import type { CreateTarget, ProvisionPlan, ProvisionStep } from './provisioning';

export type StepState = 'pending' | 'sending' | 'running' | 'succeeded' | 'exists' | 'failed';

/** One step of a plan as the journal knows it. */
export interface JournalStep {
  readonly step: ProvisionStep;
  /** The idempotency token sent with this step (EKS clientRequestToken); derived from the step, never reused for another. */
  readonly token: string;
  readonly state: StepState;
  /** The provider's self-contained operation id, once the create was accepted. */
  readonly operationId?: string;
  /** The last progress or outcome sentence. */
  readonly message?: string;
}

/** Which window follows an entry: its owner id and last heartbeat; stale after `leaseStaleMs`. */
export interface Lease {
  readonly owner: string;
  readonly heartbeatAtMs: number;
}

export interface JournalEntry {
  readonly v: 1;
  /** UUID; also the `clusterdeck-op` tag/label value on the created resources. */
  readonly id: string;
  readonly cloud: ProvisionPlan['cloud'];
  readonly what: string;
  readonly where: string;
  /** Hash of the plan's steps: the same file created twice finds its running entry. */
  readonly planHash: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly state: 'active' | 'succeeded' | 'failed';
  readonly steps: readonly JournalStep[];
  readonly message?: string;
  /** On failure: what exists now (never deleted automatically). */
  readonly partial?: readonly string[];
  readonly lease?: Lease;
}

/** Where entries live (files in global storage; a Map in tests). `put` is durable when it resolves. */
export interface JournalStore {
  list(): Promise<readonly JournalEntry[]>;
  put(entry: JournalEntry): Promise<void>;
  remove(id: string): Promise<void>;
}

/** A lease not renewed for this long is taken over (the window that held it closed or hung). */
export const leaseStaleMs = 30_000;
/** How often the owner renews its lease while following. */
export const leaseHeartbeatMs = 10_000;

/** Canonical JSON (sorted keys) so equal bodies hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A UUID-shaped string from a hex digest (EKS wants up to 64 chars; a UUID reads well in logs and tags). */
export function uuidFromHex(hex: string): string {
  const h = hex.padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function targetKey(t: CreateTarget): string {
  return [t.cloud, t.account, t.location, t.resourceGroup ?? '', t.cluster].join('|');
}

/** The text a step's token is derived from: same target, kind, name and body → same token. */
export function stepIdentity(s: ProvisionStep): string {
  return `${targetKey(s.target)}|${s.kind}|${s.name}|${canonicalJson(s.body)}`;
}

export function planIdentity(plan: ProvisionPlan): string {
  return plan.steps.map(stepIdentity).join('\n');
}

/** Whether a lease is held by someone alive other than `owner`. */
export function leasedByOther(e: JournalEntry, owner: string, nowMs: number): boolean {
  return e.lease !== undefined && e.lease.owner !== owner && nowMs - e.lease.heartbeatAtMs < leaseStaleMs;
}

export function withStep(e: JournalEntry, index: number, patch: Partial<JournalStep>, nowMs: number): JournalEntry {
  return {
    ...e,
    updatedAtMs: nowMs,
    steps: e.steps.map((s, i) => (i === index ? { ...s, ...patch } : s)),
  };
}

/** Entries read back from storage that are well-formed (anything else is skipped, never thrown on). */
export function isJournalEntry(v: unknown): v is JournalEntry {
  const e = v as Partial<JournalEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e.v === 1 &&
    typeof e.id === 'string' &&
    typeof e.planHash === 'string' &&
    (e.state === 'active' || e.state === 'succeeded' || e.state === 'failed') &&
    Array.isArray(e.steps) &&
    e.steps.every(
      (s: Partial<JournalStep>) =>
        typeof s.token === 'string' && typeof s.state === 'string' && typeof s.step === 'object' && s.step !== null,
    )
  );
}

/** Short state for the tree: "provisioning (2/3: node group ng-1)", "failed", "done". */
export function entryStatus(e: JournalEntry): string {
  if (e.state === 'succeeded') return 'created';
  if (e.state === 'failed') return 'failed';
  const i = e.steps.findIndex((s) => s.state !== 'succeeded' && s.state !== 'exists');
  const cur = e.steps[i];
  if (!cur) return 'provisioning';
  const label =
    cur.step.kind === 'cluster'
      ? 'cluster'
      : cur.step.kind === 'resourceGroup'
        ? `resource group ${cur.step.name}`
        : cur.step.kind === 'iamRole'
          ? `IAM role ${cur.step.name}`
          : `node pool ${cur.step.name}`;
  return e.steps.length > 1 ? `provisioning (${i + 1}/${e.steps.length}: ${label})` : 'provisioning';
}

/** The pid in an owner id (`window-<pid>-<random>`, `cli-<pid>`), for the liveness check. */
export function ownerPid(owner: string): number | undefined {
  const m = /^(?:window|cli)-(\d+)(?:-|$)/.exec(owner);
  return m?.[1] ? Number(m[1]) : undefined;
}

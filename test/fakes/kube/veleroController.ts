/**
 * A model of Velero's controllers for the fake API server (reference velero.md): Backups go New → InProgress
 * (progress.itemsBackedUp moving towards totalItems) → Completed, or FailedValidation with validationErrors when
 * the spec asks for something invalid (a storage location that does not exist, an Unavailable or ReadOnly one,
 * a namespace both included and excluded); the annotation `fake.velero.io/outcome: Failed|PartiallyFailed`
 * makes one fail later. Schedules get Enabled (or FailedValidation), run once on creation unless
 * skipImmediately, then on their cron; their Backups are `<schedule>-<YYYYMMDDhhmmss>` with the schedule label.
 * A DeleteBackupRequest removes the Backup (and its Restores) unless the location is ReadOnly. Restores
 * progress to Completed (creating mapped target namespaces), or PartiallyFailed with the annotation
 * `fake.velero.io/outcome: PartiallyFailed` (two item errors, three "already exists" warnings in its RestoreResults). A DownloadRequest gets Processed with a
 * pre-signed-looking URL served gzip-compressed by a loopback http server; `stallDownloads(true)` leaves them
 * New forever (the timeout case). ServerStatusRequests report the server's version and plugins (processSsr).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { nextRuns, parseVeleroSchedule } from '../../../src/core/velero/cronSchedule';
import { parseGoDuration } from '../../../src/core/manifests/rules/singleCron';
import type { ResourceDef } from './resources';
import type { KubeStore, StoreEvent } from './store';
import type { KubeObject } from './types';
import { kubeTimestamp } from './types';

export interface VeleroControllerOptions {
  /** Time between two controller steps (phase changes, progress moves); default 250 ms. */
  readonly stepMs?: number;
  /** Progress updates from 0 to totalItems; default 4. */
  readonly progressSteps?: number;
}

export interface VeleroController {
  /** `http://127.0.0.1:PORT`: where download URLs point. */
  readonly downloadBaseUrl: string;
  /** How many downloads were served. */
  readonly downloadsServed: number;
  /** While on, DownloadRequests are never processed (no URL ever arrives). */
  stallDownloads(on: boolean): void;
  /** Runs a schedule now, as its cron would; returns the new Backup's name. */
  runSchedule(name: string, namespace?: string): string;
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const ITEM_KINDS: readonly [string, string][] = [
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'ServiceAccount'],
  ['v1', 'PersistentVolumeClaim'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['apps/v1', 'StatefulSet'],
];

export async function startVeleroController(store: KubeStore, options: VeleroControllerOptions = {}): Promise<VeleroController> {
  const stepMs = options.stepMs ?? 250;
  const steps = options.progressSteps ?? 4;
  const def = (kind: string): ResourceDef => store.mustDef('velero.io/v1', kind);
  const backups = def('Backup');
  const restores = def('Restore');
  const schedules = def('Schedule');
  const bsls = def('BackupStorageLocation');
  const dbrs = def('DeleteBackupRequest');
  const downloads = def('DownloadRequest');
  const ssrs = def('ServerStatusRequest');
  const nsDef = store.mustDef('v1', 'Namespace');
  const timers = new Set<NodeJS.Timeout>();
  const files = new Map<string, Buffer>();
  const logs = new Map<string, string>();
  let stalled = false;
  let served = 0;
  let closed = false;
  const startedAt = Date.now();

  const later = (fn: () => void, ms = stepMs): void => {
    if (closed) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) fn();
    }, ms);
    timers.add(t);
  };
  const get = (d: ResourceDef, ns: string, name: string): KubeObject | undefined => store.get(d, ns, name);
  const setStatus = (d: ResourceDef, obj: KubeObject, status: Obj, labels?: Record<string, string>): KubeObject => {
    const next = structuredClone(obj);
    next['status'] = { ...rec(obj['status']), ...status };
    if (labels) next.metadata.labels = { ...(next.metadata.labels ?? {}), ...labels };
    delete next.metadata.resourceVersion;
    return store.update(d, next, { scope: 'all' }).object;
  };
  const bslFor = (ns: string, name: string | undefined): { name: string; obj?: KubeObject } => {
    if (name) return { name, ...(get(bsls, ns, name) ? { obj: get(bsls, ns, name) } : {}) };
    const all = store.list(bsls, { namespace: ns, filter: { labels: [], fields: [] } }).items;
    const d = all.find((b) => rec(b['spec'])['default'] === true);
    return { name: d?.metadata.name ?? 'default', ...(d ? { obj: d } : {}) };
  };
  const countItems = (namespaces: string[]): number => {
    const all = namespaces.length === 0 || namespaces.includes('*');
    let n = 0;
    for (const [apiVersion, kind] of ITEM_KINDS) {
      const d = store.mustDef(apiVersion, kind);
      for (const o of store.list(d, { filter: { labels: [], fields: [] } }).items)
        if (all || namespaces.includes(o.metadata.namespace ?? '')) n++;
    }
    const nsCount = all ? store.list(nsDef, { filter: { labels: [], fields: [] } }).items.length : namespaces.length;
    return n + nsCount;
  };

  /** Velero's BackupResourceList of the objects in `namespaces` now: `"apps/v1/Deployment": ["shop/cart", …]`. */
  const resourceList = (namespaces: string[]): Record<string, string[]> => {
    const all = namespaces.length === 0 || namespaces.includes('*');
    const out: Record<string, string[]> = {};
    for (const [apiVersion, kind] of ITEM_KINDS) {
      const d = store.mustDef(apiVersion, kind);
      const names = store
        .list(d, { filter: { labels: [], fields: [] } })
        .items.filter((o) => all || namespaces.includes(o.metadata.namespace ?? ''))
        .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`);
      if (names.length) out[`${apiVersion}/${kind}`] = names;
    }
    return out;
  };
  const resourceLists = new Map<string, string>();
  /** RestoreResults written by restores that ended PartiallyFailed (by `restore/<ns>/<name>`). */
  const restoreResults = new Map<string, string>();

  // ------------------------------------------------------------------ backups
  const validateBackup = (b: KubeObject): { errors: string[]; location: string } => {
    const ns = b.metadata.namespace ?? '';
    const spec = rec(b['spec']);
    const errors: string[] = [];
    const wanted = typeof spec['storageLocation'] === 'string' && spec['storageLocation'] ? spec['storageLocation'] : undefined;
    const loc = bslFor(ns, wanted);
    if (!loc.obj) {
      errors.push(
        wanted
          ? `an existing backup storage location wasn't specified at backup creation time and the server default '${loc.name}' doesn't exist. Please address this issue (see \`velero backup-location -h\` for options) and create a new backup. Error: backupstoragelocations.velero.io "${wanted}" not found`
          : `an existing backup storage location wasn't specified at backup creation time and the default 'default' wasn't found. Please address this issue (see \`velero backup-location -h\` for options) and create a new backup.`,
      );
    } else {
      if (rec(loc.obj['status'])['phase'] === 'Unavailable')
        errors.push(`backup can't be created because BackupStorageLocation ${loc.name} is in Unavailable status.`);
      if (rec(loc.obj['spec'])['accessMode'] === 'ReadOnly')
        errors.push(`backup can't be created because backup storage location ${loc.name} is currently in read-only mode`);
    }
    const inc = strings(spec['includedNamespaces']);
    const both = strings(spec['excludedNamespaces']).filter((n) => inc.includes(n));
    if (both.length)
      errors.push(
        `Invalid included/excluded namespace lists: excludes list cannot contain an item in the includes list: ${both.join(', ')}`,
      );
    if (typeof spec['ttl'] === 'string' && parseGoDuration(spec['ttl']) === undefined)
      errors.push(`invalid ttl "${spec['ttl']}": time: invalid duration`);
    return { errors, location: loc.name };
  };

  const processBackup = (ns: string, name: string): void => {
    const b = get(backups, ns, name);
    if (!b || rec(b['status'])['phase']) return;
    const { errors, location } = validateBackup(b);
    const now = Date.now();
    const ttlMs = parseGoDuration(text(rec(b['spec'])['ttl'])) ?? 720 * 3_600_000;
    const base = { version: 1, formatVersion: '1.1.0', expiration: new Date(now + ttlMs).toISOString().replace(/\.\d+Z$/, 'Z') };
    if (errors.length) {
      setStatus(backups, b, { ...base, phase: 'FailedValidation', validationErrors: errors });
      logs.set(`backup/${ns}/${name}`, errors.map((e) => logLine('error', e, name)).join(''));
      return;
    }
    const total = countItems(strings(rec(b['spec'])['includedNamespaces']));
    setStatus(
      backups,
      b,
      { ...base, phase: 'InProgress', startTimestamp: kubeTimestamp(), progress: { totalItems: total, itemsBackedUp: 0 } },
      { 'velero.io/storage-location': location },
    );
    later(() => progressBackup(ns, name));
  };

  const progressBackup = (ns: string, name: string): void => {
    const b = get(backups, ns, name);
    if (!b || rec(b['status'])['phase'] !== 'InProgress') return;
    const progress = rec(rec(b['status'])['progress']);
    const total = Number(progress['totalItems'] ?? 0);
    const done = Math.min(total, Number(progress['itemsBackedUp'] ?? 0) + Math.max(1, Math.ceil(total / steps)));
    if (done < total) {
      setStatus(backups, b, { progress: { totalItems: total, itemsBackedUp: done } });
      later(() => progressBackup(ns, name));
      return;
    }
    const outcome = b.metadata.annotations?.['fake.velero.io/outcome'];
    const lines = [logLine('info', 'Setting up backup log', name), logLine('info', `Backing up ${total} items`, name)];
    let status: Obj;
    if (outcome === 'Failed') {
      status = { phase: 'Failed', failureReason: 'error uploading backup: fake object store refused the write', errors: 1, warnings: 0 };
      lines.push(logLine('error', 'error uploading backup: fake object store refused the write', name));
    } else if (outcome === 'PartiallyFailed') {
      status = { phase: 'PartiallyFailed', errors: 2, warnings: 1, progress: { totalItems: total, itemsBackedUp: total - 2 } };
      lines.push(logLine('error', 'error backing up item: pods "cart-0" not found', name));
      lines.push(logLine('error', 'error backing up item: persistentvolumeclaims "data" timed out', name));
    } else {
      status = { phase: 'Completed', errors: 0, warnings: 0, progress: { totalItems: total, itemsBackedUp: total } };
      lines.push(logLine('info', 'Backup completed', name));
    }
    logs.set(`backup/${ns}/${name}`, lines.join(''));
    resourceLists.set(`backup/${ns}/${name}`, JSON.stringify(resourceList(strings(rec(b['spec'])['includedNamespaces']))));
    setStatus(backups, b, { ...status, completionTimestamp: kubeTimestamp() });
    const schedule = b.metadata.labels?.['velero.io/schedule-name'];
    const s = schedule ? get(schedules, ns, schedule) : undefined;
    if (s) setStatus(schedules, s, { lastBackup: b.metadata.creationTimestamp ?? kubeTimestamp() });
  };

  // ------------------------------------------------------------------ schedules
  const createScheduledBackup = (s: KubeObject): string => {
    const ns = s.metadata.namespace ?? '';
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    let name = `${s.metadata.name ?? 'schedule'}-${stamp}`;
    for (let i = 1; get(backups, ns, name); i++) name = `${s.metadata.name ?? 'schedule'}-${stamp}${i}`;
    store.create(backups, {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name, namespace: ns, labels: { 'velero.io/schedule-name': s.metadata.name ?? '' } },
      spec: structuredClone(rec(rec(s['spec'])['template'])),
    });
    setStatus(schedules, get(schedules, ns, s.metadata.name ?? '') ?? s, { lastBackup: kubeTimestamp() });
    return name;
  };
  const processSchedule = (ns: string, name: string): void => {
    const s = get(schedules, ns, name);
    if (!s || rec(s['status'])['phase']) return;
    const spec = rec(s['spec']);
    const parsed = parseVeleroSchedule(text(spec['schedule']));
    if (!parsed.ok) {
      setStatus(schedules, s, { phase: 'FailedValidation', validationErrors: [`invalid schedule: ${parsed.error}`] });
      return;
    }
    const next = setStatus(schedules, s, { phase: 'Enabled' });
    if (spec['paused'] !== true && spec['skipImmediately'] !== true && !rec(s['status'])['lastBackup']) createScheduledBackup(next);
  };
  const tick = (): void => {
    const now = Date.now();
    for (const s of store.list(schedules, { filter: { labels: [], fields: [] } }).items) {
      const spec = rec(s['spec']);
      if (spec['paused'] === true || rec(s['status'])['phase'] !== 'Enabled') continue;
      const parsed = parseVeleroSchedule(text(spec['schedule']));
      const last = Date.parse(text(rec(s['status'])['lastBackup'])) || startedAt;
      const due = nextRuns(parsed, Math.max(last, startedAt) - 1, 1, last)[0];
      if (due !== undefined && due <= now && due > startedAt) createScheduledBackup(s);
    }
    later(tick, 1000);
  };

  // ------------------------------------------------------------------ deletions, restores, downloads
  const processDbr = (ns: string, name: string): void => {
    const r = get(dbrs, ns, name);
    if (!r || rec(r['status'])['phase']) return;
    const backupName = text(rec(r['spec'])['backupName']);
    const b = get(backups, ns, backupName);
    if (!b) {
      setStatus(dbrs, r, { phase: 'Processed', errors: [`backup ${backupName} not found`] });
      return;
    }
    const loc = bslFor(ns, (rec(b['spec'])['storageLocation'] as string | undefined) || undefined);
    if (rec(loc.obj?.['spec'])['accessMode'] === 'ReadOnly') {
      setStatus(dbrs, r, {
        phase: 'Processed',
        errors: [`cannot delete backup because backup storage location ${loc.name} is currently in read-only mode`],
      });
      return;
    }
    setStatus(dbrs, r, { phase: 'InProgress' });
    setStatus(backups, b, { phase: 'Deleting' });
    later(() => {
      for (const restore of store.list(restores, { namespace: ns, filter: { labels: [], fields: [] } }).items)
        if (rec(restore['spec'])['backupName'] === backupName) store.delete(restores, ns, restore.metadata.name ?? '');
      if (get(backups, ns, backupName)) store.delete(backups, ns, backupName);
      const again = get(dbrs, ns, name);
      if (again) setStatus(dbrs, again, { phase: 'Processed' });
    });
  };

  const processRestore = (ns: string, name: string): void => {
    let r = get(restores, ns, name);
    if (!r || rec(r['status'])['phase']) return;
    let spec = rec(r['spec']);
    const scheduleName = text(spec['scheduleName']);
    if (scheduleName && !text(spec['backupName'])) {
      // Velero resolves scheduleName to the schedule's most recently started Completed backup and writes it back.
      const started = (o: KubeObject): string => text(rec(o['status'])['startTimestamp']) || (o.metadata.creationTimestamp ?? '');
      const latest = store
        .list(backups, { namespace: ns, filter: { labels: [], fields: [] } })
        .items.filter((o) => o.metadata.labels?.['velero.io/schedule-name'] === scheduleName)
        .filter((o) => text(rec(o['status'])['phase']) === 'Completed')
        .sort((a, b) => started(b).localeCompare(started(a)) || (b.metadata.name ?? '').localeCompare(a.metadata.name ?? ''))[0];
      if (!latest) {
        setStatus(restores, r, { phase: 'FailedValidation', validationErrors: [`No backups found for schedule "${scheduleName}"`] });
        return;
      }
      spec = { ...spec, backupName: latest.metadata.name };
      r = store.update(restores, { ...r, spec }, { scope: 'all' }).object;
    }
    const backupName = text(spec['backupName']);
    const b = backupName ? get(backups, ns, backupName) : undefined;
    const phase = text(rec(b?.['status'])['phase']);
    const errors = !b
      ? [`backup.velero.io "${backupName}" not found`]
      : phase !== 'Completed' && phase !== 'PartiallyFailed'
        ? [`backup "${backupName}" is not ready to be restored: its phase is ${phase || 'New'}`]
        : [];
    if (errors.length) {
      setStatus(restores, r, { phase: 'FailedValidation', validationErrors: errors });
      return;
    }
    const total = Number(rec(rec(b?.['status'])['progress'])['totalItems'] ?? 10);
    setStatus(restores, r, { phase: 'InProgress', startTimestamp: kubeTimestamp(), progress: { totalItems: total, itemsRestored: 0 } });
    const step = (): void => {
      const cur = get(restores, ns, name);
      if (!cur) return;
      const done = Math.min(
        total,
        Number(rec(rec(cur['status'])['progress'])['itemsRestored'] ?? 0) + Math.max(1, Math.ceil(total / steps)),
      );
      if (done < total) {
        setStatus(restores, cur, { progress: { totalItems: total, itemsRestored: done } });
        later(step);
        return;
      }
      for (const target of Object.values(rec(spec['namespaceMapping'])))
        if (typeof target === 'string' && !store.get(nsDef, undefined, target))
          store.create(nsDef, {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: target, labels: { 'velero.io/restore-name': name } },
          });
      if (cur.metadata.annotations?.['fake.velero.io/outcome'] === 'PartiallyFailed') {
        // Velero's RestoreResults (pkg/util/results): item failures and warnings by namespace, as the restore
        // controller writes them; the two errors are items that failed, the warnings objects that already existed.
        const target =
          text(rec(spec['namespaceMapping'])[strings(spec['includedNamespaces'])[0] ?? '']) ||
          strings(spec['includedNamespaces'])[0] ||
          'default';
        const results = {
          errors: {
            namespaces: {
              [target]: [
                `error restoring pods/${target}/cart-0: pods "cart-0" is forbidden: violates PodSecurity "restricted:latest": privileged`,
                `error restoring persistentvolumeclaims/${target}/data: persistentvolumeclaims "data" is forbidden: exceeded quota: storage`,
              ],
            },
          },
          warnings: {
            cluster: [
              'could not restore, CustomResourceDefinition "widgets.example.com" already exists. Warning: the in-cluster version is different than the backed-up version',
            ],
            namespaces: {
              [target]: [
                `could not restore, ConfigMap "app-config" already exists. Warning: the in-cluster version is different than the backed-up version`,
                `could not restore, Service "cart" already exists. Warning: the in-cluster version is different than the backed-up version`,
              ],
            },
          },
        };
        restoreResults.set(`restore/${ns}/${name}`, JSON.stringify(results));
        logs.set(
          `restore/${ns}/${name}`,
          [
            logLine('error', 'error restoring pods/cart-0', name),
            logLine('error', 'error restoring persistentvolumeclaims/data', name),
          ].join(''),
        );
        setStatus(restores, cur, {
          phase: 'PartiallyFailed',
          completionTimestamp: kubeTimestamp(),
          warnings: 3,
          errors: 2,
          progress: { totalItems: total, itemsRestored: total - 2 },
        });
        return;
      }
      logs.set(`restore/${ns}/${name}`, [logLine('info', `Restored ${total} items from backup ${backupName}`, name)].join(''));
      setStatus(restores, cur, {
        phase: 'Completed',
        completionTimestamp: kubeTimestamp(),
        warnings: 0,
        errors: 0,
        progress: { totalItems: total, itemsRestored: total },
      });
    };
    later(step);
  };

  /** Velero's results file: one message per counted error and warning, under the first included namespace. */
  const resultsOf = (o: KubeObject | undefined): Record<string, unknown> => {
    const status = rec(o?.['status']);
    const ns = strings(rec(o?.['spec'])['includedNamespaces'])[0] ?? 'default';
    const messages = (n: unknown, what: string): string[] =>
      Array.from({ length: Number(n ?? 0) }, (_, i) => `${what} ${i + 1}: pods "${ns}-item-${i + 1}" could not be processed (fake)`);
    const errs = messages(status['errors'], 'error');
    const warns = messages(status['warnings'], 'warning');
    return {
      errors: errs.length ? { velero: errs.slice(0, 1), namespaces: { [ns]: errs.slice(1) } } : {},
      warnings: warns.length ? { namespaces: { [ns]: warns } } : {},
    };
  };

  const processDownload = (ns: string, name: string): void => {
    if (stalled) return;
    const d = get(downloads, ns, name);
    if (!d || rec(d['status'])['phase']) return;
    const target = rec(rec(d['spec'])['target']);
    const kind = text(target['kind']);
    const targetName = text(target['name']);
    const key = kind.startsWith('Restore') ? `restore/${ns}/${targetName}` : `backup/${ns}/${targetName}`;
    const content = kind.endsWith('Log')
      ? (logs.get(key) ?? logLine('info', `log of ${targetName} (written before this fake started)`, targetName))
      : kind === 'BackupResourceList'
        ? (resourceLists.get(key) ??
          JSON.stringify(resourceList(strings(rec(get(backups, ns, targetName)?.['spec'])['includedNamespaces']))))
        : kind === 'RestoreResults' && restoreResults.has(key)
          ? (restoreResults.get(key) ?? '')
          : JSON.stringify(resultsOf(kind.startsWith('Restore') ? get(restores, ns, targetName) : get(backups, ns, targetName)));
    const token = randomBytes(16).toString('hex');
    const path = `/clusterdeck-sample-backups/${key}/${kind}.gz`;
    files.set(`${path}?X-Amz-Signature=${token}`, gzipSync(content));
    setStatus(downloads, d, {
      phase: 'Processed',
      downloadURL: `${baseUrl}${path}?X-Amz-Signature=${token}`,
      expiration: new Date(Date.now() + 10 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    });
  };

  /**
   * What Velero's ServerStatusRequest controller reports: the server's own version (the `velero` Deployment's image
   * tag here, unless the annotation `fake.velero.io/server-version` says the build differs from its tag) and the
   * plugins, from the Deployment's plugin init containers (`velero/velero-plugin-for-aws:v1.10.0` → `velero.io/aws`).
   */
  const processSsr = (ns: string, name: string): void => {
    const s = get(ssrs, ns, name);
    if (!s || rec(s['status'])['phase']) return;
    const deployment = store.get(store.mustDef('apps/v1', 'Deployment'), ns, 'velero');
    const pod = rec(rec(rec(deployment?.['spec'])['template'])['spec']);
    const image = text(rec((Array.isArray(pod['containers']) ? pod['containers'] : [])[0])['image']);
    const tag = /:(v?\d[^@]*)/.exec(image)?.[1];
    const serverVersion =
      deployment?.metadata.annotations?.['fake.velero.io/server-version'] ?? (tag ? (tag.startsWith('v') ? tag : `v${tag}`) : 'v1.18.1');
    const fromInit = (Array.isArray(pod['initContainers']) ? pod['initContainers'] : [])
      .map((c) => /velero-plugin-for-([a-z-]+)/.exec(text(rec(c)['image']))?.[1])
      .filter((p): p is string => p !== undefined)
      .flatMap((p) => {
        const plugin = `velero.io/${p === 'microsoft-azure' ? 'azure' : p}`;
        return [
          { name: plugin, kind: 'ObjectStore' },
          { name: plugin, kind: 'VolumeSnapshotter' },
        ];
      });
    setStatus(ssrs, s, {
      phase: 'Processed',
      serverVersion,
      processedTimestamp: kubeTimestamp(),
      plugins: fromInit.length ? fromInit : [{ name: 'velero.io/aws', kind: 'ObjectStore' }],
    });
  };

  // ------------------------------------------------------------------ wiring
  const onAdded =
    (fn: (ns: string, name: string) => void, resume?: (ns: string, name: string, o: KubeObject) => void) =>
    (e: StoreEvent): void => {
      if (e.type === 'DELETED') return;
      const ns = e.object.metadata.namespace ?? '';
      const name = e.object.metadata.name ?? '';
      if (!rec(e.object['status'])['phase'] && (e.type === 'ADDED' || !rec(e.previous?.['status'])['phase'])) later(() => fn(ns, name));
      else if (e.type === 'ADDED' && resume) resume(ns, name, e.object);
    };
  const unsubscribe = [
    store.subscribe(
      backups,
      onAdded(processBackup, (ns, name, o) => {
        // A seeded InProgress backup keeps moving.
        if (rec(o['status'])['phase'] === 'InProgress') later(() => progressBackup(ns, name));
      }),
    ),
    store.subscribe(schedules, (e) => {
      if (e.type === 'DELETED' || rec(e.object['status'])['phase']) return;
      const ns = e.object.metadata.namespace ?? '';
      const name = e.object.metadata.name ?? '';
      later(() => processSchedule(ns, name));
    }),
    store.subscribe(dbrs, onAdded(processDbr)),
    store.subscribe(restores, onAdded(processRestore)),
    store.subscribe(downloads, onAdded(processDownload)),
    store.subscribe(ssrs, onAdded(processSsr)),
  ];

  const server: Server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (req.method !== 'GET' || !body) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
      return;
    }
    served++;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  later(tick, 1000);

  return {
    downloadBaseUrl: baseUrl,
    get downloadsServed(): number {
      return served;
    },
    stallDownloads(on: boolean): void {
      stalled = on;
    },
    runSchedule(name: string, namespace = 'velero'): string {
      const s = get(schedules, namespace, name);
      if (!s) throw new Error(`no schedule ${namespace}/${name}`);
      return createScheduledBackup(s);
    },
    async close(): Promise<void> {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const u of unsubscribe) u();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function logLine(level: string, msg: string, name: string): string {
  return `time="${new Date().toISOString()}" level=${level} msg="${msg.replace(/"/g, '\\"')}" backup=velero/${name} logSource="pkg/backup/backup.go:1"\n`;
}

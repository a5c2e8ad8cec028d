// The operations journal on disk: one JSON file per entry in `<globalStorage>/ops/`, written to a temp file,
// fsync'd, renamed over the old one, and the directory fsync'd, so an entry is either the old or the new version
// even if the editor is killed mid-write (provisioning.md P2; globalState writes in deactivate can be lost).
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ClusterDeckError } from '../../core/errors';
import { isJournalEntry, type JournalEntry, type JournalStore } from '../../core/provisioning/journal';

const idPattern = /^[A-Za-z0-9-]{1,80}$/;

export class FileJournal implements JournalStore {
  /** `dir` is `<globalStorageUri>/ops` (created on first write). */
  constructor(
    private readonly dir: string,
    private readonly onSkip?: (file: string, why: string) => void,
  ) {}

  async list(): Promise<readonly JournalEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      if (code === 'ENOENT') return [];
      throw new ClusterDeckError(
        'badConfig',
        `Could not read the operations journal in ${this.dir} (${code}); nothing was created. Fix the folder, then try again.`,
        { file: this.dir },
      );
    }
    const out: JournalEntry[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      try {
        const v: unknown = JSON.parse(await readFile(join(this.dir, name), 'utf8'));
        if (isJournalEntry(v)) out.push(v);
        else this.onSkip?.(name, 'not a journal entry');
      } catch (err) {
        this.onSkip?.(name, err instanceof Error ? err.message : String(err));
      }
    }
    return out;
  }

  async put(entry: JournalEntry): Promise<void> {
    if (!idPattern.test(entry.id)) throw new ClusterDeckError('invalid', `Journal id "${entry.id}" is not a plain id.`);
    try {
      await mkdir(this.dir, { recursive: true });
      const file = join(this.dir, `${entry.id}.json`);
      const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(JSON.stringify(entry, null, 1));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
      const dh = await open(this.dir, 'r');
      try {
        await dh.sync();
      } finally {
        await dh.close();
      }
    } catch (err) {
      if (err instanceof ClusterDeckError) throw err;
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new ClusterDeckError(
        'badConfig',
        `Could not write the operations journal in ${this.dir} (${code}); nothing was created. Free disk space or fix the folder's permissions, then try again.`,
        { file: this.dir },
      );
    }
  }

  async remove(id: string): Promise<void> {
    if (!idPattern.test(id)) return;
    await rm(join(this.dir, `${id}.json`), { force: true });
  }
}

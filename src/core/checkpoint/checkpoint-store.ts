// Where checkpoints live: <state>/checkpoints/<project>/<timestamp>.md, an
// index of every checkpoint, the pause marks the PreToolUse gate reads, and the
// keys of automatic checkpoints already taken. All written atomically.
//
// Writers are serialised with one lock (checkpoints/index.lock, via
// proper-lockfile): a lock keeps the single index.json that people, the tray
// and older versions already read, where one file per checkpoint would need a
// second source of truth and a rebuild on every read. Each read-modify-write
// (index, pauses, auto keys) happens inside it, so 16 parallel `checkpoint`
// runs leave 16 records. Prompts and the index are private (0700 / 0600), as
// `.ssh` is: they quote the user's work.
import { createRequire } from 'node:module';
import { chmod, mkdir, readFile, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type ProperLockfile from 'proper-lockfile';
import { writeFileAtomic } from '../atomic-file.js';
import { type CheckpointRecord, type IdMatch, parseIndexEntries, resolveCheckpointId } from './checkpoint-records.js';

export type { CheckpointProjectRecord, CheckpointRecord, CheckpointSubmoduleRecord } from './checkpoint-records.js';

export interface PauseMark {
  projectDir: string;
  since: string;
  checkpointId: string;
  window: string | null;
  resetsAt: string | null;
}

export interface IndexRead {
  records: CheckpointRecord[];
  /** Sentences for people: skipped entries, a damaged index. */
  problems: string[];
}

const MAX_AUTO_KEYS = 500;
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

export function checkpointsDir(stateDir: string): string {
  return join(stateDir, 'checkpoints');
}

/** A readable, collision-safe folder name for a project path. */
export function projectSlug(projectDir: string): string {
  const base = basename(projectDir).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'project';
  let hash = 0;
  for (const ch of projectDir) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return `${base}-${(hash >>> 0).toString(36)}`;
}

export function corruptBackupPath(path: string, now: Date): string {
  return `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
}

type RawFile = { kind: 'missing' } | { kind: 'ok'; value: Record<string, unknown> } | { kind: 'damaged'; why: string };

/** A JSON object file: missing, parsed, or damaged (with why). Other read errors throw. */
async function readRaw(path: string): Promise<RawFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { kind: 'ok', value: value as Record<string, unknown> };
    return { kind: 'damaged', why: 'does not hold a JSON object' };
  } catch {
    return { kind: 'damaged', why: 'is not valid JSON' };
  }
}

/** The array under key, or why the file cannot be read as one. */
function arrayIn(raw: RawFile, key: string): { entries: unknown[] } | { why: string } {
  if (raw.kind === 'missing') return { entries: [] };
  if (raw.kind === 'damaged') return { why: raw.why };
  const entries = raw.value[key];
  return Array.isArray(entries) ? { entries } : { why: `has no "${key}" list` };
}

async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  // A folder made by an older version may be world-readable.
  await chmod(dir, PRIVATE_DIR);
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { mode: PRIVATE_FILE });
}

let lockfile: typeof ProperLockfile | null = null;
function loadLockfile(): typeof ProperLockfile {
  // CommonJS, and only writers need it: loaded on first use.
  lockfile ??= createRequire(import.meta.url)('proper-lockfile') as typeof ProperLockfile;
  return lockfile;
}

export class CheckpointStore {
  constructor(
    readonly stateDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get indexPath(): string {
    return join(checkpointsDir(this.stateDir), 'index.json');
  }

  get pausesPath(): string {
    return join(this.stateDir, 'paused.json');
  }

  private get autoKeysPath(): string {
    return join(checkpointsDir(this.stateDir), 'auto-keys.json');
  }

  promptPathFor(projectDir: string, at: Date): string {
    return join(checkpointsDir(this.stateDir), projectSlug(projectDir), `${at.toISOString().replace(/[:.]/g, '-')}.md`);
  }

  async writePrompt(path: string, markdown: string): Promise<void> {
    await privateDir(checkpointsDir(this.stateDir));
    await privateDir(dirname(path));
    await writeFileAtomic(path, markdown, { mode: PRIVATE_FILE });
  }

  /** Runs fn while holding the store's lock (waits for other writers, up to ~20 s). */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const dir = checkpointsDir(this.stateDir);
    await privateDir(dir);
    const release = await loadLockfile().lock(dir, {
      lockfilePath: join(dir, 'index.lock'),
      realpath: false,
      stale: 10_000,
      retries: { retries: 120, factor: 1.3, minTimeout: 10, maxTimeout: 250, randomize: true },
      // A lock judged stale while we still work: our write is atomic either way.
      onCompromised: () => {},
    });
    try {
      return await fn();
    } finally {
      await release().catch(() => {});
    }
  }

  /** Every valid record, and what was wrong with the rest. */
  async read(): Promise<IndexRead> {
    const found = arrayIn(await readRaw(this.indexPath), 'checkpoints');
    if ('why' in found) {
      return { records: [], problems: [`the checkpoint index ${this.indexPath} ${found.why}; it is left as it is. Run \`breather checkpoints --repair\` to rebuild it from the repositories.`] };
    }
    const { records, skipped } = parseIndexEntries(found.entries);
    return { records, problems: skipped };
  }

  async list(): Promise<CheckpointRecord[]> {
    return (await this.read()).records;
  }

  /** Appends a record; returns notices (a damaged index set aside). Entries it cannot read are kept as they were. */
  async add(record: CheckpointRecord): Promise<string[]> {
    return this.withLock(async () => {
      const { entries, notices } = await this.entriesForWrite();
      await writeJson(this.indexPath, { version: 1, checkpoints: [...entries, record] });
      return notices;
    });
  }

  /** Replaces the whole index (used by repair); a damaged one is set aside first. */
  async replaceAll(build: (current: CheckpointRecord[]) => Promise<CheckpointRecord[]>): Promise<{ records: CheckpointRecord[]; notices: string[] }> {
    return this.withLock(async () => {
      const { entries, notices } = await this.entriesForWrite();
      const { records, skipped } = parseIndexEntries(entries);
      const next = await build(records);
      await writeJson(this.indexPath, { version: 1, checkpoints: next });
      return { records: next, notices: [...notices, ...skipped.map((s) => s.replace(/; skipped$/, '; dropped by the repair'))] };
    });
  }

  /** Current raw entries; a damaged index is renamed to index.json.corrupt-<time>, never overwritten. */
  private async entriesForWrite(): Promise<{ entries: unknown[]; notices: string[] }> {
    const found = arrayIn(await readRaw(this.indexPath), 'checkpoints');
    if (!('why' in found)) return { entries: found.entries, notices: [] };
    const backup = corruptBackupPath(this.indexPath, this.now());
    await rename(this.indexPath, backup);
    return {
      entries: [],
      notices: [`the checkpoint index ${found.why}; it was kept as ${backup} and a new index was started. \`breather checkpoints --repair\` rebuilds the older entries from the repositories.`],
    };
  }

  async resolve(id: string): Promise<IdMatch> {
    return resolveCheckpointId(await this.list(), id);
  }

  async pauses(): Promise<PauseMark[]> {
    const found = arrayIn(await readRaw(this.pausesPath).catch(() => ({ kind: 'missing' }) as const), 'paused');
    if ('why' in found) return [];
    return found.entries.filter(isPauseMark);
  }

  /** Read-modify-write of the pause marks under the lock; returns the new marks. */
  async updatePauses(change: (marks: PauseMark[]) => PauseMark[]): Promise<PauseMark[]> {
    return this.withLock(async () => {
      const next = change(await this.pauses());
      await writeJson(this.pausesPath, { version: 1, paused: next });
      return next;
    });
  }

  /** Records an automatic checkpoint key; false when it was already taken. */
  async claimAutoKey(key: string): Promise<boolean> {
    return this.withLock(async () => {
      const found = arrayIn(await readRaw(this.autoKeysPath).catch(() => ({ kind: 'missing' }) as const), 'keys');
      const keys = 'why' in found ? [] : found.entries.filter((k): k is string => typeof k === 'string');
      if (keys.includes(key)) return false;
      keys.push(key);
      await writeJson(this.autoKeysPath, { version: 1, keys: keys.slice(-MAX_AUTO_KEYS) });
      return true;
    });
  }
}

function isPauseMark(value: unknown): value is PauseMark {
  const mark = value as PauseMark | null;
  return typeof mark?.projectDir === 'string' && typeof mark.since === 'string' && typeof mark.checkpointId === 'string';
}

// Where checkpoints live: <state>/checkpoints/<project>/<timestamp>.md, an
// index of every checkpoint, the pause marks the PreToolUse gate reads, and the
// keys of automatic checkpoints already taken. All written atomically.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';

export interface CheckpointProjectRecord {
  projectDir: string;
  repoRoot: string | null;
  isGitRepo: boolean;
  branch: string | null;
  head: string | null;
  status: 'stashed' | 'nothing-to-stash' | 'refused' | 'not-a-repo';
  stashSha: string | null;
  privateRef: string | null;
  refusal: string | null;
  promptPath: string;
  sessionIds: string[];
  notCaptured: string[];
  skippedFiles: { path: string; reason: string; bytes?: number }[];
  submodules: { repoRoot: string; status: string; stashSha: string | null }[];
  changedFiles: number;
}

export interface CheckpointRecord {
  id: string;
  createdAt: string;
  trigger: string;
  paused: boolean;
  limit: { windowLabel: string | null; resetsAt: string | null } | null;
  projects: CheckpointProjectRecord[];
}

export interface PauseMark {
  projectDir: string;
  since: string;
  checkpointId: string;
  window: string | null;
  resetsAt: string | null;
}

interface IndexFile {
  version: 1;
  checkpoints: CheckpointRecord[];
}

interface PausesFile {
  version: 1;
  paused: PauseMark[];
}

interface AutoKeysFile {
  version: 1;
  keys: string[];
}

const MAX_AUTO_KEYS = 500;

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

async function readJson<T>(path: string, empty: T, valid: (value: unknown) => boolean): Promise<T> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return valid(value) ? (value as T) : empty;
  } catch {
    return empty;
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export class CheckpointStore {
  constructor(readonly stateDir: string) {}

  private get indexPath(): string {
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
    await mkdir(join(path, '..'), { recursive: true });
    await writeFileAtomic(path, markdown);
  }

  async list(): Promise<CheckpointRecord[]> {
    const data = await readJson<IndexFile>(this.indexPath, { version: 1, checkpoints: [] }, (v) => Array.isArray((v as IndexFile)?.checkpoints));
    return data.checkpoints;
  }

  async add(record: CheckpointRecord): Promise<void> {
    const checkpoints = await this.list();
    checkpoints.push(record);
    await writeJson(this.indexPath, { version: 1, checkpoints } satisfies IndexFile);
  }

  async find(id: string): Promise<CheckpointRecord | null> {
    const all = await this.list();
    return all.find((c) => c.id === id) ?? all.find((c) => c.id.startsWith(id)) ?? null;
  }

  async pauses(): Promise<PauseMark[]> {
    const data = await readJson<PausesFile>(this.pausesPath, { version: 1, paused: [] }, (v) => Array.isArray((v as PausesFile)?.paused));
    return data.paused;
  }

  async setPauses(paused: PauseMark[]): Promise<void> {
    await writeJson(this.pausesPath, { version: 1, paused } satisfies PausesFile);
  }

  /** Records an automatic checkpoint key; false when it was already taken. */
  async claimAutoKey(key: string): Promise<boolean> {
    const data = await readJson<AutoKeysFile>(this.autoKeysPath, { version: 1, keys: [] }, (v) => Array.isArray((v as AutoKeysFile)?.keys));
    if (data.keys.includes(key)) return false;
    data.keys.push(key);
    await writeJson(this.autoKeysPath, { version: 1, keys: data.keys.slice(-MAX_AUTO_KEYS) } satisfies AutoKeysFile);
    return true;
  }
}

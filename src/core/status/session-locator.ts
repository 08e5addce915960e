// Finds Claude Code sessions: the recently active ones (any record counts),
// and every session of one project whatever its age (`--project`). The usage
// engine supplies the transcript list; the tails of the files say the rest.
import { basename, resolve, sep } from 'node:path';
import type { ActiveSession } from '../../shared/status.js';
import type { UsageBucket } from '../ingest/usage-index.js';
import { type SessionActivity, SessionActivityReader, type TranscriptFileInfo, encodedProjectFolder, latestPerSession, projectFolderOf } from './session-activity.js';

/** What the locator needs from the usage engine. */
export interface TranscriptSource {
  transcriptFiles(): readonly TranscriptFileInfo[];
  buckets(): UsageBucket[];
  sessionFiles(sessionId: string): string[];
}

/** A directory's git top level (null: not in a repository, or gone). */
export type TopLevelOf = (dir: string) => Promise<string | null>;

export interface ProjectSessionsOptions {
  /** Keep the sessions with a record within this long of the newest one (the last working stretch). */
  stretchMs: number;
}

function isInside(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

export class SessionLocator {
  private readonly reader = new SessionActivityReader();
  /** Session id → its main transcript, from every tail read so far. */
  private readonly mainFiles = new Map<string, string>();

  constructor(private readonly source: TranscriptSource) {}

  private remember(activity: readonly SessionActivity[]): void {
    for (const a of activity) if (basename(a.path, '.jsonl') === a.sessionId) this.mainFiles.set(a.sessionId, a.path);
  }

  /** Each session's newest record, for sessions whose files changed at or after sinceMs; newest first. */
  async recent(sinceMs: number): Promise<SessionActivity[]> {
    const read = await this.reader.read(this.source.transcriptFiles(), sinceMs);
    this.remember(read);
    return latestPerSession(read);
  }

  /** A session's transcript files: its main file first (found by name or from usage), then the rest. */
  filesOf(sessionId: string): string[] {
    const files = this.source.sessionFiles(sessionId);
    const main = this.mainFiles.get(sessionId) ?? this.source.transcriptFiles().find((f) => basename(f.path, '.jsonl') === sessionId)?.path;
    return main ? [main, ...files.filter((f) => f !== main)] : files;
  }

  /**
   * The sessions whose cwd maps to the project's git top level (a linked
   * worktree is its own project), newest first, cut to the last working
   * stretch. Recency plays no part: the user named the project.
   */
  async forProject(projectDir: string, topLevelOf: TopLevelOf, options: ProjectSessionsOptions): Promise<ActiveSession[]> {
    const target = resolve(projectDir);
    const targetRoot = (await topLevelOf(target)) ?? target;
    // Pre-filter by Claude Code's folder name (a prefix: subfolders encode longer) and by usage seen there.
    const prefix = encodedProjectFolder(targetRoot);
    const usageSessions = new Set(this.source.buckets().filter((b) => isInside(resolve(b.cwd), targetRoot)).map((b) => b.sessionId));
    const usageFiles = new Set([...usageSessions].flatMap((id) => this.source.sessionFiles(id)));
    const candidates = this.source.transcriptFiles().filter((f) => usageFiles.has(f.path) || (projectFolderOf(f.path) ?? '').startsWith(prefix));
    const read = await this.reader.read(candidates);
    this.remember(read);
    const cwdFromUsage = new Map(this.source.buckets().map((b) => [b.sessionId, b.cwd]));
    const mine: ActiveSession[] = [];
    const stretch: number[] = [];
    for (const session of latestPerSession(read)) {
      const cwd = session.cwd ?? cwdFromUsage.get(session.sessionId) ?? null;
      if (!cwd) continue;
      const root = (await topLevelOf(cwd)) ?? (isInside(resolve(cwd), targetRoot) ? targetRoot : resolve(cwd));
      if (root !== targetRoot) continue;
      mine.push({ sessionId: session.sessionId, cwd, lastActivity: new Date(session.lastMs).toISOString() });
      stretch.push(session.lastMs);
    }
    const newest = stretch[0];
    if (newest === undefined) return [];
    return mine.filter((_, i) => stretch[i]! >= newest - options.stretchMs);
  }
}

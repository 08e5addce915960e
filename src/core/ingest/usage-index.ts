// The in-memory usage index: per file, how far it was read and what it
// contributed, as aggregates (quarter hour × model × project × session).
// One API response counts once across all files, keeping its largest output.
import type { LimitHit } from '../../shared/status.js';
import { costOfEvent } from './file-scan.js';
import type { SkipReason, UsageEvent } from './transcript-line-parser.js';

export const QUARTER_MS = 15 * 60 * 1000;

export interface UsageTotals {
  input: number;
  output: number;
  cacheCreation: number;
  cacheCreation1h: number;
  cacheRead: number;
  costUSD: number;
}

export interface UsageBucket extends UsageTotals {
  quarterMs: number;
  model: string;
  cwd: string;
  sessionId: string;
  /** Responses counted (after de-duplication). */
  entries: number;
  firstMs: number;
  lastMs: number;
  unpriced: boolean;
}

export interface IndexedFile {
  id: number;
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /** Bytes consumed through the last complete line. */
  offset: number;
  unfinishedBytes: number;
  /** Of the bytes read so far (file-fingerprint.ts); null or absent: not known, trust the size. */
  fingerprint?: string | null;
  buckets: Map<string, UsageBucket>;
  skipped: Partial<Record<SkipReason, number>>;
  limitHits: LimitHit[];
}

/** A response already counted: enough to take it back or replace it with a fuller copy. */
export interface CountedResponse extends UsageTotals {
  fileId: number;
  bucketKey: string;
  ms: number;
  /** Other files that hold a copy (resumed sessions, a second root). */
  alsoIn?: number[];
}

export function bucketKeyOf(quarterMs: number, model: string, cwd: string, sessionId: string): string {
  return `${quarterMs}\u0000${model}\u0000${cwd}\u0000${sessionId}`;
}

export function emptyTotals(): UsageTotals {
  return { input: 0, output: 0, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0, costUSD: 0 };
}

export function addTotals(target: UsageTotals, source: UsageTotals, sign: 1 | -1 = 1): void {
  target.input += sign * source.input;
  target.output += sign * source.output;
  target.cacheCreation += sign * source.cacheCreation;
  target.cacheCreation1h += sign * source.cacheCreation1h;
  target.cacheRead += sign * source.cacheRead;
  target.costUSD += sign * source.costUSD;
}

export class UsageIndex {
  readonly files = new Map<string, IndexedFile>();
  readonly responses = new Map<string, CountedResponse>();
  private readonly filesById = new Map<number, IndexedFile>();
  /** One copy of each bucket key, shared by the many responses counted in that bucket. */
  private readonly bucketKeys = new Map<string, string>();
  private nextFileId = 1;

  fileById(id: number): IndexedFile | undefined {
    return this.filesById.get(id);
  }

  addFile(init: Omit<IndexedFile, 'id' | 'buckets' | 'skipped' | 'limitHits'> & Partial<Pick<IndexedFile, 'id' | 'buckets' | 'skipped' | 'limitHits'>>): IndexedFile {
    const id = init.id ?? this.nextFileId;
    this.nextFileId = Math.max(this.nextFileId, id + 1);
    const file: IndexedFile = {
      ...init,
      id,
      buckets: init.buckets ?? new Map(),
      skipped: init.skipped ?? {},
      limitHits: init.limitHits ?? [],
    };
    this.files.set(file.path, file);
    this.filesById.set(id, file);
    return file;
  }

  addSkipped(file: IndexedFile, counts: Partial<Record<SkipReason, number>>): void {
    for (const [reason, count] of Object.entries(counts) as [SkipReason, number][]) file.skipped[reason] = (file.skipped[reason] ?? 0) + count;
  }

  addUsage(file: IndexedFile, event: UsageEvent): void {
    const cost = event.costUSD !== undefined ? event.costUSD : costOfEvent(event);
    const quarterMs = Math.floor(event.ms / QUARTER_MS) * QUARTER_MS;
    const freshKey = bucketKeyOf(quarterMs, event.model, event.cwd, event.sessionId);
    let bucketKey = this.bucketKeys.get(freshKey);
    if (bucketKey === undefined) this.bucketKeys.set(freshKey, (bucketKey = freshKey));
    const contribution: CountedResponse = {
      fileId: file.id,
      bucketKey,
      ms: event.ms,
      input: event.input,
      output: event.output,
      cacheCreation: event.cacheCreation,
      cacheCreation1h: event.cacheCreation1h,
      cacheRead: event.cacheRead,
      costUSD: cost ?? 0,
    };
    if (event.key !== null) {
      const counted = this.responses.get(event.key);
      if (counted) {
        // Streamed responses repeat on several lines; earlier ones carry a partial output count.
        if (event.output <= counted.output) {
          if (counted.fileId !== file.id && !counted.alsoIn?.includes(file.id)) (counted.alsoIn ??= []).push(file.id);
          return;
        }
        this.removeContribution(counted);
        const holders = new Set(counted.alsoIn ?? []);
        if (counted.fileId !== file.id) holders.add(counted.fileId);
        holders.delete(file.id);
        if (holders.size > 0) contribution.alsoIn = [...holders];
      }
      this.responses.set(event.key, contribution);
    }
    this.addContribution(file, bucketKey, quarterMs, event, contribution, cost === null);
  }

  private addContribution(
    file: IndexedFile,
    bucketKey: string,
    quarterMs: number,
    event: UsageEvent,
    contribution: UsageTotals,
    unpriced: boolean,
  ): void {
    let bucket = file.buckets.get(bucketKey);
    if (!bucket) {
      bucket = {
        ...emptyTotals(),
        quarterMs,
        model: event.model,
        cwd: event.cwd,
        sessionId: event.sessionId,
        entries: 0,
        firstMs: event.ms,
        lastMs: event.ms,
        unpriced,
      };
      file.buckets.set(bucketKey, bucket);
    }
    addTotals(bucket, contribution);
    bucket.entries += 1;
    if (event.ms < bucket.firstMs) bucket.firstMs = event.ms;
    if (event.ms > bucket.lastMs) bucket.lastMs = event.ms;
    if (unpriced) bucket.unpriced = true;
  }

  private removeContribution(counted: CountedResponse): void {
    const owner = this.filesById.get(counted.fileId);
    const bucket = owner?.buckets.get(counted.bucketKey);
    if (!owner || !bucket) return;
    addTotals(bucket, counted, -1);
    bucket.entries -= 1;
    if (bucket.entries <= 0) owner.buckets.delete(counted.bucketKey);
  }

  /**
   * Takes a file's contribution out (it was truncated, replaced or deleted).
   * Returns the paths of other files that held copies of its responses: they
   * must be re-read so those responses are counted from the copies.
   */
  retractFile(path: string): string[] {
    const file = this.files.get(path);
    if (!file) return [];
    const affected = new Set<number>();
    for (const [key, counted] of this.responses) {
      if (counted.fileId === file.id) {
        this.responses.delete(key);
        for (const id of counted.alsoIn ?? []) affected.add(id);
      } else if (counted.alsoIn?.includes(file.id)) {
        counted.alsoIn = counted.alsoIn.filter((id) => id !== file.id);
      }
    }
    this.files.delete(path);
    this.filesById.delete(file.id);
    affected.delete(file.id);
    return [...affected].map((id) => this.filesById.get(id)?.path).filter((p): p is string => p !== undefined);
  }
}

// The in-memory usage index: per file, how far it was read and what it
// contributed, as aggregates (quarter hour × model × project × session).
// One API response counts once across all files, keeping its largest output.
import type { LimitHit } from '../../shared/status.js';
import { CountedResponses, ROW } from './counted-responses.js';
import { costOfEvent } from './file-scan.js';
import type { SkipReason, UsageEvent } from './transcript-line-parser.js';
import { StringTable } from './string-table.js';

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
  readonly responses = new CountedResponses();
  private readonly filesById = new Map<number, IndexedFile>();
  /** Bucket keys by id: a counted response names its bucket by id. */
  private readonly bucketKeys = new StringTable();
  private nextFileId = 1;
  // The bucket of the last event: consecutive responses of a file mostly share
  // one, and comparing four values is cheaper than building and hashing its key.
  private last: { file: IndexedFile; quarterMs: number; model: string; cwd: string; sessionId: string; bucketId: number } | null = null;

  fileById(id: number): IndexedFile | undefined {
    return this.filesById.get(id);
  }

  bucketKeyById(id: number): string | undefined {
    return this.bucketKeys.strings[id];
  }

  /** The id of a bucket key, registered on first use. */
  bucketId(key: string): number {
    return this.bucketKeys.at(key);
  }

  addFile(init: Omit<IndexedFile, 'id' | 'buckets' | 'skipped' | 'limitHits'> & Partial<Pick<IndexedFile, 'id' | 'buckets' | 'skipped' | 'limitHits'>>): IndexedFile {
    const id = init.id ?? this.nextFileId;
    this.nextFileId = Math.max(this.nextFileId, id + 1);
    // Fields named one by one (no spread): this runs for every file at each start.
    const file: IndexedFile = {
      id,
      path: init.path,
      dev: init.dev,
      ino: init.ino,
      size: init.size,
      mtimeMs: init.mtimeMs,
      offset: init.offset,
      unfinishedBytes: init.unfinishedBytes,
      buckets: init.buckets ?? new Map(),
      skipped: init.skipped ?? {},
      limitHits: init.limitHits ?? [],
    };
    if (init.fingerprint !== undefined) file.fingerprint = init.fingerprint;
    this.files.set(file.path, file);
    this.filesById.set(id, file);
    return file;
  }

  addSkipped(file: IndexedFile, counts: Partial<Record<SkipReason, number>>): void {
    for (const [reason, count] of Object.entries(counts) as [SkipReason, number][]) file.skipped[reason] = (file.skipped[reason] ?? 0) + count;
  }

  private bucketIdFor(file: IndexedFile, quarterMs: number, event: UsageEvent): number {
    const last = this.last;
    if (last && last.file === file && last.quarterMs === quarterMs && last.model === event.model && last.cwd === event.cwd && last.sessionId === event.sessionId) {
      return last.bucketId;
    }
    const bucketId = this.bucketId(bucketKeyOf(quarterMs, event.model, event.cwd, event.sessionId));
    this.last = { file, quarterMs, model: event.model, cwd: event.cwd, sessionId: event.sessionId, bucketId };
    return bucketId;
  }

  addUsage(file: IndexedFile, event: UsageEvent): void {
    const cost = event.costUSD !== undefined ? event.costUSD : costOfEvent(event);
    const quarterMs = Math.floor(event.ms / QUARTER_MS) * QUARTER_MS;
    const bucketId = this.bucketIdFor(file, quarterMs, event);
    const contribution: UsageTotals = {
      input: event.input,
      output: event.output,
      cacheCreation: event.cacheCreation,
      cacheCreation1h: event.cacheCreation1h,
      cacheRead: event.cacheRead,
      costUSD: cost ?? 0,
    };
    if (event.key !== null) {
      const responses = this.responses;
      const row = responses.find(event.key);
      if (row >= 0) {
        const countedIn = responses.get(row, ROW.fileId);
        // Streamed responses repeat on several lines; earlier ones carry a partial output count.
        if (event.output <= responses.get(row, ROW.output)) {
          if (countedIn !== file.id) responses.addCopy(row, file.id);
          return;
        }
        this.removeContribution(row);
        const holders = new Set(responses.copiesOf(row));
        if (countedIn !== file.id) holders.add(countedIn);
        holders.delete(file.id);
        responses.setCopies(row, [...holders]);
      }
      responses.set(event.key, row, file.id, bucketId, event.ms, contribution);
    }
    this.addContribution(file, bucketId, quarterMs, event, contribution, cost === null);
  }

  private addContribution(
    file: IndexedFile,
    bucketId: number,
    quarterMs: number,
    event: UsageEvent,
    contribution: UsageTotals,
    unpriced: boolean,
  ): void {
    const bucketKey = this.bucketKeys.strings[bucketId]!;
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

  private removeContribution(row: number): void {
    const responses = this.responses;
    const owner = this.filesById.get(responses.get(row, ROW.fileId));
    const bucketKey = this.bucketKeys.strings[responses.get(row, ROW.bucketId)];
    const bucket = bucketKey === undefined ? undefined : owner?.buckets.get(bucketKey);
    if (!owner || !bucket || bucketKey === undefined) return;
    addTotals(bucket, responses.totals(row), -1);
    bucket.entries -= 1;
    if (bucket.entries <= 0) owner.buckets.delete(bucketKey);
  }

  /**
   * Takes a file's contribution out (it was truncated, replaced or deleted).
   * Returns the paths of other files that held copies of its responses: they
   * must be re-read so those responses are counted from the copies.
   */
  retractFile(path: string): string[] {
    const file = this.files.get(path);
    if (!file) return [];
    this.last = null;
    const affected = this.responses.dropFile(file.id);
    this.files.delete(path);
    this.filesById.delete(file.id);
    affected.delete(file.id);
    return [...affected].map((id) => this.filesById.get(id)?.path).filter((p): p is string => p !== undefined);
  }
}

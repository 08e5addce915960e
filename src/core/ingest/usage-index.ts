// The in-memory usage index: per file, how far it was read and what it
// contributed, as aggregates (quarter hour × model × project × session).
// One API response counts once across all files, keeping its largest output.
import type { LimitHit } from '../../shared/status.js';
import { CountedResponses, ROW } from './counted-responses.js';
import { FIELDS, PACKED, type PackedEvents } from './packed-events.js';
import type { SkipReason } from './transcript-line-parser.js';
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
  /** By bucket id (UsageIndex.bucketId): one id names the same quarter × model × folder × session in every file. */
  buckets: Map<number, UsageBucket>;
  skipped: Partial<Record<SkipReason, number>>;
  limitHits: LimitHit[];
}

export function bucketKeyOf(quarterMs: number, model: string, cwd: string, sessionId: string): string {
  return `${quarterMs}\u0000${model}\u0000${cwd}\u0000${sessionId}`;
}

export function emptyTotals(): UsageTotals {
  return { input: 0, output: 0, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0, costUSD: 0 };
}

export function addTotals(target: UsageTotals, source: UsageTotals): void {
  target.input += source.input;
  target.output += source.output;
  target.cacheCreation += source.cacheCreation;
  target.cacheCreation1h += source.cacheCreation1h;
  target.cacheRead += source.cacheRead;
  target.costUSD += source.costUSD;
}

interface BucketSlot {
  quarterMs: number;
  id: number;
  bucket: UsageBucket | undefined;
}

export class UsageIndex {
  readonly files = new Map<string, IndexedFile>();
  readonly responses = new CountedResponses();
  private readonly filesById = new Map<number, IndexedFile>();
  /** Bucket keys by id: a counted response names its bucket by id. */
  private readonly bucketKeys = new StringTable();
  private nextFileId = 1;

  fileById(id: number): IndexedFile | undefined {
    return this.filesById.get(id);
  }

  /** Bucket ids handed out so far (ids run from 0). */
  get bucketIdCount(): number {
    return this.bucketKeys.strings.length;
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

  /**
   * Folds one scan's events (packed, in file order) into `file`: one pass over
   * the numbers, no object per event. A keyed response counts once across all
   * files, keeping its largest output; other files holding it are remembered
   * as copies, so retracting the counted one can re-read them.
   */
  addPacked(file: IndexedFile, packed: PackedEvents): void {
    const { strings, numbers: n } = packed;
    const responses = this.responses;
    // Per model × folder × session (by the file's string indexes), the bucket of
    // its latest quarter: responses come in time order, mostly a few sessions and
    // models interleaved, so a bucket's key is built and hashed about once per bucket.
    const size = strings.length;
    // One number per combination while size³ stays exact (keys share the table: a file of 200,000+ responses takes text).
    const numeric = size * size * size < Number.MAX_SAFE_INTEGER;
    const slots = new Map<number | string, BucketSlot>();
    let slot: BucketSlot = { quarterMs: Number.NaN, id: -1, bucket: undefined };
    let lastCombo: number | string = -1;
    for (let o = 0; o < n.length; o += FIELDS) {
      const ms = n[o + PACKED.ms]!;
      const quarterMs = Math.floor(ms / QUARTER_MS) * QUARTER_MS;
      const model = n[o + PACKED.model]!;
      const cwd = n[o + PACKED.cwd]!;
      const session = n[o + PACKED.session]!;
      const combo = numeric ? (model * size + cwd) * size + session : `${model},${cwd},${session}`;
      if (combo !== lastCombo) {
        lastCombo = combo;
        let found = slots.get(combo);
        if (found === undefined) slots.set(combo, (found = { quarterMs: Number.NaN, id: -1, bucket: undefined }));
        slot = found;
      }
      if (slot.quarterMs !== quarterMs) {
        slot.quarterMs = quarterMs;
        slot.id = this.bucketKeys.at(bucketKeyOf(quarterMs, strings[model]!, strings[cwd]!, strings[session]!));
        // Made on first use: a response already counted with a larger output adds nothing.
        slot.bucket = undefined;
      }
      const bucketId = slot.id;
      const keyIndex = n[o + PACKED.key]!;
      if (keyIndex >= 0) {
        const key = strings[keyIndex]!;
        const row = responses.find(key, n[o + PACKED.keyHash]!);
        if (row >= 0 && !this.takesPlaceOf(row, file, n[o + PACKED.output]!, slots)) continue;
        responses.setPacked(key, row, file.id, bucketId, n, o);
      }
      const bucket = (slot.bucket ??= this.bucketIn(file, bucketId, quarterMs, strings[model]!, strings[cwd]!, strings[session]!, ms));
      const cost = n[o + PACKED.cost]!;
      bucket.input += n[o + PACKED.input]!;
      bucket.output += n[o + PACKED.output]!;
      bucket.cacheCreation += n[o + PACKED.cacheCreation]!;
      bucket.cacheCreation1h += n[o + PACKED.cacheCreation1h]!;
      bucket.cacheRead += n[o + PACKED.cacheRead]!;
      if (cost === cost) bucket.costUSD += cost;
      else bucket.unpriced = true; // NaN: no price known
      bucket.entries += 1;
      if (ms < bucket.firstMs) bucket.firstMs = ms;
      if (ms > bucket.lastMs) bucket.lastMs = ms;
    }
  }

  /**
   * A response counted before (its row) met again in `file` with `output`: with
   * no more output it is a copy, noted as one (false: nothing to count); with
   * more, it takes the earlier count's place (true). Out of addPacked's loop:
   * rare, so V8 compiles the loop without it (a smaller, faster compile).
   */
  private takesPlaceOf(row: number, file: IndexedFile, output: number, slots: Map<number | string, BucketSlot>): boolean {
    const responses = this.responses;
    const countedIn = responses.get(row, ROW.fileId);
    // Streamed responses repeat on several lines; earlier ones carry a partial output count.
    if (output <= responses.get(row, ROW.output)) {
      if (countedIn !== file.id) responses.addCopy(row, file.id);
      return false;
    }
    this.removeContribution(row);
    for (const other of slots.values()) other.bucket = undefined; // the emptied bucket was dropped: it may be one of these
    const holders = new Set(responses.copiesOf(row));
    if (countedIn !== file.id) holders.add(countedIn);
    holders.delete(file.id);
    responses.setCopies(row, [...holders]);
    return true;
  }

  /** The file's bucket `bucketId`, created empty on first use. */
  private bucketIn(file: IndexedFile, bucketId: number, quarterMs: number, model: string, cwd: string, sessionId: string, ms: number): UsageBucket {
    let bucket = file.buckets.get(bucketId);
    if (!bucket) {
      // Every field in one literal, in the order decodeAggregates writes them: one object shape for all buckets.
      bucket = { quarterMs, model, cwd, sessionId, input: 0, output: 0, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0, costUSD: 0, entries: 0, firstMs: ms, lastMs: ms, unpriced: false };
      file.buckets.set(bucketId, bucket);
    }
    return bucket;
  }

  private removeContribution(row: number): void {
    const responses = this.responses;
    const owner = this.filesById.get(responses.get(row, ROW.fileId));
    const bucketId = responses.get(row, ROW.bucketId);
    const bucket = owner?.buckets.get(bucketId);
    if (!owner || !bucket) return;
    responses.subtractFrom(bucket, row);
    bucket.entries -= 1;
    if (bucket.entries <= 0) owner.buckets.delete(bucketId);
  }

  /**
   * Takes a file's contribution out (it was truncated, replaced or deleted).
   * Returns the paths of other files that held copies of its responses: they
   * must be re-read so those responses are counted from the copies.
   */
  retractFile(path: string): string[] {
    const file = this.files.get(path);
    if (!file) return [];
    const affected = this.responses.dropFile(file.id);
    this.files.delete(path);
    this.filesById.delete(file.id);
    affected.delete(file.id);
    return [...affected].map((id) => this.filesById.get(id)?.path).filter((p): p is string => p !== undefined);
  }
}

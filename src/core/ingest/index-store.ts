// Persists the usage index in Breather's state directory, in two files: the
// small aggregates (read on every start) and the response keys (read only
// when some transcript changed). Both carry one generation id so a torn pair
// is detected; any mismatch, corruption or old version means "rebuild".
import { createHash, randomUUID } from 'node:crypto';
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { pruneUnusedIndexDirs, removeStaleTempFiles } from './index-housekeeping.js';
import { PRICE_TABLE_VERSION } from '../usage/pricing.js';
import { ROW, ROW_FIELDS } from './counted-responses.js';
import { type IndexedFile, type UsageBucket, UsageIndex, bucketKeyOf } from './usage-index.js';

/** Bump when the meaning of the persisted data changes. */
export const INDEX_FORMAT_VERSION = 7;
const FORMAT = 'breather-usage-index';

// Bucket rows name their model, cwd and session by index into the file's string
// table: a file repeats the same few strings thousands of times, and the smaller
// file parses faster on every start.
type BucketRow = [number, number, number, number, number, number, number, number, number, number, number, number, number, 0 | 1];

/** A file as saved: the in-memory shape, with buckets as rows over a string table. */
interface PersistedFile extends Omit<IndexedFile, 'buckets'> {
  strings: string[];
  buckets: BucketRow[];
}

interface PersistedIndex {
  format: typeof FORMAT;
  version: number;
  priceTable: string;
  generation: string;
  roots: string[];
  savedAt: string;
  files: PersistedFile[];
}

/**
 * The head of the response file. The file is one buffer: the head's length
 * (uint32), the head as JSON, zero padding to a multiple of 8, then the rows
 * (counted-responses.ts) as little-endian float64s; `keys[i]` owns row i, and
 * a row names its bucket by index into `bucketKeys`.
 */
interface PersistedResponsesHead {
  format: typeof FORMAT;
  version: number;
  generation: string;
  bucketKeys: string[];
  keys: string[];
  /** Rows whose response has copies in other files: [row, file ids]. */
  copies: [number, number[]][];
}

export type IndexLoadState = 'loaded' | 'missing' | 'corrupt' | 'outdated';

export interface LoadedIndex {
  state: IndexLoadState;
  index: UsageIndex;
  generation: string | null;
}

/** One index per set of roots, so `--data-dir` runs never disturb the default one. */
export function indexDirFor(stateDir: string, roots: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify([...roots].sort())).digest('hex').slice(0, 16);
  return join(stateDir, 'index', hash);
}

export class IndexStore {
  constructor(
    readonly dir: string,
    private readonly roots: readonly string[],
  ) {}

  private get aggregatesPath(): string {
    return join(this.dir, 'usage-index.json');
  }

  private get responsesPath(): string {
    return join(this.dir, 'usage-responses.bin');
  }

  async load(): Promise<LoadedIndex> {
    removeStaleTempFiles(this.dir);
    pruneUnusedIndexDirs(this.dir);
    let text: string;
    try {
      text = await readFile(this.aggregatesPath, 'utf8');
    } catch {
      return { state: 'missing', index: new UsageIndex(), generation: null };
    }
    let data: PersistedIndex;
    try {
      data = JSON.parse(text) as PersistedIndex;
    } catch {
      return { state: 'corrupt', index: new UsageIndex(), generation: null };
    }
    if (data?.format !== FORMAT || !Array.isArray(data.files) || typeof data.generation !== 'string') {
      return { state: 'corrupt', index: new UsageIndex(), generation: null };
    }
    if (data.version !== INDEX_FORMAT_VERSION || data.priceTable !== PRICE_TABLE_VERSION) {
      return { state: 'outdated', index: new UsageIndex(), generation: null };
    }
    try {
      const index = new UsageIndex();
      for (const f of data.files) {
        const buckets = new Map<string, UsageBucket>();
        const strings = f.strings;
        // Indexed reads, not array destructuring: this runs once per start, mostly
        // in the interpreter, where destructuring walks an iterator per row.
        for (const row of f.buckets) {
          const quarterMs = row[0];
          const model = strings[row[1]]!;
          const cwd = strings[row[2]]!;
          const sessionId = strings[row[3]]!;
          buckets.set(bucketKeyOf(quarterMs, model, cwd, sessionId), {
            quarterMs, model, cwd, sessionId, input: row[4], output: row[5], cacheCreation: row[6], cacheCreation1h: row[7], cacheRead: row[8],
            costUSD: row[9], entries: row[10], firstMs: row[11], lastMs: row[12], unpriced: row[13] === 1,
          });
        }
        index.addFile({
          id: f.id, path: f.path, dev: f.dev, ino: f.ino, size: f.size, mtimeMs: f.mtimeMs,
          offset: f.offset, unfinishedBytes: f.unfinishedBytes, fingerprint: f.fingerprint ?? null, skipped: f.skipped ?? {}, limitHits: f.limitHits ?? [], buckets,
        });
      }
      return { state: 'loaded', index, generation: data.generation };
    } catch {
      return { state: 'corrupt', index: new UsageIndex(), generation: null };
    }
  }

  /** Loads the response keys into `index`; false when they don't match the aggregates (rebuild). */
  async loadResponses(index: UsageIndex, generation: string): Promise<boolean> {
    try {
      const file = await readFile(this.responsesPath);
      const headBytes = file.readUInt32LE(0);
      const head = JSON.parse(file.toString('utf8', 4, 4 + headBytes)) as PersistedResponsesHead;
      if (head.format !== FORMAT || head.version !== INDEX_FORMAT_VERSION || head.generation !== generation) return false;
      const rowsAt = align8(4 + headBytes);
      if (file.length - rowsAt !== head.keys.length * ROW_FIELDS * 8) return false;
      // Copied into a fresh (aligned) array: a read buffer may start at any byte.
      const rows = new Float64Array(head.keys.length * ROW_FIELDS);
      new Uint8Array(rows.buffer).set(file.subarray(rowsAt));
      const bucketIds = head.bucketKeys.map((key) => index.bucketId(key));
      for (let o = ROW.bucketId; o < rows.length; o += ROW_FIELDS) {
        const id = bucketIds[rows[o]!];
        if (id === undefined) return false;
        rows[o] = id;
      }
      index.responses.load(head.keys, rows, head.copies);
      return true;
    } catch {
      return false;
    }
  }

  /** Writes both files atomically. Pass `withResponses: false` when the keys were never loaded (nothing changed them). */
  async save(index: UsageIndex, previousGeneration: string | null, withResponses: boolean): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const generation = withResponses || previousGeneration === null ? randomUUID() : previousGeneration;
    if (withResponses || previousGeneration === null) await writeFileAtomic(this.responsesPath, responsesFile(index, generation));
    const files: PersistedFile[] = [];
    for (const f of index.files.values()) files.push(persistFile(f));
    const payload: PersistedIndex = {
      format: FORMAT,
      version: INDEX_FORMAT_VERSION,
      priceTable: PRICE_TABLE_VERSION,
      generation,
      roots: [...this.roots],
      savedAt: new Date().toISOString(),
      files,
    };
    await writeFileAtomic(this.aggregatesPath, JSON.stringify(payload));
    return generation;
  }
}

function persistFile(f: IndexedFile): PersistedFile {
  const buckets: BucketRow[] = [];
  const strings: string[] = [];
  const positions = new Map<string, number>();
  const at = (text: string): number => {
    let position = positions.get(text);
    if (position === undefined) {
      position = strings.push(text) - 1;
      positions.set(text, position);
    }
    return position;
  };
  for (const b of f.buckets.values()) {
    buckets.push([
      b.quarterMs, at(b.model), at(b.cwd), at(b.sessionId), b.input, b.output, b.cacheCreation, b.cacheCreation1h, b.cacheRead,
      b.costUSD, b.entries, b.firstMs, b.lastMs, b.unpriced ? 1 : 0,
    ]);
  }
  return {
    id: f.id, path: f.path, dev: f.dev, ino: f.ino, size: f.size, mtimeMs: f.mtimeMs, offset: f.offset,
    unfinishedBytes: f.unfinishedBytes, fingerprint: f.fingerprint ?? null, skipped: f.skipped, limitHits: f.limitHits, strings, buckets,
  };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** The response file as one buffer (see PersistedResponsesHead), the rows written straight into it. */
function responsesFile(index: UsageIndex, generation: string): Buffer {
  const responses = index.responses;
  const keys: string[] = [];
  for (const [key] of responses.entries()) keys.push(key);
  // Only the buckets still referenced, renumbered from 0 (read before the rows are packed).
  const bucketKeys: string[] = [];
  const savedId = new Map<number, number>();
  for (const [, row] of responses.entries()) {
    const id = responses.get(row, ROW.bucketId);
    if (!savedId.has(id)) savedId.set(id, bucketKeys.push(index.bucketKeyById(id) ?? '') - 1);
  }
  const head: PersistedResponsesHead = { format: FORMAT, version: INDEX_FORMAT_VERSION, generation, bucketKeys, keys, copies: responses.savedCopies() };
  const headText = JSON.stringify(head);
  const headBytes = Buffer.byteLength(headText);
  const rowsAt = align8(4 + headBytes);
  // Its own (not pooled) memory, so the rows' view below starts 8-byte aligned.
  const out = Buffer.from(new ArrayBuffer(rowsAt + keys.length * ROW_FIELDS * 8));
  out.writeUInt32LE(headBytes, 0);
  out.write(headText, 4, 'utf8');
  const rows = responses.packedRows(new Float64Array(out.buffer, rowsAt, keys.length * ROW_FIELDS));
  for (let o = ROW.bucketId; o < rows.length; o += ROW_FIELDS) rows[o] = savedId.get(rows[o]!)!;
  return out;
}

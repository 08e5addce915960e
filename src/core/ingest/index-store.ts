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
import { type CountedResponse, type IndexedFile, type UsageBucket, UsageIndex, bucketKeyOf } from './usage-index.js';

/** Bump when the meaning of the persisted data changes. */
export const INDEX_FORMAT_VERSION = 6;
const FORMAT = 'breather-usage-index';

// Bucket rows name their model, cwd and session by index into the file's string
// table: a file repeats the same few strings thousands of times, and the smaller
// file parses faster on every start.
type BucketRow = [number, number, number, number, number, number, number, number, number, number, number, number, number, 0 | 1];
// The bucket a response counts in, by index into `bucketKeys`: thousands of
// responses share a few hundred buckets.
type ResponseRow = [string, number, number, number, number, number, number, number, number, number, number[]?];

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

interface PersistedResponses {
  format: typeof FORMAT;
  version: number;
  generation: string;
  bucketKeys: string[];
  responses: ResponseRow[];
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
    return join(this.dir, 'usage-responses.json');
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
        for (const row of f.buckets) {
          const [quarterMs, modelAt, cwdAt, sessionAt, input, output, cacheCreation, cacheCreation1h, cacheRead, costUSD, entries, firstMs, lastMs, unpriced] = row;
          const model = strings[modelAt]!;
          const cwd = strings[cwdAt]!;
          const sessionId = strings[sessionAt]!;
          buckets.set(bucketKeyOf(quarterMs, model, cwd, sessionId), {
            quarterMs, model, cwd, sessionId, input, output, cacheCreation, cacheCreation1h, cacheRead, costUSD, entries, firstMs, lastMs,
            unpriced: unpriced === 1,
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
      const data = JSON.parse(await readFile(this.responsesPath, 'utf8')) as PersistedResponses;
      if (data.format !== FORMAT || data.version !== INDEX_FORMAT_VERSION || data.generation !== generation) return false;
      for (const [key, fileId, bucketAt, ms, input, output, cacheCreation, cacheCreation1h, cacheRead, costUSD, alsoIn] of data.responses) {
        const bucketKey = data.bucketKeys[bucketAt];
        if (bucketKey === undefined) return false;
        const counted: CountedResponse = { fileId, bucketKey, ms, input, output, cacheCreation, cacheCreation1h, cacheRead, costUSD };
        if (alsoIn && alsoIn.length > 0) counted.alsoIn = alsoIn;
        index.responses.set(key, counted);
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Writes both files atomically. Pass `withResponses: false` when the keys were never loaded (nothing changed them). */
  async save(index: UsageIndex, previousGeneration: string | null, withResponses: boolean): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const generation = withResponses || previousGeneration === null ? randomUUID() : previousGeneration;
    if (withResponses || previousGeneration === null) {
      const responses: ResponseRow[] = [];
      const bucketKeys: string[] = [];
      const bucketAt = new Map<string, number>();
      for (const [key, r] of index.responses) {
        let at = bucketAt.get(r.bucketKey);
        if (at === undefined) bucketAt.set(r.bucketKey, (at = bucketKeys.push(r.bucketKey) - 1));
        const row: ResponseRow = [key, r.fileId, at, r.ms, r.input, r.output, r.cacheCreation, r.cacheCreation1h, r.cacheRead, r.costUSD];
        if (r.alsoIn && r.alsoIn.length > 0) row.push(r.alsoIn);
        responses.push(row);
      }
      const payload: PersistedResponses = { format: FORMAT, version: INDEX_FORMAT_VERSION, generation, bucketKeys, responses };
      await writeFileAtomic(this.responsesPath, JSON.stringify(payload));
    }
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

// Persists the usage index in Breather's state directory, in two files: the
// small aggregates (read on every start) and the response keys (read only
// when some transcript changed). Both carry one generation id so a torn pair
// is detected; any mismatch, corruption or old version means "rebuild".
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { type AggregatesHead, FORMAT, type ResponsesHead, decodeAggregates, decodeResponses, encodeAggregates, encodeResponses, readFramed } from './index-codec.js';
import { AGGREGATES_FILE, INDEX_ROOT } from './index-files.js';
import { pruneUnusedIndexDirs, removeStaleTempFiles } from './index-housekeeping.js';
import { PRICE_TABLE_VERSION } from '../usage/pricing.js';
import { UsageIndex } from './usage-index.js';

/** Bump when the meaning of the persisted data changes. */
export const INDEX_FORMAT_VERSION = 8;
/** What versions before 7 wrote (JSON); removed at the first save. */
const LEGACY_FILES = ['usage-index.json', 'usage-responses.json'];

export type IndexLoadState = 'loaded' | 'missing' | 'corrupt' | 'outdated';

export interface LoadedIndex {
  state: IndexLoadState;
  index: UsageIndex;
  generation: string | null;
}

/** One index per set of roots, so `--data-dir` runs never disturb the default one. */
export function indexDirFor(stateDir: string, roots: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify([...roots].sort())).digest('hex').slice(0, 16);
  return join(stateDir, INDEX_ROOT, hash);
}

export class IndexStore {
  constructor(
    readonly dir: string,
    private readonly roots: readonly string[],
  ) {}

  private get aggregatesPath(): string {
    return join(this.dir, AGGREGATES_FILE);
  }

  private get responsesPath(): string {
    return join(this.dir, 'usage-responses.bin');
  }

  async load(): Promise<LoadedIndex> {
    removeStaleTempFiles(this.dir);
    pruneUnusedIndexDirs(this.dir);
    let file: Buffer;
    try {
      file = await readFile(this.aggregatesPath);
    } catch {
      return { state: 'missing', index: new UsageIndex(), generation: null };
    }
    try {
      const { head, floats, rowsIntact } = readFramed<AggregatesHead>(file);
      if (head?.format !== FORMAT || typeof head.generation !== 'string' || !Array.isArray(head.strings) || !Array.isArray(head.notes)) {
        return { state: 'corrupt', index: new UsageIndex(), generation: null };
      }
      if (head.version !== INDEX_FORMAT_VERSION || head.priceTable !== PRICE_TABLE_VERSION) {
        return { state: 'outdated', index: new UsageIndex(), generation: null };
      }
      if (!rowsIntact) return { state: 'corrupt', index: new UsageIndex(), generation: null };
      return { state: 'loaded', index: decodeAggregates(head, floats), generation: head.generation };
    } catch {
      return { state: 'corrupt', index: new UsageIndex(), generation: null };
    }
  }

  /** Loads the response keys into `index`; false when they don't match the aggregates (rebuild). */
  async loadResponses(index: UsageIndex, generation: string): Promise<boolean> {
    try {
      const { head, floats, tail, rowsIntact } = readFramed<ResponsesHead>(await readFile(this.responsesPath));
      if (head.format !== FORMAT || head.version !== INDEX_FORMAT_VERSION || head.generation !== generation || !rowsIntact) return false;
      return decodeResponses(head, floats, tail, index);
    } catch {
      return false;
    }
  }

  /**
   * Encodes both files now (a snapshot of `index` as it is) and writes them
   * atomically; `written` settles when they are on disk. Pass `withResponses:
   * false` when the keys were never loaded (nothing changed them).
   */
  save(index: UsageIndex, previousGeneration: string | null, withResponses: boolean): { generation: string; written: Promise<void> } {
    const generation = withResponses || previousGeneration === null ? randomUUID() : previousGeneration;
    const responses = withResponses || previousGeneration === null ? encodeResponses(index, { version: INDEX_FORMAT_VERSION, generation }) : null;
    const aggregates = encodeAggregates(index, {
      version: INDEX_FORMAT_VERSION,
      priceTable: PRICE_TABLE_VERSION,
      generation,
      roots: [...this.roots],
      savedAt: new Date().toISOString(),
    });
    return { generation, written: this.write(responses, aggregates) };
  }

  private async write(responses: Buffer | null, aggregates: Buffer): Promise<void> {
    // Started before returning (no await first): the files are written while the caller goes on.
    mkdirSync(this.dir, { recursive: true });
    // Both at once: the shared generation id, not the order of the writes, tells a torn pair.
    // Without fsync (about 20 ms of a save): a crash can lose or tear the index, which the
    // generation id and the rows' checksums catch at load, and a rebuild replaces.
    const cache = { durable: false };
    await Promise.all([responses && writeFileAtomic(this.responsesPath, responses, cache), writeFileAtomic(this.aggregatesPath, aggregates, cache)]);
    for (const name of LEGACY_FILES) rmSync(join(this.dir, name), { force: true });
  }
}

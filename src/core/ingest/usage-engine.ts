// The live usage engine: discovers transcripts, reads only bytes it has not
// read, keeps the index current and persisted. Refreshes are serialised.
import type { DataHealth, LimitHit } from '../../shared/status.js';
import { type DiscoveryResult, type RootReport, type TranscriptFileStat, discoverTranscripts, reportRoot, statTranscript } from './transcript-discovery.js';
import { IndexStore, type IndexLoadState, indexDirFor } from './index-store.js';
import { leavesUnsaved } from './index-save-policy.js';
import { fingerprintAt } from './file-fingerprint.js';
import { primeIndexMerge } from './index-primer.js';
import type { FileScanResult } from './file-scan.js';
import { type ParallelScanOptions, scanFiles } from './parallel-scan.js';
import { type IndexedFile, type UsageBucket, UsageIndex, addTotals } from './usage-index.js';

export type LimitHitDetector = (record: Record<string, unknown>) => LimitHit | null;

export interface ScanProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface UsageEngineOptions {
  roots: readonly string[];
  /** Where the index is persisted; null keeps it in memory only. */
  stateDir: string | null;
  detectLimitHit?: LimitHitDetector;
  onProgress?: (progress: ScanProgress) => void;
  /** Worker threads for big scans (the built scan-worker script). */
  parallel?: ParallelScanOptions;
  /** Lines longer than this are skipped after a look at their edges (setting ingest.maxLineMB). */
  maxLineBytes?: number;
}

/** Where a refresh spent its time (milliseconds, wall clock on the engine's thread); for the bench. */
export interface EngineTimings {
  open: number;
  discovery: number;
  /** Stat-level change detection plus fingerprints of grown files. */
  classify: number;
  /** From the first file handed out to the last result (workers read, split and parse meanwhile). */
  scan: number;
  /** Of `scan`: folding results into the index on this thread (merge across workers). */
  aggregate: number;
  save: number;
}

export interface RefreshResult {
  /** Files whose contribution changed. */
  changedFiles: number;
  bytesRead: number;
  /** Whether transcripts only grew or appeared (none gone, rewritten or taken back). */
  onlyGrowth: boolean;
  /** The oldest last-modified time among the files read; null when none were. */
  oldestReadMtimeMs: number | null;
}

type FileChange = 'unchanged' | 'grown' | 'replaced' | 'new';

export const NOTHING_CHANGED: RefreshResult = { changedFiles: 0, bytesRead: 0, onlyGrowth: true, oldestReadMtimeMs: null };

export function classifyFileChange(known: IndexedFile | undefined, current: TranscriptFileStat): FileChange {
  if (!known) return 'new';
  if (known.dev !== current.dev || known.ino !== current.ino || current.size < known.size) return 'replaced';
  if (current.size > known.size) return 'grown';
  // Same size, different mtime: rewritten in place, or merely touched. Re-read to be sure.
  return current.mtimeMs === known.mtimeMs ? 'unchanged' : 'replaced';
}

/** As classifyFileChange, and a file that grew must still start with the bytes already read. */
function classifyWithContent(known: IndexedFile | undefined, current: TranscriptFileStat): FileChange {
  const change = classifyFileChange(known, current);
  if (change !== 'grown' || !known?.fingerprint) return change;
  return fingerprintAt(current.path, known.offset) === known.fingerprint ? 'grown' : 'replaced';
}

/** A field-by-field copy (a spread is slower where code runs once, as at each start). */
function copyBucket(b: UsageBucket): UsageBucket {
  return {
    quarterMs: b.quarterMs, model: b.model, cwd: b.cwd, sessionId: b.sessionId, input: b.input, output: b.output, cacheCreation: b.cacheCreation,
    cacheCreation1h: b.cacheCreation1h, cacheRead: b.cacheRead, costUSD: b.costUSD, entries: b.entries, firstMs: b.firstMs, lastMs: b.lastMs, unpriced: b.unpriced,
  };
}

export class UsageEngine {
  private index = new UsageIndex();
  private store: IndexStore | null;
  private generation: string | null = null;
  private responsesLoaded = false;
  private indexState: DataHealth['index'] = 'fresh';
  private lastDiscovery: DiscoveryResult = { files: [], roots: [], diagnostics: [] };
  private queue: Promise<unknown> = Promise.resolve();
  private dirty = false;
  readonly timings: EngineTimings = { open: 0, discovery: 0, classify: 0, scan: 0, aggregate: 0, save: 0 };

  constructor(private readonly options: UsageEngineOptions) {
    this.store = options.stateDir === null ? null : new IndexStore(indexDirFor(options.stateDir, options.roots), options.roots);
  }

  get roots(): readonly string[] {
    return this.options.roots;
  }

  /** Loads the persisted index (if any). A corrupt or outdated one is rebuilt, never trusted. */
  async open(): Promise<IndexLoadState | 'memory'> {
    if (!this.store) {
      this.responsesLoaded = true;
      return 'memory';
    }
    const started = performance.now();
    const loaded = await this.store.load();
    this.timings.open += performance.now() - started;
    this.index = loaded.index;
    this.generation = loaded.generation;
    this.responsesLoaded = loaded.state !== 'loaded';
    this.indexState = loaded.state === 'loaded' ? 'loaded' : loaded.state === 'missing' ? 'fresh' : 'rebuilt';
    return loaded.state;
  }

  /**
   * Start of every run: load the saved index, read what changed since, save it.
   * A failed save only costs the next run time. With `awaitWrite: false` it
   * returns once the index is encoded, the files still being written (`written`):
   * a command can print meanwhile, and the process still waits for the write.
   * With `leaveSmallChanges`, a few lines appended to transcripts still being
   * written are left out of the saved index (SMALL_CHANGE_BYTES).
   */
  async catchUp(onSaveError: (error: Error) => void, options: { awaitWrite?: boolean; leaveSmallChanges?: boolean } = {}): Promise<{ written: Promise<void> }> {
    await this.open();
    const result = await this.refresh();
    const small = options.leaveSmallChanges === true && this.indexState === 'updated' && leavesUnsaved(result, Date.now());
    const written = small ? Promise.resolve() : this.persist().catch(onSaveError);
    if (options.awaitWrite !== false) await written;
    return { written };
  }

  /**
   * A quick start for long-running faces: with a saved index, read only what
   * changed in the files it knows (stats, no folder walk), so a first status can
   * be shown at once; the caller runs refresh() after to find new files.
   * Returns false when there was no index (a full refresh was done instead).
   */
  async catchUpKnownFiles(onSaveError: (error: Error) => void): Promise<boolean> {
    await this.open();
    const known = [...this.index.files.keys()];
    if (known.length === 0) {
      await this.refresh();
      await this.persist().catch(onSaveError);
      return false;
    }
    this.lastDiscovery = { files: [], roots: this.options.roots.map(reportRoot), diagnostics: [] };
    await this.refreshPaths(known);
    return true;
  }

  /** Full pass: stat every transcript, read only what changed. */
  refresh(): Promise<RefreshResult> {
    return this.enqueue(async () => {
      const started = performance.now();
      const discovery = await discoverTranscripts(this.options.roots);
      this.timings.discovery += performance.now() - started;
      this.lastDiscovery = discovery;
      const present = new Set(discovery.files.map((f) => f.path));
      const gone = [...this.index.files.keys()].filter((p) => !present.has(p));
      return this.apply(discovery.files, gone);
    });
  }

  /** Targeted pass for paths a watcher reported (added, changed or removed). */
  refreshPaths(paths: readonly string[]): Promise<RefreshResult> {
    return this.enqueue(async () => {
      const current: TranscriptFileStat[] = [];
      const gone: string[] = [];
      for (const path of new Set(paths)) {
        const s = await statTranscript(path);
        if (s) current.push(s);
        else if (this.index.files.has(path)) gone.push(path);
      }
      this.mergeDiscovery(current, gone);
      return this.apply(current, gone);
    });
  }

  private mergeDiscovery(current: TranscriptFileStat[], gone: string[]): void {
    const byPath = new Map(this.lastDiscovery.files.map((f) => [f.path, f]));
    for (const f of current) byPath.set(f.path, f);
    for (const p of gone) byPath.delete(p);
    this.lastDiscovery = { ...this.lastDiscovery, files: [...byPath.values()] };
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Loads the response keys before the first change; false when the index had to be dropped. */
  private async ensureResponses(): Promise<boolean> {
    if (this.responsesLoaded) return true;
    this.responsesLoaded = true;
    if (this.store && this.generation && (await this.store.loadResponses(this.index, this.generation))) return true;
    // The key file is missing or torn: the aggregates can't be trusted to de-duplicate. Rebuild.
    this.index = new UsageIndex();
    this.indexState = 'rebuilt';
    return false;
  }

  private async apply(current: readonly TranscriptFileStat[], gone: readonly string[]): Promise<RefreshResult> {
    const classifyStarted = performance.now();
    const work: { stat: TranscriptFileStat; change: FileChange }[] = [];
    // Read the fingerprints (of grown files only) before the response keys are loaded: classifying once keeps both passes in step.
    const changeOf = new Map(current.map((stat) => [stat.path, classifyWithContent(this.index.files.get(stat.path), stat)]));
    if (gone.length === 0 && [...changeOf.values()].every((change) => change === 'unchanged')) return NOTHING_CHANGED;
    this.timings.classify += performance.now() - classifyStarted;
    const hadIndex = this.index.files.size > 0;
    if (!(await this.ensureResponses())) {
      this.lastDiscovery = await discoverTranscripts(this.options.roots);
      current = this.lastDiscovery.files;
      gone = [];
      changeOf.clear(); // the index was dropped: every file is new
    }

    // Retract deleted and replaced files, and, transitively, files holding copies of their responses.
    const toRetract = [...gone];
    const statByPath = new Map(this.lastDiscovery.files.map((f) => [f.path, f]));
    for (const s of current) statByPath.set(s.path, s);
    const changes = current.map((stat) => ({ stat, change: changeOf.get(stat.path) ?? classifyFileChange(this.index.files.get(stat.path), stat) }));
    for (const { stat, change } of changes) if (change === 'replaced') toRetract.push(stat.path);
    const retracted = new Set<string>();
    while (toRetract.length > 0) {
      const path = toRetract.pop()!;
      if (retracted.has(path)) continue;
      retracted.add(path);
      for (const affected of this.index.retractFile(path)) if (!retracted.has(affected)) toRetract.push(affected);
    }
    for (const path of retracted) {
      const s = statByPath.get(path);
      if (s && !gone.includes(path)) work.push({ stat: s, change: 'replaced' });
    }
    for (const item of changes) if (!retracted.has(item.stat.path) && item.change !== 'unchanged') work.push(item);

    // Largest first, in the same order whether threads scan or not: workers take
    // files in this order and results are applied in it, so little waits in between.
    work.sort((a, b) => b.stat.size - a.stat.size || (a.stat.path < b.stat.path ? -1 : a.stat.path > b.stat.path ? 1 : 0));
    const maxLineBytes = this.options.maxLineBytes;
    const requests = work.map(({ stat }) => ({
      path: stat.path,
      fromOffset: this.index.files.get(stat.path)?.offset ?? 0,
      toOffset: stat.size,
      ...(maxLineBytes ? { maxLineBytes } : {}),
    }));
    const bytesTotal = requests.reduce((sum, r) => sum + (r.toOffset - r.fromOffset), 0);
    let bytesDone = 0;
    const scanStarted = performance.now();
    await scanFiles(
      requests,
      this.options.parallel ?? {},
      (result, i) => {
        const applyStarted = performance.now();
        this.applyScan(work[i]!.stat, result);
        this.timings.aggregate += performance.now() - applyStarted;
        bytesDone += result.bytesRead;
        this.options.onProgress?.({ bytesDone, bytesTotal });
      },
      // Big scans only (scanFiles decides): appends are far smaller.
      primeIndexMerge,
    );
    this.timings.scan += performance.now() - scanStarted;
    if (this.indexState === 'loaded' || (this.indexState === 'fresh' && hadIndex)) this.indexState = 'updated';
    this.dirty = true;
    let oldestReadMtimeMs: number | null = null;
    for (const { stat } of work) oldestReadMtimeMs = Math.min(oldestReadMtimeMs ?? stat.mtimeMs, stat.mtimeMs);
    return { changedFiles: work.length + gone.length, bytesRead: bytesDone, onlyGrowth: retracted.size === 0, oldestReadMtimeMs };
  }

  private applyScan(stat: TranscriptFileStat, result: FileScanResult): void {
    if (result.error) {
      // Vanished or unreadable between stat and read: keep what we had; the next pass retries.
      this.lastDiscovery.diagnostics.push(result.error);
      return;
    }
    const index = this.index;
    const file = index.files.get(stat.path) ?? index.addFile({ path: stat.path, dev: stat.dev, ino: stat.ino, size: 0, mtimeMs: 0, offset: 0, unfinishedBytes: 0 });
    index.addPacked(file, result.packed);
    index.addSkipped(file, result.skipped);
    const detect = this.options.detectLimitHit;
    if (detect) {
      for (const record of result.limitCandidates) {
        const hit = detect(record);
        if (hit) file.limitHits.push(hit);
      }
    }
    file.offset = result.offset;
    file.fingerprint = result.fingerprint;
    file.unfinishedBytes = result.unfinishedBytes;
    file.size = result.offset + result.unfinishedBytes;
    file.dev = stat.dev;
    file.ino = stat.ino;
    file.mtimeMs = stat.mtimeMs;
  }

  /** Saves the index if it changed since the last save. */
  async persist(): Promise<void> {
    if (!this.store || !this.dirty) return;
    this.dirty = false;
    const started = performance.now();
    // Encoded before the first await: the files hold the index as it is now.
    const { generation, written } = this.store.save(this.index, this.generation, this.responsesLoaded);
    await written;
    this.generation = generation;
    this.timings.save += performance.now() - started;
  }

  /** All buckets, merged across files (a session's subagent files share its buckets). */
  buckets(): UsageBucket[] {
    // By bucket id (an array: ids run from 0), so a session's files meet in one slot.
    const merged: (UsageBucket | undefined)[] = new Array(this.index.bucketIdCount);
    const list: UsageBucket[] = [];
    for (const file of this.index.files.values()) {
      for (const [id, b] of file.buckets) {
        const m = merged[id];
        if (!m) {
          list.push((merged[id] = copyBucket(b)));
          continue;
        }
        addTotals(m, b);
        m.entries += b.entries;
        m.firstMs = Math.min(m.firstMs, b.firstMs);
        m.lastMs = Math.max(m.lastMs, b.lastMs);
        m.unpriced ||= b.unpriced;
      }
    }
    return list.sort((a, b) => a.quarterMs - b.quarterMs || a.firstMs - b.firstMs);
  }

  /** Every transcript file the last pass saw (path, size, mtime): where session activity is read from. */
  transcriptFiles(): readonly TranscriptFileStat[] {
    return this.lastDiscovery.files;
  }

  /** Transcript files that hold a session's usage (the session file and its subagents'). */
  sessionFiles(sessionId: string): string[] {
    const paths: string[] = [];
    for (const file of this.index.files.values()) {
      for (const bucket of file.buckets.values()) {
        if (bucket.sessionId === sessionId) {
          paths.push(file.path);
          break;
        }
      }
    }
    return paths.sort();
  }

  limitHits(): LimitHit[] {
    const hits: LimitHit[] = [];
    for (const file of this.index.files.values()) hits.push(...file.limitHits);
    return hits.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  health(): DataHealth {
    const skippedLines: Record<string, number> = {};
    let bytesIndexed = 0;
    let unfinishedLines = 0;
    for (const file of this.index.files.values()) {
      bytesIndexed += file.offset;
      if (file.unfinishedBytes > 0) unfinishedLines += 1;
      for (const [reason, count] of Object.entries(file.skipped)) skippedLines[reason] = (skippedLines[reason] ?? 0) + (count ?? 0);
    }
    const roots: RootReport[] = this.lastDiscovery.roots.length > 0 ? this.lastDiscovery.roots : this.options.roots.map((path) => ({ path, exists: false }));
    return {
      roots,
      files: this.index.files.size,
      bytesIndexed,
      skippedLines,
      unfinishedLines,
      index: this.indexState,
      diagnostics: [...this.lastDiscovery.diagnostics],
    };
  }
}

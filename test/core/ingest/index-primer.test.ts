import { describe, expect, it } from 'vitest';
import { primeIndexMerge } from '../../../src/core/ingest/index-primer.js';
import { ROW } from '../../../src/core/ingest/counted-responses.js';
import { UsageIndex } from '../../../src/core/ingest/usage-index.js';
import { scanFile } from '../../../src/core/ingest/file-scan.js';
import { tempDir, usageLine, writeTranscript } from '../../support/usage-lines.js';

/** One file's scan folded into a fresh index: its buckets and responses, comparable. */
function mergedOnce(path: string) {
  const index = new UsageIndex();
  const file = index.addFile({ path, dev: 1, ino: 1, size: 0, mtimeMs: 0, offset: 0, unfinishedBytes: 0 });
  index.addPacked(file, scanFile({ path, fromOffset: 0, toOffset: 1_000_000 }).packed);
  return { buckets: [...file.buckets.values()], responses: index.responses.size };
}

describe('the index merge primer', () => {
  let primed: UsageIndex | null = null;

  it('changes nothing a later merge finds', () => {
    const root = tempDir();
    const path = writeTranscript(root, '-p/s.jsonl', [
      usageLine({ at: '2026-11-01T10:00:00Z', messageId: 'a', requestId: 'r', output: 3 }),
      usageLine({ at: '2026-11-01T10:00:02Z', messageId: 'a', requestId: 'r', output: 7 }),
      usageLine({ at: '2026-11-01T10:20:00Z', messageId: 'b', requestId: 'r2', output: 5, model: 'claude-opus-4-1-20250805' }),
    ]);
    const before = mergedOnce(path);
    primed = primeIndexMerge();
    expect(mergedOnce(path)).toEqual(before);
    expect(before.responses).toBe(2);
  });
  it('runs every path of the merge once: copies in two files, a fuller copy, an unpriced and an unkeyed row', () => {
    const index = primed!;
    expect(index).not.toBeNull();
    const rows = index.responses.size;
    expect(rows).toBeGreaterThan(0);
    let copiedTwice = 0;
    let countedInFuller = 0;
    const fuller = [...index.files.values()].filter((f) => f.path.endsWith('fuller-copies.jsonl')).map((f) => f.id);
    for (let row = 0; row < rows; row++) {
      if (index.responses.copiesOf(row).length >= 2) copiedTwice++;
      if (fuller.includes(index.responses.get(row, ROW.fileId))) countedInFuller++;
    }
    expect(copiedTwice).toBeGreaterThan(0);
    expect(countedInFuller).toBeGreaterThan(0);
    const buckets = [...index.files.values()].flatMap((f) => [...f.buckets.values()]);
    expect(buckets.some((b) => b.unpriced)).toBe(true);
    expect(primeIndexMerge()).toBeNull(); // once per process
  });

});

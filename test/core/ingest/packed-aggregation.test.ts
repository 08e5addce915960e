import { describe, expect, it } from 'vitest';
import { ROW, ROW_FIELDS } from '../../../src/core/ingest/counted-responses.js';
import { scanFile } from '../../../src/core/ingest/file-scan.js';
import { decodeAggregates, decodeResponses, encodeAggregates, encodeResponses, readFramed, type AggregatesHead, type ResponsesHead } from '../../../src/core/ingest/index-codec.js';
import { FIELDS, PACKED, eventsOf, packResult } from '../../../src/core/ingest/packed-events.js';
import { type UsageBucket, UsageIndex } from '../../../src/core/ingest/usage-index.js';
import { tempDir, usageLine, writeTranscript } from '../../support/usage-lines.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 9, minute)).toISOString();

/** Three transcripts: `b` repeats a response of `a` with a fuller output, `c` repeats it with a smaller one. */
function transcripts() {
  const root = tempDir();
  const write = (name: string, lines: string[]) => {
    const path = writeTranscript(root, `-p/${name}.jsonl`, lines);
    return scanFile({ path, fromOffset: 0, toOffset: 10_000_000 });
  };
  const a = write('a', [
    usageLine({ at: at(1), messageId: 'shared', requestId: 'r', input: 10, output: 3 }),
    usageLine({ at: at(20), messageId: 'only-a', requestId: 'r', input: 5, output: 7 }),
    usageLine({ at: at(40), messageId: 'late-a', requestId: 'r', input: 1, output: 1, model: 'claude-haiku-4-5' }),
  ]);
  const b = write('b', [usageLine({ at: at(1), messageId: 'shared', requestId: 'r', input: 10, output: 30 }), usageLine({ at: at(3), messageId: 'only-b', requestId: 'r', output: 2 })]);
  const c = write('c', [usageLine({ at: at(1), messageId: 'shared', requestId: 'r', input: 10, output: 1 })]);
  return { a, b, c };
}

function indexOf(results: ReturnType<typeof scanFile>[]): UsageIndex {
  const index = new UsageIndex();
  for (const r of results) index.addPacked(index.addFile({ path: r.path, dev: 1, ino: 1, size: r.offset, mtimeMs: 1, offset: r.offset, unfinishedBytes: 0 }), r.packed);
  return index;
}

/** Output and entries summed over every file's buckets. */
function totals(index: UsageIndex) {
  let output = 0;
  let input = 0;
  let entries = 0;
  for (const f of index.files.values()) for (const b of f.buckets.values()) (output += b.output), (input += b.input), (entries += b.entries);
  return { output, input, entries };
}

/** The largest output per key over all events of the given results, summed: what de-duplication must count. */
function expectedTotals(results: ReturnType<typeof scanFile>[]) {
  const best = new Map<string, { input: number; output: number }>();
  for (const e of results.flatMap((r) => eventsOf(r))) {
    const seen = best.get(e.key!);
    if (!seen || e.output > seen.output) best.set(e.key!, { input: e.input, output: e.output });
  }
  const all = [...best.values()];
  return { output: all.reduce((s, v) => s + v.output, 0), input: all.reduce((s, v) => s + v.input, 0), entries: all.length };
}

describe('aggregating packed events', () => {
  it('counts a response once across files, keeping its fullest copy, in any order', () => {
    const { a, b, c } = transcripts();
    const expected = expectedTotals([a, b, c]);
    for (const order of [[a, b, c], [c, b, a], [b, a, c], [c, a, b]]) {
      const index = indexOf(order);
      expect(totals(index)).toEqual(expected);
      expect(index.responses.size).toBe(expected.entries);
    }
  });

  it('names the files holding copies when the counted one is retracted', () => {
    const { a, b, c } = transcripts();
    const index = indexOf([a, b, c]);
    expect(index.retractFile(b.path).sort()).toEqual([a.path, c.path].sort());
    // Re-read as the engine does: the copies now count, the fullest left wins.
    const rebuilt = indexOf([a, c]);
    index.retractFile(a.path);
    index.retractFile(c.path);
    for (const r of [a, c]) index.addPacked(index.addFile({ path: r.path, dev: 1, ino: 1, size: r.offset, mtimeMs: 1, offset: r.offset, unfinishedBytes: 0 }), r.packed);
    expect(totals(index)).toEqual(totals(rebuilt));
    expect(totals(index)).toEqual(expectedTotals([a, c]));
  });

  it('drops a bucket that a fuller copy elsewhere emptied, and keeps buckets apart by quarter and model', () => {
    const { a, b } = transcripts();
    const index = indexOf([a, b]);
    const bucketsOf = (path: string) => [...index.files.get(path)!.buckets.values()];
    // a's quarter at 09:00 held only the shared response, which moved to b: that bucket is gone.
    expect(bucketsOf(a.path).map((x) => [x.quarterMs, x.model, x.entries])).toEqual(
      eventsOf(a)
        .filter((e) => e.key !== 'shared:r')
        .map((e) => [Math.floor(e.ms / 900_000) * 900_000, e.model, 1]),
    );
    expect(bucketsOf(b.path).reduce((s, x) => s + x.entries, 0)).toBe(2);
  });

  it('passes an already packed result through packResult as it is, its buffer to transfer', () => {
    const { a } = transcripts();
    const once = packResult(a);
    const twice = packResult(once.result);
    expect(twice.result).toBe(once.result);
    expect(twice.transfer).toEqual([once.result.packed.numbers.buffer]);
    expect(eventsOf(twice.result)).toEqual(eventsOf(a));
  });
});

describe('index codec', () => {
  const meta = { version: 1, priceTable: 'p', generation: 'g', roots: ['/r'], savedAt: 'now' };
  const load = (index: UsageIndex) => {
    const agg = readFramed<AggregatesHead>(encodeAggregates(index, meta));
    const loaded = decodeAggregates(agg.head, agg.floats);
    const res = readFramed<ResponsesHead>(encodeResponses(index, { version: 1, generation: 'g' }));
    expect(decodeResponses(res.head, res.floats, res.tail, loaded)).toBe(true);
    return loaded;
  };
  // Bucket ids are handed out in load order: compare the buckets they name.
  const responsesOf = (index: UsageIndex) => {
    const { keyBytes, keyEnds, rows, copies } = index.responses.saved();
    const keys = Array.from(keyEnds, (end, i) => keyBytes.toString('utf8', i === 0 ? 0 : keyEnds[i - 1], end));
    const named = Array.from(rows, (v, i) => (i % ROW_FIELDS === ROW.bucketId ? index.bucketKeyById(v) : v));
    return { keys, named, copies };
  };
  const buckets = (index: UsageIndex): UsageBucket[] => [...index.files.values()].flatMap((f) => [...f.buckets.values()]);

  it('loads what it saved, after retractions too, and de-duplicates the same afterwards', () => {
    const { a, b, c } = transcripts();
    for (const retract of [null, b.path, a.path]) {
      const index = indexOf([a, b, c]);
      if (retract) index.retractFile(retract);
      const loaded = load(index);
      expect(buckets(loaded)).toEqual(buckets(index));
      expect(responsesOf(loaded)).toEqual(responsesOf(index));
      // A later scan folds into the loaded index exactly as into the one that was saved.
      const again = scanFile({ path: c.path, fromOffset: 0, toOffset: 10_000_000 });
      for (const target of [index, loaded]) {
        target.retractFile(c.path);
        target.addPacked(target.addFile({ path: c.path, dev: 1, ino: 1, size: again.offset, mtimeMs: 1, offset: again.offset, unfinishedBytes: 0 }), again.packed);
      }
      expect(totals(loaded)).toEqual(totals(index));
    }
  });
});

describe('framed index files', () => {
  it('read the same wherever the bytes sit in memory (a view when aligned, a copy when not)', () => {
    const { a, b } = transcripts();
    const file = encodeResponses(indexOf([a, b]), { version: 1, generation: 'g' });
    const aligned = readFramed<ResponsesHead>(file);
    const shifted = Buffer.alloc(file.length + 3);
    file.copy(shifted, 3);
    const unaligned = readFramed<ResponsesHead>(shifted.subarray(3));
    expect(unaligned.head).toEqual(aligned.head);
    expect(Array.from(unaligned.floats)).toEqual(Array.from(aligned.floats));
    expect(aligned.floats.buffer).toBe(file.buffer);
    // The padding between head and rows is zero, whatever the memory held before.
    const headEnd = 4 + file.readUInt32LE(0);
    expect([...file.subarray(headEnd, aligned.floats.byteOffset)].every((byte) => byte === 0)).toBe(true);
  });
});

describe('bucket slots', () => {
  it('group the same way when a file holds too many strings to number every combination', () => {
    const { a, b } = transcripts();
    const packed = [a.packed, b.packed];
    const small = indexOf([a, b]);
    // The same events, their strings moved behind 210,000 unused ones: the slot key becomes text.
    const big = new UsageIndex();
    const shift = 210_000;
    [a, b].forEach((r, i) => {
      const { strings, numbers } = packed[i]!;
      const textFields: number[] = [PACKED.key, PACKED.model, PACKED.session, PACKED.cwd];
      const moved = Float64Array.from(numbers, (v, at) => (textFields.includes(at % FIELDS) && v >= 0 ? v + shift : v));
      const padded = [...new Array<string>(shift).fill('unused'), ...strings];
      big.addPacked(big.addFile({ path: r.path, dev: 1, ino: 1, size: r.offset, mtimeMs: 1, offset: r.offset, unfinishedBytes: 0 }), { strings: padded, numbers: moved });
    });
    const buckets = (index: UsageIndex) => [...index.files.values()].map((f) => [...f.buckets.values()]);
    expect(buckets(big)).toEqual(buckets(small));
    expect(big.responses.size).toBe(small.responses.size);
  });
});

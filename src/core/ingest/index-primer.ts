// Folds a few made-up files into a throwaway index before a big scan's first
// result, as scan-primer.ts runs the line parser through made-up lines. V8 optimizes addPacked for
// the paths it has seen run; in a first scan of 1 GB, paths first met mid-scan
// (a result posted by a worker, a response counted again in a second or third
// file, one replaced by a fuller copy) each threw the optimized code away, and
// addPacked, some 25 ms to compile, was compiled three times for the thread
// that merges. Seen here first, they are in its first compile. What it counts
// is thrown away.
import { hashKey } from './key-table.js';
import { FIELDS, PACKED, type PackedEvents } from './packed-events.js';
import { UsageIndex } from './usage-index.js';

let primed = false;

/** A file's events, made up: a few responses over two sessions, two models and two quarter hours. */
function primerEvents(): PackedEvents {
  // Made here, not scanned: the line parser is not compiled yet on this thread, and running it cold would cost more than the priming saves.
  const strings = ['claude-sonnet-4-5-20250929', 'primer-session', '/primer', 'claude-opus-4-1', 'primer-other', 'msg_a:req_a', 'msg_b:req_b', 'msg_c:req_c', 'msg_d:req_d'];
  const at = Date.UTC(2026, 0, 5, 10);
  const rows = [
    [5, at, 0, 1, 2],
    [6, at + 60_000, 0, 1, 2],
    [7, at + 20 * 60_000, 3, 4, 2],
    [8, at + 21 * 60_000, 0, 4, 2],
  ];
  const numbers = new Float64Array(rows.length * FIELDS);
  rows.forEach((row, i) => {
    numbers.set(row, i * FIELDS);
    numbers.set([3 + i, 5 + i, 10, 0, 20, 0.01, hashKey(strings[row[0]!]!)], i * FIELDS + PACKED.input);
  });
  return { strings, numbers };
}

/** `events` with every output scaled by `factor`; the first row unpriced and unkeyed. */
function variant(events: PackedEvents, factor: number): PackedEvents {
  const numbers = events.numbers.slice();
  for (let o = 0; o < numbers.length; o += FIELDS) numbers[o + PACKED.output]! *= factor;
  numbers[PACKED.cost] = Number.NaN;
  numbers[PACKED.key] = -1;
  return { strings: events.strings, numbers };
}

/** Once per process, on the thread that merges scan results; returns the throwaway index (for the tests), null when primed before. */
export function primeIndexMerge(): UsageIndex | null {
  if (primed) return null;
  primed = true;
  const events = primerEvents();
  const index = new UsageIndex();
  // Three rounds: V8 gives a function its feedback only after its first few calls.
  for (let round = 0; round < 3; round++) {
    const file = (name: string) => index.addFile({ path: `/primer/${round}/${name}.jsonl`, dev: 0, ino: 0, size: 0, mtimeMs: 0, offset: 0, unfinishedBytes: 0 });
    index.addPacked(file('scanned-here'), events);
    // As a worker's result arrives: rebuilt by the structured clone, objects of other shapes.
    index.addPacked(file('from-a-worker'), structuredClone(variant(events, 1)));
    index.addPacked(file('smaller-copies'), variant(events, 0.5));
    index.addPacked(file('more-smaller-copies'), variant(events, 0.25));
    index.addPacked(file('fuller-copies'), variant(events, 4));
    index.addSkipped(file('skipped'), { 'missing-usage': 1 });
  }
  return index;
}

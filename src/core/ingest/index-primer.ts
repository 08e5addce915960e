// Folds a few made-up files into a throwaway index before a big scan's first
// result, as scan-primer.ts runs the line parser. V8 optimizes addPacked for
// the paths it has seen run; in a first scan of 1 GB, paths first met mid-scan
// (a result posted by a worker, a response counted again in a second or third
// file, one replaced by a fuller copy) each threw the optimized code away, and
// addPacked, some 25 ms to compile, was compiled three times for the thread
// that merges. Seen here first, they are in its first compile. What it counts
// is thrown away.
import { FIELDS, PACKED, type PackedEvents } from './packed-events.js';
import { PRIMER_LINES } from './scan-primer.js';
import { ScanEventWriter } from './scan-events.js';
import { parseTranscriptLine } from './transcript-line-parser.js';
import { UsageIndex } from './usage-index.js';

let primed = false;

/** The primer's lines as one file's events. */
function primerEvents(): PackedEvents {
  const context = { fallbackSessionId: 'primer', fallbackProject: 'primer', latestMs: Date.UTC(2026, 0, 6) };
  const writer = new ScanEventWriter(context);
  const buffer = Buffer.from(PRIMER_LINES.join('\n'));
  for (let start = 0; start < buffer.length; ) {
    let end = buffer.indexOf(10, start);
    if (end === -1) end = buffer.length;
    parseTranscriptLine(buffer, start, end, context, writer);
    start = end + 1;
  }
  return writer.finish();
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

// What one file's scan collects, written straight into the packed form the
// index consumes (packed-events.ts): one row of numbers per response, strings
// once each. A streamed response appears once, as its fullest line. On the
// fast path nothing is allocated per line but the strings that are new: the
// model, session and folder are compared as bytes with the last ones, and a
// line that continues the previous response reuses its key.
import { parseJsonObject } from '../json-object.js';
import { type ModelPrices, costAtPrices, pricesForModel } from '../usage/pricing.js';
import { ABSENT, type AssistantFields, CODING_ESCAPED, CODING_HIGH, FIELD, OBJECT, STRING, TOKEN } from './assistant-fields.js';
import { spanIs } from './json-line-scanner.js';
import { hashKey } from './key-table.js';
import { FIELDS, type PackedEvents } from './packed-layout.js';
import { FUTURE_SLACK_MS, parseStrictTimestamp, parseStrictTimestampAt, responseKey, timestampSkipReason } from './record-fields.js';
import { StringTable } from './string-table.js';
import type { FileContext, LineSink, SkipReason, UsageEvent } from './transcript-line-parser.js';

/** The last text seen in one field, kept as bytes: the same bytes again need no new string. */
class LastText {
  private bytes = Buffer.alloc(64);
  private length = -1;

  /** Whether buffer[start, end) holds the same bytes as last time; if not, remembers them. */
  same(buffer: Buffer, start: number, end: number): boolean {
    const length = end - start;
    if (length === this.length) {
      const bytes = this.bytes;
      let i = 0;
      while (i < length && bytes[i] === buffer[start + i]) i++;
      if (i === length) return true;
    }
    if (this.bytes.length < length) this.bytes = Buffer.alloc(length * 2);
    // Short values: a loop is cheaper than a native copy's call.
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) bytes[i] = buffer[start + i]!;
    this.length = length;
    return false;
  }

  forget(): void {
    this.length = -1;
  }
}

/**
 * A kept string's value. Decoded as UTF-8 only when it holds high bytes
 * (latin1 is the same for ASCII and much faster); one with escapes (a Windows
 * path's backslashes) is decoded by JSON.parse, which the scanner has checked.
 */
function textAt(buffer: Buffer, f: AssistantFields, field: number): string {
  const coding = f.coding[field]!;
  if (coding & CODING_ESCAPED) return JSON.parse(buffer.toString('utf8', f.start[field]! - 1, f.end[field]! + 1)) as string;
  return buffer.toString(coding & CODING_HIGH ? 'utf8' : 'latin1', f.start[field], f.end[field]);
}

const SYNTHETIC = Buffer.from('<synthetic>');

/** The model of Claude Code's own messages (limit texts, API errors). */
function isSynthetic(buffer: Buffer, f: AssistantFields): boolean {
  if (f.coding[FIELD.model]! & CODING_ESCAPED) return textAt(buffer, f, FIELD.model) === '<synthetic>';
  return spanIs(buffer, f.start[FIELD.model]!, f.end[FIELD.model]!, SYNTHETIC);
}

// One writer at a time per thread (a scan is synchronous): its rows grow in this array.
let rowsScratch = new Float64Array(FIELDS * 1024);

/** What every writer of a file's scan keeps besides the responses: skip counts and limit candidates. */
export abstract class ScanNotes implements LineSink {
  readonly skippedCounts: Partial<Record<SkipReason, number>> = {};
  readonly limitCandidates: Record<string, unknown>[] = [];

  skipped(reason: SkipReason): void {
    this.skippedCounts[reason] = (this.skippedCounts[reason] ?? 0) + 1;
  }

  limitCandidate(record: Record<string, unknown>): void {
    this.limitCandidates.push(record);
  }

  abstract usage(event: UsageEvent): void;
}

/** Sets each of the first `rows` rows' cost (at list prices; NaN: a model with no known price). */
export function priceRows(numbers: Float64Array, strings: readonly string[], rows: number): void {
  const prices = new Map<number, ModelPrices | null>();
  for (let o = 0; o < rows * FIELDS; o += FIELDS) {
    const model = numbers[o + 2]!;
    let p = prices.get(model);
    if (p === undefined) prices.set(model, (p = pricesForModel(strings[model]!)));
    numbers[o + 10] = costAtPrices(p, numbers[o + 5]!, numbers[o + 6]!, numbers[o + 7]!, numbers[o + 8]!, numbers[o + 9]!) ?? Number.NaN;
  }
}

export class ScanEventWriter extends ScanNotes {
  private readonly table = new StringTable();
  // Rows grow in one array per thread, reused file after file; finish() copies out the used part.
  private numbers = rowsScratch;
  private rows = 0;
  private readonly rowOfKey = new Map<string, number>();
  // The last model, session, folder (as table positions) and key, for the fast path.
  private readonly model = new LastText();
  private readonly session = new LastText();
  private readonly cwd = new LastText();
  private readonly messageId = new LastText();
  private readonly requestId = new LastText();
  private modelAt = -1;
  private sessionAt = -1;
  private cwdAt = -1;
  private lastKey: string | null = null;

  constructor(private readonly context: FileContext) {
    super();
  }

  /** A response from the full parser. */
  usage(event: UsageEvent): void {
    const t = this.table;
    this.forgetLast();
    this.add(event.key, event.ms, t.at(event.model), t.at(event.sessionId), t.at(event.cwd), event.input, event.output, event.cacheCreation, event.cacheCreation1h, event.cacheRead);
  }

  /** A response from the fast path (extractFields has checked usage, time and tokens). */
  response(buffer: Buffer, f: AssistantFields, ms: number): void {
    const t = this.table;
    const context = this.context;
    if (f.kind[FIELD.model] !== STRING || f.end[FIELD.model] === f.start[FIELD.model]) {
      this.modelAt = t.at('unknown');
      this.model.forget();
    } else if (!this.model.same(buffer, f.start[FIELD.model]!, f.end[FIELD.model]!)) {
      this.modelAt = t.at(textAt(buffer, f, FIELD.model));
    }
    if (f.kind[FIELD.sessionId] !== STRING) {
      this.sessionAt = t.at(context.fallbackSessionId);
      this.session.forget();
    } else if (!this.session.same(buffer, f.start[FIELD.sessionId]!, f.end[FIELD.sessionId]!)) {
      this.sessionAt = t.at(textAt(buffer, f, FIELD.sessionId));
    }
    if (f.kind[FIELD.cwd] !== STRING) {
      this.cwdAt = t.at(context.fallbackProject);
      this.cwd.forget();
    } else if (!this.cwd.same(buffer, f.start[FIELD.cwd]!, f.end[FIELD.cwd]!)) {
      this.cwdAt = t.at(textAt(buffer, f, FIELD.cwd));
    }
    const tokens = f.tokens;
    this.add(this.keyOf(buffer, f), ms, this.modelAt, this.sessionAt, this.cwdAt, tokens[TOKEN.input]!, tokens[TOKEN.output]!, tokens[TOKEN.cacheCreation]!, tokens[TOKEN.cacheCreation1h]!, tokens[TOKEN.cacheRead]!);
  }

  /** message.id + requestId (message.id alone without requestId); null without message.id. */
  private keyOf(buffer: Buffer, f: AssistantFields): string | null {
    if (f.kind[FIELD.id] !== STRING) {
      this.forgetLast();
      return null;
    }
    const sameId = this.messageId.same(buffer, f.start[FIELD.id]!, f.end[FIELD.id]!);
    if (f.kind[FIELD.requestId] !== STRING) {
      this.requestId.forget();
      this.lastKey = null;
      return responseKey(textAt(buffer, f, FIELD.id), null);
    }
    const sameRequest = this.requestId.same(buffer, f.start[FIELD.requestId]!, f.end[FIELD.requestId]!);
    if (sameId && sameRequest && this.lastKey !== null) return this.lastKey;
    this.lastKey = responseKey(textAt(buffer, f, FIELD.id), textAt(buffer, f, FIELD.requestId));
    return this.lastKey;
  }

  private forgetLast(): void {
    this.messageId.forget();
    this.requestId.forget();
    this.lastKey = null;
  }

  private add(key: string | null, ms: number, model: number, session: number, cwd: number, input: number, output: number, cacheCreation: number, cacheCreation1h: number, cacheRead: number): void {
    let row = key === null ? undefined : this.rowOfKey.get(key);
    if (row !== undefined) {
      // Streamed responses repeat on several lines; earlier ones carry a partial output count.
      if (output <= this.numbers[row * FIELDS + 6]!) return;
    } else {
      row = this.rows++;
      if (this.rows * FIELDS > this.numbers.length) {
        const grown = new Float64Array(this.numbers.length * 2);
        grown.set(this.numbers);
        this.numbers = rowsScratch = grown;
      }
      // Keys are unique within a file: pushed, not looked up; a replaced row keeps its key (and its hash).
      this.numbers[row * FIELDS] = key === null ? -1 : this.table.strings.push(key) - 1;
      this.numbers[row * FIELDS + 11] = key === null ? 0 : hashKey(key);
      if (key !== null) this.rowOfKey.set(key, row);
    }
    const n = this.numbers;
    const o = row * FIELDS;
    n[o + 1] = ms;
    n[o + 2] = model;
    n[o + 3] = session;
    n[o + 4] = cwd;
    n[o + 5] = input;
    n[o + 6] = output;
    n[o + 7] = cacheCreation;
    n[o + 8] = cacheCreation1h;
    n[o + 9] = cacheRead;
  }

  /** The responses with their cost (at list prices; NaN: a model with no known price). */
  finish(): PackedEvents {
    const strings = this.table.strings;
    priceRows(this.numbers, strings, this.rows);
    return { strings, numbers: this.numbers.slice(0, this.rows * FIELDS) };
  }
}

/** A synthetic assistant record (a limit message, an API error): handed on whole, decoded as UTF-8. */
export function offerLimitRecord(line: Buffer, sink: LineSink): void {
  const record = parseJsonObject(line.toString('utf8'));
  if (record) sink.limitCandidate(record);
}

/**
 * Counts an assistant line read by the extractor, as countAssistantRecord
 * counts a parsed one: a limit message is handed on, a line without usable
 * usage or time is skipped with its reason. `f` holds positions in `buffer`,
 * where the line is buffer[lineStart, lineEnd) (the whole buffer by default:
 * a caller with many lines in one buffer makes no view per line).
 */
export function countExtracted(buffer: Buffer, f: AssistantFields, context: FileContext, sink: LineSink, lineStart = 0, lineEnd = buffer.length): void {
  const synthetic = f.kind[FIELD.model] === STRING && isSynthetic(buffer, f);
  if (synthetic || f.apiError) {
    offerLimitRecord(buffer.subarray(lineStart, lineEnd), sink);
    return;
  }
  if (f.usage !== OBJECT) {
    sink.skipped(f.usage === ABSENT ? 'missing-usage' : 'implausible-usage');
    return;
  }
  const ms =
    f.kind[FIELD.timestamp] !== STRING
      ? null
      : f.coding[FIELD.timestamp]! & CODING_ESCAPED
        ? parseStrictTimestamp(textAt(buffer, f, FIELD.timestamp))
        : parseStrictTimestampAt(buffer, f.start[FIELD.timestamp]!, f.end[FIELD.timestamp]!);
  const timeProblem = timestampSkipReason(ms, context.latestMs ?? Date.now() + FUTURE_SLACK_MS);
  if (timeProblem !== null) {
    sink.skipped(timeProblem);
    return;
  }
  const t = f.tokens;
  if (f.splitInvalid || t[0]! < 0 || t[1]! < 0 || t[2]! < 0 || t[3]! < 0 || t[4]! < 0) {
    sink.skipped('implausible-usage');
    return;
  }
  if (sink instanceof ScanEventWriter) {
    sink.response(buffer, f, ms!); // timestampSkipReason accepted it
    return;
  }
  const id = f.kind[FIELD.id] === STRING ? textAt(buffer, f, FIELD.id) : null;
  const requestId = f.kind[FIELD.requestId] === STRING ? textAt(buffer, f, FIELD.requestId) : null;
  const model = f.kind[FIELD.model] === STRING ? textAt(buffer, f, FIELD.model) : '';
  sink.usage({
    key: responseKey(id, requestId),
    ms: ms!, // timestampSkipReason accepted it
    model: model === '' ? 'unknown' : model,
    sessionId: f.kind[FIELD.sessionId] === STRING ? textAt(buffer, f, FIELD.sessionId) : context.fallbackSessionId,
    cwd: f.kind[FIELD.cwd] === STRING ? textAt(buffer, f, FIELD.cwd) : context.fallbackProject,
    input: t[TOKEN.input]!,
    output: t[TOKEN.output]!,
    cacheCreation: t[TOKEN.cacheCreation]!,
    cacheCreation1h: t[TOKEN.cacheCreation1h]!,
    cacheRead: t[TOKEN.cacheRead]!,
  });
}

// Turns one transcript line into what Breather counts: a usage event, a record
// that may announce a usage limit, or a skip reason. Hot path: lines that
// cannot hold usage are never decoded or JSON-parsed.
import { isUtf8 } from 'node:buffer';
import { asRecord, parseJsonObject } from '../json-object.js';
import { extractAssistantFields } from './assistant-extractor.js';
import { AssistantFields } from './assistant-fields.js';
import { bytesAt } from './json-line-scanner.js';
import { FUTURE_SLACK_MS, checkTimestamp, readTokenCounts, responseKey } from './record-fields.js';
import { countExtracted, offerLimitRecord } from './scan-events.js';

export const SKIP_REASONS = [
  'garbage',
  'invalid-utf8',
  'truncated-json',
  'invalid-json',
  'control-characters',
  'non-object-json',
  'missing-usage',
  'invalid-timestamp',
  'out-of-range-timestamp',
  'implausible-usage',
  'oversized-line',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface UsageEvent {
  /** message.id + requestId (message.id alone when requestId is missing); null: cannot be de-duplicated. */
  key: string | null;
  ms: number;
  model: string;
  sessionId: string;
  cwd: string;
  input: number;
  output: number;
  cacheCreation: number;
  cacheCreation1h: number;
  cacheRead: number;
  /** USD at list prices; null for a model with no known price. Filled in by the file scan (on worker threads). */
  costUSD?: number | null;
}

export interface LineSink {
  usage(event: UsageEvent): void;
  /** A parsed record (UTF-8 decoded) that may carry a usage-limit message. */
  limitCandidate(record: Record<string, unknown>): void;
  skipped(reason: SkipReason): void;
}

export interface FileContext {
  /** Used when a record lacks sessionId: the file name without extension. */
  fallbackSessionId: string;
  /** Used when a record lacks cwd: the encoded project folder name (a label only). */
  fallbackProject: string;
  /** Records after this instant are damaged (default: now plus a day of clock drift). */
  latestMs?: number;
}

const USAGE_NEEDLE = Buffer.from('"usage"');
const ASSISTANT_NEEDLE = Buffer.from('"type":"assistant"');
// Nearly every limit text since 1.0.88 says "resets"; 1.0.30–1.0.64 wrote "usage limit reached|<unix>";
// 2026 model-scoped limits ("You've reached your Fable 5 limit. Run /usage-credits…") name no reset.
// "resets" or "reached" covers all three (ASCII needles: escapes of ’ ∙ · do not hide them).
// Searched in the bytes: a regular expression would need the line as a string, garbage for every line.
const LIMIT_NEEDLES = [Buffer.from('resets'), Buffer.from('reached')];
// A subagent's limit message comes back as a short tool_result (the limit text and a
// little metadata); longer lines are file contents and are not searched.
const LIMIT_SCAN_MAX_LINE = 4 * 1024;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function mayMentionLimit(line: Buffer): boolean {
  if (line.length > LIMIT_SCAN_MAX_LINE) return false;
  for (const needle of LIMIT_NEEDLES) if (line.indexOf(needle) !== -1) return true;
  return false;
}

const EDGE_BYTES = 512;
// The record's own "type" when it comes before any nested object: user and
// metadata records put it in the envelope, ahead of message/snapshot/data.
const TYPE_KEY = Buffer.from('"type":"');
const ASSISTANT_VALUE = Buffer.from('assistant"');
const USER_VALUE = Buffer.from('user"');
const PROGRESS_VALUE = Buffer.from('progress"');
// How current builds end an assistant record: type, uuid, timestamp, in that order.
const CANONICAL_TAIL = Buffer.from('"type":"assistant","uuid":"');
const CANONICAL_TAIL_BYTES = CANONICAL_TAIL.length + 36 + '","timestamp":"'.length + 24 + 2;
const TIMESTAMP_KEY = Buffer.from('","timestamp":"');

export type EdgeKind = 'assistant' | 'progress' | 'user' | 'other' | 'unknown';

/**
 * What the line at buffer[start, end) is, judged from its first and last
 * bytes only, so the bulk of big lines (file contents in tool results,
 * snapshots) is never searched. Current builds write `"type":"assistant"`
 * right before uuid and timestamp, at the end; old ones wrote it first.
 * "unknown" falls back to a full search. Only a byte range is read: no
 * object is made for most lines.
 */
export function kindOfLine(buffer: Buffer, start: number, end: number): EdgeKind {
  // Most lines are assistant records as current builds end them: a look at fixed offsets, no search.
  const tail = end - CANONICAL_TAIL_BYTES;
  if (tail > start && bytesAt(buffer, tail, CANONICAL_TAIL) && bytesAt(buffer, tail + CANONICAL_TAIL.length + 36, TIMESTAMP_KEY)) return 'assistant';
  // The envelope ends where the first nested object opens.
  const edge = Math.min(end, start + EDGE_BYTES);
  let envelopeEnd = buffer.indexOf(OPEN_BRACE, start + 1);
  if (envelopeEnd === -1 || envelopeEnd > edge) envelopeEnd = edge;
  // An unbounded search, but it stops at the first "type" key, which every
  // record has near its start; a hit past the envelope is not the record's own.
  const at = buffer.indexOf(TYPE_KEY, start);
  if (at !== -1 && at + TYPE_KEY.length <= envelopeEnd) {
    const value = at + TYPE_KEY.length;
    if (bytesAt(buffer, value, ASSISTANT_VALUE)) return 'assistant';
    if (bytesAt(buffer, value, USER_VALUE)) return 'user';
    return bytesAt(buffer, value, PROGRESS_VALUE) ? 'progress' : 'other';
  }
  const window = buffer.subarray(Math.max(start, end - EDGE_BYTES), end);
  return window.indexOf(ASSISTANT_NEEDLE) !== -1 ? 'assistant' : 'unknown';
}

/** kindOfLine of a whole buffer. */
export function recordKindAtEdges(line: Buffer): EdgeKind {
  return kindOfLine(line, 0, line.length);
}

/** Raw control bytes (NUL included) are never valid inside JSON; tab and CR are whitespace between tokens. */
function hasControlBytes(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0d) return true;
  }
  return false;
}

/** Why a line that is not a JSON object was skipped, as precisely as its bytes tell. */
function classifyBadLine(line: Buffer): SkipReason {
  const utf8 = isUtf8(line);
  if (utf8 && line.length <= 1_000_000) {
    try {
      JSON.parse(line.toString('utf8'));
      return 'non-object-json';
    } catch {
      // not JSON at all: classified below
    }
  }
  if (line[0] !== OPEN_BRACE) return 'garbage';
  if (hasControlBytes(line)) return 'control-characters';
  if (!utf8) return 'invalid-utf8';
  // Complete braces but no parse (NaN, a bare word, a stray comma): damaged, not cut short.
  return line[line.length - 1] === CLOSE_BRACE ? 'invalid-json' : 'truncated-json';
}

const CONTENT_KEY = Buffer.from('"content":');
const STOP_REASON_KEY = Buffer.from(',"stop_reason":');
// Subagent responses relayed into the parent transcript (2.1.x); the data object opens the record.
const AGENT_PROGRESS_NEEDLE = Buffer.from('"agent_progress"');
const AGENT_PROGRESS_WINDOW = 2048;

/**
 * Parses an assistant line without its message content, which holds nearly all
 * of its bytes (thinking, text, whole files being written). Claude Code writes
 * `"content":[…],"stop_reason":…` inside message; when the line is not laid out
 * so, or the result doesn't check out, returns null and the caller parses it all.
 */
export function parseWithoutContent(head: Buffer, tail: Buffer = head): Record<string, unknown> | null {
  const contentAt = head.indexOf(CONTENT_KEY);
  if (contentAt === -1) return null;
  const stopAt = tail.lastIndexOf(STOP_REASON_KEY);
  if (stopAt === -1 || (head === tail && stopAt <= contentAt)) return null;
  try {
    const record = asRecord(JSON.parse(`${head.toString('utf8', 0, contentAt)}"content":[]${tail.toString('utf8', stopAt)}`));
    const message = asRecord(record?.message);
    return message && Array.isArray(message.content) && message.content.length === 0 ? record : null;
  } catch {
    return null;
  }
}


/** The subagent response inside an `agent_progress` record, or null when it carries none. */
function relayedResponse(record: Record<string, unknown>): Record<string, unknown> | null {
  const data = asRecord(record.data);
  if (!data || data.type !== 'agent_progress') return null;
  const inner = asRecord(data.message);
  return inner && inner.type === 'assistant' && asRecord(inner.message)?.usage !== undefined ? inner : null;
}

/**
 * Counts one response. `response` holds timestamp, requestId and message (an
 * assistant record, or the one relayed in a progress record); `envelope` holds
 * sessionId and cwd (the same record, or the progress record around it).
 */
function countResponse(response: Record<string, unknown>, envelope: Record<string, unknown>, line: Buffer, context: FileContext, sink: LineSink): void {
  const message = asRecord(response.message);
  const model = typeof message?.model === 'string' ? message.model : '';
  if (model === '<synthetic>' || response.isApiErrorMessage === true) {
    if (response !== envelope) return; // relayed: the parent's own records carry any limit text
    offerLimitRecord(line, sink);
    return;
  }
  const usage = asRecord(message?.usage);
  if (!usage) {
    sink.skipped(message?.usage === undefined ? 'missing-usage' : 'implausible-usage');
    return;
  }
  const time = checkTimestamp(response.timestamp, context.latestMs ?? Date.now() + FUTURE_SLACK_MS);
  if (!time.ok) {
    sink.skipped(time.reason);
    return;
  }
  const tokens = readTokenCounts(usage);
  if (!tokens) {
    sink.skipped('implausible-usage');
    return;
  }
  const messageId = typeof message?.id === 'string' ? message.id : null;
  const requestId = typeof response.requestId === 'string' ? response.requestId : null;
  sink.usage({
    key: responseKey(messageId, requestId),
    ms: time.ms,
    model: model === '' ? 'unknown' : model,
    sessionId: typeof envelope.sessionId === 'string' ? envelope.sessionId : context.fallbackSessionId,
    cwd: typeof envelope.cwd === 'string' ? envelope.cwd : context.fallbackProject,
    ...tokens,
  });
}

/** Counts a parsed assistant record (decoded as UTF-8: the full parse is the rare path, and escapes such as \u00e9 come out right). */
export function countAssistantRecord(record: Record<string, unknown>, line: Buffer, context: FileContext, sink: LineSink): void {
  countResponse(record, record, line, context, sink);
}

/** A user record that may carry a subagent's limit message. */
function offerLimitCandidate(line: Buffer, sink: LineSink): void {
  if (!mayMentionLimit(line)) return;
  const record = parseJsonObject(line.toString('utf8'));
  if (record) sink.limitCandidate(record);
  else sink.skipped(classifyBadLine(line));
}

function mayRelayUsage(line: Buffer): boolean {
  const window = line.length <= AGENT_PROGRESS_WINDOW ? line : line.subarray(0, AGENT_PROGRESS_WINDOW);
  return window.indexOf(AGENT_PROGRESS_NEEDLE) !== -1 && line.indexOf(USAGE_NEEDLE) !== -1;
}

/** Where [start, end) of `buffer` ends without its trailing CR, spaces and tabs (files edited on Windows). */
function trimmedEnd(buffer: Buffer, start: number, end: number): number {
  while (end > start && (buffer[end - 1] === 0x0d || buffer[end - 1] === 0x20 || buffer[end - 1] === 0x09)) end--;
  return end;
}

// Reused for every line: the fast path allocates nothing per line it does not keep.
const fields = new AssistantFields();

export function parseTranscriptLine(buffer: Buffer, start: number, end: number, context: FileContext, sink: LineSink): void {
  end = trimmedEnd(buffer, start, end);
  while (start < end && (buffer[start] === 0x20 || buffer[start] === 0x09)) start++;
  if (end === start) return;
  if (buffer[start] !== OPEN_BRACE || buffer[end - 1] !== CLOSE_BRACE) {
    sink.skipped(classifyBadLine(buffer.subarray(start, end)));
    return;
  }
  const kind = kindOfLine(buffer, start, end);
  if (kind === 'other' || kind === 'user') {
    // Cannot hold countable usage; a short user record may carry a subagent's limit message.
    if (kind === 'user' && end - start <= LIMIT_SCAN_MAX_LINE) offerLimitCandidate(buffer.subarray(start, end), sink);
    return;
  }
  const line = buffer.subarray(start, end);
  if (kind === 'progress' ? !mayRelayUsage(line) : kind === 'unknown' && line.indexOf(USAGE_NEEDLE) === -1) {
    if (kind === 'unknown') offerLimitCandidate(line, sink);
    return;
  }
  if (!isUtf8(line)) {
    sink.skipped('invalid-utf8');
    return;
  }
  // Fast path: the counted fields straight from the bytes; anything unusual takes the full parse below.
  if (kind === 'assistant' && extractAssistantFields(line, fields) && fields.isAssistant) {
    countExtracted(line, fields, context, sink);
    return;
  }
  let record = kind === 'assistant' ? parseWithoutContent(line) : null;
  if (!record) {
    try {
      record = asRecord(JSON.parse(line.toString('utf8')));
    } catch {
      sink.skipped(classifyBadLine(line));
      return;
    }
    if (!record) {
      sink.skipped('non-object-json');
      return;
    }
  }
  if (record.type === 'assistant') {
    countAssistantRecord(record, line, context, sink);
  } else if (record.type === 'progress') {
    const relayed = relayedResponse(record);
    if (relayed) countResponse(relayed, record, line, context, sink);
  } else if (record.type === 'user') {
    // Usage outside an assistant message (a Task result's toolUseResult) is never counted.
    offerLimitCandidate(line, sink);
  }
}

/**
 * A line over the size cap, seen only by its edges: an assistant response laid
 * out as usual (content in the middle) still counts; anything else is skipped.
 */
export function parseOversizedLine(head: Buffer, tail: Buffer, context: FileContext, sink: LineSink): void {
  tail = tail.subarray(0, trimmedEnd(tail, 0, tail.length));
  const record = head[0] === OPEN_BRACE && tail[tail.length - 1] === CLOSE_BRACE ? parseWithoutContent(head, tail) : null;
  if (record?.type === 'assistant') countAssistantRecord(record, head, context, sink);
  else sink.skipped('oversized-line');
}

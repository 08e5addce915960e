// Turns one transcript line into what Breather counts: a usage event, a record
// that may announce a usage limit, or a skip reason. Hot path: lines that
// cannot hold usage are never decoded or JSON-parsed.
import { isUtf8 } from 'node:buffer';

export const SKIP_REASONS = [
  'garbage',
  'invalid-utf8',
  'truncated-json',
  'non-object-json',
  'missing-usage',
  'invalid-timestamp',
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
}

const USAGE_NEEDLE = Buffer.from('"usage"');
const ASSISTANT_NEEDLE = Buffer.from('"type":"assistant"');
// Every limit text since 1.0.88 says "resets"; 1.0.30–1.0.64 wrote "usage limit reached|<unix>".
const LIMIT_NEEDLES = [Buffer.from('resets'), Buffer.from('limit reached|')];
// A subagent's limit message comes back as a short tool_result (the limit text and a
// little metadata); longer lines are file contents and are not searched.
const LIMIT_SCAN_MAX_LINE = 4 * 1024;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const HIGH_BYTES = /[\u0080-\u00ff]/;

function mayMentionLimit(line: Buffer): boolean {
  if (line.length > LIMIT_SCAN_MAX_LINE) return false;
  for (const needle of LIMIT_NEEDLES) if (line.indexOf(needle) !== -1) return true;
  return false;
}

const EDGE_BYTES = 512;
// The record's own "type" when it comes before any nested object: user and
// metadata records put it in the envelope, ahead of message/snapshot/data.
const TYPE_KEY = Buffer.from('"type":"');
const QUOTE = 0x22;

/** Byte search, no string made: this runs on every line. */
function topLevelType(line: Buffer): string | null {
  // The envelope ends where the first nested object opens.
  let envelopeEnd = line.indexOf(OPEN_BRACE, 1);
  if (envelopeEnd === -1 || envelopeEnd > EDGE_BYTES) envelopeEnd = Math.min(line.length, EDGE_BYTES);
  const at = line.subarray(0, envelopeEnd).indexOf(TYPE_KEY);
  if (at === -1) return null;
  const start = at + TYPE_KEY.length;
  const end = line.indexOf(QUOTE, start);
  return end === -1 || end - start > 40 ? null : line.toString('latin1', start, end);
}

/**
 * What a line is, judged from its first and last bytes only, so the bulk of
 * big lines (file contents in tool results, snapshots) is never searched.
 * Current builds write `"type":"assistant"` right before uuid and timestamp,
 * at the end; old ones wrote it first. "unknown" falls back to a full search.
 */
export function recordKindAtEdges(line: Buffer): 'assistant' | 'other' | 'unknown' {
  const head = topLevelType(line);
  if (head !== null) return head === 'assistant' ? 'assistant' : 'other';
  const tail = line.length <= EDGE_BYTES ? line : line.subarray(line.length - EDGE_BYTES);
  return tail.indexOf(ASSISTANT_NEEDLE) !== -1 ? 'assistant' : 'unknown';
}

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
  if (line[0] === OPEN_BRACE) return utf8 ? 'truncated-json' : 'invalid-utf8';
  return 'garbage';
}

function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** latin1 decoding is ten times faster than UTF-8 and keeps JSON structure; fix up the few strings we keep. */
function fromLatin1(text: string): string {
  return HIGH_BYTES.test(text) ? Buffer.from(text, 'latin1').toString('utf8') : text;
}

const CONTENT_KEY = Buffer.from('"content":');
const STOP_REASON_KEY = Buffer.from(',"stop_reason":');

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * Parses an assistant line without its message content, which holds nearly all
 * of its bytes (thinking, text, whole files being written). Claude Code writes
 * `"content":[…],"stop_reason":…` inside message; when the line is not laid out
 * so, or the result doesn't check out, returns null and the caller parses it all.
 */
function parseWithoutContent(line: Buffer): Record<string, unknown> | null {
  const contentAt = line.indexOf(CONTENT_KEY);
  if (contentAt === -1) return null;
  const stopAt = line.lastIndexOf(STOP_REASON_KEY);
  if (stopAt <= contentAt) return null;
  try {
    const record = asRecord(JSON.parse(`${line.toString('latin1', 0, contentAt)}"content":[]${line.toString('latin1', stopAt)}`));
    const message = asRecord(record?.message);
    return message && Array.isArray(message.content) && message.content.length === 0 ? record : null;
  } catch {
    return null;
  }
}

function parseUtf8Record(line: Buffer): Record<string, unknown> | null {
  try {
    return asRecord(JSON.parse(line.toString('utf8')));
  } catch {
    return null;
  }
}

export function parseTranscriptLine(buffer: Buffer, start: number, end: number, context: FileContext, sink: LineSink): void {
  // Trim trailing CR / whitespace (files edited on Windows).
  while (end > start && (buffer[end - 1] === 0x0d || buffer[end - 1] === 0x20 || buffer[end - 1] === 0x09)) end--;
  while (start < end && (buffer[start] === 0x20 || buffer[start] === 0x09)) start++;
  if (end === start) return;
  const line = buffer.subarray(start, end);
  if (line[0] !== OPEN_BRACE || line[line.length - 1] !== CLOSE_BRACE) {
    sink.skipped(classifyBadLine(line));
    return;
  }
  const kind = recordKindAtEdges(line);
  if (kind === 'other' || (kind === 'unknown' && line.indexOf(USAGE_NEEDLE) === -1)) {
    // Cannot hold countable usage; a short user record may carry a subagent's limit message.
    if (kind !== 'other' || topLevelType(line) === 'user') {
      if (mayMentionLimit(line)) {
        const record = parseUtf8Record(line);
        if (record) sink.limitCandidate(record);
        else sink.skipped(isUtf8(line) ? 'truncated-json' : 'invalid-utf8');
      }
    }
    return;
  }
  if (!isUtf8(line)) {
    sink.skipped('invalid-utf8');
    return;
  }
  let record = kind === 'assistant' ? parseWithoutContent(line) : null;
  if (!record) {
    try {
      record = asRecord(JSON.parse(line.toString('latin1')));
    } catch {
      sink.skipped('truncated-json');
      return;
    }
    if (!record) {
      sink.skipped('non-object-json');
      return;
    }
  }
  if (record.type !== 'assistant') {
    // Usage outside an assistant message (a Task result's toolUseResult) is never counted.
    if (record.type === 'user' && mayMentionLimit(line)) {
      const utf8Record = parseUtf8Record(line);
      if (utf8Record) sink.limitCandidate(utf8Record);
    }
    return;
  }
  const message = record.message as { id?: unknown; model?: unknown; usage?: unknown } | undefined;
  const model = typeof message?.model === 'string' ? message.model : '';
  if (model === '<synthetic>' || record.isApiErrorMessage === true) {
    const utf8Record = parseUtf8Record(line);
    if (utf8Record) sink.limitCandidate(utf8Record);
    return;
  }
  const usage = message?.usage as Record<string, unknown> | undefined;
  if (!usage || typeof usage !== 'object') {
    sink.skipped('missing-usage');
    return;
  }
  const ms = typeof record.timestamp === 'string' ? Date.parse(record.timestamp) : Number.NaN;
  if (!Number.isFinite(ms)) {
    sink.skipped('invalid-timestamp');
    return;
  }
  const messageId = typeof message?.id === 'string' ? message.id : null;
  const requestId = typeof record.requestId === 'string' ? record.requestId : null;
  const cacheSplit = usage.cache_creation as Record<string, unknown> | undefined;
  sink.usage({
    key: messageId === null ? null : requestId === null ? messageId : `${messageId}:${requestId}`,
    ms,
    model: model === '' ? 'unknown' : model,
    sessionId: typeof record.sessionId === 'string' ? record.sessionId : context.fallbackSessionId,
    cwd: typeof record.cwd === 'string' ? fromLatin1(record.cwd) : context.fallbackProject,
    input: tokenCount(usage.input_tokens),
    output: tokenCount(usage.output_tokens),
    cacheCreation: tokenCount(usage.cache_creation_input_tokens),
    cacheCreation1h: cacheSplit && typeof cacheSplit === 'object' ? tokenCount(cacheSplit.ephemeral_1h_input_tokens) : 0,
    cacheRead: tokenCount(usage.cache_read_input_tokens),
  });
}

// The fast path for assistant lines: reads the few fields Breather counts
// straight from the bytes, skipping the message content (nearly all of a
// line's bytes). It records where each kept value lies (no strings, no
// objects) so the caller decodes only what it keeps. It is a strict parser for
// the layout Claude Code writes: the record and its message hold only plain
// values, apart from the content array (skipped) and the usage object.
// Anything else (an escape in a string, whitespace, another nested value, a
// repeated "message") declines, and the caller parses the line in full, so
// what it reports is always what JSON.parse would give for these fields.
import { type AssistantFields, FIELD, OBJECT, OTHER, STRING, TOKEN } from './assistant-fields.js';
import { CLOSE_BRACE, OPEN_BRACE, OPEN_BRACKET, V_LITERAL, V_NUMBER, V_STRING, spanIs, scanner } from './json-line-scanner.js';
import { EnvelopeCache, KeyMemo, NO_KEY } from './layout-memory.js';
import { tokenCount } from './record-fields.js';

const CONTENT_END = Buffer.from('],"stop_reason":');

const bytes = (text: string): Buffer => Buffer.from(text);
const K = {
  type: bytes('type'),
  timestamp: bytes('timestamp'),
  requestId: bytes('requestId'),
  sessionId: bytes('sessionId'),
  cwd: bytes('cwd'),
  isApiErrorMessage: bytes('isApiErrorMessage'),
  message: bytes('message'),
  content: bytes('content'),
  id: bytes('id'),
  model: bytes('model'),
  usage: bytes('usage'),
  input_tokens: bytes('input_tokens'),
  output_tokens: bytes('output_tokens'),
  cache_creation_input_tokens: bytes('cache_creation_input_tokens'),
  cache_read_input_tokens: bytes('cache_read_input_tokens'),
  cache_creation: bytes('cache_creation'),
  ephemeral_1h_input_tokens: bytes('ephemeral_1h_input_tokens'),
  assistant: bytes('assistant'),
};

// What a key means beyond the kept FIELDs (≥ 0); -1: skipped.
const TYPE_AT = -2;
const API_ERROR_AT = -3;
const MESSAGE_AT = -4;
const USAGE_AT = -5;

/** Top-level keys kept: an index into FIELD, TYPE_AT, API_ERROR_AT, or -1. */
function topKey(line: Buffer, s: number, e: number): number {
  switch (e - s) {
    case 3:
      return spanIs(line, s, e, K.cwd) ? FIELD.cwd : -1;
    case 4:
      return spanIs(line, s, e, K.type) ? TYPE_AT : -1;
    case 9:
      return spanIs(line, s, e, K.timestamp) ? FIELD.timestamp : spanIs(line, s, e, K.requestId) ? FIELD.requestId : spanIs(line, s, e, K.sessionId) ? FIELD.sessionId : -1;
    case 17:
      return spanIs(line, s, e, K.isApiErrorMessage) ? API_ERROR_AT : -1;
    default:
      return -1;
  }
}

/** Message keys kept: FIELD.id, FIELD.model, or -1. */
function messageKey(line: Buffer, s: number, e: number): number {
  if (e - s === 2) return spanIs(line, s, e, K.id) ? FIELD.id : -1;
  if (e - s === 5) return spanIs(line, s, e, K.model) ? FIELD.model : -1;
  return -1;
}

/** Usage keys kept, as indexes into TOKEN; 5: cache_creation; -1 skipped. */
function usageKey(line: Buffer, s: number, e: number): number {
  switch (e - s) {
    case 12:
      return spanIs(line, s, e, K.input_tokens) ? TOKEN.input : -1;
    case 13:
      return spanIs(line, s, e, K.output_tokens) ? TOKEN.output : -1;
    case 14:
      return spanIs(line, s, e, K.cache_creation) ? 5 : -1;
    case 23:
      return spanIs(line, s, e, K.cache_read_input_tokens) ? TOKEN.cacheRead : -1;
    case 27:
      return spanIs(line, s, e, K.cache_creation_input_tokens) ? TOKEN.cacheCreation : -1;
    default:
      return -1;
  }
}

/** A value where a token count belongs, read as readTokenCounts reads it. */
function tokenValue(kind: number, value: number): number {
  return kind === V_NUMBER ? tokenCount(value) : -1;
}

/** Records a kept field from the scanner's last value (a later duplicate replaces an earlier one, as in JSON.parse). */
function keep(f: AssistantFields, field: number): void {
  const s = scanner;
  if (s.valueKind === V_STRING) {
    f.kind[field] = STRING;
    f.start[field] = s.valueStart;
    f.end[field] = s.valueEnd;
    f.coding[field] = s.valueCoding;
  } else {
    f.kind[field] = OTHER;
  }
}

/** One plain top-level pair whose key was just read. */
function topValue(f: AssistantFields, at: number): boolean {
  const s = scanner;
  if (!s.scalar()) return false;
  if (at >= 0) keep(f, at);
  else if (at === TYPE_AT) f.isAssistant = s.valueKind === V_STRING && spanIs(s.line, s.valueStart, s.valueEnd, K.assistant);
  else if (at === API_ERROR_AT) f.apiError = s.valueKind === V_LITERAL && s.valueTrue;
  return true;
}

const usageKeys = new KeyMemo(usageKey);
const splitKeys = new KeyMemo((line, s, e) => (spanIs(line, s, e, K.ephemeral_1h_input_tokens) ? TOKEN.cacheCreation1h : -1));
const skippedKeys = new KeyMemo(() => -1);
const messageTailKeys = new KeyMemo((line, s, e) => (spanIs(line, s, e, K.usage) ? USAGE_AT : messageKey(line, s, e)));
const recordTailKeys = new KeyMemo((line, s, e) => (spanIs(line, s, e, K.message) ? MESSAGE_AT : topKey(line, s, e)));

const USAGE_LEVEL = 0;
const SPLIT_LEVEL = 1;
const SKIPPED_LEVEL = 2;
const SPLIT_AT = 5;

/**
 * A flat object of plain values: the usage object (USAGE_LEVEL), or one level
 * down in it, cache_creation (SPLIT_LEVEL) or another one (SKIPPED_LEVEL).
 */
function usageObject(f: AssistantFields, level: number): boolean {
  const s = scanner;
  const line = s.line;
  if (line[s.pos] !== OPEN_BRACE) return false;
  s.pos++;
  if (line[s.pos] === CLOSE_BRACE) {
    s.pos++;
    return true;
  }
  const keys = level === USAGE_LEVEL ? usageKeys : level === SPLIT_LEVEL ? splitKeys : skippedKeys;
  for (let i = 0; ; i++) {
    const at = keys.read(i);
    if (at === NO_KEY) return false;
    if (line[s.pos] === OPEN_BRACE) {
      if (level !== USAGE_LEVEL) return false; // two levels down: not a layout we know
      if (at === SPLIT_AT) {
        // A later duplicate replaces an earlier one, as in JSON.parse.
        f.splitInvalid = false;
        f.tokens[TOKEN.cacheCreation1h] = 0;
        if (!usageObject(f, SPLIT_LEVEL)) return false;
      } else {
        if (!usageObject(f, SKIPPED_LEVEL)) return false;
        if (at >= 0) f.tokens[at] = -1; // an object where a count belongs
      }
    } else {
      if (!s.scalar()) return false;
      if (at === SPLIT_AT) {
        // null means "no split"; any other plain value is implausible.
        f.splitInvalid = !s.valueNull;
        f.tokens[TOKEN.cacheCreation1h] = 0;
      } else if (at >= 0) {
        f.tokens[at] = tokenValue(s.valueKind, s.valueNumber);
      }
    }
    const next = s.next();
    if (next === 0) return true;
    if (next < 0) return false;
  }
}

/** The last envelope read (layout-memory.ts). */
const envelope = new EnvelopeCache();

/**
 * Reads the counted fields of an assistant line (no newline, no surrounding
 * whitespace) into `f`, as positions in `line`. False when it is not laid out
 * as expected: parse it in full instead.
 */
export function extractAssistantFields(line: Buffer, f: AssistantFields): boolean {
  const end = line.length;
  const buffer = line;
  if (buffer[0] !== OPEN_BRACE || buffer[end - 1] !== CLOSE_BRACE) return false;
  const s = scanner;
  s.line = buffer;
  s.end = end;
  s.pos = 1;
  f.reset();
  // The record's own fields, up to "message":{. The first one (parentUuid) differs on every
  // line; the rest is mostly what the last line had: the same bytes read the same way.
  if (!s.key()) return false;
  if (buffer[s.pos] !== OPEN_BRACE || !spanIs(buffer, s.keyStart, s.keyEnd, K.message)) {
    const first = topKey(buffer, s.keyStart, s.keyEnd);
    if (!topValue(f, first)) return false;
    if (s.next() !== 1) return false;
    const from = s.pos;
    const cacheable = first === -1; // nothing kept yet: the rest alone decides the envelope's fields
    if (!(cacheable && envelope.reuse(buffer, from, f))) {
      for (;;) {
        if (!s.key()) return false;
        if (buffer[s.pos] === OPEN_BRACE && spanIs(buffer, s.keyStart, s.keyEnd, K.message)) break;
        if (!topValue(f, topKey(buffer, s.keyStart, s.keyEnd))) return false;
        if (s.next() !== 1) return false;
      }
      if (cacheable) envelope.remember(buffer, from, s.pos, f);
    } else {
      s.pos = from + envelope.length - 1;
    }
  }
  s.pos++;
  // The message's fields, up to "content":[.
  for (;;) {
    if (!s.key()) return false;
    if (buffer[s.pos] === OPEN_BRACKET && spanIs(buffer, s.keyStart, s.keyEnd, K.content)) break;
    const at = messageKey(buffer, s.keyStart, s.keyEnd);
    if (!s.scalar()) return false;
    if (at >= 0) keep(f, at);
    if (s.next() !== 1) return false;
  }
  // Skip the content: it ends at the last `],"stop_reason":`, which no string inside it can hold
  // unescaped (a tool's input may hold the key; the message's own comes after it). Searched from
  // the end, it is found a few hundred bytes in.
  const contentEnd = buffer.lastIndexOf(CONTENT_END);
  if (contentEnd < s.pos) return false;
  s.pos = contentEnd + 2;
  // The rest of the message: plain values and the usage object.
  for (let i = 0; ; i++) {
    const at = messageTailKeys.read(i);
    if (at === NO_KEY) return false;
    if (at === USAGE_AT) {
      f.resetUsage();
      if (buffer[s.pos] === OPEN_BRACE) {
        if (!usageObject(f, USAGE_LEVEL)) return false;
        f.usage = OBJECT;
      } else {
        if (!s.scalar()) return false;
        f.usage = OTHER;
      }
    } else {
      if (!s.scalar()) return false;
      if (at >= 0) keep(f, at);
    }
    const next = s.next();
    if (next === 0) break;
    if (next < 0) return false;
  }
  // After the message: the record's remaining plain fields, to the line's end.
  const after = s.next();
  if (after === 1) {
    for (let i = 0; ; i++) {
      const at = recordTailKeys.read(i);
      if (at === NO_KEY || at === MESSAGE_AT) return false; // a second "message" would replace the first
      if (!topValue(f, at)) return false;
      const next = s.next();
      if (next === 0) break;
      if (next < 0) return false;
    }
  } else if (after !== 0) {
    return false;
  }
  return s.pos === end;
}

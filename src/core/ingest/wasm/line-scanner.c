// The transcript line scanner, compiled to WebAssembly (scripts/build-wasm.mjs
// writes line-scanner-wasm.ts from it). It does for a block of whole lines what
// transcript-line-parser.ts does line by line, byte for byte the same decisions,
// and hands JavaScript only what needs strings: one record per assistant line
// it read (where its counted fields lie, its token counts) and one per line the
// JavaScript parser must see (anything unusual). Lines that cannot hold usage
// cost a newline search and a look at their edges.
//
// Why WebAssembly: in a cold scan, V8 compiled the JavaScript line parser once
// per thread, and compiling took a third of the run's CPU. This module is
// compiled once per process and runs at full speed from the first line.
//
// Freestanding C: no libc, no allocation. Memory is fixed: the read buffer,
// then the output records. Every read is bounded by the line's end.
#include <wasm_simd128.h>

typedef unsigned char u8;
typedef int i32;
typedef unsigned int u32;

#define DATA_BYTES (4 * 1024 * 1024)
#define MAX_RECORDS 4096
// One record: what (WHAT_*), the line's start and end, then for WHAT_FIELDS the
// fields as assistant-fields.ts lays them out, positions from the line's start.
#define RECORD_INTS 32
enum { R_WHAT, R_START, R_END, R_FIELD_START = 3, R_FIELD_END = 9, R_KIND = 15, R_CODING = 21, R_IS_ASSISTANT = 27, R_API_ERROR, R_USAGE, R_SPLIT_INVALID };
enum { WHAT_JS = 1, WHAT_FIELDS = 2 };
enum { FIELD_COUNT = 6, F_TIMESTAMP = 0, F_REQUEST_ID, F_SESSION_ID, F_CWD, F_ID, F_MODEL };
enum { ABSENT = 0, STRING = 1, OTHER = 2 };
enum { CODING_ESCAPED = 0x01, CODING_HIGH = 0x80 };
enum { T_INPUT = 0, T_OUTPUT, T_CACHE_CREATION, T_CACHE_READ, T_CACHE_1H };

static u8 data[DATA_BYTES + 64] __attribute__((aligned(16)));
static i32 records[MAX_RECORDS * RECORD_INTS];
static double tokens[MAX_RECORDS * 5];
static i32 recordCount;

__attribute__((export_name("dataAt"))) u8 *dataAt(void) { return data; }
__attribute__((export_name("dataBytes"))) i32 dataBytes(void) { return DATA_BYTES; }
__attribute__((export_name("recordsAt"))) i32 *recordsAt(void) { return records; }
__attribute__((export_name("tokensAt"))) double *tokensAt(void) { return tokens; }
__attribute__((export_name("recordCount"))) i32 getRecordCount(void) { return recordCount; }
__attribute__((export_name("maxRecords"))) i32 maxRecords(void) { return MAX_RECORDS; }

// ---------------------------------------------------------------- the cursor
// Over one line, L[0, E). Mirrors json-line-scanner.ts.
static const u8 *L;
static i32 E, P;
static i32 keyS, keyE;
enum { V_FAIL, V_STRING, V_NUMBER, V_LITERAL };
static i32 vKind, vS, vE, vCoding, vTrue, vNull;
static double vNum;
static i32 vExact; // the number was converted here (plain integer of ≤ 15 characters)

static inline i32 at(i32 i) { return i < E ? L[i] : -1; }
static inline i32 isDigit(i32 b) { return b >= '0' && b <= '9'; }
static inline i32 isHex(i32 b) { return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F'); }

/** Where a string from `i` closes, or -1 (a control byte, a bad escape, no close); sets vCoding. */
static i32 stringEnd(i32 i) {
  i32 coding = 0;
  for (;;) {
    // Sixteen bytes at a time while none of them is special.
    while (i + 16 <= E) {
      v128_t v = wasm_v128_load(L + i);
      v128_t special = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('"')), wasm_i8x16_eq(v, wasm_i8x16_splat('\\'))),
                                    wasm_u8x16_lt(v, wasm_u8x16_splat(0x20)));
      u32 stop = wasm_i8x16_bitmask(special);
      u32 high = wasm_i8x16_bitmask(v);
      if (stop == 0) {
        if (high) coding |= CODING_HIGH;
        i += 16;
        continue;
      }
      u32 k = __builtin_ctz(stop);
      if (high & ((1u << k) - 1)) coding |= CODING_HIGH;
      i += k;
      break;
    }
    if (i >= E) return -1;
    u8 b = L[i];
    if (b == '"') {
      vCoding = coding;
      return i;
    }
    if (b < 0x20) return -1;
    if (b == '\\') {
      i32 e = at(i + 1);
      if (e == 'u') {
        if (i + 5 >= E || !isHex(L[i + 2]) || !isHex(L[i + 3]) || !isHex(L[i + 4]) || !isHex(L[i + 5])) return -1;
        i += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
        i += 2;
      } else {
        return -1;
      }
      coding |= CODING_ESCAPED;
      continue;
    }
    coding |= b & CODING_HIGH;
    i++;
  }
}

/** A key without escapes, then a colon. */
static i32 key(void) {
  if (at(P) != '"') return 0;
  i32 s = P + 1, i = stringEnd(s);
  if (i < 0 || at(i + 1) != ':' || (vCoding & CODING_ESCAPED)) return 0;
  keyS = s;
  keyE = i;
  P = i + 2;
  return 1;
}

static i32 number(void) {
  i32 s = P, i = s, integer = 1;
  if (at(i) == '-') i++;
  if (at(i) == '0') i++;
  else if (isDigit(at(i))) while (isDigit(at(i))) i++;
  else return 0;
  if (at(i) == '.') {
    integer = 0;
    i++;
    if (!isDigit(at(i))) return 0;
    while (isDigit(at(i))) i++;
  }
  if (at(i) == 'e' || at(i) == 'E') {
    integer = 0;
    i++;
    if (at(i) == '+' || at(i) == '-') i++;
    if (!isDigit(at(i))) return 0;
    while (isDigit(at(i))) i++;
  }
  P = i;
  vKind = V_NUMBER;
  vExact = integer && i - s <= 15;
  if (vExact) {
    double n = 0;
    for (i32 k = L[s] == '-' ? s + 1 : s; k < i; k++) n = n * 10 + (L[k] - '0');
    vNum = L[s] == '-' ? -n : n;
  }
  return 1;
}

static i32 literal(const char *text, i32 n) {
  if (P + n > E) return 0;
  for (i32 k = 1; k < n; k++)
    if (L[P + k] != (u8)text[k]) return 0;
  P += n;
  return 1;
}

/** A string, number, true, false or null. */
static i32 scalar(void) {
  i32 b = at(P);
  vTrue = 0;
  vNull = 0;
  if (b == '"') {
    i32 s = P + 1, i = stringEnd(s);
    if (i < 0) return 0;
    vKind = V_STRING;
    vS = s;
    vE = i;
    P = i + 1;
    return 1;
  }
  vKind = V_LITERAL;
  if (b == 't') return vTrue = 1, literal("true", 4);
  if (b == 'f') return literal("false", 5);
  if (b == 'n') return vNull = 1, literal("null", 4);
  return number();
}

/** After a value: a comma (1), the closing brace (0), anything else (-1). */
static i32 next(void) {
  if (P >= E) return -1;
  u8 b = L[P++];
  return b == ',' ? 1 : b == '}' ? 0 : -1;
}

static i32 spanIs(i32 s, i32 e, const char *text, i32 n) {
  if (e - s != n) return 0;
  for (i32 i = 0; i < n; i++)
    if (L[s + i] != (u8)text[i]) return 0;
  return 1;
}
#define KEY_IS(text) spanIs(keyS, keyE, text, sizeof(text) - 1)

// ------------------------------------------------------------- the extractor
// Mirrors assistant-extractor.ts (without its layout memory, which only saves work).
enum { TYPE_AT = -2, API_ERROR_AT = -3, MESSAGE_AT = -4, USAGE_AT = -5, SPLIT_AT = 5 };
enum { EXTRACT_DECLINED = 0, EXTRACT_OK = 1, EXTRACT_NEEDS_JS = 2 };

static i32 *out;      // the record being filled
static double *count; // its tokens
static i32 needsJs;   // a token count this module does not convert exactly

static i32 topKey(void) {
  switch (keyE - keyS) {
    case 3: return KEY_IS("cwd") ? F_CWD : -1;
    case 4: return KEY_IS("type") ? TYPE_AT : -1;
    case 9: return KEY_IS("timestamp") ? F_TIMESTAMP : KEY_IS("requestId") ? F_REQUEST_ID : KEY_IS("sessionId") ? F_SESSION_ID : -1;
    case 17: return KEY_IS("isApiErrorMessage") ? API_ERROR_AT : -1;
  }
  return -1;
}

static i32 messageKey(void) {
  if (keyE - keyS == 2) return KEY_IS("id") ? F_ID : -1;
  if (keyE - keyS == 5) return KEY_IS("model") ? F_MODEL : -1;
  return -1;
}

static i32 usageKey(void) {
  switch (keyE - keyS) {
    case 12: return KEY_IS("input_tokens") ? T_INPUT : -1;
    case 13: return KEY_IS("output_tokens") ? T_OUTPUT : -1;
    case 14: return KEY_IS("cache_creation") ? SPLIT_AT : -1;
    case 23: return KEY_IS("cache_read_input_tokens") ? T_CACHE_READ : -1;
    case 27: return KEY_IS("cache_creation_input_tokens") ? T_CACHE_CREATION : -1;
  }
  return -1;
}

static void keep(i32 field) {
  if (vKind == V_STRING) {
    out[R_KIND + field] = STRING;
    out[R_FIELD_START + field] = vS;
    out[R_FIELD_END + field] = vE;
    out[R_CODING + field] = vCoding;
  } else {
    out[R_KIND + field] = OTHER;
  }
}

static i32 topValue(i32 where) {
  if (!scalar()) return 0;
  if (where >= 0) keep(where);
  else if (where == TYPE_AT) out[R_IS_ASSISTANT] = vKind == V_STRING && spanIs(vS, vE, "assistant", 9);
  else if (where == API_ERROR_AT) out[R_API_ERROR] = vKind == V_LITERAL && vTrue;
  return 1;
}

/** As tokenValue and tokenCount: a plausible non-negative integer, else -1. */
static double tokenValue(void) {
  if (vKind != V_NUMBER) return -1;
  if (!vExact) {
    needsJs = 1; // a fraction, an exponent or a long integer: JavaScript converts it
    return -1;
  }
  return vNum >= 0 && vNum <= 1e9 ? vNum + 0.0 : -1;
}

static void resetUsage(void) {
  for (i32 i = 0; i < 5; i++) count[i] = 0;
  out[R_SPLIT_INVALID] = 0;
}

/** The usage object (level 0), cache_creation in it (1), or another object in it (2). */
static i32 usageObject(i32 level) {
  if (at(P) != '{') return 0;
  P++;
  if (at(P) == '}') {
    P++;
    return 1;
  }
  for (;;) {
    if (!key()) return 0;
    i32 where = level == 0 ? usageKey() : level == 1 && KEY_IS("ephemeral_1h_input_tokens") ? T_CACHE_1H : -1;
    if (at(P) == '{') {
      if (level != 0) return 0;
      if (where == SPLIT_AT) {
        out[R_SPLIT_INVALID] = 0;
        count[T_CACHE_1H] = 0;
        if (!usageObject(1)) return 0;
      } else {
        if (!usageObject(2)) return 0;
        if (where >= 0) count[where] = -1;
      }
    } else {
      if (!scalar()) return 0;
      if (where == SPLIT_AT) {
        out[R_SPLIT_INVALID] = !vNull;
        count[T_CACHE_1H] = 0;
      } else if (where >= 0) {
        count[where] = tokenValue();
      }
    }
    i32 n = next();
    if (n == 0) return 1;
    if (n < 0) return 0;
  }
}

// Where the message content ends: `],"stop_reason":` (CONTENT_END in assistant-extractor.ts).
static const char CONTENT_END[] = "],\"stop_reason\":";
#define CONTENT_END_BYTES ((i32)sizeof(CONTENT_END) - 1)

/** Whether CONTENT_END starts at i (L[i] is `]`). */
static i32 contentEndAt(i32 i) {
  for (i32 k = 1; k < CONTENT_END_BYTES; k++)
    if (L[i + k] != (u8)CONTENT_END[k]) return 0;
  return 1;
}

/** The last `],"stop_reason":` of the line, or -1. Sixteen bytes a step, from the end: each `]` is a candidate. */
static i32 contentEnd(void) {
  i32 i = E - CONTENT_END_BYTES; // the last place it can start
  const v128_t bracket = wasm_i8x16_splat(']');
  for (; i >= 15; i -= 16) {
    u32 m = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(L + i - 15), bracket));
    while (m) {
      i32 k = 31 - __builtin_clz(m);
      if (contentEndAt(i - 15 + k)) return i - 15 + k;
      m &= ~(1u << k);
    }
  }
  for (; i >= 0; i--)
    if (L[i] == ']' && contentEndAt(i)) return i;
  return -1;
}

static i32 extract(void) {
  for (i32 i = 0; i < FIELD_COUNT; i++) out[R_KIND + i] = ABSENT, out[R_CODING + i] = 0;
  out[R_IS_ASSISTANT] = 0;
  out[R_API_ERROR] = 0;
  out[R_USAGE] = ABSENT;
  resetUsage();
  needsJs = 0;
  P = 1;
  if (!key()) return 0;
  if (!(at(P) == '{' && KEY_IS("message"))) {
    if (!topValue(topKey())) return 0;
    if (next() != 1) return 0;
    for (;;) {
      if (!key()) return 0;
      if (at(P) == '{' && KEY_IS("message")) break;
      if (!topValue(topKey())) return 0;
      if (next() != 1) return 0;
    }
  }
  P++;
  for (;;) {
    if (!key()) return 0;
    if (at(P) == '[' && KEY_IS("content")) break;
    i32 where = messageKey();
    if (!scalar()) return 0;
    if (where >= 0) keep(where);
    if (next() != 1) return 0;
  }
  i32 c = contentEnd();
  if (c < P) return 0;
  P = c + 2;
  for (;;) {
    if (!key()) return 0;
    if (KEY_IS("usage")) {
      resetUsage();
      if (at(P) == '{') {
        if (!usageObject(0)) return 0;
        out[R_USAGE] = 1; // OBJECT
      } else {
        if (!scalar()) return 0;
        out[R_USAGE] = OTHER;
      }
    } else {
      i32 where = messageKey();
      if (!scalar()) return 0;
      if (where >= 0) keep(where);
    }
    i32 n = next();
    if (n == 0) break;
    if (n < 0) return 0;
  }
  i32 after = next();
  if (after == 1) {
    for (;;) {
      if (!key()) return 0;
      if (KEY_IS("message")) return 0; // a second message would replace the first
      if (!topValue(topKey())) return 0;
      i32 n = next();
      if (n == 0) break;
      if (n < 0) return 0;
    }
  } else if (after != 0) {
    return 0;
  }
  return P == E;
}

// ------------------------------------------------------------------- UTF-8
/** Whether L[0, E) is well-formed UTF-8, as Node's isUtf8 decides. */
static i32 isUtf8(void) {
  i32 i = 0;
  while (i < E) {
    while (i + 16 <= E && !wasm_i8x16_bitmask(wasm_v128_load(L + i))) i += 16;
    if (i >= E) break;
    u8 b = L[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    i32 need;
    i32 lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b == 0xe0) need = 2, lo = 0xa0;
    else if (b == 0xed) need = 2, hi = 0x9f;
    else if (b >= 0xe1 && b <= 0xef) need = 2;
    else if (b == 0xf0) need = 3, lo = 0x90;
    else if (b == 0xf4) need = 3, hi = 0x8f;
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else return 0;
    if (i + need >= E) return 0;
    u8 c = L[i + 1];
    if (c < lo || c > hi) return 0;
    for (i32 k = 2; k <= need; k++)
      if ((L[i + k] & 0xc0) != 0x80) return 0;
    i += need + 1;
  }
  return 1;
}

// --------------------------------------------------------- kind of a line
// Mirrors kindOfLine in transcript-line-parser.ts.
enum { K_ASSISTANT, K_PROGRESS, K_USER, K_OTHER, K_UNKNOWN };

static i32 bytesAt(i32 p, const char *text, i32 n) {
  if (p < 0 || p + n > E) return 0;
  for (i32 i = 0; i < n; i++)
    if (L[p + i] != (u8)text[i]) return 0;
  return 1;
}
#define BYTES_AT(p, text) bytesAt(p, text, sizeof(text) - 1)

/** The first `text` (n ≥ 2 bytes) starting in [from, to - n], or -1. Sixteen places at a time are
 * sifted by the first two bytes; only the places where both match are compared in full. */
static i32 find(i32 from, i32 to, const char *text, i32 n) {
  const v128_t first = wasm_i8x16_splat(text[0]), second = wasm_i8x16_splat(text[1]);
  i32 i = from;
  for (; i + 17 <= to; i += 16) {
    u32 m = wasm_i8x16_bitmask(wasm_v128_and(wasm_i8x16_eq(wasm_v128_load(L + i), first), wasm_i8x16_eq(wasm_v128_load(L + i + 1), second)));
    while (m) {
      i32 p = i + __builtin_ctz(m);
      m &= m - 1;
      if (p + n > to) return -1;
      i32 k = 2;
      while (k < n && L[p + k] == (u8)text[k]) k++;
      if (k == n) return p;
    }
  }
  for (; i + n <= to; i++) {
    i32 k = 0;
    while (k < n && L[i + k] == (u8)text[k]) k++;
    if (k == n) return i;
  }
  return -1;
}
#define FIND(from, to, text) find(from, to, text, sizeof(text) - 1)

#define EDGE_BYTES 512
// "type":"assistant","uuid":" + 36 + ","timestamp":" + 24 + "}
#define CANONICAL_TAIL_BYTES (27 + 36 + 15 + 24 + 2)

static i32 kindOfLine(void) {
  i32 tail = E - CANONICAL_TAIL_BYTES;
  if (tail > 0 && BYTES_AT(tail, "\"type\":\"assistant\",\"uuid\":\"") && BYTES_AT(tail + 27 + 36, "\",\"timestamp\":\"")) return K_ASSISTANT;
  i32 edge = E < EDGE_BYTES ? E : EDGE_BYTES;
  i32 envelopeEnd = edge;
  for (i32 i = 1; i < edge; i++)
    if (L[i] == '{') {
      envelopeEnd = i;
      break;
    }
  i32 t = FIND(0, envelopeEnd, "\"type\":\"");
  if (t >= 0) {
    i32 value = t + 8;
    if (BYTES_AT(value, "assistant\"")) return K_ASSISTANT;
    if (BYTES_AT(value, "user\"")) return K_USER;
    return BYTES_AT(value, "progress\"") ? K_PROGRESS : K_OTHER;
  }
  i32 from = E > EDGE_BYTES ? E - EDGE_BYTES : 0;
  return FIND(from, E, "\"type\":\"assistant\"") >= 0 ? K_ASSISTANT : K_UNKNOWN;
}

/** Whether the line holds "resets" or "reached" (mayMentionLimit): one pass, as both begin with "re". */
static i32 mentionsLimit(void) {
  for (i32 p = FIND(0, E, "re"); p >= 0; p = FIND(p + 1, E, "re"))
    if (BYTES_AT(p, "resets") || BYTES_AT(p, "reached")) return 1;
  return 0;
}

// ------------------------------------------------------------------ a block
#define LIMIT_SCAN_MAX_LINE 4096

static i32 newlineFrom(i32 i, i32 end) {
  const v128_t nl = wasm_i8x16_splat('\n');
  // Sixty-four bytes a step while none is a newline (most lines are kilobytes long).
  while (i + 64 <= end) {
    v128_t a = wasm_i8x16_eq(wasm_v128_load(data + i), nl), b = wasm_i8x16_eq(wasm_v128_load(data + i + 16), nl);
    v128_t c = wasm_i8x16_eq(wasm_v128_load(data + i + 32), nl), d = wasm_i8x16_eq(wasm_v128_load(data + i + 48), nl);
    if (wasm_v128_any_true(wasm_v128_or(wasm_v128_or(a, b), wasm_v128_or(c, d)))) break;
    i += 64;
  }
  while (i + 16 <= end) {
    u32 m = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(data + i), nl));
    if (m) return i + __builtin_ctz(m);
    i += 16;
  }
  for (; i < end; i++)
    if (data[i] == '\n') return i;
  return -1;
}

static void handToJs(i32 start, i32 end) {
  i32 *r = records + recordCount++ * RECORD_INTS;
  r[R_WHAT] = WHAT_JS;
  r[R_START] = start;
  r[R_END] = end;
}

/** One line, data[start, end) without its newline: a record for JavaScript, or nothing. */
static void line(i32 start, i32 end) {
  i32 s = start, e = end;
  while (e > s && (data[e - 1] == '\r' || data[e - 1] == ' ' || data[e - 1] == '\t')) e--;
  while (s < e && (data[s] == ' ' || data[s] == '\t')) s++;
  if (e == s) return;
  if (data[s] != '{' || data[e - 1] != '}') return handToJs(start, end);
  L = data + s;
  E = e - s;
  i32 kind = kindOfLine();
  if (kind == K_OTHER) return;
  if (kind == K_USER) {
    // A short user record may carry a subagent's limit message ("resets" or "reached").
    if (E <= LIMIT_SCAN_MAX_LINE && mentionsLimit()) handToJs(start, end);
    return;
  }
  if (kind != K_ASSISTANT || !isUtf8()) return handToJs(start, end);
  out = records + recordCount * RECORD_INTS;
  count = tokens + recordCount * 5;
  if (!extract() || !out[R_IS_ASSISTANT] || needsJs) return handToJs(start, end);
  out[R_WHAT] = WHAT_FIELDS;
  out[R_START] = s;
  out[R_END] = e;
  recordCount++;
}

/**
 * Reads the lines of data[start, end), which ends just after a newline, until
 * the records are full. Returns where it stopped (end when it read them all);
 * recordCount() tells how many records it wrote.
 */
__attribute__((export_name("scanLines"))) i32 scanLines(i32 start, i32 end) {
  recordCount = 0;
  while (start < end && recordCount < MAX_RECORDS) {
    i32 nl = newlineFrom(start, end);
    if (nl < 0) nl = end;
    line(start, nl);
    start = nl + 1;
  }
  return start < end ? start : end;
}

// ------------------------------------------------------------ for the tests
/** Extracts data[0, length) as one line, for the property tests: 0 declined, 1 read, 2 needs JavaScript. */
__attribute__((export_name("extractLine"))) i32 extractLine(i32 length) {
  L = data;
  E = length;
  out = records;
  count = tokens;
  if (E < 2 || L[0] != '{' || L[E - 1] != '}') return EXTRACT_DECLINED;
  if (!extract()) return EXTRACT_DECLINED;
  return needsJs ? EXTRACT_NEEDS_JS : EXTRACT_OK;
}

__attribute__((export_name("kindOfLineAt"))) i32 kindOfLineAt(i32 length) {
  L = data;
  E = length;
  return kindOfLine();
}

__attribute__((export_name("utf8At"))) i32 utf8At(i32 length) {
  L = data;
  E = length;
  return isUtf8();
}

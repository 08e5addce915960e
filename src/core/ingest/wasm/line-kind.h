// What a line is, from its edges (kindOfLine in transcript-line-parser.ts),
// whether it is well-formed UTF-8 (Node's isUtf8), and whether a short user
// line names a limit (mayMentionLimit).
#pragma once
#include "json-cursor.h"

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
      if (bytesAt(p, text, n)) return p;
    }
  }
  for (; i + n <= to; i++)
    if (bytesAt(i, text, n)) return i;
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

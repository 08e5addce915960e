// The counted fields of an assistant line, read with the cursor. Mirrors
// assistant-extractor.ts (without its layout memory, which only saves work):
// anything it does not expect declines, and the line goes to JavaScript.
#pragma once
#include "json-cursor.h"

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

/** The last `],"stop_reason":` of the line, or -1. Sixteen bytes a step, from the end: each `]` is a candidate. */
static i32 contentEnd(void) {
  i32 i = E - CONTENT_END_BYTES; // the last place it can start
  const v128_t bracket = wasm_i8x16_splat(']');
  for (; i >= 15; i -= 16) {
    u32 m = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(L + i - 15), bracket));
    while (m) {
      i32 k = 31 - __builtin_clz(m);
      if (BYTES_AT(i - 15 + k, CONTENT_END)) return i - 15 + k;
      m &= ~(1u << k);
    }
  }
  for (; i >= 0; i--)
    if (L[i] == ']' && BYTES_AT(i, CONTENT_END)) return i;
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
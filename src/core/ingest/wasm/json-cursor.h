// A cursor over one JSON line, L[0, E): keys, plain values (strings, numbers,
// literals) and separators, read with JSON's own grammar. Mirrors
// json-line-scanner.ts; every read is bounded by the line's end.
#pragma once
#include "record-layout.h"

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

/** Whether a[0, n) and b[0, n) hold the same bytes. */
static i32 sameBytes(const u8 *a, const u8 *b, i32 n) {
  for (i32 i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/** Whether `text` (n bytes) sits whole in the line at p. */
static i32 bytesAt(i32 p, const char *text, i32 n) {
  return p >= 0 && p + n <= E && sameBytes(L + p, (const u8 *)text, n);
}
#define BYTES_AT(p, text) bytesAt(p, text, sizeof(text) - 1)

static i32 literal(const char *text, i32 n) {
  if (!bytesAt(P, text, n)) return 0;
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
  return e - s == n && bytesAt(s, text, n);
}
#define KEY_IS(text) spanIs(keyS, keyE, text, sizeof(text) - 1)
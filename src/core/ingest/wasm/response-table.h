// One file's responses, de-duplicated, written as the packed rows and string
// table ScanEventWriter (scan-events.ts) writes, in the same order: a settled
// response is counted here without a call into JavaScript, and JavaScript adds
// what its parser counted (addEvent) at its place in the file. Texts are kept
// as UTF-8 (escapes decoded), so equal bytes mean equal strings. Anything this
// table cannot hold (a full table, a lone surrogate) marks the file failed,
// and JavaScript reads it again on its own path.
#pragma once
#include "json-cursor.h"

#define MAX_ROWS (256 * 1024)
#define PACKED_FIELDS 12 // packed-layout.ts: key, ms, model, session, cwd, 5 tokens, cost, the key's hash
#define ARENA_BYTES (16 * 1024 * 1024)
#define MAX_STRINGS (MAX_ROWS + 1024)
#define MAX_KEY_SLOTS (2 * MAX_ROWS) // a power of two: the key table at most half full
#define TEXT_SLOTS 1024              // models, sessions and folders of one file (at most half full)
#define SCRATCH_BYTES (64 * 1024)    // one key, or one event's texts from JavaScript

static double rows[MAX_ROWS * PACKED_FIELDS];
static i32 rowCount;
static u8 arena[ARENA_BYTES];
static i32 arenaUsed;
static i32 stringAt[MAX_STRINGS + 1]; // string s is arena[stringAt[s], stringAt[s + 1])
static u8 stringHigh[MAX_STRINGS];    // it holds bytes ≥ 0x80: decoded as UTF-8, not latin1
static i32 stringCount;
static i32 keySlots[MAX_KEY_SLOTS]; // row + 1, 0 empty
static u32 keyMask = 1023; // startTable sets it back for each file
static i32 textSlots[TEXT_SLOTS]; // string + 1, 0 empty
static i32 textCount;
static i32 tableFailed;
static u8 scratch[SCRATCH_BYTES];
// The two fallbacks (session, folder) JavaScript names at a file's start, as UTF-8.
#define FALLBACK_BYTES 1024
static u8 fallbackBytes[2][FALLBACK_BYTES];
static i32 fallbackLength[2];
// The last settled response's raw text fields and what they became: most lines repeat them.
static u8 lastRaw[FIELD_COUNT][256];
static i32 lastRawLength[FIELD_COUNT]; // -1: nothing remembered
static i32 lastString[FIELD_COUNT];
static i32 lastKeyRow; // -1: none (or no key)

/** Empties the table for a new file whose fallbacks are `session` and `folder` (a and b bytes); 0 when they are too long (the table fails). */
static i32 startTable(const u8 *session, i32 a, const u8 *folder, i32 b) {
  for (u32 i = 0; i <= keyMask; i++) keySlots[i] = 0;
  keyMask = 1023;
  for (i32 i = 0; i < TEXT_SLOTS; i++) textSlots[i] = 0;
  rowCount = arenaUsed = stringCount = textCount = tableFailed = 0;
  stringAt[0] = 0;
  lastKeyRow = -1;
  for (i32 f = 0; f < FIELD_COUNT; f++) lastRawLength[f] = -1;
  if (a > FALLBACK_BYTES || b > FALLBACK_BYTES) return tableFailed = 1, 0;
  for (i32 i = 0; i < a; i++) fallbackBytes[0][i] = session[i];
  for (i32 i = 0; i < b; i++) fallbackBytes[1][i] = folder[i];
  fallbackLength[0] = a;
  fallbackLength[1] = b;
  return 1;
}

/** FNV-1a: the key's hash JavaScript finds it by (hashKey in key-table.ts). */
static u32 hashBytes(const u8 *p, i32 n) {
  u32 h = 2166136261u;
  for (i32 i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static i32 stringIs(i32 s, const u8 *p, i32 n) {
  return stringAt[s + 1] - stringAt[s] == n && sameBytes(arena + stringAt[s], p, n);
}

/** A new string of the table, or -1 (the table is full). */
static i32 addString(const u8 *p, i32 n) {
  if (stringCount == MAX_STRINGS || arenaUsed + n > ARENA_BYTES) return tableFailed = 1, -1;
  u8 high = 0;
  for (i32 i = 0; i < n; i++) high |= arena[arenaUsed + i] = p[i];
  stringHigh[stringCount] = high >> 7;
  arenaUsed += n;
  stringAt[++stringCount] = arenaUsed;
  return stringCount - 1;
}

/** The string of these bytes among the texts, added on first use (StringTable.at). */
static i32 internText(const u8 *p, i32 n) {
  u32 slot = hashBytes(p, n) & (TEXT_SLOTS - 1);
  for (; textSlots[slot]; slot = (slot + 1) & (TEXT_SLOTS - 1))
    if (stringIs(textSlots[slot] - 1, p, n)) return textSlots[slot] - 1;
  if (textCount == TEXT_SLOTS / 2) return tableFailed = 1, -1;
  i32 s = addString(p, n);
  if (s < 0) return -1;
  textCount++;
  textSlots[slot] = s + 1;
  return s;
}

/** A keyed row's hash, as its row holds it for JavaScript (packed-layout.ts: keyHash). */
static u32 hashOf(i32 row) {
  return (u32)rows[row * PACKED_FIELDS + 11];
}

static void placeKey(u32 hash, i32 row) {
  u32 slot = hash & keyMask;
  while (keySlots[slot]) slot = (slot + 1) & keyMask;
  keySlots[slot] = row + 1;
}

/** The row of a key, or -1. */
static i32 findKey(u32 hash, const u8 *p, i32 n) {
  for (u32 slot = hash & keyMask; keySlots[slot]; slot = (slot + 1) & keyMask) {
    i32 row = keySlots[slot] - 1;
    if (hashOf(row) == hash && stringIs((i32)rows[row * PACKED_FIELDS], p, n)) return row;
  }
  return -1;
}

/** Doubles the key table when half full: every keyed row placed again. */
static void growKeys(void) {
  if (keyMask + 1 == MAX_KEY_SLOTS) return;
  keyMask = keyMask * 2 + 1;
  for (u32 i = 0; i <= keyMask; i++) keySlots[i] = 0;
  for (i32 row = 0; row < rowCount; row++)
    if (rows[row * PACKED_FIELDS] >= 0) placeKey(hashOf(row), row);
}

/**
 * ScanEventWriter.add: the response of key[0, keyLength) (keyLength -1: no
 * key) counts once, as its line with the largest output. Returns its row, or -1.
 */
static i32 addRow(const u8 *key, i32 keyLength, i32 knownRow, double ms, i32 model, i32 session, i32 cwd, const double *t) {
  if (tableFailed) return -1;
  i32 row = knownRow;
  u32 hash = 0;
  if (row < 0 && keyLength >= 0) row = findKey(hash = hashBytes(key, keyLength), key, keyLength);
  if (row >= 0) {
    // Streamed responses repeat on several lines; earlier ones carry a partial output count.
    if (t[T_OUTPUT] <= rows[row * PACKED_FIELDS + 6]) return row;
  } else {
    if (rowCount == MAX_ROWS) return tableFailed = 1, -1;
    row = rowCount;
    double keyString = -1;
    if (keyLength >= 0) {
      i32 s = addString(key, keyLength);
      if (s < 0) return -1;
      keyString = s;
    }
    rowCount++;
    rows[row * PACKED_FIELDS] = keyString;
    rows[row * PACKED_FIELDS + 11] = hash;
    if (keyLength >= 0) {
      placeKey(hash, row);
      if ((u32)rowCount * 2 > keyMask) growKeys();
    }
  }
  double *r = rows + row * PACKED_FIELDS;
  r[1] = ms;
  r[2] = model;
  r[3] = session;
  r[4] = cwd;
  r[5] = t[T_INPUT];
  r[6] = t[T_OUTPUT];
  r[7] = t[T_CACHE_CREATION];
  r[8] = t[T_CACHE_1H];
  r[9] = t[T_CACHE_READ];
  r[10] = 0; // the cost: JavaScript prices the rows at the end (r[11], the key's hash, stays)
  return row;
}

/** The four hex digits at p (checked by the cursor). */
static u32 hex4(const u8 *p) {
  u32 v = 0;
  for (i32 k = 0; k < 4; k++) v = v * 16 + (u32)(p[k] <= '9' ? p[k] - '0' : (p[k] | 0x20) - 'a' + 10);
  return v;
}

/** A JSON string's content (valid escapes: the cursor checked them) as UTF-8 into dst; its length, or -1. */
static i32 unescapeInto(const u8 *s, i32 n, u8 *dst, i32 room) {
  i32 o = 0;
  for (i32 i = 0; i < n; i++) {
    if (o + 4 > room) return -1;
    u8 c = s[i];
    if (c != '\\') {
      dst[o++] = c;
      continue;
    }
    c = s[++i];
    if (c != 'u') {
      dst[o++] = c == 'b' ? 8 : c == 'f' ? 12 : c == 'n' ? 10 : c == 'r' ? 13 : c == 't' ? 9 : c; // '"', '\\' and '/' are themselves
      continue;
    }
    u32 cp = hex4(s + i + 1);
    i += 4;
    if (cp >= 0xdc00 && cp < 0xe000) return -1; // a lone low surrogate: no UTF-8 for it
    if (cp >= 0xd800 && cp < 0xdc00) {
      if (i + 6 >= n || s[i + 1] != '\\' || s[i + 2] != 'u') return -1;
      u32 low = hex4(s + i + 3);
      if (low < 0xdc00 || low >= 0xe000) return -1;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      i += 6;
    }
    if (cp < 0x80) {
      dst[o++] = (u8)cp;
    } else if (cp < 0x800) {
      dst[o++] = (u8)(0xc0 | cp >> 6);
      dst[o++] = (u8)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      dst[o++] = (u8)(0xe0 | cp >> 12);
      dst[o++] = (u8)(0x80 | (cp >> 6 & 0x3f));
      dst[o++] = (u8)(0x80 | (cp & 0x3f));
    } else {
      dst[o++] = (u8)(0xf0 | cp >> 18);
      dst[o++] = (u8)(0x80 | (cp >> 12 & 0x3f));
      dst[o++] = (u8)(0x80 | (cp >> 6 & 0x3f));
      dst[o++] = (u8)(0x80 | (cp & 0x3f));
    }
  }
  return o;
}

/** Text field f of the extracted record, decoded, to dst; its length, or -1 (cannot be UTF-8, or too long). */
static i32 fieldText(i32 f, u8 *dst, i32 room) {
  const u8 *p = L + out[R_FIELD_START + f];
  i32 n = out[R_FIELD_END + f] - out[R_FIELD_START + f];
  if (out[R_CODING + f] & CODING_ESCAPED) return unescapeInto(p, n, dst, room);
  if (n > room) return -1;
  for (i32 i = 0; i < n; i++) dst[i] = p[i];
  return n;
}

/** Whether field f holds the same raw bytes as in the last settled response (and remembers them if not). */
static i32 repeated(i32 f) {
  i32 n = out[R_KIND + f] == STRING ? out[R_FIELD_END + f] - out[R_FIELD_START + f] : -1;
  const u8 *p = L + out[R_FIELD_START + f];
  if (n >= 0 && n == lastRawLength[f] && sameBytes(lastRaw[f], p, n)) return 1;
  lastRawLength[f] = n >= 0 && n <= 256 ? n : -1;
  if (lastRawLength[f] >= 0)
    for (i32 i = 0; i < n; i++) lastRaw[f][i] = p[i];
  return 0;
}

/** The string of text field f (or of `fallback` when it is no string): from the last response when repeated. */
static i32 textOf(i32 f, i32 fallback) {
  if (out[R_KIND + f] != STRING) {
    lastRawLength[f] = -1;
    return internText(fallbackBytes[fallback], fallbackLength[fallback]);
  }
  if (repeated(f)) return lastString[f];
  i32 n = fieldText(f, scratch, SCRATCH_BYTES);
  i32 s = n < 0 ? (tableFailed = 1, -1) : internText(scratch, n);
  if (s < 0) lastRawLength[f] = -1;
  return lastString[f] = s;
}

/** Counts a settled response (counted-response.h) in the table, as ScanEventWriter.response counts it. */
static void collectResponse(double ms) {
  i32 model = textOf(F_MODEL, 0); // settled: the model is a non-empty string, never the fallback
  i32 session = textOf(F_SESSION_ID, 0);
  i32 cwd = textOf(F_CWD, 1);
  if (tableFailed) return;
  if (out[R_KIND + F_ID] != STRING) {
    lastRawLength[F_ID] = lastRawLength[F_REQUEST_ID] = -1;
    lastKeyRow = -1;
    addRow(0, -1, -1, ms, model, session, cwd, count);
    return;
  }
  // Both halves repeated: the same key, so the same row.
  i32 sameId = repeated(F_ID), sameRequest = out[R_KIND + F_REQUEST_ID] == STRING ? repeated(F_REQUEST_ID) : (lastRawLength[F_REQUEST_ID] = -1, 0);
  if (sameId && sameRequest && lastKeyRow >= 0) {
    addRow(0, 0, lastKeyRow, ms, model, session, cwd, count);
    return;
  }
  // message.id, then ":" and requestId when there is one (responseKey in record-fields.ts).
  i32 n = fieldText(F_ID, scratch, SCRATCH_BYTES - 1);
  if (n >= 0 && out[R_KIND + F_REQUEST_ID] == STRING) {
    scratch[n] = ':';
    i32 m = fieldText(F_REQUEST_ID, scratch + n + 1, SCRATCH_BYTES - n - 1);
    n = m < 0 ? -1 : n + 1 + m;
  }
  if (n < 0) {
    tableFailed = 1;
    return;
  }
  lastKeyRow = addRow(scratch, n, -1, ms, model, session, cwd, count);
}

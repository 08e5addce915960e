// The transcript line scanner, compiled to WebAssembly (scripts/build-wasm.mjs
// writes line-scanner-wasm.ts from it). It does for a block of whole lines what
// transcript-line-parser.ts does line by line, byte for byte the same decisions.
// A response in the common shape is counted here, in the file's response table;
// JavaScript gets a record only for what needs its parser: an assistant line
// read here but not settled (where its fields lie, its token counts), or a line
// it must parse (anything unusual). Lines that cannot hold usage cost a newline
// search and a look at their edges.
//
// Why WebAssembly: in a cold scan, V8 compiled the JavaScript line parser (and
// then the per-response counting) once per thread, and compiling took a fifth
// of the run's CPU. This module is compiled once per process and runs at full
// speed from the first line.
//
// Freestanding C, one translation unit (the headers hold its parts, so the
// compiler inlines across them): no libc, no allocation. Memory is fixed: the
// read buffer, then the output records. Every read is bounded by the line's end.
//   record-layout.h       types, and the records JavaScript reads
//   json-cursor.h         keys and plain values of one line
//   assistant-extractor.h the counted fields of an assistant line
//   counted-response.h    whether a response counts as it stands; its time
//   response-table.h      the file's responses, de-duplicated, as packed rows
//   line-kind.h           a line's kind by its edges; UTF-8; limit words
#include "record-layout.h"
#include "json-cursor.h"
#include "assistant-extractor.h"
#include "counted-response.h"
#include "response-table.h"
#include "line-kind.h"

static u8 data[DATA_BYTES + 64] __attribute__((aligned(16)));
static i32 records[MAX_RECORDS * RECORD_INTS];
static double tokens[MAX_RECORDS * 5];
static i32 recordCount;
static i32 collecting; // settled responses go to the response table (else: records for countExtracted)

__attribute__((export_name("dataAt"))) u8 *dataAt(void) { return data; }
__attribute__((export_name("dataBytes"))) i32 dataBytes(void) { return DATA_BYTES; }
__attribute__((export_name("recordsAt"))) i32 *recordsAt(void) { return records; }
__attribute__((export_name("tokensAt"))) double *tokensAt(void) { return tokens; }
__attribute__((export_name("setLatestMs"))) void setLatestMs(double ms) { latestMs = ms; }
__attribute__((export_name("recordCount"))) i32 getRecordCount(void) { return recordCount; }
__attribute__((export_name("maxRecords"))) i32 maxRecords(void) { return MAX_RECORDS; }

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
  double ms;
  if (collecting && settleResponse(&ms)) return collectResponse(ms);
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
  // Collecting, JavaScript takes each record before the next line: what it counts keeps its place in the file.
  i32 most = collecting ? 1 : MAX_RECORDS;
  while (start < end && recordCount < most) {
    i32 nl = newlineFrom(start, end);
    if (nl < 0) nl = end;
    line(start, nl);
    start = nl + 1;
  }
  return start < end ? start : end;
}

// ------------------------------------------------------- the response table
/** A file begins: an empty table; the fallback session and folder (UTF-8) are scratch[0, a) and scratch[a, a + b). */
__attribute__((export_name("beginFile"))) i32 beginFile(i32 a, i32 b) {
  collecting = 1;
  return startTable(scratch, a, scratch + a, b);
}

/** Settled responses: to the table (1), or as records for JavaScript (0). */
__attribute__((export_name("collectInto"))) void collectInto(i32 on) { collecting = on; }

/**
 * A response JavaScript counted (ScanEventWriter.usage): its texts are UTF-8
 * in scratch, one after another (key, model, session, folder; keyLength -1: no key).
 */
__attribute__((export_name("addEvent"))) void addEvent(i32 keyLength, i32 modelLength, i32 sessionLength, i32 cwdLength, double ms, double input, double output,
                                                        double cacheCreation, double cacheCreation1h, double cacheRead) {
  const u8 *key = scratch, *model = key + (keyLength < 0 ? 0 : keyLength), *session = model + modelLength, *cwd = session + sessionLength;
  double t[5];
  t[T_INPUT] = input;
  t[T_OUTPUT] = output;
  t[T_CACHE_CREATION] = cacheCreation;
  t[T_CACHE_READ] = cacheRead;
  t[T_CACHE_1H] = cacheCreation1h;
  i32 m = internText(model, modelLength), s = internText(session, sessionLength), c = internText(cwd, cwdLength);
  if (!tableFailed) addRow(key, keyLength, -1, ms, m, s, c, t);
}

__attribute__((export_name("scratchAt"))) u8 *scratchAt(void) { return scratch; }
__attribute__((export_name("scratchBytes"))) i32 scratchBytes(void) { return SCRATCH_BYTES; }
__attribute__((export_name("tableFailed"))) i32 getTableFailed(void) { return tableFailed; }
__attribute__((export_name("rowsAt"))) double *rowsAt(void) { return rows; }
__attribute__((export_name("rowCount"))) i32 getRowCount(void) { return rowCount; }
__attribute__((export_name("arenaAt"))) u8 *arenaAt(void) { return arena; }
__attribute__((export_name("stringsAt"))) i32 *stringsAt(void) { return stringAt; }
__attribute__((export_name("stringHighAt"))) u8 *stringHighAt(void) { return stringHigh; }
__attribute__((export_name("stringCount"))) i32 getStringCount(void) { return stringCount; }

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

/** isoMs of data[0, length), for the property tests. */
__attribute__((export_name("isoMsAt"))) double isoMsAt(i32 length) { return isoMs(data, length); }

__attribute__((export_name("utf8At"))) i32 utf8At(i32 length) {
  L = data;
  E = length;
  return isUtf8();
}

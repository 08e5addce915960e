// The line scanner's types and the layout of the records it hands JavaScript
// (wasm-line-scanner.ts reads them; assistant-fields.ts holds the same fields).
#pragma once
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

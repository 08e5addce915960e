// Whether an assistant line the extractor read is a response the scan counts
// as it stands: what countExtracted checks (a real model, usage, a time in
// range, plausible tokens), decided here for the common shape, with its time
// read, so the response table (response-table.h) counts it without a call
// into JavaScript. Anything else goes to countExtracted, as before.
#pragma once
#include "json-cursor.h"

/** Date.UTC(2023, 0, 1): EARLIEST_TIMESTAMP_MS in record-fields.ts. */
#define EARLIEST_MS 1672531200000.0

static double latestMs; // set per block by JavaScript: now plus the clock slack

static i32 digitsAt(const u8 *p, i32 n) {
  i32 v = 0;
  for (i32 i = 0; i < n; i++) {
    u32 d = (u32)p[i] - '0';
    if (d > 9) return -1;
    v = v * 10 + (i32)d;
  }
  return v;
}

static i32 daysInMonth(i32 year, i32 month) {
  if (month == 2) return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a Gregorian date (year ≥ 0), as Date.UTC counts them. */
static i32 daysFromCivil(i32 year, i32 month, i32 day) {
  year -= month <= 2;
  i32 era = year / 400, yearOfEra = year - era * 400;
  i32 dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  return era * 146097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719468;
}

/**
 * A toISOString time, `dddd-dd-ddTdd:dd:dd.dddZ`, in ms since the epoch, as
 * parseStrictTimestampAt reads it; -1 for any other text or an impossible date.
 */
static double isoMs(const u8 *p, i32 n) {
  if (n != 24 || p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' || p[16] != ':' || p[19] != '.' || p[23] != 'Z') return -1;
  i32 year = digitsAt(p, 4), month = digitsAt(p + 5, 2), day = digitsAt(p + 8, 2);
  i32 hour = digitsAt(p + 11, 2), minute = digitsAt(p + 14, 2), second = digitsAt(p + 17, 2), millis = digitsAt(p + 20, 3);
  if ((year | month | day | hour | minute | second | millis) < 0) return -1;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return -1;
  return daysFromCivil(year, month, day) * 86400000.0 + ((hour * 60 + minute) * 60 + second) * 1000.0 + millis;
}

static i32 isSyntheticModel(void) {
  return spanIs(out[R_FIELD_START + F_MODEL], out[R_FIELD_END + F_MODEL], "<synthetic>", 11);
}

/**
 * For the record just extracted (out, count): its time in *ms, and 1, when
 * countExtracted would count it as it stands; 0 to leave the decision to JavaScript.
 */
static i32 settleResponse(double *ms) {
  if (out[R_API_ERROR] || out[R_USAGE] != 1 /* OBJECT */ || out[R_SPLIT_INVALID]) return 0;
  for (i32 t = 0; t < 5; t++)
    if (count[t] < 0) return 0;
  // An escaped or empty model, or Claude Code's own "<synthetic>": countExtracted's other branches.
  if (out[R_KIND + F_MODEL] != STRING || out[R_CODING + F_MODEL] & CODING_ESCAPED || out[R_FIELD_END + F_MODEL] == out[R_FIELD_START + F_MODEL] || isSyntheticModel()) return 0;
  if (out[R_KIND + F_TIMESTAMP] != STRING || out[R_CODING + F_TIMESTAMP] & CODING_ESCAPED) return 0;
  double t = isoMs(L + out[R_FIELD_START + F_TIMESTAMP], out[R_FIELD_END + F_TIMESTAMP] - out[R_FIELD_START + F_TIMESTAMP]);
  if (t < EARLIEST_MS || t > latestMs) return 0;
  *ms = t;
  return 1;
}

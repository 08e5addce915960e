// Issue #10 items 6 and 7 and the skip labels, from their reproductions:
// extreme dates, implausible token counts and damaged lines are skipped with
// an accurate reason, never counted as 0, NaN or an unprintable date.
import { describe, expect, it } from 'vitest';
import { EARLIEST_TIMESTAMP_MS, FUTURE_SLACK_MS, MAX_TOKENS_PER_FIELD, parseStrictTimestamp, parseStrictTimestampAt } from '../../../src/core/ingest/record-fields.js';
import { type LineSink, type SkipReason, type UsageEvent, parseOversizedLine, parseTranscriptLine } from '../../../src/core/ingest/transcript-line-parser.js';
import { usageLine } from '../../support/usage-lines.js';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const CONTEXT = { fallbackSessionId: 'file-session', fallbackProject: '-work-x', latestMs: NOW + FUTURE_SLACK_MS };

function parse(line: string | Buffer) {
  const events: UsageEvent[] = [];
  const skipped: SkipReason[] = [];
  const sink: LineSink = { usage: (e) => events.push(e), skipped: (r) => skipped.push(r), limitCandidate: () => undefined };
  const buffer = typeof line === 'string' ? Buffer.from(line) : line;
  parseTranscriptLine(buffer, 0, buffer.length, CONTEXT, sink);
  return { events, skipped };
}

/** A usage line whose usage object is replaced by `usage` verbatim (any JSON value). */
function lineWithUsage(usage: string): string {
  const line = usageLine({ at: '2026-11-20T10:00:00.000Z', input: 111, output: 222 });
  const at = line.indexOf('"usage":');
  return `${line.slice(0, at)}"usage":${usage}${line.slice(line.indexOf('}', at) + 1)}`;
}

describe('timestamps (issue #10 item 6)', () => {
  it.each([
    ['+275760-09-13T00:00:00.000Z', 'invalid-timestamp'], // expanded year: not what Claude Code writes
    ['2026-02-30T10:00:00.000Z', 'invalid-timestamp'],
    ['2026-11-20T10:00:00.000', 'invalid-timestamp'], // no zone
    ['2026-11-20 10:00:00Z', 'invalid-timestamp'],
    ['2026-11-20T24:00:00.000Z', 'invalid-timestamp'],
    ['2022-12-31T23:59:59.999Z', 'out-of-range-timestamp'],
    ['9999-12-31T23:59:59.999Z', 'out-of-range-timestamp'],
    [new Date(NOW + FUTURE_SLACK_MS + 1000).toISOString(), 'out-of-range-timestamp'],
  ])('skips %s as %s', (at, reason) => {
    expect(parse(usageLine({ at })).skipped).toEqual([reason]);
    expect(parse(usageLine({ at })).events).toEqual([]);
  });

  it('accepts the range edges and zone offsets, agreeing with Date.parse', () => {
    for (const at of ['2023-01-01T00:00:00.000Z', '2024-02-29T23:59:59.5Z', '2026-11-20T12:30:00+05:30', '2026-11-20T01:00:00.123456-08:00', new Date(NOW + FUTURE_SLACK_MS).toISOString()]) {
      expect(parseStrictTimestamp(at)).toBe(Date.parse(at));
      expect(parse(usageLine({ at })).events.map((e) => e.ms)).toEqual([Date.parse(at)]);
    }
    expect(parseStrictTimestamp('2023-01-01T00:00:00Z')).toBe(EARLIEST_TIMESTAMP_MS);
  });

  it('reads toISOString shapes digit by digit exactly as the general parser reads them', () => {
    // The same instant written "+00:00" takes the general (regular expression) path.
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const fast = `${pad(next(10_000), 4)}-${pad(next(14), 2)}-${pad(next(33), 2)}T${pad(next(26), 2)}:${pad(next(62), 2)}:${pad(next(62), 2)}.${pad(next(1000), 3)}Z`;
      const general = parseStrictTimestamp(fast.replace('Z', '+00:00'));
      expect(parseStrictTimestamp(fast)).toBe(general);
      // And from the bytes, inside a buffer, as the scan reads it (its day cache included).
      const bytes = Buffer.from(`"${fast}"`);
      expect(parseStrictTimestampAt(bytes, 1, bytes.length - 1)).toBe(general);
      if (general !== null) valid++;
    }
    expect(valid).toBeGreaterThan(5_000);
  });
});

describe('token counts (issue #10 item 7)', () => {
  it.each([
    ['1e308', `{"input_tokens":1e308,"output_tokens":5}`],
    ['over the cap', `{"input_tokens":${MAX_TOKENS_PER_FIELD + 1},"output_tokens":5}`],
    ['a number as a string', `{"input_tokens":"12","output_tokens":5}`],
    ['a negative number', `{"input_tokens":10,"output_tokens":-5}`],
    ['a fraction', `{"input_tokens":10.5,"output_tokens":5}`],
    ['null', `{"input_tokens":null,"output_tokens":5}`],
    ['an object', `{"input_tokens":{"n":1},"output_tokens":5}`],
    ['an implausible 1-hour cache split', `{"input_tokens":1,"cache_creation":{"ephemeral_1h_input_tokens":-1}}`],
    ['usage that is not an object', `42`],
    ['usage that is null', `null`],
  ])('skips %s as implausible-usage, never as a silent 0', (_name, usage) => {
    const { events, skipped } = parse(lineWithUsage(usage));
    expect(events).toEqual([]);
    expect(skipped).toEqual(['implausible-usage']);
  });

  it('counts the cap itself and treats an absent field as 0', () => {
    const { events, skipped } = parse(lineWithUsage(`{"input_tokens":${MAX_TOKENS_PER_FIELD},"output_tokens":7}`));
    expect(skipped).toEqual([]);
    expect(events.map((e) => [e.input, e.output, e.cacheCreation, e.cacheRead])).toEqual([[MAX_TOKENS_PER_FIELD, 7, 0, 0]]);
  });
});

describe('skip labels', () => {
  const good = usageLine({ at: '2026-11-20T10:00:00.000Z' });
  it.each<[string, SkipReason, string | Buffer]>([
    ['NaN in a complete record', 'invalid-json', good.replace('"output_tokens":5', '"output_tokens":NaN')],
    ['a raw control character inside a string', 'control-characters', good.replace('"main"', '"ma\u0001in"')],
    ['a trailing NUL', 'control-characters', Buffer.concat([Buffer.from(good), Buffer.from([0])])],
    ['a record cut short', 'truncated-json', good.slice(0, good.length - 30)],
  ])('labels %s as %s', (_name, reason, line) => {
    expect(parse(line).skipped).toEqual([reason]);
  });
});

describe('lines over the size cap', () => {
  const sink = () => {
    const events: UsageEvent[] = [];
    const skipped: SkipReason[] = [];
    return { events, skipped, sink: { usage: (e: UsageEvent) => events.push(e), skipped: (r: SkipReason) => skipped.push(r), limitCandidate: () => undefined } };
  };

  it('still counts an assistant response from its edges', () => {
    const line = Buffer.from(usageLine({ at: '2026-11-20T10:00:00.000Z', messageId: 'm', requestId: 'r', input: 3, output: 4242, text: 'x'.repeat(300_000) }));
    const out = sink();
    parseOversizedLine(line.subarray(0, 1000), line.subarray(line.length - 1000), CONTEXT, out.sink);
    expect(out.skipped).toEqual([]);
    expect(out.events).toEqual(parse(line).events);
  });

  it('skips anything else as oversized-line', () => {
    const line = Buffer.from(JSON.stringify({ type: 'user', message: { content: 'y'.repeat(300_000) } }));
    const out = sink();
    parseOversizedLine(line.subarray(0, 1000), line.subarray(line.length - 1000), CONTEXT, out.sink);
    expect(out.events).toEqual([]);
    expect(out.skipped).toEqual(['oversized-line']);
  });
});

// The scan keeps state from line to line to go fast: the last envelope's bytes,
// the last keys of each object, the last model, session, folder and response
// key. Whatever sequence of lines a file holds, what it counts must be what a
// plain JSON.parse of each line gives under the documented rules (one event per
// message.id + requestId, the fullest line's numbers, in first-seen order).
import { describe, expect, it } from 'vitest';
import { scanFile } from '../../../src/core/ingest/file-scan.js';
import { eventsOf } from '../../../src/core/ingest/packed-events.js';
import type { UsageEvent } from '../../../src/core/ingest/transcript-line-parser.js';
import { Prng } from '../../support/corpus-generator.js';
import { tempDir, usageLine, userLine, writeTranscript } from '../../support/usage-lines.js';

/** An event as the scan reports it, before pricing. */
type Expected = Omit<UsageEvent, 'costUSD'>;

/** The documented rules, applied to JSON.parse's records (claude-code-data.md §3). */
function expectedEvents(lines: readonly string[], fallbackSession: string, fallbackProject: string): Expected[] {
  const events: Expected[] = [];
  const byKey = new Map<string, number>();
  for (const text of lines) {
    const record = JSON.parse(text) as Record<string, any>;
    const message = record.message as Record<string, any> | undefined;
    if (record.type !== 'assistant' || !message || message.model === '<synthetic>' || record.isApiErrorMessage === true) continue;
    const usage = message.usage as Record<string, number> & { cache_creation?: Record<string, number> };
    const id = typeof message.id === 'string' ? message.id : null;
    const request = typeof record.requestId === 'string' ? record.requestId : null;
    const event: Expected = {
      key: id === null ? null : request === null ? id : `${id}:${request}`,
      ms: Date.parse(record.timestamp as string),
      model: typeof message.model === 'string' && message.model !== '' ? message.model : 'unknown',
      sessionId: typeof record.sessionId === 'string' ? record.sessionId : fallbackSession,
      cwd: typeof record.cwd === 'string' ? record.cwd : fallbackProject,
      input: usage.input_tokens ?? 0,
      output: usage.output_tokens ?? 0,
      cacheCreation: usage.cache_creation_input_tokens ?? 0,
      cacheCreation1h: usage.cache_creation?.ephemeral_1h_input_tokens ?? 0,
      cacheRead: usage.cache_read_input_tokens ?? 0,
    };
    const at = event.key === null ? undefined : byKey.get(event.key);
    if (at === undefined) {
      if (event.key !== null) byKey.set(event.key, events.length);
      events.push(event);
    } else if (event.output > events[at]!.output) {
      events[at] = event;
    }
  }
  return events;
}

function scanned(lines: readonly string[]): { events: Expected[]; skipped: unknown; limits: number } {
  const path = writeTranscript(tempDir(), '-work-p/file-session.jsonl', [...lines]);
  const result = scanFile({ path, fromOffset: 0, toOffset: 1e9 });
  const events = eventsOf(result).map(({ costUSD: _cost, ...event }) => event);
  return { events, skipped: result.skipped, limits: result.limitCandidates.length };
}

/** A record's fields in another order (the same JSON values). */
function reordered(line: string, pick: (record: Record<string, any>) => void): string {
  const record = JSON.parse(line) as Record<string, any>;
  pick(record);
  return JSON.stringify(record);
}

function reversedUsage(line: string): string {
  return reordered(line, (record) => {
    const usage = record.message.usage as Record<string, unknown>;
    record.message.usage = Object.fromEntries(Object.entries(usage).reverse());
  });
}

describe('scanning a file line after line', () => {
  it('counts the same as JSON.parse, whatever the lines before a line were', () => {
    const rng = new Prng(2026);
    const cwds = ['/work/a', '/work/b', 'C:\\Users\\dev\\repo', '/wörk/プロジェクト'];
    const models = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-haiku-4-5'];
    const sessions = ['s-1', 's-22', 's-333'];
    const lines: string[] = [];
    let responses = 0;
    for (let i = 0; i < 600; i++) {
      // A new response now and then; otherwise another line of the current one (streamed).
      if (i === 0 || rng.int(0, 2) === 0) responses++;
      const at = new Date(Date.UTC(2026, 10, 1, 8) + i * 7_000).toISOString();
      let line = usageLine({
        at,
        messageId: `msg_${responses}`,
        requestId: rng.int(0, 9) === 0 ? null : `req_${responses}`,
        model: rng.pick(models),
        sessionId: rng.pick(sessions),
        cwd: rng.pick(cwds),
        parentUuid: rng.int(0, 3) === 0 ? null : `parent-${'x'.repeat(rng.int(1, 40))}`,
        input: rng.int(0, 500),
        output: rng.int(0, 900),
        cacheCreation: 100,
        cacheRead: rng.int(0, 99_999),
        cache1h: rng.int(0, 2) === 0 ? rng.int(0, 100) : undefined,
        oldLayout: rng.int(0, 15) === 0,
      });
      if (rng.int(0, 6) === 0) line = reversedUsage(line);
      lines.push(line);
      if (rng.int(0, 8) === 0) lines.push(userLine(at, 'a tool result'));
    }
    const { events } = scanned(lines);
    expect(events).toEqual(expectedEvents(lines, 'file-session', '-work-p'));
    expect(events.length).toBeGreaterThan(150);
  });

  it('keeps a response seen on the fast path and on the full parse as one', () => {
    const fast = usageLine({ at: '2026-11-01T10:00:00.000Z', messageId: 'm', requestId: 'r', output: 3 });
    // An escape in the folder takes the full parse; the same response, fuller.
    const slow = usageLine({ at: '2026-11-01T10:00:01.000Z', messageId: 'm', requestId: 'r', output: 9, cwd: 'C:\\repo' });
    const lines = [fast, slow, fast];
    expect(scanned(lines).events).toEqual(expectedEvents(lines, 'file-session', '-work-p'));
    expect(scanned(lines).events.map((e) => [e.key, e.output, e.cwd])).toEqual([['m:r', 9, 'C:\\repo']]);
  });

  it('does not carry a field over from the last line when a line lacks it', () => {
    const full = usageLine({ at: '2026-11-01T10:00:00.000Z', messageId: 'a', sessionId: 'kept', cwd: '/work/x' });
    const bare = reordered(usageLine({ at: '2026-11-01T10:00:01.000Z', messageId: 'b' }), (record) => {
      delete record.sessionId;
      delete record.cwd;
      delete record.message.model;
    });
    const lines = [full, bare];
    const { events } = scanned(lines);
    expect(events).toEqual(expectedEvents(lines, 'file-session', '-work-p'));
    expect(events[1]).toMatchObject({ sessionId: 'file-session', cwd: '-work-p', model: 'unknown' });
  });

  it('hands on a limit message and skips what cannot be counted, between good lines', () => {
    const good = (id: string) => usageLine({ at: '2026-11-01T10:00:00.000Z', messageId: id });
    const synthetic = reordered(good('x'), (record) => {
      record.message.model = '<synthetic>';
      record.isApiErrorMessage = true;
      record.message.content = [{ type: 'text', text: "You've hit your limit · resets 3pm" }];
    });
    const noUsage = reordered(good('y'), (record) => delete record.message.usage);
    const badTokens = reordered(good('z'), (record) => (record.message.usage.output_tokens = '12'));
    const lines = [good('a'), synthetic, good('b'), noUsage, good('c'), badTokens, good('d')];
    const result = scanned(lines);
    expect(result.events).toEqual(expectedEvents([lines[0]!, lines[2]!, lines[4]!, lines[6]!], 'file-session', '-work-p'));
    expect(result.limits).toBe(1);
    expect(result.skipped).toEqual({ 'missing-usage': 1, 'implausible-usage': 1 });
  });
});

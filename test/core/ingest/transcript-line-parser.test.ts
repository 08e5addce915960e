import { describe, expect, it } from 'vitest';
import { type LineSink, type SkipReason, type UsageEvent, kindOfLine, parseTranscriptLine } from '../../../src/core/ingest/transcript-line-parser.js';
import { usageLine, userLine } from '../../support/usage-lines.js';

function parse(line: string | Buffer) {
  const events: UsageEvent[] = [];
  const skipped: SkipReason[] = [];
  const limitCandidates: Record<string, unknown>[] = [];
  const sink: LineSink = { usage: (e) => events.push(e), skipped: (r) => skipped.push(r), limitCandidate: (r) => limitCandidates.push(r) };
  const buffer = typeof line === 'string' ? Buffer.from(line) : line;
  parseTranscriptLine(buffer, 0, buffer.length, { fallbackSessionId: 'file-session', fallbackProject: '-work-x' }, sink);
  return { events, skipped, limitCandidates };
}

describe('parseTranscriptLine', () => {
  it('reads usage, ids, model, session and cwd from an assistant line', () => {
    const { events, skipped } = parse(usageLine({ at: '2026-11-01T10:00:00.000Z', messageId: 'msg_a', requestId: 'req_a', input: 3, output: 7, cacheCreation: 11, cacheRead: 13, cache1h: 4, cwd: '/home/ünï/proj' }));
    expect(skipped).toEqual([]);
    expect(events).toEqual([
      { key: 'msg_a:req_a', ms: Date.parse('2026-11-01T10:00:00.000Z'), model: 'claude-sonnet-4-5-20250929', sessionId: 'session-1', cwd: '/home/ünï/proj', input: 3, output: 7, cacheCreation: 11, cacheCreation1h: 4, cacheRead: 13 },
    ]);
  });

  it('gives the same event for the old field layout (type first, usage before content)', () => {
    const base = { at: '2026-11-01T10:00:00.000Z', messageId: 'm', requestId: 'r', input: 1, output: 2, text: 'x'.repeat(5000) };
    expect(parse(usageLine({ ...base, oldLayout: true })).events).toEqual(parse(usageLine(base)).events);
  });

  it('keys on message.id alone when requestId is missing', () => {
    expect(parse(usageLine({ at: '2026-11-01T10:00:00.000Z', messageId: 'msg_only', requestId: null })).events[0]?.key).toBe('msg_only');
  });

  it('never counts usage outside an assistant message (Task results carry their own)', () => {
    const line = userLine('2026-11-01T10:00:00.000Z', 'task done', { toolUseResult: { usage: { input_tokens: 999, output_tokens: 999 } } });
    const result = parse(line);
    expect(result.events).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  it('adds nothing for <synthetic> records and hands them on as limit candidates', () => {
    const line = JSON.stringify({ type: 'assistant', isApiErrorMessage: true, timestamp: '2026-11-01T10:00:00.000Z', message: { id: 'x', model: '<synthetic>', role: 'assistant', content: [{ type: 'text', text: "You've hit your session limit · resets 3pm (Europe/London)" }], usage: { input_tokens: 0, output_tokens: 0 } } });
    const result = parse(line);
    expect(result.events).toEqual([]);
    expect(result.limitCandidates).toHaveLength(1);
    const content = (result.limitCandidates[0]!.message as { content: { text: string }[] }).content[0]!.text;
    expect(content).toContain('·'); // decoded as UTF-8, not latin1
  });

  it('passes a subagent limit message inside a tool_result to limit detection', () => {
    const line = userLine('2026-11-01T10:00:00.000Z', 'x', { message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: "You've hit your weekly limit · resets Mon 12:00am" }] } });
    expect(parse(line).limitCandidates).toHaveLength(1);
  });

  it('passes a subagent model-scoped limit with no reset time to limit detection', () => {
    const text = "You've reached your Fable 5 limit. Run /usage-credits to keep going.";
    const line = userLine('2026-11-01T10:00:00.000Z', 'x', { message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: text }] } });
    expect(parse(line).limitCandidates).toHaveLength(1);
  });

  it.each<[string, string | Buffer, SkipReason]>([
    ['garbage bytes', Buffer.from([0x00, 0x13, 0x37, 0xff, 0x41]), 'garbage'],
    ['plain text', 'hello world', 'garbage'],
    ['invalid UTF-8 inside a usage line', Buffer.concat([Buffer.from(usageLine({ at: '2026-11-01T10:00:00.000Z' }).slice(0, 60)), Buffer.from([0xc3, 0x28]), Buffer.from(usageLine({ at: '2026-11-01T10:00:00.000Z' }).slice(60))]), 'invalid-utf8'],
    ['truncated JSON', usageLine({ at: '2026-11-01T10:00:00.000Z' }).slice(0, 120), 'truncated-json'],
    ['a number', '42', 'non-object-json'],
    ['an array', '[1,2]', 'non-object-json'],
    ['a string', '"x"', 'non-object-json'],
    ['an assistant line without usage', JSON.stringify({ type: 'assistant', timestamp: '2026-11-01T10:00:00.000Z', message: { id: 'm', model: 'claude-sonnet-4-5', content: [] } }), 'missing-usage'],
    ['a bad timestamp', usageLine({ at: 'yesterday' }), 'invalid-timestamp'],
  ])('skips and counts %s', (_name, line, reason) => {
    const result = parse(line);
    expect(result.events).toEqual([]);
    expect(result.skipped).toEqual([reason]);
  });

  it('ignores blank lines and CRLF endings', () => {
    expect(parse('   ').skipped).toEqual([]);
    expect(parse(`${usageLine({ at: '2026-11-01T10:00:00.000Z' })}\r`).events).toHaveLength(1);
  });

  it('reads a line of many megabytes (a Write of a big file)', () => {
    const big = usageLine({ at: '2026-11-01T10:00:00.000Z', output: 4242, text: 'ab\\"c{}[],"usage"'.repeat(400_000) });
    expect(big.length).toBeGreaterThan(5_000_000);
    const { events, skipped } = parse(big);
    expect(skipped).toEqual([]);
    expect(events.map((e) => e.output)).toEqual([4242]);
  });
});

describe('kindOfLine', () => {
  const at = '2026-11-01T10:00:00.000Z';
  const kind = (text: string, padding = '') => {
    // Inside a bigger buffer, as the reader hands lines out: nothing past the line's end may count.
    const buffer = Buffer.from(`${padding}${text}\n{"type":"assistant"}\n`);
    return kindOfLine(buffer, padding.length, padding.length + Buffer.byteLength(text));
  };

  it('tells records apart by their edges, in every layout', () => {
    expect(kind(usageLine({ at }))).toBe('assistant');
    expect(kind(usageLine({ at, oldLayout: true }))).toBe('assistant');
    expect(kind(userLine(at, 'hello'), '{"x":1}\n')).toBe('user');
    expect(kind(JSON.stringify({ type: 'progress', data: { type: 'agent_progress' } }))).toBe('progress');
    expect(kind(JSON.stringify({ type: 'summary', summary: 'x' }))).toBe('other');
    // An assistant record laid out as nothing we know ends: found by its tail.
    expect(kind(JSON.stringify({ message: { x: 1 }, type: 'assistant', extra: 1 }))).toBe('assistant');
    expect(kind(JSON.stringify({ message: { type: 'user' }, note: 'x' }))).toBe('unknown');
  });

  it('takes the last "type" of a record laid out as current builds write it, as JSON.parse does', () => {
    const current = usageLine({ at }).replace(/"uuid":"[^"]*"/, '"uuid":"c867b61d-334e-404c-946e-32da1a07447b"');
    const duplicate = current.replace('{"parentUuid"', '{"type":"user","parentUuid"');
    expect(JSON.parse(duplicate).type).toBe('assistant');
    expect(kind(duplicate)).toBe('assistant');
  });
});

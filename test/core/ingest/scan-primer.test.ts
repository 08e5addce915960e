import { describe, expect, it } from 'vitest';
import { scanFile } from '../../../src/core/ingest/file-scan.js';
import { eventsOf } from '../../../src/core/ingest/packed-events.js';
import { ScanEventWriter } from '../../../src/core/ingest/scan-events.js';
import { PRIMER_LINES, primeLineParser } from '../../../src/core/ingest/scan-primer.js';
import { kindOfLine, parseTranscriptLine } from '../../../src/core/ingest/transcript-line-parser.js';
import { tempDir, usageLine, userLine, writeTranscript } from '../../support/usage-lines.js';

describe('the line parser primer', () => {
  it('holds a line of every kind the parser tells apart, and of every outcome', () => {
    const kinds = new Set(PRIMER_LINES.map((line) => Buffer.from(line.trim())).filter((b) => b.length > 0).map((b) => kindOfLine(b, 0, b.length)));
    expect([...kinds].sort()).toEqual(['assistant', 'other', 'progress', 'unknown', 'user']);
    const context = { fallbackSessionId: 's', fallbackProject: 'p', latestMs: Date.parse('2026-01-06T00:00:00Z') };
    const writer = new ScanEventWriter(context);
    for (const line of PRIMER_LINES) {
      const b = Buffer.from(line);
      parseTranscriptLine(b, 0, b.length, context, writer);
    }
    const packed = writer.finish();
    const events = eventsOf({ packed } as Parameters<typeof eventsOf>[0]);
    // Counted responses: streamed (kept once, fuller), Windows folder, old layout, relayed by a subagent, full parse.
    expect(events.length).toBeGreaterThanOrEqual(6);
    expect(events.find((e) => e.key?.startsWith('msg_a:'))?.output).toBe(9);
    expect(events.some((e) => e.cwd.includes('\\'))).toBe(true);
    // A synthetic limit record and a user record naming a limit; a torn line.
    expect(writer.limitCandidates.length).toBe(2);
    expect(writer.skippedCounts['truncated-json']).toBe(1);
  });

  it('changes nothing a later scan finds', () => {
    const root = tempDir();
    const path = writeTranscript(root, '-p/s.jsonl', [
      usageLine({ at: '2026-11-01T10:00:00Z', messageId: 'a', requestId: 'r', output: 3 }),
      userLine('2026-11-01T10:00:01Z', 'Claude usage limit reached. Your limit will reset at 3pm.'),
      usageLine({ at: '2026-11-01T10:00:02Z', messageId: 'a', requestId: 'r', output: 7, cwd: 'C:\\Users\\me\\x' }),
      '{"broken',
    ]);
    const request = { path, fromOffset: 0, toOffset: 1_000_000 };
    const comparable = () => {
      const r = scanFile(request);
      return { events: eventsOf(r), skipped: r.skipped, limits: r.limitCandidates, offset: r.offset };
    };
    const before = comparable();
    primeLineParser();
    primeLineParser(); // once per thread: a second call does nothing
    expect(comparable()).toEqual(before);
    expect(before.events).toHaveLength(1);
  });
});

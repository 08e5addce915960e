// Property (issue #12): the byte-level extractor and JSON.parse agree on every
// line of generated corpora and on hostile variants of assistant lines. Where
// the extractor answers, what counting makes of the line (the event, the skip
// reason, the limit hand-off) is what it makes of JSON.parse's record; where
// the line is unusual, it declines and the full parser decides. Lines
// JSON.parse rejects are declined, unless the damage sits inside the message
// content, which both fast paths skip.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractAssistantFields } from '../../../src/core/ingest/assistant-extractor.js';
import { AssistantFields } from '../../../src/core/ingest/assistant-fields.js';
import { countExtracted } from '../../../src/core/ingest/scan-events.js';
import { type LineSink, countAssistantRecord, parseWithoutContent, recordKindAtEdges } from '../../../src/core/ingest/transcript-line-parser.js';
import { Prng, generateCorpus } from '../../support/corpus-generator.js';
import { mutate, transcriptLines } from '../../support/hostile-lines.js';
import { tempDir, usageLine } from '../../support/usage-lines.js';

const CONTEXT = { fallbackSessionId: 'f', fallbackProject: 'p', latestMs: Date.now() + 86_400_000 };

function recordingSink(seen: unknown[]): LineSink {
  return { usage: (e) => seen.push(e), skipped: (r) => seen.push(r), limitCandidate: () => seen.push('limit') };
}

/** What counting makes of a parsed record: the event, skip or limit hand-off. */
function outcome(record: Record<string, unknown>, line: Buffer): unknown[] {
  if (record.type !== 'assistant') return ['not an assistant record'];
  const seen: unknown[] = [];
  countAssistantRecord(record, line, CONTEXT, recordingSink(seen));
  return seen;
}

/** The same through the extractor, or null when it declines the line. */
function fastOutcome(line: Buffer): unknown[] | null {
  const fields = new AssistantFields();
  if (!extractAssistantFields(line, fields)) return null;
  if (!fields.isAssistant) return ['not an assistant record'];
  const seen: unknown[] = [];
  countExtracted(line, fields, CONTEXT, recordingSink(seen));
  return seen;
}

function parseOrNull(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** Checks one line; returns whether the extractor answered. */
function checkLine(line: Buffer): boolean {
  const fast = fastOutcome(line);
  if (fast === null) return false;
  const parsed = parseOrNull(line.toString('utf8'));
  const reference = parsed ?? parseWithoutContent(line);
  expect(reference, `extractor answered on a line the parsers reject: ${line.toString('utf8', 0, 300)}`).not.toBeNull();
  expect(fast).toEqual(outcome(reference!, line));
  return true;
}


describe('the assistant-line extractor agrees with JSON.parse', () => {
  it('on every line of generated corpora (bad lines included)', async () => {
    let answered = 0;
    let assistant = 0;
    for (const seed of [1, 2]) {
      const root = tempDir('breather-extractor-');
      await generateCorpus({ root, targetBytes: 2_500_000, seed, badLines: seed === 2, days: 5 });
      for (const line of transcriptLines(join(root, 'projects'))) {
        if (line.length > 1 && recordKindAtEdges(line) === 'assistant') assistant++;
        if (checkLine(line)) answered++;
      }
    }
    // Not vacuous: nearly every assistant line takes the fast path.
    expect(answered).toBeGreaterThan(assistant * 0.95);
  }, 60_000);

  it('on hostile variants of assistant lines', () => {
    const rng = new Prng(12);
    let declined = 0;
    for (let i = 0; i < 3000; i++) {
      const good = usageLine({ at: '2026-11-01T10:00:00.000Z', input: rng.int(0, 9999), output: rng.int(0, 999), cache1h: rng.int(0, 5), text: rng.pick(['Done.', 'a "quoted" \\ path', '日本語', 'x'.repeat(20_000)]) });
      if (!checkLine(Buffer.from(mutate(rng, good)))) declined++;
    }
    expect(declined).toBeGreaterThan(500);
    expect(declined).toBeLessThan(3000);
  });
});

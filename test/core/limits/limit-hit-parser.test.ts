import { describe, expect, it } from 'vitest';
import {
  mayContainLimitHit,
  parseLimitHitText,
  recordToLimitHit,
  resolveResetPhrase,
} from '../../../src/core/limits/limit-hit-parser.js';
import type { LimitWindowKind } from '../../../src/shared/status.js';

const LONDON = 'Europe/London';
const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => (date ? date.toISOString() : null);

// Record time 2026-03-10 12:00 UTC (London is on GMT, New York on EDT since Mar 8).
const RECORD = at('2026-03-10T12:00:00Z');

interface Variant {
  name: string;
  text: string;
  window: LimitWindowKind;
  resetsAt: string | null;
  record?: Date;
}

const VARIANTS: Variant[] = [
  {
    name: '1.0.30 pipe form (unix seconds), reset within 5 h',
    text: 'Claude AI usage limit reached|1751997600',
    record: at('2025-07-08T15:10:00Z'),
    window: 'five_hour',
    resetsAt: '2025-07-08T18:00:00.000Z',
  },
  {
    name: 'pipe form with a far reset says nothing about the window',
    text: 'Claude AI usage limit reached|1751997600',
    record: at('2025-07-05T15:10:00Z'),
    window: 'unknown',
    resetsAt: '2025-07-08T18:00:00.000Z',
  },
  { name: '1.0.88 5-hour, ∙', text: '5-hour limit reached ∙ resets 3pm', window: 'five_hour', resetsAt: '2026-03-10T15:00:00.000Z' },
  {
    name: '1.0.88 weekly with a date',
    text: 'Weekly limit reached ∙ resets Mar 12, 8am',
    window: 'weekly',
    resetsAt: '2026-03-12T08:00:00.000Z',
  },
  {
    name: '1.0.88 Opus weekly',
    text: 'Opus weekly limit reached ∙ resets Mar 12, 8am',
    window: 'opus',
    resetsAt: '2026-03-12T08:00:00.000Z',
  },
  {
    name: '1.0.88 team form, zone in parentheses',
    text: '5-hour limit resets 3pm (America/New_York) ∙ contact an admin to keep working',
    window: 'five_hour',
    resetsAt: '2026-03-10T19:00:00.000Z',
  },
  { name: '2.0.20 session', text: 'Session limit reached ∙ resets 3pm', window: 'five_hour', resetsAt: '2026-03-10T15:00:00.000Z' },
  {
    name: '2.0.53 5-hour with upgrade hint',
    text: '5-hour limit reached · resets 3pm (Europe/London) · /upgrade to Max or turn on /extra-usage',
    window: 'five_hour',
    resetsAt: '2026-03-10T15:00:00.000Z',
  },
  {
    name: '2.0.53 weekly',
    text: 'Weekly limit reached · resets Mar 16, 9am (America/New_York) · /upgrade to Max or turn on /extra-usage',
    window: 'weekly',
    resetsAt: '2026-03-16T13:00:00.000Z',
  },
  {
    name: '2.0.53 Opus weekly',
    text: 'Opus weekly limit reached · resets Mar 16, 9am (Europe/London) · /upgrade to Max or turn on /extra-usage',
    window: 'opus',
    resetsAt: '2026-03-16T09:00:00.000Z',
  },
  {
    name: '2.0.53 Sonnet weekly',
    text: 'Sonnet weekly limit reached · resets Mar 16, 9am (Europe/London) · /upgrade to Max or turn on /extra-usage',
    window: 'sonnet',
    resetsAt: '2026-03-16T09:00:00.000Z',
  },
  {
    name: '2.0.76 session, straight apostrophe',
    text: "You've hit your session limit · resets 3pm (Europe/London)",
    window: 'five_hour',
    resetsAt: '2026-03-10T15:00:00.000Z',
  },
  {
    name: '2.0.76 session, curly apostrophe',
    text: 'You\u2019ve hit your session limit \u00b7 resets 3:45pm (Europe/London)',
    window: 'five_hour',
    resetsAt: '2026-03-10T15:45:00.000Z',
  },
  {
    name: '2.0.76 weekly with a weekday',
    text: "You've hit your weekly limit · resets Mon 12:00am",
    window: 'weekly',
    resetsAt: '2026-03-16T00:00:00.000Z',
  },
  {
    name: '2.0.76 Opus',
    text: "You've hit your Opus limit · resets Mon 12:00am (America/New_York)",
    window: 'opus',
    resetsAt: '2026-03-16T04:00:00.000Z',
  },
  { name: '2.0.76 Sonnet', text: 'You\u2019ve hit your Sonnet limit · resets Mon 12:00am', window: 'sonnet', resetsAt: '2026-03-16T00:00:00.000Z' },
  {
    name: '2.0.76 plain "your limit"',
    text: "You've hit your limit · resets 11pm (America/Anchorage)",
    window: 'unknown',
    // Anchorage is UTC-8 in March (AKDT): 11pm on Mar 10 = 07:00Z on Mar 11.
    resetsAt: '2026-03-11T07:00:00.000Z',
  },
  {
    name: '2.0.76 out of extra usage',
    text: 'You\u2019re out of extra usage · resets Apr 1, 12am (Europe/London)',
    window: 'overage',
    resetsAt: '2026-03-31T23:00:00.000Z',
  },
  {
    name: '2.1.332 native 5-hour with progress saved',
    text: "You've hit your 5-hour limit · resets 3pm (Europe/London) · progress saved",
    window: 'five_hour',
    resetsAt: '2026-03-10T15:00:00.000Z',
  },
  {
    name: '2.1.332 native usage credits',
    text: "You're out of usage credits · resets Apr 1, 12am (Europe/London) · progress saved",
    window: 'overage',
    resetsAt: '2026-03-31T23:00:00.000Z',
  },
  {
    name: '2.1.332 native model-specific (Fable) limit',
    text: "You've hit your Fable limit · resets Mon 12:00am · progress saved",
    window: 'unknown',
    resetsAt: '2026-03-16T00:00:00.000Z',
  },
  { name: 'no reset phrase', text: "You've hit your limit", window: 'unknown', resetsAt: null },
];

describe('parseLimitHitText: every known wording', () => {
  for (const variant of VARIANTS) {
    it(variant.name, () => {
      const parsed = parseLimitHitText(variant.text, variant.record ?? RECORD, LONDON);
      expect(parsed).not.toBeNull();
      expect(parsed?.window).toBe(variant.window);
      expect(iso(parsed?.resetsAt ?? null)).toBe(variant.resetsAt);
      expect(parsed?.text).toBe(variant.text.trim());
    });
  }

  it('accepts either separator in any variant', () => {
    for (const variant of VARIANTS) {
      const swapped = variant.text.includes('·') ? variant.text.replaceAll('·', '∙') : variant.text.replaceAll('∙', '·');
      const parsed = parseLimitHitText(swapped, variant.record ?? RECORD, LONDON);
      expect(parsed?.window, swapped).toBe(variant.window);
      expect(iso(parsed?.resetsAt ?? null), swapped).toBe(variant.resetsAt);
    }
  });

  it('tolerates surrounding whitespace and a trailing full stop', () => {
    expect(parseLimitHitText("  You've hit your session limit.  ", RECORD, LONDON)?.window).toBe('five_hour');
  });
});

describe('parseLimitHitText: not plan limits', () => {
  const notLimits = [
    'API Error: Server is temporarily limiting requests (not your usage limit)',
    'Request rejected (429) · this may be a temporary capacity issue',
    'Credit balance is too low',
    'API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}',
    'Rate limit reached for requests',
    'Context limit reached · /compact or /clear to continue',
    'The docs say "You\'ve hit your session limit · resets 3pm" appears when you run out.',
    '    42→You\'ve hit your limit · resets 11pm (America/Anchorage)',
    '',
  ];
  for (const text of notLimits) {
    it(`ignores ${JSON.stringify(text.slice(0, 60))}`, () => {
      expect(parseLimitHitText(text, RECORD, LONDON)).toBeNull();
    });
  }

  it('ignores very long texts that start like a limit message', () => {
    expect(parseLimitHitText(`You've hit your limit${' x'.repeat(400)}`, RECORD, LONDON)).toBeNull();
  });
});

describe('resolveResetPhrase', () => {
  const resolve = (phrase: string, record: string, zone = LONDON) => iso(resolveResetPhrase(phrase, at(record), zone));

  it('bare time later the same day', () => {
    expect(resolve('3pm', '2026-03-10T09:00:00Z')).toBe('2026-03-10T15:00:00.000Z');
  });
  it('bare time already passed: tomorrow', () => {
    expect(resolve('3pm', '2026-03-10T16:00:00Z')).toBe('2026-03-11T15:00:00.000Z');
  });
  it('strictly after the record time: exactly 3pm resolves to tomorrow', () => {
    expect(resolve('3pm', '2026-03-10T15:00:00Z')).toBe('2026-03-11T15:00:00.000Z');
  });
  it('minutes, noon and midnight', () => {
    expect(resolve('3:45pm', '2026-03-10T09:00:00Z')).toBe('2026-03-10T15:45:00.000Z');
    expect(resolve('12pm', '2026-03-10T09:00:00Z')).toBe('2026-03-10T12:00:00.000Z');
    expect(resolve('12:00am', '2026-03-10T09:00:00Z')).toBe('2026-03-11T00:00:00.000Z');
    expect(resolve('12am', '2026-03-10T00:30:00Z')).toBe('2026-03-11T00:00:00.000Z');
  });
  it('bare time uses the given local zone', () => {
    expect(resolve('3pm', '2026-03-10T09:00:00Z', 'Asia/Tokyo')).toBe('2026-03-11T06:00:00.000Z');
    expect(resolve('3pm', '2026-03-10T09:00:00Z', 'America/Los_Angeles')).toBe('2026-03-10T22:00:00.000Z');
  });
  it('a zone in parentheses wins over the local zone', () => {
    expect(resolve('3pm (Asia/Tokyo)', '2026-03-10T09:00:00Z', 'America/Los_Angeles')).toBe('2026-03-11T06:00:00.000Z');
  });
  it('an unknown zone in parentheses falls back to the local zone', () => {
    expect(resolve('3pm (Mars/Olympus)', '2026-03-10T09:00:00Z')).toBe('2026-03-10T15:00:00.000Z');
  });
  it('the zone decides "today": late evening in New York is already tomorrow in UTC', () => {
    // 2026-03-11 02:00Z is Mar 10, 22:00 in New York: 11pm is one hour away, not a day.
    expect(resolve('11pm (America/New_York)', '2026-03-11T02:00:00Z')).toBe('2026-03-11T03:00:00.000Z');
  });
  it('rolls over the end of a month and of a year', () => {
    expect(resolve('1am', '2026-01-31T23:30:00Z')).toBe('2026-02-01T01:00:00.000Z');
    expect(resolve('3am', '2026-12-31T22:00:00Z')).toBe('2027-01-01T03:00:00.000Z');
  });
  it('a date without a year is the next such date', () => {
    expect(resolve('Jan 2, 8am', '2026-12-30T10:00:00Z')).toBe('2027-01-02T08:00:00.000Z');
    expect(resolve('Oct 12, 8am', '2026-10-13T10:00:00Z')).toBe('2027-10-12T07:00:00.000Z');
    expect(resolve('Oct 12, 8am', '2026-10-12T06:59:00Z')).toBe('2026-10-12T07:00:00.000Z');
    expect(resolve('Feb 29, 8am', '2026-03-01T00:00:00Z')).toBe('2028-02-29T08:00:00.000Z');
  });
  it('a date with a year is taken as written', () => {
    expect(resolve('Oct 12, 2027, 8am', '2026-10-13T10:00:00Z')).toBe('2027-10-12T07:00:00.000Z');
  });
  it('a weekday is the next such weekday', () => {
    // 2026-03-11 is a Wednesday.
    expect(resolve('Mon 12:00am', '2026-03-11T12:00:00Z')).toBe('2026-03-16T00:00:00.000Z');
    // Monday 2026-03-16, 10:00: 11am is still today, 9am is next week.
    expect(resolve('Mon 11am', '2026-03-16T10:00:00Z')).toBe('2026-03-16T11:00:00.000Z');
    expect(resolve('Mon 9am', '2026-03-16T10:00:00Z')).toBe('2026-03-23T09:00:00.000Z');
    expect(resolve('Monday 9am', '2026-03-16T10:00:00Z')).toBe('2026-03-23T09:00:00.000Z');
  });
  it('relative resets', () => {
    expect(resolve('in 2h 30m', '2026-03-10T09:00:00Z')).toBe('2026-03-10T11:30:00.000Z');
  });
  it('gives up on nonsense', () => {
    expect(resolve('soon', '2026-03-10T09:00:00Z')).toBeNull();
    expect(resolve('13pm', '2026-03-10T09:00:00Z')).toBeNull();
    expect(resolve('Feb 30, 8am', '2026-01-10T09:00:00Z')).toBeNull();
  });

  describe('daylight saving time', () => {
    const NY = 'America/New_York';
    it('spring forward: 3pm on the transition day is EDT, not EST', () => {
      // 2026-03-08 00:00 EST = 05:00Z; clocks jump 02:00 → 03:00.
      expect(resolve('3pm', '2026-03-08T05:00:00Z', NY)).toBe('2026-03-08T19:00:00.000Z');
    });
    it('spring forward: a time inside the gap moves forward by the gap', () => {
      expect(resolve('2:30am', '2026-03-08T05:00:00Z', NY)).toBe('2026-03-08T07:30:00.000Z');
    });
    it('fall back: the earlier 1:30am when both are ahead, the later one when the first has passed', () => {
      // London 2026-10-25: 02:00 BST → 01:00 GMT, so 01:30 happens at 00:30Z and 01:30Z.
      expect(resolve('1:30am', '2026-10-25T00:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
      expect(resolve('1:30am', '2026-10-25T00:45:00Z')).toBe('2026-10-25T01:30:00.000Z');
    });
    it('a weekday across the transition keeps the wall time', () => {
      // Friday 2026-03-27 (GMT) to Monday 2026-03-30 00:00 BST = 23:00Z Sunday.
      expect(resolve('Mon 12:00am', '2026-03-27T12:00:00Z')).toBe('2026-03-29T23:00:00.000Z');
    });
    it('a date across the autumn transition', () => {
      expect(resolve('Oct 26, 8am', '2026-10-20T12:00:00Z')).toBe('2026-10-26T08:00:00.000Z');
      expect(resolve('Oct 24, 8am', '2026-10-20T12:00:00Z')).toBe('2026-10-24T07:00:00.000Z');
    });
  });
});

describe('recordToLimitHit', () => {
  const synthetic = (text: string, extra: Record<string, unknown> = {}) => ({
    type: 'assistant',
    uuid: 'u1',
    sessionId: 'sess-1',
    cwd: '/home/me/project',
    timestamp: '2026-03-10T12:00:00.000Z',
    isApiErrorMessage: true,
    message: {
      id: 'msg',
      model: '<synthetic>',
      role: 'assistant',
      content: [{ type: 'text', text }],
      usage: { input_tokens: 0, output_tokens: 0 },
    },
    ...extra,
  });

  it('reads a synthetic assistant record', () => {
    const hit = recordToLimitHit(synthetic("You've hit your session limit · resets 3pm (Europe/London)"));
    expect(hit).toEqual({
      at: '2026-03-10T12:00:00.000Z',
      window: 'five_hour',
      resetsAt: '2026-03-10T15:00:00.000Z',
      text: "You've hit your session limit · resets 3pm (Europe/London)",
      sessionId: 'sess-1',
      cwd: '/home/me/project',
    });
  });

  it('recognises the synthetic record by any of its markers', () => {
    const text = 'Claude AI usage limit reached|1773158400';
    const onlyModel = synthetic(text, { isApiErrorMessage: undefined });
    const onlyError = { ...synthetic(text, { isApiErrorMessage: undefined, error: 'rate_limit' }), message: { content: text } };
    expect(recordToLimitHit(onlyModel)?.resetsAt).toBe('2026-03-10T16:00:00.000Z');
    expect(recordToLimitHit(onlyError)?.window).toBe('five_hour');
  });

  it('passes the local zone through for bare times', () => {
    expect(recordToLimitHit(synthetic('Session limit reached ∙ resets 3pm'), 'Asia/Tokyo')?.resetsAt).toBe('2026-03-11T06:00:00.000Z');
  });

  it('ignores a real assistant reply that quotes the message', () => {
    const record = synthetic("You've hit your limit · resets 11pm", { isApiErrorMessage: false });
    record.message.model = 'claude-sonnet-4-5';
    expect(recordToLimitHit(record)).toBeNull();
  });

  it('ignores synthetic throttles', () => {
    expect(recordToLimitHit(synthetic('API Error: Server is temporarily limiting requests (not your usage limit)'))).toBeNull();
    expect(recordToLimitHit(synthetic('Request rejected (429) · this may be a temporary capacity issue'))).toBeNull();
  });

  const userRecord = (content: unknown) => ({
    type: 'user',
    sessionId: 'parent',
    cwd: '/w',
    timestamp: '2026-03-10T12:00:00.000Z',
    message: { role: 'user', content },
  });

  it('finds a subagent limit returned inside a tool_result (string content)', () => {
    const hit = recordToLimitHit(
      userRecord([{ type: 'tool_result', tool_use_id: 't1', content: "You've hit your weekly limit · resets Mon 12:00am (Europe/London)" }]),
    );
    expect(hit?.window).toBe('weekly');
    expect(hit?.resetsAt).toBe('2026-03-16T00:00:00.000Z');
    expect(hit?.sessionId).toBe('parent');
  });

  it('finds it in a tool_result with text blocks', () => {
    const hit = recordToLimitHit(
      userRecord([
        {
          type: 'tool_result',
          tool_use_id: 't1',
          is_error: true,
          content: [
            { type: 'text', text: '5-hour limit reached ∙ resets 3pm' },
            { type: 'text', text: 'agentId: abc123' },
          ],
        },
      ]),
      LONDON,
    );
    expect(hit?.window).toBe('five_hour');
  });

  it('ignores user-typed text and tool results that merely contain the words', () => {
    expect(recordToLimitHit(userRecord("You've hit your limit · resets 3pm"))).toBeNull();
    expect(recordToLimitHit(userRecord([{ type: 'text', text: "You've hit your limit · resets 3pm" }]))).toBeNull();
    expect(
      recordToLimitHit(userRecord([{ type: 'tool_result', tool_use_id: 't', content: "  1→# notes\n  2→You've hit your limit · resets 3pm" }])),
    ).toBeNull();
  });

  it('returns null for junk', () => {
    expect(recordToLimitHit(null)).toBeNull();
    expect(recordToLimitHit('text')).toBeNull();
    expect(recordToLimitHit({ type: 'summary' })).toBeNull();
    expect(recordToLimitHit(synthetic("You've hit your limit", { timestamp: 'not a date' }))).toBeNull();
  });
});

describe('mayContainLimitHit', () => {
  it('is true for every variant, as raw JSON lines and with escaped non-ASCII', () => {
    for (const variant of VARIANTS) {
      const line = JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: variant.text }] } });
      expect(mayContainLimitHit(line), variant.text).toBe(true);
      const escaped = line.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(mayContainLimitHit(escaped), variant.text).toBe(true);
    }
  });

  it('is false for ordinary lines', () => {
    expect(mayContainLimitHit('{"type":"assistant","message":{"usage":{"input_tokens":3}}}')).toBe(false);
    expect(mayContainLimitHit('{"type":"user","message":{"content":"hello"}}')).toBe(false);
  });
});

// The limit texts of 2026 builds (facts doc, section 4): model-scoped limits,
// extra usage, spend limits that state the session or weekly reset, advice
// after the reset. Server throttles stay out.
import { describe, expect, it } from 'vitest';
import { mayContainLimitHit, parseLimitHitText } from '../../../src/core/limits/limit-hit-parser.js';
import { resolveHitResets } from '../../../src/core/limits/reset-resolution.js';
import type { LimitHit } from '../../../src/shared/status.js';

const AT = new Date('2026-11-29T13:10:00.000Z');

describe('2026 limit texts', () => {
  it.each([
    ["You've reached your Fable 5 limit. Run /usage-credits to keep going.", 'unknown', null],
    ["You've reached your Opus limit · resets Mon 9am (UTC)", 'opus', '2026-11-30T09:00:00.000Z'],
    ["You're out of extra usage · resets Dec 1, 12am (UTC)", 'overage', '2026-12-01T00:00:00.000Z'],
    ["You've reached your monthly spend limit · Your session limit resets 3pm (UTC)", 'overage', '2026-11-29T15:00:00.000Z'],
    ["You've hit your spend limit · weekly limit resets Mon 12:00am (UTC) · /extra-usage to raise it", 'overage', '2026-11-30T00:00:00.000Z'],
    ["You've hit your session limit · resets 3pm (UTC). Run /login to switch accounts", 'five_hour', '2026-11-29T15:00:00.000Z'],
    ["You've hit your session limit · resets 3pm (UTC) /upgrade to Max", 'five_hour', '2026-11-29T15:00:00.000Z'],
  ])('%s', (text, window, resetsAt) => {
    expect(mayContainLimitHit(JSON.stringify({ text }))).toBe(true);
    const parsed = parseLimitHitText(text, AT, 'UTC');
    expect(parsed?.window).toBe(window);
    expect(parsed?.resetsAt?.toISOString() ?? null).toBe(resetsAt);
  });

  it.each([
    'API Error: Server is temporarily limiting requests (not your usage limit)',
    'Request rejected (429) · this may be a temporary capacity issue',
    'Credit balance is too low',
  ])('leaves out the throttle %s', (text) => {
    expect(parseLimitHitText(text, AT, 'UTC')).toBeNull();
  });
});

describe('resolveHitResets', () => {
  const hit = (at: string, text: string): LimitHit => ({ at, window: 'five_hour', resetsAt: '2000-01-01T00:00:00.000Z', text, sessionId: 's', cwd: '/w' });

  it('ignores the reset stored at index time and resolves the text in the given zone', () => {
    const [utc] = resolveHitResets([hit('2026-11-29T13:10:00.000Z', "You've hit your session limit · resets 3pm")], 'UTC');
    expect(utc).toMatchObject({ resetsAt: '2026-11-29T15:00:00.000Z' });
    expect(utc!.resetEstimated).toBeUndefined();
    const [tokyo] = resolveHitResets([hit('2026-11-29T03:10:00.000Z', "You've hit your session limit · resets 3pm")], 'Asia/Tokyo');
    expect(tokyo).toMatchObject({ resetsAt: '2026-11-29T06:00:00.000Z' });
  });

  it('flags an implausible bare reading and falls back to the latest hour the window allows', () => {
    const [late] = resolveHitResets([hit('2026-11-29T13:10:00.000Z', "You've hit your session limit · resets 11am")], 'UTC');
    // 11am is 21 h 50 min away: not a 5-hour window. 13:10 + 5 h = 18:10, down to the hour.
    expect(late).toMatchObject({ resetsAt: '2026-11-29T18:00:00.000Z', resetEstimated: true });
  });

  it('trusts a reset with an explicit zone as written', () => {
    const [named] = resolveHitResets([hit('2026-11-29T13:10:00.000Z', "You've hit your session limit · resets 3pm (Asia/Tokyo)")], 'UTC');
    expect(named).toMatchObject({ resetsAt: '2026-11-30T06:00:00.000Z' });
    expect(named!.resetEstimated).toBeUndefined();
  });

  it('assigns a limit that names no window by its reset: within five hours the 5-hour window, later the weekly one', () => {
    const [soon, later] = resolveHitResets(
      [
        hit('2026-11-29T13:10:00.000Z', "You've hit your limit · resets 3pm (UTC)"),
        hit('2026-11-29T13:10:00.000Z', "You've hit your limit · resets Dec 2, 9am (UTC)"),
      ],
      'UTC',
    );
    expect(soon).toMatchObject({ window: 'five_hour', resetsAt: '2026-11-29T15:00:00.000Z' });
    expect(later).toMatchObject({ window: 'weekly', resetsAt: '2026-12-02T09:00:00.000Z' });
    // No reset: nothing says which window stopped the work.
    expect(parseLimitHitText("You've hit your limit", AT, 'UTC')?.window).toBe('unknown');
  });
});

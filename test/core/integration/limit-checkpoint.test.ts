// Which limit a StopFailure names, and the key that keeps it to one
// checkpoint per session and window (the same key the limit-reached alert uses).
import { describe, expect, it } from 'vitest';
import { autoCheckpointFor } from '../../../src/core/checkpoint/auto-checkpoint.js';
import { limitCheckpointPlan } from '../../../src/core/integration/limit-checkpoint.js';
import type { OfficialLimits } from '../../../src/core/limits/official-limits.js';
import { defaultSettings } from '../../../src/shared/settings.js';
import { DAY, HOUR, MIN, fakeHit, iso } from '../../support/fake-buckets.js';
import { FIXTURE_NOW, statusWith } from '../../support/status-fixture.js';

const status = (extra = {}) => statusWith([], { now: iso(FIXTURE_NOW), ...extra });
const statusline: OfficialLimits = {
  source: 'statusline',
  windows: {
    five_hour: { usedPercent: 100, resetsAt: iso(FIXTURE_NOW + 2 * HOUR), asOf: iso(FIXTURE_NOW - MIN) },
    seven_day: { usedPercent: 61, resetsAt: iso(FIXTURE_NOW + 3 * DAY), asOf: iso(FIXTURE_NOW - MIN) },
  },
};

describe('limitCheckpointPlan', () => {
  it("uses the session's limit record, with the same key as the limit-reached alert's checkpoint", () => {
    const hit = fakeHit(FIXTURE_NOW - MIN, 'five_hour', FIXTURE_NOW + 2 * HOUR, { sessionId: 'sess-1' });
    const plan = limitCheckpointPlan('sess-1', status(), [hit], null);
    expect(plan.limit).toMatchObject({ window: 'five_hour', resetsAt: hit.resetsAt, windowLabel: '5-hour limit' });
    const alert = { id: `five_hour:${hit.resetsAt}:limit-reached`, kind: 'limit-reached' as const, window: 'five_hour' as const, title: '', body: '' };
    expect(plan.autoKey).toBe(autoCheckpointFor(alert, status({ lastLimitHit: hit }), defaultSettings().checkpoint)?.autoKey);
  });

  it('takes the reset from the statusline when the record names none', () => {
    const hit = fakeHit(FIXTURE_NOW - MIN, 'five_hour', null, { sessionId: 'sess-1' });
    expect(limitCheckpointPlan('sess-1', status(), [hit], statusline).limit?.resetsAt).toBe(statusline.windows.five_hour!.resetsAt);
  });

  it("an old hit of this session (its window reset since) is another instance: the statusline names this one", () => {
    const old = fakeHit(FIXTURE_NOW - DAY, 'five_hour', FIXTURE_NOW - DAY + HOUR, { sessionId: 'sess-1' });
    const plan = limitCheckpointPlan('sess-1', status(), [old], statusline);
    expect(plan.autoKey).toBe(`limit-hit:sess-1:five_hour:${statusline.windows.five_hour!.resetsAt}`);
    expect(plan.limit).toMatchObject({ window: 'five_hour', resetsAt: statusline.windows.five_hour!.resetsAt });
  });

  it('with no record, a full weekly window in the statusline names the weekly limit', () => {
    const weekly: OfficialLimits = { source: 'statusline', windows: { ...statusline.windows, five_hour: { ...statusline.windows.five_hour!, usedPercent: 70 }, seven_day: { ...statusline.windows.seven_day!, usedPercent: 100 } } };
    const plan = limitCheckpointPlan('sess-2', status(), [], weekly);
    expect(plan.limit).toMatchObject({ window: 'weekly', windowLabel: 'weekly limit', resetsAt: weekly.windows.seven_day!.resetsAt });
    expect(plan.autoKey).toBe(`limit-hit:sess-2:weekly:${weekly.windows.seven_day!.resetsAt}`);
  });
});

import { describe, expect, it } from 'vitest';
import { TOOLTIP_MAX, trayModel } from '../../src/core/app/tray-model.js';
import { clockTime, leadWindow } from '../../src/core/app/tray-lead.js';
import { at, statusWith, windowStatus } from '../support/status-fixture.js';

const TZ = { timeZone: 'UTC' };
const clock = (offset: number) => clockTime(at(offset), 'UTC');

describe('trayModel', () => {
  it('before the first status: idle, no title, a reading line, the no-data icon', () => {
    const model = trayModel(null);
    expect(model).toMatchObject({ title: '', tooltip: 'Breather: reading Claude Code usage…', summaryLines: ['Reading Claude Code usage…'], level: 'idle', lead: null });
    expect(model.icon.mark).toBe('no-data');
  });

  it('leads with the fullest window and lists every window with official/estimate, reset clock time and countdown', () => {
    const model = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 62.4, source: 'statusline', resetsAt: at(125) }), windowStatus({ id: 'seven_day', usedPercent: 40, source: 'learned', resetsAt: at(3 * 1440) })]), TZ);
    expect(model.title).toBe('62%');
    expect(model.level).toBe('ok');
    expect(model.lead).toBe('five_hour');
    expect(model.headline).toBe(`5-hour at 62%, resets ${clock(125)}`);
    expect(model.summaryLines).toEqual([model.headline, `5-hour: 62% (official), resets ${clock(125)} (in 2 h 5 min)`, `Weekly: 40% (estimate), resets ${clock(3 * 1440)} (in 3 d)`]);
    expect(model.tooltip).toBe(['Breather', model.headline, '5-hour 62% · Weekly 40%'].join('\n'));
  });

  it('warns at 75 % and is critical at 90 % of any window, or warns when one runs out before its reset', () => {
    expect(trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 80, source: 'plan' })])).level).toBe('warn');
    expect(trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 30, source: 'plan' }), windowStatus({ id: 'seven_day', usedPercent: 93, source: 'plan' })])).level).toBe('critical');
    expect(trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 30, source: 'plan', runsOutAt: at(100) })])).level).toBe('warn');
  });

  it('titles the weekly window when it is the fullest', () => {
    const model = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 30, source: 'plan' }), windowStatus({ id: 'seven_day', usedPercent: 88, source: 'plan' })]));
    expect(model.title).toBe('weekly 88%');
    expect(model.lead).toBe('seven_day');
    expect(model.icon.lead).toBe(1);
  });

  it('leads with the window that runs out first, and says when the weekly one stops you before the 5-hour reset', () => {
    const five = windowStatus({ id: 'five_hour', usedPercent: 70, source: 'statusline', resetsAt: at(200), runsOutAt: at(150) });
    const weekly = windowStatus({ id: 'seven_day', usedPercent: 96, source: 'statusline', resetsAt: at(3000), runsOutAt: at(40) });
    const status = statusWith([five, weekly]);
    expect(leadWindow(status)).toMatchObject({ reason: 'runs-out', weeklyStopsFirst: true });
    const model = trayModel(status, TZ);
    expect(model.lead).toBe('seven_day');
    expect(model.headline).toBe(`Weekly runs out ~${clock(40)}, before the 5-hour window resets`);
    expect(model.summaryLines[0]).toBe(model.headline);
    // The 5-hour window running out first leads, even though the weekly one is fuller.
    const fiveFirst = trayModel(statusWith([{ ...five, runsOutAt: at(20) }, { ...weekly, runsOutAt: null }]), TZ);
    expect(fiveFirst.lead).toBe('five_hour');
    expect(fiveFirst.headline).toBe(`5-hour runs out ~${clock(20)}, before it resets`);
    expect(fiveFirst.title).toBe('70%');
  });

  it('without a cap: absolute usage, no percentage in the title', () => {
    const model = trayModel(statusWith([windowStatus({ id: 'five_hour', costUSD: 3.2 })]), TZ);
    expect(model.title).toBe('');
    expect(model.summaryLines).toEqual(['No cap known yet: usage only', `5-hour: $3.20 used, no cap known, resets ${clock(240)} (in 4 h)`]);
  });

  it('a limit hit whose window has not reset shows as "limit" with its countdown; an old one does not', () => {
    const hit = { at: at(-10), window: 'five_hour' as const, resetsAt: at(50), text: 'limit reached', sessionId: 's', cwd: '/p' };
    const limited = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 100, source: 'statusline' })], { lastLimitHit: hit }), { paused: true, ...TZ });
    expect(limited.title).toBe('limit · 50 min');
    expect(limited.titleHasCountdown).toBe(true);
    expect(limited.level).toBe('limited');
    expect(limited.headline).toBe(`Limit reached, resets ${clock(50)} (in 50 min)`);
    expect(limited.summaryLines.at(-1)).toBe('Paused until the reset');
    const old = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 10, source: 'statusline' })], { lastLimitHit: { ...hit, at: at(-600), resetsAt: at(-300) } }));
    expect(old.title).toBe('10%');
    expect(old.titleHasCountdown).toBe(false);
    expect(old.level).toBe('ok');
  });

  it('keeps the tooltip within the 127 characters Windows shows', () => {
    const windows = (['five_hour', 'seven_day', 'seven_day_opus', 'seven_day_sonnet'] as const).map((id, i) => windowStatus({ id, usedPercent: 50 + i, source: 'learned', runsOutAt: at(30 + i) }));
    const model = trayModel(statusWith(windows), { paused: true });
    expect(model.tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
    expect(model.tooltip.startsWith('Breather\n')).toBe(true);
  });

  it('with no usage at all: says so', () => {
    expect(trayModel(statusWith([])).summaryLines).toEqual(['No Claude Code usage yet']);
  });
});

describe('a window a limit message says is used up', () => {
  it('reads as a reached limit: its line, the headline, the title countdown, the icon mark', () => {
    const weekly = windowStatus({ id: 'seven_day', usedPercent: 100, source: 'learned', resetsAt: at(90), limitReached: true });
    const model = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 20, source: 'statusline' }), weekly]), TZ);
    expect(model.level).toBe('limited');
    expect(model.summaryLines).toContain(`Weekly: limit reached, resets ${clock(90)} (in 1 h 30 min)`);
    expect(model.headline).toBe(`Limit reached, resets ${clock(90)} (in 1 h 30 min)`);
    expect(model.title).toBe('limit · 1 h 30 min');
    expect(model.icon.mark).toBe('limit');
    expect(model.icon.bars[1]).toEqual({ percent: 100, level: 'critical', estimate: false });
  });
});

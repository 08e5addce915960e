import { describe, expect, it } from 'vitest';
import { trayModel } from '../../src/core/app/tray-model.js';
import { at, statusWith, windowStatus } from '../support/status-fixture.js';

describe('trayModel', () => {
  it('before the first status: idle, no title, a reading line', () => {
    expect(trayModel(null)).toEqual({ title: '', tooltip: 'Breather: reading Claude Code usage…', summaryLines: ['Reading Claude Code usage…'], level: 'idle' });
  });

  it('titles the 5-hour percentage and lists every window with source and reset countdown', () => {
    const model = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 62.4, source: 'statusline', resetsAt: at(125) }), windowStatus({ id: 'seven_day', usedPercent: 40, source: 'learned', resetsAt: at(3 * 1440) })]));
    expect(model.title).toBe('62%');
    expect(model.level).toBe('ok');
    expect(model.summaryLines).toEqual(['5-hour: 62% (statusline), resets in 2 h 5 min', 'Weekly: 40% (learned), resets in 3 d']);
    expect(model.tooltip).toBe(['Breather', ...model.summaryLines].join('\n'));
  });

  it('warns at 75 % and is critical at 90 % of the fullest window', () => {
    expect(trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 80, source: 'plan' })])).level).toBe('warn');
    expect(trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 30, source: 'plan' }), windowStatus({ id: 'seven_day', usedPercent: 93, source: 'plan' })])).level).toBe('critical');
  });

  it('adds a full weekly window to the title when it is fuller than the 5-hour one', () => {
    const model = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 30, source: 'plan' }), windowStatus({ id: 'seven_day', usedPercent: 88, source: 'plan' })]));
    expect(model.title).toBe('30% · weekly 88%');
  });

  it('without a cap: absolute usage, no percentage in the title', () => {
    const model = trayModel(statusWith([windowStatus({ id: 'five_hour', costUSD: 3.2 })]));
    expect(model.title).toBe('');
    expect(model.summaryLines).toEqual(['5-hour: $3.20 used, no cap known, resets in 4 h']);
  });

  it('a limit hit whose window has not reset shows as "limit" with its countdown; an old one does not', () => {
    const hit = { at: at(-10), window: 'five_hour' as const, resetsAt: at(50), text: 'limit reached', sessionId: 's', cwd: '/p' };
    const limited = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 100, source: 'statusline' })], { lastLimitHit: hit }), { paused: true });
    expect(limited.title).toBe('limit');
    expect(limited.level).toBe('limited');
    expect(limited.summaryLines.slice(1)).toEqual(['Limit reached, resets in 50 min', 'Paused until the reset']);
    const old = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 10, source: 'statusline' })], { lastLimitHit: { ...hit, at: at(-600), resetsAt: at(-300) } }));
    expect(old.title).toBe('10%');
    expect(old.level).toBe('ok');
  });

  it('with no usage at all: says so', () => {
    expect(trayModel(statusWith([])).summaryLines).toEqual(['No Claude Code usage yet']);
  });
});

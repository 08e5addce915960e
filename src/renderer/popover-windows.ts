// The popover's window cards: percent with a named meter, where the figure
// comes from and how fresh it is, the reset as a local time with a countdown,
// and "runs out ~15:40" when the pace says so. The lead window is marked.
import type { WindowId, WindowStatus } from '../shared/ipc-contract.js';
import { element } from './bridge.js';
import { WINDOW_NAMES, clock, countdown, dayClock, freshness, percent, usd } from './format.js';

export const WINDOW_ORDER: WindowId[] = ['five_hour', 'seven_day', 'seven_day_opus', 'seven_day_sonnet'];

const SHORT_NAMES: Record<WindowId, string> = { five_hour: '5-hour', seven_day: 'Weekly', seven_day_opus: 'Weekly Opus', seven_day_sonnet: 'Weekly Sonnet' };

export function levelOf(w: WindowStatus): 'ok' | 'warn' | 'critical' {
  const p = w.usedPercent ?? 0;
  if (p >= 90) return 'critical';
  if (p >= 75 || w.runsOutAt) return 'warn';
  return 'ok';
}

/** "official · 40 s ago", "estimate · learned, 60% sure", "estimate · plan default", "no cap known". */
export function sourceLine(w: WindowStatus, nowMs: number): string {
  switch (w.source) {
    case 'statusline':
    case 'account': {
      const fresh = freshness(w.asOf, nowMs);
      return `official${fresh ? ` · ${fresh}` : ''}`;
    }
    case 'learned':
      return `estimate · learned${w.confidence !== undefined ? `, ${Math.round(w.confidence * 100)}% sure` : ''}`;
    case 'plan':
      return 'estimate · plan default';
    default:
      return `no cap known · ${usd(w.costUSD)} used`;
  }
}

export function windowCard(w: WindowStatus, nowMs: number, lead: boolean): HTMLElement {
  const level = levelOf(w);
  const card = element('article', { className: `window level-${level}${lead ? ' lead' : ''}`, testId: `window-${w.id}` });
  const name = `${SHORT_NAMES[w.id]}`;
  const head = element('div', { className: 'window-head' }, element('h2', { text: name }), element('span', { className: 'percent', text: percent(w.usedPercent), testId: 'percent' }));
  card.append(head);
  const meter = document.createElement('meter');
  meter.min = 0;
  meter.max = 100;
  meter.low = 75;
  meter.high = 90;
  meter.optimum = 0;
  meter.value = Math.min(100, w.usedPercent ?? 0);
  meter.setAttribute('aria-label', `${WINDOW_NAMES[w.id]} used`);
  meter.setAttribute('aria-valuetext', w.usedPercent === null ? 'no cap known' : `${Math.round(w.usedPercent)} percent`);
  card.append(meter);
  card.append(element('p', { className: 'source', text: sourceLine(w, nowMs), testId: 'source' }));
  card.append(element('p', { className: 'reset', text: w.resetsAt ? `resets ${w.resetEstimated ? '~' : ''}${dayClock(w.resetsAt, nowMs)} · in ${countdown(w.resetsAt, nowMs)}` : 'no activity yet', testId: 'reset' }));
  if (w.limitReached) card.append(element('p', { className: 'runs-out', text: 'limit reached', testId: 'limit-reached' }));
  else if (w.runsOutAt) card.append(element('p', { className: 'runs-out', text: `runs out ~${clock(w.runsOutAt)}`, testId: 'runs-out' }));
  if (lead) card.setAttribute('aria-description', 'stops you first');
  return card;
}

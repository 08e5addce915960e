// The dashboard: every window with its percentage, source, reset countdown and
// burn rate; active sessions; the last limit hit; data health; and the
// Checkpoint now button. It only reads from and asks `window.breather`.
import type { Status, WindowStatus, WindowId } from '../shared/ipc-contract.js';
import { byId, element, breather } from './bridge.js';
import { SOURCE_NAMES, WINDOW_NAMES, ago, baseName, bytes, countdown, percent, tokens, usd } from './format.js';

const ORDER: WindowId[] = ['five_hour', 'seven_day', 'seven_day_opus', 'seven_day_sonnet'];
let current: Status | null = null;
/** The status's clock at the moment it arrived, so countdowns keep running between updates. */
let receivedAt = Date.now();

function nowMs(): number {
  return current ? Date.parse(current.now) + (Date.now() - receivedAt) : Date.now();
}

function windowCard(w: WindowStatus, now: number): HTMLElement {
  const card = element('section', { className: 'window', testId: `window-${w.id}` });
  const head = element('div', { className: 'window-head' }, element('h2', { text: WINDOW_NAMES[w.id] }), element('span', { className: 'percent', text: percent(w.usedPercent), testId: 'percent' }));
  card.append(head);
  if (w.usedPercent !== null) {
    const meter = document.createElement('meter');
    meter.min = 0;
    meter.max = 100;
    meter.low = 75;
    meter.high = 90;
    meter.optimum = 0;
    meter.value = Math.min(100, w.usedPercent);
    card.append(meter);
  }
  const confidence = w.source === 'learned' && w.confidence !== undefined ? `, ${Math.round(w.confidence * 100)}% confidence` : '';
  card.append(element('p', { className: 'source', text: `Source: ${SOURCE_NAMES[w.source]}${confidence}`, testId: 'source' }));
  card.append(element('p', { className: 'reset', text: w.resetsAt ? `Resets in ${countdown(w.resetsAt, now)}` : 'No activity in this window', testId: 'reset' }));
  card.append(element('p', { className: 'usage', text: `${tokens(w.tokens)} tokens, ${usd(w.costUSD)}` }));
  if (w.burnRate) card.append(element('p', { className: 'burn', text: `Burn rate: ${tokens(w.burnRate.tokensPerMinute)} tokens/min, ${usd(w.burnRate.costPerHour)}/h`, testId: 'burn' }));
  if (w.runsOutAt) card.append(element('p', { className: 'runs-out warn', text: `Runs out in ${countdown(w.runsOutAt, now)}, before the reset`, testId: 'runs-out' }));
  return card;
}

function render(): void {
  const status = current;
  const windows = byId('windows');
  const sessions = byId('sessions');
  const hit = byId('last-hit');
  const health = byId('health');
  if (!status) {
    windows.replaceChildren(element('p', { className: 'muted', text: 'Reading Claude Code usage…' }));
    sessions.replaceChildren();
    hit.textContent = '';
    health.textContent = '';
    return;
  }
  const now = nowMs();
  const cards = ORDER.map((id) => status.windows[id]).filter((w): w is WindowStatus => w !== undefined).map((w) => windowCard(w, now));
  windows.replaceChildren(...(cards.length > 0 ? cards : [element('p', { className: 'muted', text: 'No Claude Code usage yet.' })]));

  sessions.replaceChildren(
    ...(status.activeSessions.length === 0
      ? [element('li', { className: 'muted', text: 'No active sessions' })]
      : status.activeSessions.map((s) => {
          const item = element('li', { testId: 'session' }, element('span', { className: 'project', text: baseName(s.cwd) }), element('span', { className: 'muted', text: ` ${ago(s.lastActivity, now)}` }));
          item.title = s.cwd;
          return item;
        })),
  );

  const last = status.lastLimitHit;
  hit.textContent = last ? `Last limit hit ${ago(last.at, now)}${last.resetsAt ? (Date.parse(last.resetsAt) > now ? `, resets in ${countdown(last.resetsAt, now)}` : ', since reset') : ''}: ${last.text}` : 'No limit hit recorded.';

  const h = status.health;
  const skipped = Object.values(h.skippedLines).reduce((sum, n) => sum + n, 0);
  const missing = h.roots.filter((r) => !r.exists || r.error).length;
  health.textContent = `Data: ${h.files} files, ${bytes(h.bytesIndexed)} indexed, ${skipped} skipped lines${missing > 0 ? `, ${missing} root${missing === 1 ? '' : 's'} unreadable` : ''}, index ${h.index}${h.diagnostics.length > 0 ? ` (${h.diagnostics.length} diagnostics)` : ''}`;
  health.classList.toggle('warn', missing > 0 || h.diagnostics.length > 0);
}

function show(status: Status | null): void {
  current = status;
  receivedAt = Date.now();
  render();
}

function message(text: string, ok: boolean): void {
  const line = byId('message');
  line.textContent = text;
  line.classList.toggle('warn', !ok);
}

async function checkpoint(pause: boolean): Promise<void> {
  const buttons = [byId<HTMLButtonElement>('checkpoint-now'), byId<HTMLButtonElement>('pause-checkpoint')];
  for (const b of buttons) b.disabled = true;
  message(pause ? 'Pausing and checkpointing…' : 'Checkpointing…', true);
  try {
    const result = await breather().invoke('checkpoint:now', { pause });
    message(result.message, result.ok);
  } catch (error) {
    message(`Checkpoint failed: ${(error as Error).message}`, false);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

function start(): void {
  const bridge = breather();
  bridge.on('status:changed', show);
  byId('checkpoint-now').addEventListener('click', () => void checkpoint(false));
  byId('pause-checkpoint').addEventListener('click', () => void checkpoint(true));
  byId('snooze').addEventListener('click', () => {
    void bridge.invoke('alerts:snooze', { minutes: 60 }).then(
      (r) => message(r.until ? `Alerts snoozed until ${new Date(r.until).toLocaleTimeString()}.` : 'Alerts snoozed.', true),
      (error: Error) => message(`Snooze failed: ${error.message}`, false),
    );
  });
  byId('open-settings').addEventListener('click', () => void bridge.invoke('app:open-settings'));
  void bridge.invoke('status:get').then(
    (status) => {
      // A push may have arrived first; it is newer.
      if (!current) show(status);
    },
    (error: Error) => message(`Could not read the status: ${error.message}`, false),
  );
  setInterval(render, 30_000);
  render();
}

start();

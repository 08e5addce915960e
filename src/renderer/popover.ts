// The popover: a compact view that fits its fixed window without scrolling.
// The lead line, banners (limit reached, paused with Resume), one card per
// window, a tabbed details area (chart, breakdown, checkpoints) and the
// actions. It only reads from and asks `window.breather`; the countdowns are
// refreshed by main's pushes (once a minute while the popover is shown).
import type { DashboardData, Status, WindowStatus } from '../shared/ipc-contract.js';
import { breather, byId, element } from './bridge.js';
import { bytes, countdown, dayClock } from './format.js';
import { drawCharts } from './popover-chart.js';
import { renderBreakdown, renderCheckpoints } from './popover-details.js';
import { renderNudge, startNudge } from './popover-nudge.js';
import { WINDOW_ORDER, windowCard } from './popover-windows.js';

let status: Status | null = null;
let dashboard: DashboardData | null = null;
let snoozeMinutes = 60;
let drawnFor = '';

function message(text: string, ok: boolean): void {
  const line = byId('message');
  line.textContent = text;
  line.classList.toggle('warn', !ok);
}

function renderWindows(): void {
  const host = byId('windows');
  if (!status) {
    host.replaceChildren(element('p', { className: 'muted', text: 'Reading Claude Code usage…' }));
    return;
  }
  const now = Date.parse(status.now);
  const windows = WINDOW_ORDER.map((id) => status!.windows[id]).filter((w): w is WindowStatus => w !== undefined);
  host.classList.toggle('many', windows.length > 2);
  host.replaceChildren(...(windows.length > 0 ? windows.map((w) => windowCard(w, now, dashboard?.lead === w.id)) : [element('p', { className: 'muted empty', text: 'Start a Claude Code session and your usage windows show up here.' })]));
}

function renderBanners(): void {
  const limit = byId('limit-banner');
  const paused = byId('paused-banner');
  const now = status ? Date.parse(status.now) : Date.now();
  const hit = dashboard?.limit ?? null;
  limit.hidden = hit === null;
  if (hit) limit.textContent = `Limit reached${hit.resetsAt ? ` · resets ${dayClock(hit.resetsAt, now)}, in ${countdown(hit.resetsAt, now)}` : ''}`;
  const marks = dashboard?.paused ?? [];
  paused.hidden = marks.length === 0;
  if (marks.length > 0) {
    const names = marks.map((m) => m.name).join(', ');
    const until = marks.find((m) => m.resetsAt)?.resetsAt;
    byId('paused-text').textContent = `Paused: ${names}${until ? ` until ${dayClock(until, now)}` : ''}`;
  }
  byId('pause-checkpoint').hidden = marks.length > 0;
}

function renderHealth(): void {
  const health = byId('health');
  if (!status) {
    health.textContent = '';
    return;
  }
  const h = status.health;
  const skipped = Object.values(h.skippedLines).reduce((sum, n) => sum + n, 0);
  // A missing optional root (~/.config/claude) is normal; an unreadable one, or none at all, is not.
  const broken = h.roots.filter((r) => r.error).length;
  const none = h.roots.length > 0 && h.roots.every((r) => !r.exists);
  const asOf = status.windows.five_hour?.asOf;
  const parts = [`${h.files} files`, bytes(h.bytesIndexed)];
  if (skipped > 0) parts.push(`${skipped} lines skipped`);
  if (broken > 0) parts.push(`${broken} folder${broken === 1 ? '' : 's'} unreadable`);
  if (none) parts.push('no Claude Code data folder found');
  if (asOf) parts.push(`official figure from ${dayClock(asOf, Date.parse(status.now))}`);
  health.textContent = parts.join(' · ');
  health.classList.toggle('warn', broken > 0 || none);
}

function renderDetails(): void {
  if (!dashboard) return;
  const panel = byId('panels');
  const key = JSON.stringify([dashboard.fiveHour, dashboard.days, panel.clientHeight]);
  if (key !== drawnFor) {
    drawCharts(dashboard, panel.clientWidth || 372, panel.clientHeight);
    drawnFor = key;
  }
  renderBreakdown(dashboard);
  renderCheckpoints(dashboard, {
    copyRestore: (checkpointId, projectDir) =>
      void breather()
        .invoke('checkpoint:copy-restore', { checkpointId, projectDir })
        .then((r) => message(r.ok ? 'Restore command copied. Paste it in a terminal.' : 'Nothing to restore: that checkpoint has no stash.', r.ok)),
    openPrompt: (checkpointId, projectDir) =>
      void breather()
        .invoke('checkpoint:open-prompt', { checkpointId, projectDir })
        .then((r) => message(r.message, r.ok)),
  });
}

function render(): void {
  byId('headline').textContent = dashboard?.headline ?? (status ? '' : 'Reading Claude Code usage…');
  // At a limit the banner is the first line; the headline would repeat it.
  byId('headline').hidden = Boolean(dashboard?.limit);
  renderWindows();
  renderBanners();
  renderNudge(status);
  renderHealth();
  renderDetails();
}

function selectTab(id: string): void {
  for (const tab of Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'))) {
    const selected = tab.id === id;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    byId(tab.getAttribute('aria-controls')!).hidden = !selected;
    if (selected) tab.focus();
  }
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

function snoozeLabel(minutes: number): string {
  return minutes % 60 === 0 ? `Snooze ${minutes / 60} h` : `Snooze ${minutes} min`;
}

function start(): void {
  const bridge = breather();
  bridge.on('status:changed', (next) => {
    status = next;
    render();
  });
  bridge.on('dashboard:changed', (next) => {
    dashboard = next;
    render();
  });
  byId('checkpoint-now').addEventListener('click', () => void checkpoint(false));
  byId('pause-checkpoint').addEventListener('click', () => void checkpoint(true));
  byId('resume').addEventListener('click', () => {
    void bridge.invoke('pause:resume').then(
      (r) => message(r.resumed.length > 0 ? `Resumed ${r.resumed.length} project${r.resumed.length === 1 ? '' : 's'}.` : 'Nothing was paused.', true),
      (error: Error) => message(`Resume failed: ${error.message}`, false),
    );
  });
  byId('snooze').addEventListener('click', () => {
    void bridge.invoke('alerts:snooze', { minutes: snoozeMinutes }).then(
      (r) => message(r.until ? `Alerts snoozed until ${dayClock(r.until, Date.now())}.` : 'Alerts snoozed.', true),
      (error: Error) => message(`Snooze failed: ${error.message}`, false),
    );
  });
  byId('open-settings').addEventListener('click', () => void bridge.invoke('app:open-settings'));
  startNudge(() => status);
  for (const tab of Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'))) {
    tab.addEventListener('click', () => selectTab(tab.id));
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'));
      const next = tabs[(tabs.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
      selectTab(next.id);
    });
  }
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') void bridge.invoke('window:close');
  });
  void bridge.invoke('settings:get').then((view) => {
    snoozeMinutes = view.settings.alerts.snoozeDefaultMinutes;
    byId('snooze').textContent = snoozeLabel(snoozeMinutes);
  });
  void Promise.all([bridge.invoke('status:get'), bridge.invoke('dashboard:get')]).then(
    ([s, d]) => {
      // A push may have arrived first; it is newer.
      status ??= s;
      dashboard ??= d;
      render();
    },
    (error: Error) => message(`Could not read the status: ${error.message}`, false),
  );
  render();
}

start();

// The settings page: edits a copy of the settings, validates it with the same
// schema main uses (so mistakes show at once), and sends it with settings:set.
// Main validates again; its answer is what counts.
// First: it must run before the shared schema is built.
import './zod-jitless.js';
import { PLAN_PRESET_IDS, type Settings, SettingsSchema, WEEKDAYS } from '../shared/ipc-contract.js';
import { byId, element, breather } from './bridge.js';

let loaded: Settings | null = null;

const input = (id: string) => byId<HTMLInputElement>(id);
const select = (id: string) => byId<HTMLSelectElement>(id);

/** "50, 75 ,90" → [50, 75, 90]; anything not a number stays NaN so the schema reports it. */
function numberList(text: string): number[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/[\s,]+/).map((part) => (/^-?\d+(\.\d+)?$/.test(part) ? Number(part) : Number.NaN));
}

function numberOrNull(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function zoneOrNull(text: string): string | null {
  return text.trim() === '' ? null : text.trim();
}

function fillSelect(id: string, values: readonly string[], labels: Record<string, string> = {}): void {
  select(id).replaceChildren(...values.map((value) => {
    const option = element('option', { text: labels[value] ?? value });
    option.value = value;
    return option;
  }));
}

function fill(settings: Settings): void {
  const a = settings.alerts;
  input('threshold-five-hour').value = a.thresholds.five_hour.join(', ');
  input('threshold-seven-day').value = a.thresholds.seven_day.join(', ');
  input('predictive-minutes').value = String(a.predictiveMinutes);
  input('snooze-minutes').value = String(a.snoozeDefaultMinutes);
  input('reset-notice').checked = a.resetNotice;
  input('quiet-enabled').checked = a.quietHours !== null;
  input('quiet-start').value = a.quietHours?.start ?? '22:00';
  input('quiet-end').value = a.quietHours?.end ?? '07:00';
  input('quiet-zone').value = a.quietHours?.timeZone ?? '';
  select('plan-preset').value = settings.plan.preset ?? '';
  input('cap-five-hour').value = settings.plan.customCaps.five_hour === null ? '' : String(settings.plan.customCaps.five_hour);
  input('cap-seven-day').value = settings.plan.customCaps.seven_day === null ? '' : String(settings.plan.customCaps.seven_day);
  input('anchor-enabled').checked = settings.weeklyResetAnchor !== null;
  select('anchor-weekday').value = settings.weeklyResetAnchor?.weekday ?? 'mon';
  input('anchor-time').value = settings.weeklyResetAnchor?.time ?? '09:00';
  input('anchor-zone').value = settings.weeklyResetAnchor?.timeZone ?? '';
  input('notifications-enabled').checked = settings.notifications.enabled;
  input('notifications-sound').checked = settings.notifications.sound;
  input('notifications-actions').checked = settings.notifications.actions;
  input('auto-limit-hit').checked = settings.checkpoint.autoOnLimitHit;
  input('auto-threshold').value = settings.checkpoint.autoOnThresholdPercent === null ? '' : String(settings.checkpoint.autoOnThresholdPercent);
  input('active-minutes').value = String(settings.checkpoint.activeMinutes);
  input('prompt-into-repo').checked = settings.checkpoint.writePromptIntoRepo;
  input('hotkey').value = settings.globalHotkey ?? '';
}

/** The loaded settings with the form's values applied (not yet validated). */
function candidate(base: Settings): unknown {
  const next = structuredClone(base) as Settings;
  next.alerts.thresholds.five_hour = numberList(input('threshold-five-hour').value);
  next.alerts.thresholds.seven_day = numberList(input('threshold-seven-day').value);
  next.alerts.predictiveMinutes = numberOrNull(input('predictive-minutes').value) ?? Number.NaN;
  next.alerts.snoozeDefaultMinutes = numberOrNull(input('snooze-minutes').value) ?? Number.NaN;
  next.alerts.resetNotice = input('reset-notice').checked;
  next.alerts.quietHours = input('quiet-enabled').checked ? { start: input('quiet-start').value, end: input('quiet-end').value, timeZone: zoneOrNull(input('quiet-zone').value) } : null;
  const preset = select('plan-preset').value;
  next.plan.preset = preset === '' ? null : (preset as Settings['plan']['preset']);
  next.plan.customCaps = { five_hour: numberOrNull(input('cap-five-hour').value), seven_day: numberOrNull(input('cap-seven-day').value) };
  next.weeklyResetAnchor = input('anchor-enabled').checked
    ? { weekday: select('anchor-weekday').value as NonNullable<Settings['weeklyResetAnchor']>['weekday'], time: input('anchor-time').value, timeZone: zoneOrNull(input('anchor-zone').value) }
    : null;
  next.notifications = { enabled: input('notifications-enabled').checked, sound: input('notifications-sound').checked, actions: input('notifications-actions').checked };
  next.checkpoint.autoOnLimitHit = input('auto-limit-hit').checked;
  next.checkpoint.autoOnThresholdPercent = numberOrNull(input('auto-threshold').value);
  next.checkpoint.activeMinutes = numberOrNull(input('active-minutes').value) ?? Number.NaN;
  next.checkpoint.writePromptIntoRepo = input('prompt-into-repo').checked;
  next.globalHotkey = input('hotkey').value.trim() === '' ? null : input('hotkey').value.trim();
  return next;
}

/** Which form field shows an issue at a schema path. */
const FIELD_FOR_PATH: [RegExp, string][] = [
  [/^alerts\.thresholds\.five_hour/, 'threshold-five-hour'],
  [/^alerts\.thresholds\.seven_day/, 'threshold-seven-day'],
  [/^alerts\.predictiveMinutes/, 'predictive-minutes'],
  [/^alerts\.snoozeDefaultMinutes/, 'snooze-minutes'],
  [/^alerts\.quietHours\.start/, 'quiet-start'],
  [/^alerts\.quietHours\.end/, 'quiet-end'],
  [/^alerts\.quietHours\.timeZone/, 'quiet-zone'],
  [/^plan\.customCaps\.five_hour/, 'cap-five-hour'],
  [/^plan\.customCaps\.seven_day/, 'cap-seven-day'],
  [/^weeklyResetAnchor\.time/, 'anchor-time'],
  [/^weeklyResetAnchor\.timeZone/, 'anchor-zone'],
  [/^checkpoint\.autoOnThresholdPercent/, 'auto-threshold'],
  [/^checkpoint\.activeMinutes/, 'active-minutes'],
  [/^globalHotkey/, 'hotkey'],
];

function showIssues(issues: string[]): void {
  for (const field of Array.from(document.querySelectorAll('[aria-invalid="true"]'))) field.removeAttribute('aria-invalid');
  for (const issue of issues) {
    const match = FIELD_FOR_PATH.find(([pattern]) => pattern.test(issue));
    if (match) input(match[1]).setAttribute('aria-invalid', 'true');
  }
  byId('errors').replaceChildren(...issues.map((issue) => element('li', { text: issue })));
}

function saved(text: string, ok: boolean): void {
  const line = byId('saved');
  line.textContent = text;
  line.classList.toggle('warn', !ok);
}

async function save(event: Event): Promise<void> {
  event.preventDefault();
  if (!loaded) return;
  const result = SettingsSchema.safeParse(candidate(loaded));
  if (!result.success) {
    showIssues(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
    saved('Not saved: fix the fields marked in red.', false);
    return;
  }
  showIssues([]);
  saved('Saving…', true);
  try {
    const answer = await breather().invoke('settings:set', result.data);
    if (answer.ok) {
      loaded = answer.settings;
      fill(loaded);
      saved('Saved.', true);
    } else {
      showIssues(answer.issues);
      saved('Not saved: Breather refused these values.', false);
    }
  } catch (error) {
    saved(`Not saved: ${(error as Error).message}`, false);
  }
}

async function start(): Promise<void> {
  fillSelect('plan-preset', ['', ...PLAN_PRESET_IDS], { '': 'Unknown / not set', pro: 'Pro', max_5x: 'Max 5×', max_20x: 'Max 20×', custom: 'Custom caps' });
  fillSelect('anchor-weekday', WEEKDAYS);
  byId<HTMLFormElement>('settings-form').addEventListener('submit', (event) => void save(event));
  byId('reload').addEventListener('click', () => void load());
  await load();
}

async function load(): Promise<void> {
  try {
    const view = await breather().invoke('settings:get');
    loaded = view.settings;
    fill(loaded);
    byId('settings-path').textContent = view.path;
    byId('notices').replaceChildren(...view.notices.map((notice) => element('li', { text: notice })));
    showIssues([]);
  } catch (error) {
    saved(`Could not load the settings: ${(error as Error).message}`, false);
  }
}

void start();

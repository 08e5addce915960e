// The settings form <-> the settings object: filling the fields, reading
// them back (unvalidated: the schema judges), which field shows an issue at a
// schema path, and which fields a switched-off feature disables.
import type { Settings } from '../shared/ipc-contract.js';
import { byId } from './bridge.js';

export const input = (id: string) => byId<HTMLInputElement>(id);
export const select = (id: string) => byId<HTMLSelectElement>(id);

/** "50, 75 ,90" → [50, 75, 90]; anything not a number stays NaN so the schema reports it. */
export function numberList(text: string): number[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/[\s,]+/).map((part) => (/^-?\d+(\.\d+)?$/.test(part) ? Number(part) : Number.NaN));
}

export function numberOrNull(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

const zoneOrNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());
const text = (value: number | null) => (value === null ? '' : String(value));

export function fill(settings: Settings): void {
  const a = settings.alerts;
  input('threshold-five-hour').value = a.thresholds.five_hour.join(', ');
  input('threshold-seven-day').value = a.thresholds.seven_day.join(', ');
  input('threshold-opus').value = a.thresholds.seven_day_opus.join(', ');
  input('threshold-sonnet').value = a.thresholds.seven_day_sonnet.join(', ');
  input('predictive-minutes').value = String(a.predictiveMinutes);
  input('snooze-minutes').value = String(a.snoozeDefaultMinutes);
  input('limit-notice').checked = a.limitReachedNotice;
  input('reset-notice').checked = a.resetNotice;
  input('quiet-enabled').checked = a.quietHours !== null;
  input('quiet-start').value = a.quietHours?.start ?? '22:00';
  input('quiet-end').value = a.quietHours?.end ?? '07:00';
  input('quiet-zone').value = a.quietHours?.timeZone ?? '';
  select('plan-preset').value = settings.plan.preset ?? '';
  input('cap-five-hour').value = text(settings.plan.customCaps.five_hour);
  input('cap-seven-day').value = text(settings.plan.customCaps.seven_day);
  input('anchor-enabled').checked = settings.weeklyResetAnchor !== null;
  select('anchor-weekday').value = settings.weeklyResetAnchor?.weekday ?? 'mon';
  input('anchor-time').value = settings.weeklyResetAnchor?.time ?? '09:00';
  input('anchor-zone').value = settings.weeklyResetAnchor?.timeZone ?? '';
  byId<HTMLTextAreaElement>('data-roots').value = settings.dataRoots.join('\n');
  input('max-line-mb').value = String(settings.ingest.maxLineMB);
  input('account-enabled').checked = settings.accountEndpoint.enabled;
  input('account-poll').value = String(settings.accountEndpoint.pollMinutes);
  input('wsl-enabled').checked = settings.wsl.enabled;
  input('wsl-excluded').value = settings.wsl.excluded.join(', ');
  input('notifications-enabled').checked = settings.notifications.enabled;
  input('notifications-sound').checked = settings.notifications.sound;
  input('notifications-actions').checked = settings.notifications.actions;
  input('auto-limit-hit').checked = settings.checkpoint.autoOnLimitHit;
  input('auto-threshold').value = text(settings.checkpoint.autoOnThresholdPercent);
  input('active-minutes').value = String(settings.checkpoint.activeMinutes);
  input('untracked-cap').value = String(settings.checkpoint.untrackedSizeCapMB);
  input('working-stretch').value = String(settings.checkpoint.workingStretchHours);
  input('prompt-budget').value = String(settings.checkpoint.promptBudgetKB);
  select('pause-ends').value = settings.pause.endsAt;
  input('statusline-timeout').value = String(settings.integration.statuslineTimeoutMs);
  input('session-start-context').checked = settings.integration.sessionStartContext;
  input('prompt-into-repo').checked = settings.checkpoint.writePromptIntoRepo;
  input('skip-secrets').checked = settings.checkpoint.skipSecretLookingFiles;
  input('hotkey').value = settings.globalHotkey ?? '';
  input('launch-at-login').checked = settings.launchAtLogin;
  applyDisabled();
}

/** The loaded settings with the form's values applied (not yet validated). */
export function candidate(base: Settings): unknown {
  const next = structuredClone(base) as Settings;
  const t = next.alerts.thresholds;
  t.five_hour = numberList(input('threshold-five-hour').value);
  t.seven_day = numberList(input('threshold-seven-day').value);
  t.seven_day_opus = numberList(input('threshold-opus').value);
  t.seven_day_sonnet = numberList(input('threshold-sonnet').value);
  next.alerts.predictiveMinutes = numberOrNull(input('predictive-minutes').value) ?? Number.NaN;
  next.alerts.snoozeDefaultMinutes = numberOrNull(input('snooze-minutes').value) ?? Number.NaN;
  next.alerts.limitReachedNotice = input('limit-notice').checked;
  next.alerts.resetNotice = input('reset-notice').checked;
  next.alerts.quietHours = input('quiet-enabled').checked ? { start: input('quiet-start').value, end: input('quiet-end').value, timeZone: zoneOrNull(input('quiet-zone').value) } : null;
  const preset = select('plan-preset').value;
  next.plan.preset = preset === '' ? null : (preset as Settings['plan']['preset']);
  next.plan.customCaps = { five_hour: numberOrNull(input('cap-five-hour').value), seven_day: numberOrNull(input('cap-seven-day').value) };
  next.weeklyResetAnchor = input('anchor-enabled').checked
    ? { weekday: select('anchor-weekday').value as NonNullable<Settings['weeklyResetAnchor']>['weekday'], time: input('anchor-time').value, timeZone: zoneOrNull(input('anchor-zone').value) }
    : null;
  next.dataRoots = byId<HTMLTextAreaElement>('data-roots').value.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  next.ingest = { maxLineMB: numberOrNull(input('max-line-mb').value) ?? Number.NaN };
  next.accountEndpoint = { enabled: input('account-enabled').checked, pollMinutes: numberOrNull(input('account-poll').value) ?? Number.NaN };
  next.wsl = { enabled: input('wsl-enabled').checked, excluded: input('wsl-excluded').value.split(',').map((s) => s.trim()).filter((s) => s !== '') };
  next.notifications = { enabled: input('notifications-enabled').checked, sound: input('notifications-sound').checked, actions: input('notifications-actions').checked };
  next.checkpoint.autoOnLimitHit = input('auto-limit-hit').checked;
  next.checkpoint.autoOnThresholdPercent = numberOrNull(input('auto-threshold').value);
  next.checkpoint.activeMinutes = numberOrNull(input('active-minutes').value) ?? Number.NaN;
  next.checkpoint.untrackedSizeCapMB = numberOrNull(input('untracked-cap').value) ?? Number.NaN;
  next.checkpoint.workingStretchHours = numberOrNull(input('working-stretch').value) ?? Number.NaN;
  next.checkpoint.promptBudgetKB = numberOrNull(input('prompt-budget').value) ?? Number.NaN;
  next.pause = { endsAt: select('pause-ends').value as Settings['pause']['endsAt'] };
  next.integration = { statuslineTimeoutMs: numberOrNull(input('statusline-timeout').value) ?? Number.NaN, sessionStartContext: input('session-start-context').checked };
  next.checkpoint.writePromptIntoRepo = input('prompt-into-repo').checked;
  next.checkpoint.skipSecretLookingFiles = input('skip-secrets').checked;
  next.globalHotkey = input('hotkey').value.trim() === '' ? null : input('hotkey').value.trim();
  next.launchAtLogin = input('launch-at-login').checked;
  return next;
}

/** Which form field shows an issue at a schema path (first match wins). */
export const FIELD_FOR_PATH: [RegExp, string][] = [
  [/^alerts\.thresholds\.five_hour/, 'threshold-five-hour'],
  [/^alerts\.thresholds\.seven_day_opus/, 'threshold-opus'],
  [/^alerts\.thresholds\.seven_day_sonnet/, 'threshold-sonnet'],
  [/^alerts\.thresholds\.seven_day/, 'threshold-seven-day'],
  [/^alerts\.predictiveMinutes/, 'predictive-minutes'],
  [/^alerts\.snoozeDefaultMinutes/, 'snooze-minutes'],
  [/^alerts\.quietHours\.(start|end)/, 'quiet-start'],
  [/^alerts\.quietHours\.timeZone/, 'quiet-zone'],
  [/^plan\.customCaps\.five_hour/, 'cap-five-hour'],
  [/^plan\.customCaps\.seven_day/, 'cap-seven-day'],
  [/^weeklyResetAnchor\.time$/, 'anchor-time'],
  [/^weeklyResetAnchor\.timeZone/, 'anchor-zone'],
  [/^dataRoots/, 'data-roots'],
  [/^accountEndpoint\.pollMinutes/, 'account-poll'],
  [/^ingest\.maxLineMB/, 'max-line-mb'],
  [/^wsl\.excluded/, 'wsl-excluded'],
  [/^checkpoint\.autoOnThresholdPercent/, 'auto-threshold'],
  [/^checkpoint\.activeMinutes/, 'active-minutes'],
  [/^checkpoint\.untrackedSizeCapMB/, 'untracked-cap'],
  [/^checkpoint\.workingStretchHours/, 'working-stretch'],
  [/^checkpoint\.promptBudgetKB/, 'prompt-budget'],
  [/^integration\.statuslineTimeoutMs/, 'statusline-timeout'],
  [/^globalHotkey/, 'hotkey'],
];

/** Fields of a switched-off feature: [the switch, the fields it enables]. */
const DEPENDENT: [() => boolean, string[]][] = [
  [() => input('quiet-enabled').checked, ['quiet-start', 'quiet-end', 'quiet-zone']],
  [() => select('plan-preset').value === 'custom', ['cap-five-hour', 'cap-seven-day']],
  [() => input('anchor-enabled').checked, ['anchor-weekday', 'anchor-time', 'anchor-zone']],
  [() => input('account-enabled').checked, ['account-poll']],
  [() => input('wsl-enabled').checked, ['wsl-excluded']],
  [() => input('notifications-enabled').checked, ['notifications-sound', 'notifications-actions', 'limit-notice', 'reset-notice']],
];

export function applyDisabled(): void {
  for (const [enabled, ids] of DEPENDENT) {
    const on = enabled();
    for (const id of ids) (byId(id) as HTMLInputElement).disabled = !on;
  }
}

/** An Electron accelerator from a key press; null while only modifiers are held. */
export function acceleratorOf(event: KeyboardEvent, mac: boolean): string | null {
  const code = event.code;
  let key: string | null = null;
  if (/^Key[A-Z]$/.test(code)) key = code.slice(3);
  else if (/^Digit\d$/.test(code)) key = code.slice(5);
  else if (/^F\d{1,2}$/.test(code)) key = code;
  else key = ({ Space: 'Space', ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right', Home: 'Home', End: 'End', PageUp: 'PageUp', PageDown: 'PageDown', Insert: 'Insert', Delete: 'Delete', Backquote: '`', Minus: '-', Equal: '=', BracketLeft: '[', BracketRight: ']', Semicolon: ';', Quote: "'", Comma: ',', Period: '.', Slash: '/', Backslash: '\\' } as Record<string, string>)[code] ?? null;
  if (key === null) return null;
  const parts: string[] = [];
  const primary = mac ? event.metaKey : event.ctrlKey;
  if (primary) parts.push('CommandOrControl');
  if (mac && event.ctrlKey) parts.push('Control');
  if (!mac && event.metaKey) parts.push('Super');
  if (event.altKey) parts.push('Alt');
  if (event.shiftKey) parts.push('Shift');
  // A bare letter would fire while typing anywhere: a modifier is required, except for F-keys.
  if (parts.length === 0 && !/^F\d/.test(key)) return null;
  return [...parts, key].join('+');
}

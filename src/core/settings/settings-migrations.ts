// Moves a raw settings object from any older layout to the current one. Runs
// before the file is opened, on plain JSON. Each step is keyed by the version it
// upgrades from; running the whole chain on current settings changes nothing.
import { SETTINGS_VERSION } from '../../shared/settings.js';
import { isRecord } from '../json-object.js';

export type RawSettings = Record<string, unknown>;

export interface SettingsMigrationResult {
  value: RawSettings;
  fromVersion: number;
  /** SETTINGS_VERSION, or fromVersion when the file is newer than this build. */
  toVersion: number;
  changed: boolean;
}

export class SettingsMigrationError extends Error {}


function section(raw: RawSettings, key: string): RawSettings {
  const existing = raw[key];
  if (isRecord(existing)) return existing;
  const created: RawSettings = {};
  raw[key] = created;
  return created;
}

/** Moves raw[from] to target[to] unless the target already has a value. */
function move(raw: RawSettings, from: string, target: RawSettings, to: string, convert: (value: unknown) => unknown = (value) => value): void {
  if (!(from in raw)) return;
  const value = raw[from];
  delete raw[from];
  const converted = convert(value);
  if (converted !== undefined && !(to in target)) target[to] = converted;
}

const PLAN_SPELLINGS: Record<string, string> = {
  pro: 'pro',
  max5: 'max_5x',
  max_5: 'max_5x',
  max_5x: 'max_5x',
  'max 5x': 'max_5x',
  max20: 'max_20x',
  max_20: 'max_20x',
  max_20x: 'max_20x',
  'max 20x': 'max_20x',
  custom: 'custom',
};

/**
 * v0: any object without `version`: hand-written files and the flat layout of
 * the design draft (alert options and plan at the top level). Keys already in
 * the v1 layout stay as they are; flat ones move into their sections when the
 * section does not already say otherwise. Values are not validated here: the
 * schema does that afterwards.
 */
function migrateV0ToV1(input: RawSettings): RawSettings {
  const raw = structuredClone(input);
  const alerts = section(raw, 'alerts');
  const thresholds = section(alerts, 'thresholds');

  if (Array.isArray(raw.thresholds)) move(raw, 'thresholds', thresholds, 'five_hour');
  else if (isRecord(raw.thresholds)) {
    const flat = raw.thresholds;
    delete raw.thresholds;
    for (const [window, list] of Object.entries(flat)) if (!(window in thresholds)) thresholds[window] = list;
  }
  move(raw, 'weeklyThresholds', thresholds, 'seven_day');
  if (Object.keys(thresholds).length === 0) delete alerts.thresholds;

  move(raw, 'predictiveMinutes', alerts, 'predictiveMinutes');
  move(raw, 'resetNotice', alerts, 'resetNotice');
  move(raw, 'quietHours', alerts, 'quietHours');
  move(raw, 'snoozeMinutes', alerts, 'snoozeDefaultMinutes');
  move(raw, 'snoozeDefaultMinutes', alerts, 'snoozeDefaultMinutes');
  if (Object.keys(alerts).length === 0) delete raw.alerts;

  if (typeof raw.plan === 'string' || raw.plan === null) {
    const preset = raw.plan === null ? null : PLAN_SPELLINGS[raw.plan.trim().toLowerCase()];
    raw.plan = preset === undefined ? {} : { preset };
  }
  if (typeof raw.customCapUSD === 'number') {
    const plan = section(raw, 'plan');
    const customCaps = section(plan, 'customCaps');
    move(raw, 'customCapUSD', customCaps, 'five_hour');
  }

  move(raw, 'hotkey', raw, 'globalHotkey');
  if (typeof raw.accountEndpoint === 'boolean') raw.accountEndpoint = { enabled: raw.accountEndpoint };
  if (typeof raw.sound === 'boolean') move(raw, 'sound', section(raw, 'notifications'), 'sound');

  raw.version = 1;
  return raw;
}

/** Steps by the version they upgrade from. */
export const SETTINGS_MIGRATIONS: Readonly<Record<number, (raw: RawSettings) => RawSettings>> = {
  0: migrateV0ToV1,
};

/** 0 for an unversioned object; throws for a version that is not a non-negative integer. */
export function settingsVersionOf(raw: RawSettings): number {
  if (!('version' in raw)) return 0;
  const version = raw.version;
  if (typeof version === 'number' && Number.isInteger(version) && version >= 0) return version;
  throw new SettingsMigrationError(`"version" must be a whole number, found ${JSON.stringify(version)}`);
}

/**
 * Upgrades raw settings to SETTINGS_VERSION. Idempotent: migrating the result
 * again returns an equal object with `changed: false`. Settings newer than this
 * build are returned untouched.
 */
export function migrateSettings(input: unknown): SettingsMigrationResult {
  if (!isRecord(input)) throw new SettingsMigrationError('settings must be a JSON object');
  const fromVersion = settingsVersionOf(input);
  if (fromVersion >= SETTINGS_VERSION) return { value: input, fromVersion, toVersion: fromVersion, changed: false };
  let value = input;
  for (let version = fromVersion; version < SETTINGS_VERSION; version++) {
    const step = SETTINGS_MIGRATIONS[version];
    if (!step) throw new SettingsMigrationError(`no migration from settings version ${version}`);
    value = step(value);
  }
  return { value, fromVersion, toVersion: SETTINGS_VERSION, changed: true };
}

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSettings, SettingsValidationError } from '../../../src/core/settings/settings-file.js';
import { migrateSettings, SettingsMigrationError } from '../../../src/core/settings/settings-migrations.js';
import { defaultSettings, SETTINGS_VERSION, SettingsSchema } from '../../../src/shared/settings.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'breather-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = () => join(dir, 'settings.json');
const readJson = async () => JSON.parse(await readFile(file(), 'utf8')) as Record<string, unknown>;
const fixedNow = () => new Date('2026-11-27T12:00:00.000Z');

describe('settings schema', () => {
  it('has complete defaults', () => {
    const settings = defaultSettings();
    expect(settings.version).toBe(SETTINGS_VERSION);
    expect(settings.alerts.thresholds.five_hour).toEqual([50, 75, 90, 95]);
    expect(settings.alerts.thresholds.seven_day).toEqual([75, 90]);
    expect(settings.alerts.predictiveMinutes).toBe(20);
    expect(settings.alerts.resetNotice).toBe(true);
    expect(settings.alerts.quietHours).toBeNull();
    expect(settings.alerts.snoozeDefaultMinutes).toBe(60);
    expect(settings.plan).toEqual({ preset: null, customCaps: { five_hour: null, seven_day: null } });
    expect(settings.weeklyResetAnchor).toBeNull();
    expect(settings.dataRoots).toEqual([]);
    expect(settings.accountEndpoint.enabled).toBe(false);
    expect(settings.notifications).toEqual({ enabled: true, sound: true, actions: true });
    expect(settings.checkpoint).toEqual({
      autoOnLimitHit: true,
      autoOnThresholdPercent: null,
      activeMinutes: 30,
      workingStretchHours: 5,
      promptBudgetKB: 6,
      untrackedSizeCapMB: 10,
      writePromptIntoRepo: false,
      skipSecretLookingFiles: true,
    });
    expect(settings.globalHotkey).toBe('CommandOrControl+Alt+Shift+B');
  });

  it('fills a partial object and returns a fresh copy each time', () => {
    const parsed = SettingsSchema.parse({ version: 1, alerts: { predictiveMinutes: 5 } });
    expect(parsed.alerts.predictiveMinutes).toBe(5);
    expect(parsed.alerts.thresholds.five_hour).toEqual([50, 75, 90, 95]);
    const a = defaultSettings();
    a.dataRoots.push('/x');
    expect(defaultSettings().dataRoots).toEqual([]);
  });

  it('rejects bad zones, times and thresholds', () => {
    expect(SettingsSchema.safeParse({ version: 1, alerts: { quietHours: { start: '22:00', end: '07:00', timeZone: 'Mars/Base' } } }).success).toBe(false);
    expect(SettingsSchema.safeParse({ version: 1, alerts: { quietHours: { start: '24:00', end: '07:00' } } }).success).toBe(false);
    expect(SettingsSchema.safeParse({ version: 1, alerts: { thresholds: { five_hour: [50, 50] } } }).success).toBe(false);
    expect(SettingsSchema.safeParse({ version: 1, alerts: { thresholds: { five_hour: [0] } } }).success).toBe(false);
    expect(SettingsSchema.safeParse({ version: 1, weeklyResetAnchor: { weekday: 'mon', time: '09:00', timeZone: 'Europe/Paris' } }).success).toBe(true);
  });
});

describe('settings migrations', () => {
  const v0 = {
    thresholds: [60, 85],
    weeklyThresholds: [80],
    predictiveMinutes: 15,
    quietHours: { start: '23:00', end: '06:30' },
    snoozeMinutes: 45,
    plan: 'Max5',
    customCapUSD: 50,
    hotkey: 'Alt+H',
    accountEndpoint: true,
    sound: false,
    dataRoots: ['/data/claude'],
  };

  it('v0 (unversioned) to v1', () => {
    const result = migrateSettings(v0);
    expect(result).toMatchObject({ fromVersion: 0, toVersion: 1, changed: true });
    expect(result.value).toEqual({
      version: 1,
      alerts: {
        thresholds: { five_hour: [60, 85], seven_day: [80] },
        predictiveMinutes: 15,
        quietHours: { start: '23:00', end: '06:30' },
        snoozeDefaultMinutes: 45,
      },
      plan: { preset: 'max_5x', customCaps: { five_hour: 50 } },
      globalHotkey: 'Alt+H',
      accountEndpoint: { enabled: true },
      notifications: { sound: false },
      dataRoots: ['/data/claude'],
    });
    expect(SettingsSchema.safeParse(result.value).success).toBe(true);
  });

  it('is idempotent: migrating twice gives the same as once', () => {
    const once = migrateSettings(v0).value;
    const twice = migrateSettings(once);
    expect(twice.changed).toBe(false);
    expect(twice.value).toEqual(once);
    expect(migrateSettings(defaultSettings())).toEqual({ value: defaultSettings(), fromVersion: 1, toVersion: 1, changed: false });
  });

  it('keeps keys already in the new layout, and does not modify its input', () => {
    const input = { alerts: { predictiveMinutes: 30 }, predictiveMinutes: 10 };
    const copy = structuredClone(input);
    expect(migrateSettings(input).value).toEqual({ version: 1, alerts: { predictiveMinutes: 30 } });
    expect(input).toEqual(copy);
    expect(migrateSettings({}).value).toEqual({ version: 1 });
  });

  it('leaves newer settings alone and refuses non-objects', () => {
    expect(migrateSettings({ version: 9, x: 1 })).toEqual({ value: { version: 9, x: 1 }, fromVersion: 9, toVersion: 9, changed: false });
    expect(() => migrateSettings([])).toThrow(SettingsMigrationError);
    expect(() => migrateSettings({ version: 'one' })).toThrow(SettingsMigrationError);
  });
});

describe('settings file', () => {
  it('no file: defaults, no notice, nothing written until a change', async () => {
    const store = openSettings(dir);
    expect(store.settings).toEqual(defaultSettings());
    expect(store.notice).toBeUndefined();
    expect(store.path).toBe(file());
    expect(await readdir(dir)).toEqual([]);
  });

  it('set persists a validated value as plain JSON that a new store reads back', async () => {
    const store = openSettings(dir);
    await store.set('alerts.predictiveMinutes', 30);
    await store.set('alerts.quietHours', { start: '22:00', end: '07:00', timeZone: 'Europe/London' });
    await store.set('dataRoots', ['/a', '/b']);
    expect(store.get('alerts.predictiveMinutes')).toBe(30);
    expect(store.settings.alerts.quietHours?.start).toBe('22:00');

    const onDisk = await readJson();
    expect(onDisk).toMatchObject({ version: 1, alerts: { predictiveMinutes: 30, snoozeDefaultMinutes: 60 }, dataRoots: ['/a', '/b'] });
    expect(SettingsSchema.parse(onDisk)).toEqual(store.settings);
    const reopened = openSettings(dir);
    expect(reopened.settings.alerts.predictiveMinutes).toBe(30);
    expect(reopened.get('alerts.quietHours.timeZone')).toBe('Europe/London');
    expect(reopened.notice).toBeUndefined();
  });

  it('an invalid value is rejected with a clear error and changes nothing', async () => {
    const store = openSettings(dir);
    await store.set('alerts.predictiveMinutes', 25);
    const before = await readFile(file(), 'utf8');
    await expect(store.set('alerts.predictiveMinutes', -5)).rejects.toThrow(SettingsValidationError);
    await expect(store.set('alerts.predictiveMinutes', -5)).rejects.toThrow(/alerts\.predictiveMinutes/);
    await expect(store.set('alerts.quietHours', { start: '9pm', end: '07:00', timeZone: null })).rejects.toThrow(/24-hour time/);
    await expect(store.set('accountEndpoint.pollMinutes', 1)).rejects.toThrow(/accountEndpoint\.pollMinutes/);
    await expect(store.set('alerts.thresholds.five_hour', 'often' as never)).rejects.toThrow(SettingsValidationError);
    expect(store.settings.alerts.predictiveMinutes).toBe(25);
    expect(await readFile(file(), 'utf8')).toBe(before);
  });

  it('unknown paths, the version, and fields of an unset section are refused', async () => {
    const store = openSettings(dir);
    await expect(store.set('alerts.nope' as never, 1 as never)).rejects.toThrow(/not a setting/);
    await expect(store.set('__proto__.x' as never, 1 as never)).rejects.toThrow(/not a setting/);
    await expect(store.set('version', 2 as never)).rejects.toThrow(/managed by Breather/);
    await expect(store.set('alerts.quietHours.start', '22:00')).rejects.toThrow(/set "alerts.quietHours" as a whole/);
  });

  it('reset restores one path or everything, keeping keys that are not ours', async () => {
    await writeFile(file(), JSON.stringify({ version: 1, windowBounds: { x: 1 } }), 'utf8');
    const store = openSettings(dir);
    await store.set('alerts.predictiveMinutes', 45);
    await store.set('globalHotkey', null);
    await store.reset('alerts.predictiveMinutes');
    expect(store.settings.alerts.predictiveMinutes).toBe(20);
    expect(store.settings.globalHotkey).toBeNull();
    await store.reset();
    expect(store.settings).toEqual(defaultSettings());
    const onDisk = await readJson();
    expect(onDisk.globalHotkey).toBe('CommandOrControl+Alt+Shift+B');
    expect(onDisk.windowBounds).toEqual({ x: 1 });
  });

  it('migrates an old file on disk before opening it', async () => {
    await writeFile(file(), JSON.stringify({ thresholds: [60], plan: 'max20' }), 'utf8');
    const store = openSettings(dir);
    expect(store.notice).toBeUndefined();
    expect(store.settings.alerts.thresholds.five_hour).toEqual([60]);
    expect(store.settings.plan.preset).toBe('max_20x');
    const onDisk = await readJson();
    expect(onDisk.version).toBe(1);
    expect(onDisk.thresholds).toBeUndefined();
    // Complete on disk, so electron-store's shallow defaults are never needed.
    expect(onDisk).toMatchObject({ checkpoint: { activeMinutes: 30 }, alerts: { predictiveMinutes: 20 } });
    // Opening again changes nothing.
    const bytes = await readFile(file(), 'utf8');
    openSettings(dir);
    expect(await readFile(file(), 'utf8')).toBe(bytes);
  });

  it('a corrupt file is backed up; defaults and a notice follow', async () => {
    await writeFile(file(), '{"version":1,"alerts":', 'utf8');
    const store = openSettings(dir, { now: fixedNow });
    expect(store.settings).toEqual(defaultSettings());
    expect(store.notice).toMatch(/not valid JSON/);
    expect(store.notice).toContain('settings.json.corrupt-2026-11-27T12-00-00-000Z');
    const backup = join(dir, 'settings.json.corrupt-2026-11-27T12-00-00-000Z');
    expect(await readFile(backup, 'utf8')).toBe('{"version":1,"alerts":');
    expect(await readJson()).toEqual(defaultSettings());
    expect(openSettings(dir).notice).toBeUndefined();
  });

  it('an invalid value in the file falls back to its default, keeps the rest, and is reported', async () => {
    await writeFile(file(), JSON.stringify({ version: 1, alerts: { predictiveMinutes: 'soon', snoozeDefaultMinutes: 15 }, dataRoots: ['/x'] }), 'utf8');
    const store = openSettings(dir, { now: fixedNow });
    expect(store.settings.alerts.predictiveMinutes).toBe(20);
    expect(store.settings.alerts.snoozeDefaultMinutes).toBe(15);
    expect(store.settings.dataRoots).toEqual(['/x']);
    expect(store.notice).toMatch(/alerts\.predictiveMinutes/);
    expect(store.notice).toMatch(/corrupt-/);
    expect((await readdir(dir)).sort()).toEqual(['settings.json', 'settings.json.corrupt-2026-11-27T12-00-00-000Z']);
    expect(((await readJson()).alerts as Record<string, unknown>).predictiveMinutes).toBe(20);
  });

  it('a file that is JSON but not an object is replaced by defaults', async () => {
    await writeFile(file(), '[1,2]', 'utf8');
    const store = openSettings(dir, { now: fixedNow });
    expect(store.settings).toEqual(defaultSettings());
    expect(store.notice).toMatch(/must be a JSON object/);
  });

  it('a file from a newer Breather is read but never rewritten', async () => {
    const newer = JSON.stringify({ version: 99, alerts: { predictiveMinutes: 40 }, futureThing: true });
    await writeFile(file(), newer, 'utf8');
    const store = openSettings(dir);
    expect(store.settings.alerts.predictiveMinutes).toBe(40);
    expect(store.notice).toMatch(/newer Breather/);
    expect(await readFile(file(), 'utf8')).toBe(newer);
  });

  it('reload sees changes made by another process', async () => {
    const store = openSettings(dir);
    await store.set('notifications.sound', false);
    const other = openSettings(dir);
    await other.set('alerts.predictiveMinutes', 10);
    expect(store.settings.alerts.predictiveMinutes).toBe(20);
    store.reload();
    expect(store.settings.alerts.predictiveMinutes).toBe(10);
    expect(store.settings.notifications.sound).toBe(false);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type KeyValueStorePort, openElectronSettings } from '../../src/main/electron-settings-store.js';
import { openSettings } from '../../src/core/settings/settings-file.js';
import { defaultSettings } from '../../src/shared/settings.js';
import { makeTempDir, removeTempDirs } from '../support/temp-repo.js';

/** Stands in for electron-store: the same file, conf's tab-indented JSON. */
function fileStore(options: { cwd: string; name: string }): KeyValueStorePort {
  const path = join(options.cwd, `${options.name}.json`);
  return {
    path,
    get store() {
      return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    },
    set store(value) {
      writeFileSync(path, JSON.stringify(value, undefined, '\t'));
    },
  };
}

afterAll(removeTempDirs);

describe('openElectronSettings', () => {
  it('opens <state>/settings.json, writes valid settings keeping unknown keys, and the CLI reads them', () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 1, windowBounds: { x: 1 }, alerts: { predictiveMinutes: 15 } }));
    const opened: { cwd: string; name: string }[] = [];
    const store = openElectronSettings({ stateDir: dir, createStore: (o) => (opened.push(o), fileStore(o)) });
    expect(opened).toEqual([{ cwd: dir, name: 'settings' }]);
    expect(store.settings.alerts.predictiveMinutes).toBe(15);
    const changes: string[] = [];
    store.onChange((next, previous) => changes.push(`${previous.globalHotkey} -> ${next.globalHotkey}`));
    store.replace({ ...store.settings, globalHotkey: 'Alt+F9' });
    const onDisk = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(onDisk.windowBounds).toEqual({ x: 1 });
    expect(onDisk.globalHotkey).toBe('Alt+F9');
    expect(openSettings(dir).settings.globalHotkey).toBe('Alt+F9');
    expect(changes).toEqual(['CommandOrControl+Alt+Shift+B -> Alt+F9']);
  });

  it('refuses invalid settings and changes nothing', () => {
    const dir = makeTempDir();
    const store = openElectronSettings({ stateDir: dir, createStore: fileStore });
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(defaultSettings()));
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    const bad = { ...defaultSettings(), checkpoint: { ...defaultSettings().checkpoint, activeMinutes: 0 } };
    expect(() => store.replace(bad)).toThrow();
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
    expect(store.settings).toEqual(defaultSettings());
  });

  it('reload picks up what the CLI wrote', async () => {
    const dir = makeTempDir();
    const store = openElectronSettings({ stateDir: dir, createStore: fileStore });
    await openSettings(dir).set('alerts.predictiveMinutes', 42);
    expect(store.settings.alerts.predictiveMinutes).toBe(20);
    expect(store.reload().alerts.predictiveMinutes).toBe(42);
  });
});

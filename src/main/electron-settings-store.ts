// The tray app's settings: the same <userData>/settings.json the CLI writes with
// conf, here written through electron-store (built on conf, same plain JSON
// format). Opening runs the core's migrate → validate → repair path first, so
// both faces read the file identically; writes are validated with the shared
// schema and keep keys this version does not know.
import { type SettingsStore, SETTINGS_FILE, openSettings } from '../core/settings/settings-file.js';
import { type Settings, SettingsSchema } from '../shared/settings.js';

/** What we use of an electron-store instance (its whole-store getter/setter). */
export interface KeyValueStorePort {
  store: Record<string, unknown>;
  readonly path: string;
}

export interface KeyValueStoreOptions {
  cwd: string;
  name: string;
}

export interface ElectronSettingsOptions {
  stateDir: string;
  /** Opens electron-store (tests pass a fake). */
  createStore: (options: KeyValueStoreOptions) => KeyValueStorePort;
}

export interface AppSettingsStore {
  readonly settings: Settings;
  readonly notice: string | undefined;
  readonly path: string;
  /** Validates and writes a complete settings object; throws on an invalid one and changes nothing. */
  replace(next: Settings): Settings;
  /** Re-reads the file (the CLI may have changed it). */
  reload(): Settings;
  onChange(listener: (settings: Settings, previous: Settings) => void): () => void;
}

export function openElectronSettings(options: ElectronSettingsOptions): AppSettingsStore {
  const base: SettingsStore = openSettings(options.stateDir);
  const kv = options.createStore({ cwd: options.stateDir, name: SETTINGS_FILE.replace(/\.json$/, '') });
  let current = base.settings;
  const listeners = new Set<(settings: Settings, previous: Settings) => void>();
  const changed = (next: Settings) => {
    const previous = current;
    current = next;
    if (JSON.stringify(previous) !== JSON.stringify(next)) for (const listener of listeners) listener(next, previous);
  };
  return {
    get settings() {
      return current;
    },
    notice: base.notice,
    path: base.path,
    replace(next) {
      const parsed = SettingsSchema.parse(next);
      let onDisk: Record<string, unknown> = {};
      try {
        onDisk = kv.store;
      } catch {
        // Unreadable now: written whole below.
      }
      kv.store = { ...onDisk, ...parsed };
      changed(parsed);
      return parsed;
    },
    reload() {
      changed(base.reload());
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// The settings file <stateDir>/settings.json, through conf (the Electron app
// opens the same file with electron-store, so it stays plain, unencrypted JSON).
// Opening: read raw → migrate → validate with the zod schema → open conf.
// A file that cannot be used is backed up, never silently lost.
import { copyFileSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import { writeFileAtomicSync } from '../atomic-file.js';
import type * as z from '../../shared/zod.js';
import { SETTINGS_VERSION, SettingsSchema, defaultSettings, type Settings } from '../../shared/settings.js';
import { migrateSettings, type RawSettings } from './settings-migrations.js';
import { isRecord } from '../json-object.js';

export const SETTINGS_FILE = 'settings.json';

/** Every dot path into Settings ("alerts.predictiveMinutes", "plan.customCaps.five_hour", …). */
export type SettingPath = PathsOf<Settings>;
type PathsOf<T> = T extends readonly unknown[]
  ? never
  : T extends object
    ? { [K in keyof T & string]: K | `${K}.${PathsOf<NonNullable<T[K]>>}` }[keyof T & string]
    : never;

/** The value at a dot path; undefined is possible below a nullable section. */
export type SettingValue<P extends string, T = Settings> = P extends `${infer K}.${infer Rest}`
  ? K extends keyof T
    ? null extends T[K]
      ? SettingValue<Rest, NonNullable<T[K]>> | undefined
      : SettingValue<Rest, T[K]>
    : never
  : P extends keyof T
    ? T[P]
    : never;

export class SettingsValidationError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'SettingsValidationError';
  }
}

export interface SettingsStore {
  /** The current, validated settings (a snapshot: reload() re-reads the file). */
  readonly settings: Settings;
  /** Set when the file had to be repaired or replaced; show it to the user once. */
  readonly notice?: string;
  readonly path: string;
  get<P extends SettingPath>(path: P): SettingValue<P>;
  /** Validates the whole result first; rejects with SettingsValidationError and changes nothing when invalid. */
  set<P extends SettingPath>(path: P, value: SettingValue<P>): Promise<Settings>;
  /** Back to the default for one path, or for everything. */
  reset(path?: SettingPath): Promise<Settings>;
  /** Re-reads the file (another process may have changed it). */
  reload(): Settings;
}

export interface OpenSettingsOptions {
  /** For backup names; tests pin it. */
  now?: () => Date;
}

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor', '__internal__']);


function serialise(value: unknown): string {
  // conf's own format (tab indent), so either writer produces the same bytes.
  return JSON.stringify(value, undefined, '\t');
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[segment];
  }
  return current;
}

/** Removes the value at an issue's path; an issue inside an array removes the whole array. */
function removeAt(root: Record<string, unknown>, path: readonly PropertyKey[]): boolean {
  const keys: string[] = [];
  for (const key of path) {
    if (typeof key !== 'string') break;
    keys.push(key);
  }
  if (keys.length === 0) return false;
  let parent: unknown = root;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(parent)) return false;
    parent = parent[key];
  }
  const last = keys[keys.length - 1] as string;
  if (!isRecord(parent) || !(last in parent)) return false;
  delete parent[last];
  return true;
}

interface Interpreted {
  settings: Settings;
  /** What to write back, or null to leave the file alone. */
  rewrite: RawSettings | null;
  problem?: string;
  /** Keep a copy of the original before rewriting. */
  backup: boolean;
}

/**
 * Turns raw file content into settings. Unknown top-level keys (e.g. the
 * Electron app's own) are kept; invalid values fall back to their defaults.
 */
function interpret(raw: unknown): Interpreted {
  let migrated;
  try {
    migrated = migrateSettings(raw);
  } catch (error) {
    return {
      settings: defaultSettings(),
      rewrite: defaultSettings(),
      problem: `${(error as Error).message}; Breather is using default settings`,
      backup: true,
    };
  }
  const value = migrated.value;
  if (migrated.fromVersion > SETTINGS_VERSION) {
    // A newer Breather wrote it: read what we understand, never rewrite it.
    const result = SettingsSchema.safeParse({ ...value, version: SETTINGS_VERSION });
    return {
      settings: result.success ? result.data : defaultSettings(),
      rewrite: null,
      problem: `it was written by a newer Breather (settings version ${migrated.fromVersion}); settings this version does not know are ignored`,
      backup: false,
    };
  }
  const first = SettingsSchema.safeParse(value);
  if (first.success) return { settings: first.data, rewrite: { ...value, ...first.data }, backup: false };

  // Salvage: drop each invalid value so its default applies, keep the rest.
  const repaired = structuredClone(value);
  const reset = new Set<string>();
  let result: ReturnType<typeof SettingsSchema.safeParse> = first;
  for (let round = 0; round < 20 && !result.success; round++) {
    let removed = false;
    for (const issue of result.error.issues) {
      if (removeAt(repaired, issue.path)) {
        removed = true;
        reset.add(issue.path.filter((key) => typeof key === 'string').join('.'));
      }
    }
    if (!removed) break;
    result = SettingsSchema.safeParse(repaired);
  }
  const issues = formatIssues(first.error.issues).join('; ');
  if (!result.success) return { settings: defaultSettings(), rewrite: defaultSettings(), problem: `it is invalid (${issues}); Breather is using default settings`, backup: true };
  return {
    settings: result.data,
    rewrite: { ...repaired, ...result.data },
    problem: `some values were invalid (${issues}); ${[...reset].join(', ')} went back to the default`,
    backup: true,
  };
}

function backupName(path: string, now: Date): string {
  return `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
}

interface ReadResult {
  settings: Settings;
  notice?: string;
}

/** Reads, migrates and validates the file, repairing it on disk when needed. */
function readSettingsFile(path: string, now: () => Date): ReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings() };
    return { settings: defaultSettings(), notice: `Could not read ${path} (${(error as Error).message}); using default settings for now.` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const backup = backupName(path, now());
    renameSync(path, backup);
    writeFileAtomicSync(path, serialise(defaultSettings()));
    return {
      settings: defaultSettings(),
      notice: `Your settings file was not valid JSON (${(error as Error).message}). It was saved as ${backup} and Breather is using default settings.`,
    };
  }
  const interpreted = interpret(raw);
  let notice: string | undefined;
  if (interpreted.problem) {
    let kept = '';
    if (interpreted.backup) {
      const backup = backupName(path, now());
      copyFileSync(path, backup);
      kept = ` The original was saved as ${backup}.`;
    }
    notice = `Your settings file needed attention: ${interpreted.problem}.${kept}`;
  }
  if (interpreted.rewrite !== null) {
    const content = serialise(interpreted.rewrite);
    if (content !== text) writeFileAtomicSync(path, content);
  }
  return notice === undefined ? { settings: interpreted.settings } : { settings: interpreted.settings, notice };
}

function checkPath(path: string, settings: Settings): string[] {
  const segments = path.split('.');
  if (segments.some((segment) => segment === '' || FORBIDDEN_SEGMENTS.has(segment))) {
    throw new SettingsValidationError(`"${path}" is not a setting`, []);
  }
  if (segments[0] === 'version') throw new SettingsValidationError('"version" is managed by Breather and cannot be set', []);
  let container: unknown = settings;
  for (const [index, segment] of segments.entries()) {
    const prefix = segments.slice(0, index).join('.');
    if (container === null && index > 0) {
      throw new SettingsValidationError(`"${prefix}" is not set; set "${prefix}" as a whole first`, []);
    }
    if (!isRecord(container) || !Object.hasOwn(container, segment)) {
      throw new SettingsValidationError(`"${path}" is not a setting`, []);
    }
    container = container[segment];
  }
  return segments;
}

/** Opens (creating nothing until a value is set) the settings in `stateDir`. */
export function openSettings(stateDir: string, options: OpenSettingsOptions = {}): SettingsStore {
  const now = options.now ?? (() => new Date());
  const path = join(stateDir, SETTINGS_FILE);
  mkdirSync(stateDir, { recursive: true });
  const initial = readSettingsFile(path, now);
  let current = initial.settings;
  // Migrations ran above, on raw JSON; conf writes from here on. It is loaded on
  // the first write only: reading settings is on every command's start-up path.
  // Through require(), which loads an ES module on Node 20.19+ (engines): the
  // CLI's program is a plain CommonJS script (compiled-program.ts), with no import().
  let confPromise: Promise<Conf<Record<string, unknown>>> | null = null;
  const openConf = () =>
    (confPromise ??= Promise.resolve().then(() => {
      const { default: ConfClass } = require('conf') as typeof import('conf');
      return new ConfClass<Record<string, unknown>>({ projectName: 'breather', cwd: stateDir, configName: SETTINGS_FILE.replace(/\.json$/, '') });
    }));

  function validated(candidate: unknown, what: string): Settings {
    const result = SettingsSchema.safeParse(candidate);
    if (result.success) return result.data;
    const issues = formatIssues(result.error.issues);
    throw new SettingsValidationError(`Invalid value for ${what}: ${issues.join('; ')}`, issues);
  }

  async function persist(path: string, next: Settings): Promise<Settings> {
    const conf = await openConf();
    let onDisk: Record<string, unknown> | null = null;
    try {
      onDisk = conf.store;
    } catch {
      // The file changed under us into something conf cannot read: write it whole.
    }
    // One key at a time keeps what another process changed meanwhile; a new
    // file is written complete, so electron-store never sees a partial one.
    if (onDisk && onDisk.version !== undefined) conf.set(path, valueAt(next, path));
    else conf.store = { ...(onDisk ?? {}), ...next };
    current = next;
    return current;
  }

  const store: SettingsStore = {
    get settings() {
      return current;
    },
    ...(initial.notice === undefined ? {} : { notice: initial.notice }),
    path,
    get(settingPath) {
      return valueAt(current, settingPath) as never;
    },
    async set(settingPath, value) {
      const segments = checkPath(settingPath, current);
      if (value === undefined) throw new SettingsValidationError(`Invalid value for ${settingPath}: a value is required (use reset to restore the default)`, []);
      const candidate = structuredClone(current) as unknown as Record<string, unknown>;
      let parent = candidate;
      for (const segment of segments.slice(0, -1)) parent = parent[segment] as Record<string, unknown>;
      parent[segments[segments.length - 1] as string] = structuredClone(value);
      return persist(settingPath, validated(candidate, settingPath));
    },
    async reset(settingPath) {
      if (settingPath === undefined) {
        const conf = await openConf();
        let others: Record<string, unknown> = {};
        try {
          others = conf.store;
        } catch {
          // Unreadable now: defaults replace it entirely.
        }
        conf.store = { ...others, ...defaultSettings() };
        current = defaultSettings();
        return current;
      }
      checkPath(settingPath, defaultSettings());
      return store.set(settingPath, valueAt(defaultSettings(), settingPath) as never);
    },
    reload() {
      current = readSettingsFile(path, now).settings;
      return current;
    },
  };
  return store;
}

// headroom config get|set|reset: the CLI face of the one settings file.
import { SettingsValidationError, type SettingPath } from '../core/settings/settings-file.js';
import { resolveStateDir } from '../core/state-dir.js';
import { UsageError } from './cli-error.js';
import { openSettingsForCli } from './usage-session.js';

/** Values are JSON when they parse as JSON (numbers, true, null, arrays), else plain strings. */
export function parseSettingValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function print(json: boolean | undefined, value: unknown): void {
  process.stdout.write(json || typeof value === 'object' ? `${JSON.stringify(value, null, 2)}\n` : `${String(value)}\n`);
}

async function guard<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof SettingsValidationError) throw new UsageError(error.message);
    throw error;
  }
}

export async function configGet(path: string | undefined, options: { json?: boolean }): Promise<void> {
  const store = openSettingsForCli(resolveStateDir());
  print(options.json, path ? await guard(() => store.get(path as SettingPath)) : store.settings);
}

export async function configSet(path: string, value: string, options: { json?: boolean }): Promise<void> {
  const store = openSettingsForCli(resolveStateDir());
  const next = await guard(() => store.set(path as SettingPath, parseSettingValue(value) as never));
  print(options.json, options.json ? next : `${path} = ${JSON.stringify(store.get(path as SettingPath))} (saved in ${store.path})`);
}

export async function configReset(path: string | undefined, options: { json?: boolean }): Promise<void> {
  const store = openSettingsForCli(resolveStateDir());
  const next = await guard(() => store.reset(path as SettingPath | undefined));
  print(options.json, options.json ? next : path ? `${path} reset to ${JSON.stringify(store.get(path as SettingPath))}` : 'all settings reset to defaults');
}

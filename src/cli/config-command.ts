// breather config get|set|reset: the CLI face of the one settings file.
import * as z from '../shared/zod.js';
import { SettingsValidationError, type SettingPath } from '../core/settings/settings-file.js';
import { resolveStateDir } from '../core/state-dir.js';
import { SettingsSchema } from '../shared/settings.js';
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

/** A file-system failure (disk full, read-only, a folder that is a file…) as one sentence. */
export class SettingsWriteError extends Error {}

async function guard<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof SettingsValidationError) throw new UsageError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      throw new SettingsWriteError(`the settings could not be saved in ${resolveStateDir()} (${(error as Error).message}). Nothing was changed; free some space or make that folder writable, or set BREATHER_HOME to another folder.`);
    }
    throw error;
  }
}

/** Runs a config action; a SettingsWriteError is printed without a stack trace, exit 1. */
async function reporting(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof SettingsWriteError)) throw error;
    process.stderr.write(`breather: ${error.message}\n`);
    process.exitCode = 1;
  }
}

/** Whether a dot path names a setting, by the schema (so a path below an unset, nullable section counts). */
export function isSettingPath(path: string): boolean {
  let schema: z.core.$ZodType = SettingsSchema;
  for (const segment of path.split('.')) {
    // Look through .default(), .prefault(), .nullable(), .optional().
    for (let def = schema._zod.def; 'innerType' in def; def = schema._zod.def) schema = def.innerType as z.core.$ZodType;
    if (!(schema instanceof z.ZodMiniObject) || !Object.hasOwn(schema.shape, segment)) return false;
    schema = schema.shape[segment] as z.core.$ZodType;
  }
  return true;
}

export async function configGet(path: string | undefined, options: { json?: boolean }): Promise<void> {
  const store = openSettingsForCli(resolveStateDir());
  if (path !== undefined && !isSettingPath(path)) throw new UsageError(`"${path}" is not a setting`);
  // Below a section that is not set (e.g. alerts.quietHours.start while quiet hours are off): null.
  print(options.json, path ? (store.get(path as SettingPath) ?? null) : store.settings);
}

/** The issues of a rejected value, each said once: "Invalid value for a.b: expected array". */
export function invalidValueMessage(path: string, issues: readonly string[], rawText: string, current: unknown): string {
  const own = issues.map((issue) => {
    if (issue.startsWith(`${path}: `)) return issue.slice(path.length + 2);
    if (!issue.startsWith(`${path}.`)) return issue;
    const rest = issue.slice(path.length + 1);
    // "1: Too big" reads as a list position: "item 2: Too big".
    return rest.replace(/^(\d+)(?=[.:])/, (index) => `item ${Number(index) + 1}`);
  });
  let message = `Invalid value for ${path}: ${own.join('; ')}`;
  // Text that is not JSON reaches the schema as a string; say how to write the value.
  const wantsJson = own.some((issue) => /expected (array|number|boolean|object|record)/.test(issue));
  if (wantsJson && typeof parseSettingValue(rawText) === 'string') {
    const example = current === null || current === undefined || typeof current === 'string' ? null : JSON.stringify(current);
    message += example ? `. Use JSON, e.g. '${example}'` : '. Use JSON';
  }
  return message;
}

export const configSet = (path: string, value: string, options: { json?: boolean }): Promise<void> =>
  reporting(async () => {
    const store = await guard(() => openSettingsForCli(resolveStateDir()));
    const next = await guard(() => store.set(path as SettingPath, parseSettingValue(value) as never)).catch((error: unknown) => {
      if (error instanceof UsageError && isSettingPath(path)) {
        const issues = /^Invalid value for [^:]+: (.*)$/.exec(error.message)?.[1]?.split('; ');
        if (issues) throw new UsageError(invalidValueMessage(path, issues, value, store.get(path as SettingPath)));
      }
      throw error;
    });
    print(options.json, options.json ? next : `${path} = ${JSON.stringify(store.get(path as SettingPath))} (saved in ${store.path})`);
  });

export const configReset = (path: string | undefined, options: { json?: boolean }): Promise<void> =>
  reporting(async () => {
    const store = await guard(() => openSettingsForCli(resolveStateDir()));
    const next = await guard(() => store.reset(path as SettingPath | undefined));
    print(options.json, options.json ? next : path ? `${path} reset to ${JSON.stringify(store.get(path as SettingPath))}` : 'all settings reset to defaults');
  });

// Install, uninstall and inspect Breather's Claude Code integration: the API
// behind `breather integrate …` and the tray's Settings window. The user's
// settings.json is sacred: a timestamped backup before every change, atomic
// writes, refusal (nothing touched) on invalid JSON or a read-only file.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { resolveClaudeRoots } from '../ingest/claude-roots.js';
import { readStatuslineReport } from '../limits/statusline-snapshot.js';
import {
  type BreatherCommands,
  HOOK_EVENTS,
  type HookEvent,
  type InstalledParts,
  type ParsedClaudeSettings,
  SettingsFileError,
  applyInstall,
  applyUninstall,
  installedParts,
  parseClaudeSettings,
} from './claude-settings-merge.js';
import { type IntegrationRecord, readIntegrationRecord, removeIntegrationRecord, writeIntegrationRecord } from './integration-record.js';

export interface IntegrationTarget {
  stateDir: string;
  /** Claude Code's settings.json; default: claudeSettingsPath(). */
  settingsPath?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  now?: Date;
}

/** The first CLAUDE_CONFIG_DIR root's settings.json, else ~/.claude/settings.json. */
export function claudeSettingsPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(resolveClaudeRoots({ env, home })[0]!, 'settings.json');
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

interface SettingsFile {
  path: string;
  exists: boolean;
  bytes: Buffer | null;
  parsed: ParsedClaudeSettings;
}

/** Reads and checks the file; throws SettingsFileError (nothing touched) when Breather must not write it. */
async function openSettingsFile(path: string): Promise<SettingsFile> {
  let bytes: Buffer | null = null;
  try {
    bytes = await readFile(path);
    // Root may write anything, so the permission bits are the user's intent: a file nobody may write is left alone.
    if (((await stat(path)).mode & 0o222) === 0) throw new SettingsFileError('read-only', `${path} is read-only. Make it writable (chmod u+w) to let Breather change it. Nothing was changed.`);
  } catch (error) {
    if (error instanceof SettingsFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new SettingsFileError('read-only', `${path} cannot be read (${code}). Nothing was changed.`);
  }
  return { path, exists: bytes !== null, bytes, parsed: parseClaudeSettings(bytes?.toString('utf8') ?? '', path) };
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

async function backup(stateDir: string, file: SettingsFile, now: Date): Promise<string | null> {
  if (!file.exists) return null;
  const dir = join(stateDir, 'claude-settings-backups');
  await mkdir(dir, { recursive: true });
  const target = join(dir, `settings-${stamp(now)}.json`);
  await copyFile(file.path, target);
  return target;
}

async function writeSettings(path: string, bytes: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new SettingsFileError('read-only', `${path} cannot be written (${code}). Nothing was changed.`);
    throw error;
  }
}

export interface InstallResult {
  settingsPath: string;
  changed: boolean;
  backupPath: string | null;
  commands: BreatherCommands;
  replacedStatusLine: Record<string, unknown> | null;
}

export async function installIntegration(target: IntegrationTarget, commands: BreatherCommands): Promise<InstallResult> {
  const path = target.settingsPath ?? claudeSettingsPath(target.env, target.home);
  const now = target.now ?? new Date();
  const file = await openSettingsFile(path);
  const edit = applyInstall(file.parsed, commands, path);
  const previous = await readIntegrationRecord(target.stateDir);
  const sameTarget = previous?.settingsPath === path;
  if (!edit.changed && file.exists) return { settingsPath: path, changed: false, backupPath: null, commands, replacedStatusLine: sameTarget ? previous.previousStatusLine : null };
  const backupPath = await backup(target.stateDir, file, now);
  const written = file.parsed.bom + edit.text;
  await writeSettings(path, written);
  // A reinstall (new paths, an opt-in event) keeps what the first install replaced.
  const record: IntegrationRecord =
    sameTarget && previous
      ? {
          ...previous,
          previousStatusLine: edit.replacedStatusLine ?? previous.previousStatusLine,
          createdEvents: [...new Set([...previous.createdEvents, ...edit.createdEvents])],
          createdHooksKey: previous.createdHooksKey || edit.createdHooksKey,
          writtenSha256: sha256(written),
          commands,
        }
      : {
          version: 1,
          settingsPath: path,
          installedAt: now.toISOString(),
          previousStatusLine: edit.replacedStatusLine ?? null,
          createdFile: !file.exists,
          createdHooksKey: edit.createdHooksKey,
          createdEvents: edit.createdEvents,
          backupPath,
          originalSha256: file.bytes ? sha256(file.bytes) : null,
          writtenSha256: sha256(written),
          commands,
        };
  await writeIntegrationRecord(target.stateDir, record);
  return { settingsPath: path, changed: true, backupPath, commands, replacedStatusLine: record.previousStatusLine };
}

export interface UninstallResult {
  settingsPath: string;
  changed: boolean;
  backupPath: string | null;
  /** How: the original bytes came back, or Breather's parts were taken out of an edited file. */
  method: 'restored-original' | 'removed-parts' | 'nothing-installed';
  restoredStatusLine: Record<string, unknown> | null;
}

/** The bytes before the first install, when the file is still exactly as install left it. */
async function untouchedOriginal(record: IntegrationRecord | null, path: string, file: SettingsFile): Promise<Buffer | 'absent' | null> {
  if (!record || record.settingsPath !== path || !file.bytes || sha256(file.bytes) !== record.writtenSha256) return null;
  if (record.createdFile) return 'absent';
  if (!record.backupPath || !record.originalSha256) return null;
  const original = await readFile(record.backupPath).catch(() => null);
  return original && sha256(original) === record.originalSha256 ? original : null;
}

export async function uninstallIntegration(target: IntegrationTarget): Promise<UninstallResult> {
  const path = target.settingsPath ?? claudeSettingsPath(target.env, target.home);
  const now = target.now ?? new Date();
  const record = await readIntegrationRecord(target.stateDir);
  const file = await openSettingsFile(path);
  const restoredStatusLine = record?.settingsPath === path ? record.previousStatusLine : null;
  const original = await untouchedOriginal(record, path, file);
  if (original !== null) {
    const backupPath = await backup(target.stateDir, file, now);
    if (original === 'absent') await rm(path, { force: true });
    else await writeSettings(path, original.toString('utf8'));
    await removeIntegrationRecord(target.stateDir);
    return { settingsPath: path, changed: true, backupPath, method: 'restored-original', restoredStatusLine };
  }
  const edit = applyUninstall(file.parsed, {
    previousStatusLine: restoredStatusLine ?? undefined,
    createdHooksKey: record?.settingsPath === path ? record.createdHooksKey : false,
    createdEvents: record?.settingsPath === path ? record.createdEvents : [],
  });
  if (record?.settingsPath === path) await removeIntegrationRecord(target.stateDir);
  if (!edit.changed) return { settingsPath: path, changed: false, backupPath: null, method: 'nothing-installed', restoredStatusLine: null };
  const backupPath = await backup(target.stateDir, file, now);
  await writeSettings(path, file.parsed.bom + edit.text);
  return { settingsPath: path, changed: true, backupPath, method: 'removed-parts', restoredStatusLine };
}

export interface AutoContinueSetting {
  /** on/off where Claude Code's config shows it; unknown when no file names it. */
  state: 'on' | 'off' | 'unknown';
  where: string | null;
  key: string | null;
}

/**
 * Claude Code's "Continue automatically at usage limit" (2.1.234+). Its key is
 * not documented: any top-level boolean whose name says auto-continue, in
 * settings.json or ~/.claude.json, counts.
 */
export async function autoContinueSetting(files: readonly string[]): Promise<AutoContinueSetting> {
  for (const path of files) {
    // An unreadable or invalid file names no setting (status reports the invalid JSON on its own).
    const value = await readFile(path, 'utf8')
      .then((t) => JSON.parse(t) as unknown)
      .catch(() => null);
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [key, setting] of Object.entries(value)) {
      if (/auto.?continue/i.test(key) && typeof setting === 'boolean') return { state: setting ? 'on' : 'off', where: path, key };
    }
  }
  return { state: 'unknown', where: null, key: null };
}

export interface IntegrationStatus {
  settingsPath: string;
  settingsExists: boolean;
  /** Why the file cannot be read or changed (invalid JSON, read-only); null when fine. */
  problem: string | null;
  installed: 'yes' | 'partly' | 'no';
  /** Installed, and every command is the one this Breather would write. */
  upToDate: boolean;
  parts: InstalledParts;
  expected: BreatherCommands;
  /** What install replaced and uninstall puts back. */
  previousStatusLine: Record<string, unknown> | null;
  bridge: { lastReportAt: string | null; claudeCodeVersion: string | null; figuresReceivedAt: string | null };
  autoContinue: AutoContinueSetting;
}

export async function integrationStatus(target: IntegrationTarget, expected: BreatherCommands): Promise<IntegrationStatus> {
  const path = target.settingsPath ?? claudeSettingsPath(target.env, target.home);
  const home = target.home ?? homedir();
  let problem: string | null = null;
  let exists = false;
  let parts: InstalledParts = { statusLine: null, foreignStatusLine: null, hooks: {} };
  try {
    const file = await openSettingsFile(path);
    exists = file.exists;
    parts = installedParts(file.parsed.value);
  } catch (error) {
    if (!(error instanceof SettingsFileError)) throw error;
    problem = error.message;
    exists = true;
    // Read-only still shows what is installed.
    const text = await readFile(path, 'utf8').catch(() => null);
    if (error.kind === 'read-only' && text !== null) parts = installedParts(parseClaudeSettings(text, path).value);
  }
  const wantedEvents = Object.keys(expected.hooks) as HookEvent[];
  const present = [parts.statusLine !== null, ...wantedEvents.map((e) => parts.hooks[e] !== undefined)];
  const installed = present.every(Boolean) ? 'yes' : present.some(Boolean) ? 'partly' : 'no';
  const upToDate =
    installed === 'yes' &&
    parts.statusLine?.command === expected.statusline &&
    HOOK_EVENTS.every((e) => parts.hooks[e]?.command === expected.hooks[e]);
  const record = await readIntegrationRecord(target.stateDir);
  const report = await readStatuslineReport(target.stateDir);
  return {
    settingsPath: path,
    settingsExists: exists,
    problem,
    installed,
    upToDate,
    parts,
    expected,
    previousStatusLine: record?.settingsPath === path ? record.previousStatusLine : null,
    bridge: { lastReportAt: report.lastReport?.at ?? null, claudeCodeVersion: report.lastReport?.claudeCodeVersion ?? null, figuresReceivedAt: report.figuresReceivedAt },
    autoContinue: await autoContinueSetting([path, join(home, '.claude.json')]),
  };
}

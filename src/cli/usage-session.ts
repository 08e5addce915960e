// Opens what every CLI command needs: the state directory, the settings, and
// the usage engine (roots resolved, index loaded, transcripts refreshed, saved).
import { access, constants, stat } from 'node:fs/promises';
import { resolveClaudeRoots } from '../core/ingest/claude-roots.js';
import type { UsageEngine } from '../core/ingest/usage-engine.js';
import { createUsageEngine } from '../core/app/usage-engine-setup.js';
import { LiveMonitor } from '../core/monitor/live-monitor.js';
import { type SettingsStore, openSettings } from '../core/settings/settings-file.js';
import { resolveStateDir } from '../core/state-dir.js';
import type { Notifier } from '../core/ports.js';
import { UsageError } from './cli-error.js';
import { progressReporter } from './progress-line.js';
import { scanParallelism } from './scan-threads.js';

export interface DataOptions {
  dataDir?: string[];
}

export interface OpenedUsage {
  engine: UsageEngine;
  stateDir: string;
  settings: SettingsStore;
}

/** Roots the user named (flag, CLAUDE_CONFIG_DIR or settings) must exist and be readable. */
async function assertReadableRoots(roots: readonly string[]): Promise<void> {
  for (const root of roots) {
    try {
      const s = await stat(root);
      if (!s.isDirectory()) throw new UsageError(`Data directory ${root} is not a directory.`);
      await access(root, constants.R_OK | constants.X_OK);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `Data directory ${root} does not exist.` : `Data directory ${root} cannot be read (${code}).`);
    }
  }
}

export function openSettingsForCli(stateDir: string): SettingsStore {
  const settings = openSettings(stateDir);
  if (settings.notice) process.stderr.write(`breather: ${settings.notice}\n`);
  return settings;
}

/** The Claude roots for this run: --data-dir, else the settings, else the environment and defaults. */
export async function cliRoots(options: DataOptions, settings: SettingsStore): Promise<string[]> {
  const flagged = options.dataDir ?? [];
  const configured = flagged.length > 0 ? flagged : settings.settings.dataRoots;
  const explicit = configured.length > 0 || Boolean(process.env.CLAUDE_CONFIG_DIR?.trim());
  const roots = resolveClaudeRoots({ dataDirs: configured });
  if (explicit) await assertReadableRoots(roots);
  return roots;
}

/** The index files this run is writing (openUsage starts it, the command prints meanwhile). */
let indexWrite: Promise<void> = Promise.resolve();

const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));

/**
 * Ends a command whose work is done: once the index files and the output are
 * written, exit at once. Left to itself, Node tears its heap down before the
 * process ends (20-30 ms after a first scan), for nothing. Only for commands
 * that start nothing else that outlives them.
 */
export async function exitWhenWritten(): Promise<void> {
  await indexWrite;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

export async function openUsage(options: DataOptions): Promise<OpenedUsage> {
  const stateDir = resolveStateDir();
  const settings = openSettingsForCli(stateDir);
  const roots = await cliRoots(options, settings);
  const onProgress = progressReporter();
  const engine = createUsageEngine({
    roots,
    stateDir,
    parallel: scanParallelism(),
    maxLineBytes: settings.settings.ingest.maxLineMB * 1024 * 1024,
    ...(onProgress ? { onProgress } : {}),
  });
  // The command prints while the index files are written (the process waits for them before it exits).
  // A few new lines since the saved index are read again by the next run rather than rewriting it now.
  const { written } = await engine.catchUp((error) => process.stderr.write(`breather: could not save the index in ${stateDir}: ${error.message}\n`), {
    awaitWrite: false,
    leaveSmallChanges: true,
  });
  indexWrite = written;
  // For the bench's phase breakdown.
  if (process.env.BREATHER_TIMINGS === '1') void written.then(() => process.stderr.write(`breather-timings ${JSON.stringify(engine.timings)}\n`));
  return { engine, stateDir, settings };
}

export function monitorFor(opened: OpenedUsage, notifier: Notifier | null, hooks: Partial<ConstructorParameters<typeof LiveMonitor>[0]> = {}): LiveMonitor {
  return new LiveMonitor({
    engine: opened.engine,
    stateDir: opened.stateDir,
    settings: () => opened.settings.settings,
    notifier,
    onError: (error) => process.stderr.write(`breather: ${error.message}\n`),
    ...hooks,
  });
}

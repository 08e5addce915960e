// status, watch and limits: the live view, in the terminal.
import { fileURLToPath } from 'node:url';
import { createDesktopNotifier } from '../core/alerts/desktop-notifier.js';
import { BreatherService } from '../core/app/breather-service.js';
import { resolveStateDir } from '../core/state-dir.js';
import { annotatedLimitHits } from '../core/status/status-snapshot.js';
import type { Status } from '../shared/status.js';
import { limitsTable } from './report-tables.js';
import { statusText, windowLine } from './status-text.js';
import { terminalColumns } from './text-fit.js';
import { clockAt } from '../core/limits/zoned-time.js';
import { cliTimeZone } from './time-format.js';
import { progressReporter } from './progress-line.js';
import { type DataOptions, cliRoots, exitWhenWritten, monitorFor, openSettingsForCli, openUsage } from './usage-session.js';
import { scanParallelism } from './scan-threads.js';

export interface StatusOptions extends DataOptions {
  json?: boolean;
  timezone?: string;
}

export async function statusCommand(options: StatusOptions): Promise<void> {
  // The zone only shapes the text: JSON skips the machine-zone lookup (ICU's zone data, ~10 ms); a given --timezone is still checked.
  const zone = options.json && options.timezone === undefined ? 'UTC' : cliTimeZone(options.timezone);
  const opened = await openUsage(options);
  const status = await monitorFor(opened, null).snapshot();
  process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : `${statusText(status, { nowMs: Date.parse(status.now), zone, columns: terminalColumns() })}\n`);
  await exitWhenWritten();
}

export async function limitsCommand(options: StatusOptions): Promise<void> {
  const zone = cliTimeZone(options.timezone);
  const { engine } = await openUsage(options);
  const hits = annotatedLimitHits(engine.limitHits(), engine.buckets());
  const table = () => limitsTable(hits, { nowMs: Date.now(), zone, columns: Math.min(terminalColumns(), 100) });
  process.stdout.write(options.json ? `${JSON.stringify({ limitHits: hits }, null, 2)}\n` : `${hits.length === 0 ? 'No usage-limit hits found.' : table()}\n`);
  await exitWhenWritten();
}

/** One line per change in `watch`: the time, then the 5-hour window's answer line. */
function oneLine(status: Status, zone: string): string {
  const nowMs = Date.parse(status.now);
  const w = status.windows.five_hour;
  const time = clockAt(nowMs, zone);
  return w ? `${time} ${windowLine(w, { nowMs, zone })}` : `${time} no activity in the current 5-hour window`;
}

// Fields that move with the clock alone: printed, but no reason to print a line.
const CLOCK_FIELDS = new Set(['minutesLeft', 'asOf', 'burnRate', 'runsOutAt']);

/** Identity of a status for "did the numbers change": everything but the clock. */
function fingerprint(status: Status): string {
  const { now: _now, ...rest } = status;
  return JSON.stringify(rest, (key, value: unknown) => (CLOCK_FIELDS.has(key) ? undefined : value));
}

export async function watchCommand(options: StatusOptions & { notify?: boolean }): Promise<void> {
  const zone = cliTimeZone(options.timezone);
  const stateDir = resolveStateDir();
  const settings = openSettingsForCli(stateDir);
  const roots = await cliRoots(options, settings);
  const write = (line: unknown) => process.stdout.write(options.json ? `${JSON.stringify(line)}\n` : `${String(line)}\n`);
  const notifier =
    options.notify === false
      ? null
      : createDesktopNotifier({
          appName: 'Breather',
          iconPath: fileURLToPath(new URL('../../assets/icon.png', import.meta.url)),
          sound: settings.settings.notifications.sound,
          actions: false, // no app to call back into from a terminal
          onError: (error) => process.stderr.write(`breather: notification failed: ${error.message}\n`),
        });
  let last = '';
  const onProgress = progressReporter();
  // The same core as the tray app: engine, monitor, alerts, account poller, automatic checkpoints.
  const service = new BreatherService({
    stateDir,
    settings: () => settings.settings,
    notifier,
    roots,
    parallel: scanParallelism(),
    ...(onProgress ? { onProgress } : {}),
    onStatus: (status) => {
      // JSON: every change of the numbers; text: only when the line a person reads changes.
      const line = options.json ? null : oneLine(status, zone);
      const print = line ?? fingerprint(status);
      if (print === last) return;
      last = print;
      write(line ?? { type: 'status', ...status });
    },
    onAlert: (alert, suppressed) =>
      write(options.json ? { type: 'alert', ...alert, shown: suppressed === null && notifier !== null, suppressed } : `${suppressed ? `(${suppressed}) ` : ''}${alert.title}: ${alert.body}`),
    onCheckpoint: (outcome, trigger) => {
      if (outcome.record) write(options.json ? { type: 'checkpoint', ...outcome.record } : `Checkpoint ${outcome.record.id} (${trigger}): ${outcome.record.projects.map((p) => p.projectDir).join(', ')}`);
    },
    onError: (error) => process.stderr.write(`breather: ${error.message}\n`),
  });
  await service.start();
  // Listeners stay registered while stopping: a library's exit hook (proper-lockfile's
  // signal-exit) re-raises a signal nobody else listens to, which would kill the
  // process mid-stop. A second signal gives up waiting.
  let stopping = false;
  const onSignal = (resolve: () => void) => () => {
    if (stopping) process.exit(130);
    stopping = true;
    resolve();
  };
  await new Promise<void>((resolve) => {
    process.on('SIGINT', onSignal(resolve));
    process.on('SIGTERM', onSignal(resolve));
  });
  await service.stop();
}

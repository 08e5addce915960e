// status, watch and limits: the live view, in the terminal.
import { fileURLToPath } from 'node:url';
import { createDesktopNotifier } from '../core/alerts/desktop-notifier.js';
import { BreatherService } from '../core/app/breather-service.js';
import { resolveStateDir } from '../core/state-dir.js';
import { annotatedLimitHits } from '../core/status/status-snapshot.js';
import type { Status } from '../shared/status.js';
import { formatCountdown } from '../core/app/tray-model.js';
import { limitsTable, statusText } from './report-tables.js';
import { progressReporter } from './progress-line.js';
import { type DataOptions, cliRoots, monitorFor, openSettingsForCli, openUsage, scanParallelism } from './usage-session.js';

export interface StatusOptions extends DataOptions {
  json?: boolean;
}

export async function statusCommand(options: StatusOptions): Promise<void> {
  const opened = await openUsage(options);
  const status = await monitorFor(opened, null).snapshot();
  process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : `${statusText(status)}\n`);
}

export async function limitsCommand(options: StatusOptions): Promise<void> {
  const { engine } = await openUsage(options);
  const hits = annotatedLimitHits(engine.limitHits(), engine.buckets());
  process.stdout.write(options.json ? `${JSON.stringify({ limitHits: hits }, null, 2)}\n` : `${hits.length === 0 ? 'No usage-limit hits found.' : limitsTable(hits)}\n`);
}

function oneLine(status: Status): string {
  const w = status.windows.five_hour;
  if (!w || !w.resetsAt) return `${status.now} no activity in the current 5-hour window`;
  const pct = w.usedPercent === null ? '' : `${w.usedPercent.toFixed(0)}% (${w.source}) `;
  return `${status.now} 5-hour: ${pct}${Math.round(w.tokens).toLocaleString('en-US')} tokens, $${w.costUSD.toFixed(2)}, resets in ${formatCountdown(w.resetsAt, Date.parse(status.now))}`;
}

// Fields that move with the clock alone: printed, but no reason to print a line.
const CLOCK_FIELDS = new Set(['minutesLeft', 'asOf', 'burnRate', 'runsOutAt']);

/** Identity of a status for "did the numbers change": everything but the clock. */
function fingerprint(status: Status): string {
  const { now: _now, ...rest } = status;
  return JSON.stringify(rest, (key, value: unknown) => (CLOCK_FIELDS.has(key) ? undefined : value));
}

export async function watchCommand(options: StatusOptions & { notify?: boolean }): Promise<void> {
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
      const print = fingerprint(status);
      if (print === last) return;
      last = print;
      write(options.json ? { type: 'status', ...status } : oneLine(status));
    },
    onAlert: (alert, suppressed) =>
      write(options.json ? { type: 'alert', ...alert, shown: suppressed === null && notifier !== null, suppressed } : `${suppressed ? `(${suppressed}) ` : ''}${alert.title}: ${alert.body}`),
    onCheckpoint: (outcome, trigger) => {
      if (outcome.record) write(options.json ? { type: 'checkpoint', ...outcome.record } : `Checkpoint ${outcome.record.id} (${trigger}): ${outcome.record.projects.map((p) => p.projectDir).join(', ')}`);
    },
    onError: (error) => process.stderr.write(`breather: ${error.message}\n`),
  });
  await service.start();
  await new Promise<void>((resolve) => {
    // `on`, not `once`: signal-exit (loaded with proper-lockfile by the first checkpoint) re-raises a
    // signal nobody else listens to any more, which would kill watch before it stops cleanly.
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
  await service.stop();
}

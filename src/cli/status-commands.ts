// status, watch and limits: the live view, in the terminal.
import { fileURLToPath } from 'node:url';
import { createDesktopNotifier } from '../core/alerts/desktop-notifier.js';
import { autoCheckpointFor, pauseAwareNotifier } from '../core/checkpoint/auto-checkpoint.js';
import { CheckpointStore } from '../core/checkpoint/checkpoint-store.js';
import { AccountUsagePoller, createAccountUsageFetcher } from '../core/limits/account-usage.js';
import type { OfficialLimits } from '../core/limits/official-limits.js';
import { systemClock } from '../core/ports.js';
import { runCheckpoint } from './checkpoint-commands.js';
import { annotatedLimitHits } from '../core/status/status-snapshot.js';
import type { Alert, Status } from '../shared/status.js';
import { formatCountdown, limitsTable, statusText } from './report-tables.js';
import { type DataOptions, monitorFor, openUsage } from './usage-session.js';

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

/** Identity of a status for "did the numbers change": everything but the clock. */
function fingerprint(status: Status): string {
  const { now: _now, ...rest } = status;
  return JSON.stringify(rest, (key, value: unknown) => (key === 'minutesLeft' || key === 'asOf' ? undefined : value));
}

export async function watchCommand(options: StatusOptions & { notify?: boolean }): Promise<void> {
  const opened = await openUsage(options);
  const write = (line: unknown) => process.stdout.write(options.json ? `${JSON.stringify(line)}\n` : `${String(line)}\n`);
  const checkpoints = new CheckpointStore(opened.stateDir);
  const desktop =
    options.notify === false
      ? null
      : createDesktopNotifier({
          appName: 'Headroom',
          iconPath: fileURLToPath(new URL('../../assets/icon.png', import.meta.url)),
          sound: opened.settings.settings.notifications.sound,
          actions: false, // no app to call back into from a terminal
          onError: (error) => process.stderr.write(`headroom: notification failed: ${error.message}\n`),
        });
  const notifier = desktop && pauseAwareNotifier(desktop, () => checkpoints.pauses());
  let last = '';
  // Automatic checkpoints run one at a time, after the alert that asked for them.
  let checkpointQueue: Promise<void> = Promise.resolve();
  const autoCheckpoint = (alert: Alert) => {
    const status = monitor.status;
    const decision = status && autoCheckpointFor(alert, status, opened.settings.settings.checkpoint);
    if (!decision) return;
    checkpointQueue = checkpointQueue
      .then(async () => {
        const outcome = await runCheckpoint(opened, decision.trigger, { pause: decision.pause, autoKey: decision.autoKey });
        if (outcome.record) write(options.json ? { type: 'checkpoint', ...outcome.record } : `Checkpoint ${outcome.record.id} (${decision.trigger}): ${outcome.record.projects.map((p) => p.projectDir).join(', ')}`);
      })
      .catch((error: Error) => {
        process.stderr.write(`headroom: automatic checkpoint failed: ${error.message}\n`);
      });
  };
  // The account endpoint is opt-in, polled on one slow timer chain (>= 5 min, backs off on 429).
  let account: OfficialLimits | null = null;
  const accountSettings = opened.settings.settings.accountEndpoint;
  const poller = accountSettings.enabled
    ? new AccountUsagePoller({
        fetchUsage: createAccountUsageFetcher({ roots: opened.engine.roots as string[] }),
        clock: systemClock,
        minIntervalMs: accountSettings.pollMinutes * 60_000,
        onUpdate: (limits) => {
          account = limits;
          void monitor.evaluate();
        },
        onError: (error) => process.stderr.write(`headroom: ${error.message}\n`),
      })
    : null;
  const monitor = monitorFor(opened, notifier, {
    extraOfficial: () => account,
    onStatus: (status) => {
      const print = fingerprint(status);
      if (print === last) return;
      last = print;
      write(options.json ? { type: 'status', ...status } : oneLine(status));
    },
    onAlert: (alert, suppressed) => {
      write(options.json ? { type: 'alert', ...alert, shown: suppressed === null, suppressed } : `${suppressed ? `(${suppressed}) ` : ''}${alert.title}: ${alert.body}`);
      autoCheckpoint(alert);
    },
  });
  await monitor.start();
  poller?.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  poller?.stop();
  await monitor.stop();
  await checkpointQueue;
}

// status and watch: the live view, in the terminal.
import { watchTranscripts } from '../core/ingest/transcript-watcher.js';
import { buildStatusSnapshot } from '../core/status/status-snapshot.js';
import type { UsageEngine } from '../core/ingest/usage-engine.js';
import type { Status } from '../shared/status.js';
import { formatCountdown, statusText } from './report-tables.js';
import { type DataOptions, openUsage } from './usage-session.js';

export interface StatusOptions extends DataOptions {
  json?: boolean;
}

function snapshot(engine: UsageEngine): Status {
  return buildStatusSnapshot({ buckets: engine.buckets(), limitHits: engine.limitHits(), health: engine.health(), nowMs: Date.now() });
}

export async function statusCommand(options: StatusOptions): Promise<void> {
  const { engine } = await openUsage(options);
  const status = snapshot(engine);
  process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : `${statusText(status)}\n`);
}

function oneLine(status: Status): string {
  const w = status.windows.five_hour;
  if (!w || !w.resetsAt) return `${status.now} no activity in the current 5-hour window`;
  const pct = w.usedPercent === null ? '' : `${w.usedPercent.toFixed(0)}% `;
  return `${status.now} 5-hour: ${pct}${Math.round(w.tokens).toLocaleString('en-US')} tokens, $${w.costUSD.toFixed(2)}, resets in ${formatCountdown(w.resetsAt, Date.parse(status.now))}`;
}

/** Identity of a status for "did the numbers change": everything but the clock. */
function fingerprint(status: Status): string {
  const { now: _now, ...rest } = status;
  return JSON.stringify(rest, (key, value: unknown) => (key === 'minutesLeft' ? undefined : value));
}

export async function watchCommand(options: StatusOptions): Promise<void> {
  const { engine } = await openUsage(options);
  let last = '';
  let windowTimer: NodeJS.Timeout | null = null;
  let persistTimer: NodeJS.Timeout | null = null;

  const emit = () => {
    const status = snapshot(engine);
    const print = fingerprint(status);
    if (print !== last) {
      last = print;
      process.stdout.write(options.json ? `${JSON.stringify({ type: 'status', ...status })}\n` : `${oneLine(status)}\n`);
    }
    // Wake once when the window ends, so "reset" shows without polling.
    if (windowTimer) clearTimeout(windowTimer);
    const resetsAt = status.windows.five_hour?.resetsAt;
    const wait = resetsAt ? Date.parse(resetsAt) - Date.now() + 1000 : 0;
    windowTimer = wait > 0 && wait < 2 ** 31 - 1 ? setTimeout(emit, wait) : null;
  };
  const schedulePersist = () => {
    if (persistTimer) clearTimeout(persistTimer);
    persistTimer = setTimeout(() => {
      persistTimer = null;
      engine.persist().catch((error: Error) => process.stderr.write(`headroom: could not save the index: ${error.message}\n`));
    }, 3000);
  };

  const watcher = await watchTranscripts({
    roots: engine.roots,
    onChange: (paths, rescan) => {
      const refreshed = rescan ? engine.refresh() : engine.refreshPaths(paths);
      refreshed
        .then((result) => {
          if (result.changedFiles > 0) schedulePersist();
          emit();
        })
        .catch((error: Error) => process.stderr.write(`headroom: ${error.message}\n`));
    },
    onError: (error) => process.stderr.write(`headroom: watch error: ${error.message}\n`),
  });
  await watcher.ready;
  // Catch anything written between the initial scan and the watcher being ready.
  await engine.refresh();
  emit();

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (windowTimer) clearTimeout(windowTimer);
  if (persistTimer) clearTimeout(persistTimer);
  await watcher.close();
  await engine.persist();
}

// The live engine behind `breather watch` and the tray: transcripts and the
// statusline snapshot are watched (native events, no polling); each change
// rebuilds the one status snapshot, runs the pure alert engine, sends what it
// decided to the notifier and hands the status to every listener.
// The only timer is a single wake-up at the next moment the status changes by
// itself (a window reset, a snooze ending, quiet hours ending).
import type { Settings } from '../../shared/settings.js';
import type { Alert, Status, WindowId } from '../../shared/status.js';
import { type AlertState, evaluateAlerts, pauseWindow, resumeWindow, snoozeAlerts, type SnoozeRequest } from '../alerts/alert-engine.js';
import { loadAlertState, saveAlertState } from '../alerts/alert-state-store.js';
import { NOTHING_CHANGED, type UsageEngine } from '../ingest/usage-engine.js';
import { type TranscriptWatcher, watchTranscripts } from '../ingest/transcript-watcher.js';
import type { OfficialLimits } from '../limits/official-limits.js';
import { planPreset } from '../limits/plan-presets.js';
import { readStatuslineSnapshot, statuslineSnapshotPath } from '../limits/statusline-snapshot.js';
import { type Clock, type Notifier, systemClock } from '../ports.js';
import { SessionLocator } from '../status/session-locator.js';
import { buildStatusSnapshot } from '../status/status-snapshot.js';

export interface LiveMonitorOptions {
  engine: UsageEngine;
  stateDir: string;
  settings: () => Settings;
  notifier: Notifier | null;
  clock?: Clock;
  /** Extra official sources (the opt-in account endpoint), most trusted after the statusline. */
  extraOfficial?: () => OfficialLimits | null;
  onStatus?: (status: Status) => void;
  /** Every alert decided; `suppressed` tells why it was not shown. */
  onAlert?: (alert: Alert, suppressed: string | null) => void;
  onError?: (error: Error) => void;
  /** The index's saves while transcripts grow (tests); default PERSIST_TIMING. */
  persistTiming?: PersistTiming;
}

export interface PersistTiming {
  /** After a change, the save waits this long for more (a streamed response's lines). */
  quietMs: number;
  /** And comes at most this often. */
  everyMs: number;
}

/**
 * Each save rewrites the index whole (8 MB for a 1 GB history), and Claude Code
 * appends every few seconds while it works: saved 3 s after each change, an
 * active session had the tray write it every ~10 s, gigabytes an hour. The
 * index is a cache: a save lost to a crash costs only re-reading what was
 * appended since. So at most once a minute, and at stop.
 */
export const PERSIST_TIMING: PersistTiming = { quietMs: 3000, everyMs: 60_000 };

/** How long the next save waits, the last one (if any) having been at `lastMs`. */
export function persistDelayMs(lastMs: number | null, nowMs: number, timing: PersistTiming = PERSIST_TIMING): number {
  return lastMs === null ? timing.quietMs : Math.max(timing.quietMs, lastMs + timing.everyMs - nowMs);
}

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Longer than chokidar's 50 ms per-file 'change' throttle plus the watcher's batching. */
const RECHECK_MS = 150;
const ALERT_ACTIONS = { checkpoint: 'Checkpoint now', snooze: 'Snooze' } as const;

/** The next instant the status can change with no new data. */
export function nextWakeMs(status: Status, state: AlertState, nowMs: number): number | null {
  const candidates: number[] = [];
  for (const w of Object.values(status.windows)) {
    if (w?.resetsAt) candidates.push(Date.parse(w.resetsAt));
    if (w?.runsOutAt) candidates.push(Date.parse(w.runsOutAt));
  }
  for (const s of [...state.snoozes, ...state.mutedWindows]) if (s.until) candidates.push(Date.parse(s.until));
  if (status.lastLimitHit?.resetsAt) candidates.push(Date.parse(status.lastLimitHit.resetsAt));
  const future = candidates.filter((t) => Number.isFinite(t) && t > nowMs);
  return future.length === 0 ? null : Math.min(...future);
}

export class LiveMonitor {
  private alertState: AlertState | null = null;
  private current: Status | null = null;
  private watcher: TranscriptWatcher | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private persistTimer: NodeJS.Timeout | null = null;
  private lastPersistMs: number | null = null;
  private recheckTimer: NodeJS.Timeout | null = null;
  private readonly recheckPaths = new Set<string>();
  private evaluating: Promise<void> = Promise.resolve();
  private readonly clock: Clock;
  /** The watcher being set up behind a quick start. */
  private background: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Which sessions are active, and where their transcripts are (any record counts, not only usage). */
  readonly sessions: SessionLocator;

  constructor(private readonly options: LiveMonitorOptions) {
    this.clock = options.clock ?? systemClock;
    this.sessions = new SessionLocator(options.engine);
  }

  get status(): Status | null {
    return this.current;
  }

  /** Builds the status from what the engine holds now (no I/O but the statusline file). */
  async snapshot(): Promise<Status> {
    const nowMs = this.clock.now();
    const settings = this.options.settings();
    const official: OfficialLimits[] = [];
    const statusline = await readStatuslineSnapshot(this.options.stateDir, new Date(nowMs));
    if (statusline) official.push(statusline);
    const account = this.options.extraOfficial?.();
    if (account) official.push(account);
    const activeWithinMs = settings.checkpoint.activeMinutes * 60_000;
    return buildStatusSnapshot({
      buckets: this.options.engine.buckets(),
      limitHits: this.options.engine.limitHits(),
      health: this.options.engine.health(),
      nowMs,
      official,
      plan: planPreset(settings.plan.preset, settings.plan.customCaps),
      weeklyAnchor: settings.weeklyResetAnchor,
      activeWithinMs,
      activity: await this.sessions.recent(nowMs - activeWithinMs),
    });
  }

  /**
   * Starts watching. With `quickStart` (the engine caught up from its index's
   * file list only) the first status is built at once, and the watcher's
   * initial walk and a full pass for new files follow behind it.
   */
  async start(options: { quickStart?: boolean } = {}): Promise<Status> {
    if (options.quickStart) {
      await this.evaluate();
      this.schedulePersist(); // what the quick pass read (a no-op when nothing changed)
      this.background = this.attachWatcher().catch((error: Error) => this.options.onError?.(error));
      return this.current!;
    }
    await this.attachWatcher();
    return this.current!;
  }

  private async attachWatcher(): Promise<void> {
    const engine = this.options.engine;
    const watcher = await watchTranscripts({
      roots: engine.roots,
      extraFiles: [statuslineSnapshotPath(this.options.stateDir)],
      onChange: (paths, rescan) => {
        this.onFilesChanged(paths, rescan, true);
        // chokidar passes at most one 'change' per file every 50 ms and drops
        // the rest without a trailing event, so a line written just after the
        // last one we read (the end of a streamed response, the limit message)
        // would wait for the next write, possibly forever. Look once more
        // after the last batch (a later passed event reads earlier lines anyway).
        for (const path of paths) this.recheckPaths.add(path);
        if (this.recheckTimer) clearTimeout(this.recheckTimer);
        this.recheckTimer = setTimeout(() => {
          this.recheckTimer = null;
          const again = [...this.recheckPaths];
          this.recheckPaths.clear();
          if (this.watcher) this.onFilesChanged(again, false, false);
        }, RECHECK_MS);
      },
      onError: (error) => this.options.onError?.(error),
    });
    if (this.stopped) {
      await watcher.close();
      return;
    }
    this.watcher = watcher;
    await watcher.ready;
    // Anything written before the watcher was ready, and files the index did not know.
    const caughtUp = await engine.refresh();
    if (caughtUp.changedFiles > 0) this.schedulePersist();
    await this.evaluate();
  }

  private onFilesChanged(paths: readonly string[], rescan: boolean, alwaysEvaluate: boolean): void {
    const engine = this.options.engine;
    const transcripts = paths.filter((p) => p.endsWith('.jsonl'));
    const others = transcripts.length < paths.length;
    const refreshed = rescan ? engine.refresh() : transcripts.length > 0 ? engine.refreshPaths(transcripts) : Promise.resolve(NOTHING_CHANGED);
    refreshed
      .then((result) => {
        if (result.changedFiles > 0) this.schedulePersist();
        if (alwaysEvaluate || others || result.changedFiles > 0) return this.evaluate();
        return undefined;
      })
      .catch((error: Error) => this.options.onError?.(error));
  }

  /** Rebuilds the status, decides alerts, notifies; serialised. */
  evaluate(): Promise<void> {
    const run = this.evaluating.then(() => this.evaluateNow());
    this.evaluating = run.catch((error: Error) => this.options.onError?.(error));
    return run;
  }

  private async evaluateNow(): Promise<void> {
    const status = await this.snapshot();
    const settings = this.options.settings();
    const now = new Date(this.clock.now());
    if (!this.alertState) {
      const loaded = await loadAlertState(this.options.stateDir, { status, settings: settings.alerts, now });
      this.alertState = loaded.state;
      if (loaded.notice) this.options.onError?.(new Error(loaded.notice));
    }
    const evaluation = evaluateAlerts(status, settings.alerts, this.alertState, now);
    const changed = JSON.stringify(evaluation.nextState) !== JSON.stringify(this.alertState);
    this.alertState = evaluation.nextState;
    if (changed) await saveAlertState(this.options.stateDir, this.alertState);
    this.current = status;
    this.options.onStatus?.(status);
    for (const { alert, reason } of evaluation.suppressed) this.options.onAlert?.(alert, reason);
    for (const alert of evaluation.alerts) {
      this.options.onAlert?.(alert, settings.notifications.enabled ? null : 'notifications-off');
      if (settings.notifications.enabled && this.options.notifier) {
        await this.options.notifier
          .notify({
            title: alert.title,
            body: alert.body,
            tag: alert.id,
            ...(alert.actions ? { actions: alert.actions.map((id) => ({ id, label: ALERT_ACTIONS[id] })) } : {}),
          })
          .catch((error: Error) => this.options.onError?.(error));
      }
    }
    this.scheduleWake(status);
  }

  private scheduleWake(status: Status): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    if (!this.watcher || !this.alertState) return;
    const nowMs = this.clock.now();
    const wake = nextWakeMs(status, this.alertState, nowMs);
    if (wake === null) return;
    this.wakeTimer = setTimeout(() => void this.evaluate(), Math.min(MAX_TIMER_MS, wake - nowMs + 1000));
  }

  /** A save is due (persistDelayMs); one already due saves this change too. */
  private schedulePersist(): void {
    if (this.persistTimer) return;
    const timing = this.options.persistTiming ?? PERSIST_TIMING;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      this.lastPersistMs = this.clock.now();
      this.options.engine.persist().catch((error: Error) => this.options.onError?.(error));
    }, persistDelayMs(this.lastPersistMs, this.clock.now(), timing));
  }

  async snooze(request: SnoozeRequest): Promise<void> {
    const status = this.current ?? (await this.snapshot());
    this.alertState = snoozeAlerts(this.alertState ?? (await this.loadState(status)), request, status, new Date(this.clock.now()), this.options.settings().alerts.snoozeDefaultMinutes);
    await saveAlertState(this.options.stateDir, this.alertState);
    await this.evaluate();
  }

  async setPaused(window: WindowId, paused: boolean): Promise<void> {
    const status = this.current ?? (await this.snapshot());
    const state = this.alertState ?? (await this.loadState(status));
    this.alertState = paused ? pauseWindow(state, window, status, new Date(this.clock.now())) : resumeWindow(state, window);
    await saveAlertState(this.options.stateDir, this.alertState);
    await this.evaluate();
  }

  private async loadState(status: Status): Promise<AlertState> {
    const loaded = await loadAlertState(this.options.stateDir, { status, settings: this.options.settings().alerts, now: new Date(this.clock.now()) });
    return loaded.state;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.background;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.persistTimer) clearTimeout(this.persistTimer);
    if (this.recheckTimer) clearTimeout(this.recheckTimer);
    this.wakeTimer = null;
    this.persistTimer = null;
    this.recheckTimer = null;
    this.recheckPaths.clear();
    await this.watcher?.close();
    this.watcher = null;
    await this.evaluating;
    await this.options.engine.persist();
  }
}

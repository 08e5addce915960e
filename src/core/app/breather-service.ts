// The live core behind every long-running face (the tray app; the same
// composition as `breather watch`): the usage engine, the live monitor with
// alerts and notifications, the opt-in account poller, automatic checkpoints
// after the alerts that ask for them, and manual checkpoints / snoozes from
// menus, hotkeys and notification actions. Effects come in as ports.
import type { Settings } from '../../shared/settings.js';
import type { Alert, Status } from '../../shared/status.js';
import { autoCheckpointFor, pauseAwareNotifier } from '../checkpoint/auto-checkpoint.js';
import { type CheckpointOutcome, type CheckpointTrigger, createCheckpoint, gitTopLevel } from '../checkpoint/checkpoint-service.js';
import { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import { createExecGitRunner } from '../checkpoint/exec-git-runner.js';
import { resolveClaudeRoots } from '../ingest/claude-roots.js';
import type { ParallelScanOptions } from '../ingest/parallel-scan.js';
import type { ScanProgress, UsageEngine } from '../ingest/usage-engine.js';
import { createUsageEngine } from './usage-engine-setup.js';
import { AccountUsagePoller, createAccountUsageFetcher } from '../limits/account-usage.js';
import type { OfficialLimits } from '../limits/official-limits.js';
import { type CredentialsWatch, watchCredentials } from '../limits/credentials-watch.js';
import { LiveMonitor } from '../monitor/live-monitor.js';
import { type Clock, type GitRunner, type Notifier, systemClock } from '../ports.js';
import { type CurrentLimit, currentLimit, windowToPause } from './current-limit.js';
import { type LimitCheckpointRequest, RequestInbox } from '../integration/hook-requests.js';
import { limitCheckpointPlan } from '../integration/limit-checkpoint.js';
import { readStatuslineSnapshot } from '../limits/statusline-snapshot.js';

export interface BreatherServiceOptions {
  stateDir: string;
  /** The current settings (read on every use, so changes apply at once). */
  settings: () => Settings;
  /** Desktop notifications; null: decide alerts but show nothing. */
  notifier: Notifier | null;
  /** Claude data roots; default: settings.dataRoots, else $CLAUDE_CONFIG_DIR, else the defaults. */
  roots?: string[];
  /** Roots read as well as those (WSL distributions' on Windows). */
  extraRoots?: string[];
  /** Worker threads for a big first scan (the built scan-worker script). */
  parallel?: ParallelScanOptions;
  onProgress?: (progress: ScanProgress) => void;
  git?: GitRunner;
  clock?: Clock;
  onStatus?: (status: Status) => void;
  onAlert?: (alert: Alert, suppressed: string | null) => void;
  onCheckpoint?: (outcome: CheckpointOutcome, trigger: CheckpointTrigger) => void;
  onError?: (error: Error) => void;
}

export interface CheckpointNowOptions {
  pause?: boolean;
  projectDir?: string;
  autoKey?: string;
  /** The limit that stopped the work, when the caller knows better than the status (a StopFailure hook). */
  limit?: CurrentLimit | null;
}

export interface StatusCheckpointInput {
  trigger: CheckpointTrigger;
  options: CheckpointNowOptions;
  /** The status the checkpoint describes: its active sessions and the limit stopping work. */
  status: Status;
  engine: UsageEngine;
  /** Mutes the paused window's alerts; the CLI passes a monitor it does not start. */
  monitor: LiveMonitor;
  stateDir: string;
  settings: Settings;
  git: GitRunner;
  clock: Clock;
}

/** The one checkpoint path behind every trigger, from the tray, `watch` and the CLI alike. */
export async function checkpointFromStatus(input: StatusCheckpointInput): Promise<CheckpointOutcome> {
  const { options, status, settings } = input;
  const limit = options.limit !== undefined ? options.limit : currentLimit(status);
  const outcome = await createCheckpoint(
    {
      trigger: input.trigger,
      ...(options.projectDir ? { projectDir: options.projectDir } : {}),
      pause: Boolean(options.pause),
      limit,
      ...(options.autoKey ? { autoKey: options.autoKey } : {}),
    },
    {
      stateDir: input.stateDir,
      git: input.git,
      clock: input.clock,
      activeSessions: () => status.activeSessions,
      projectSessions: (dir) =>
        input.monitor.sessions.forProject(dir, (cwd) => gitTopLevel(input.git, cwd), { stretchMs: settings.checkpoint.workingStretchHours * 3_600_000 }),
      sessionFiles: (id) => input.monitor.sessions.filesOf(id),
      untrackedSizeCapBytes: settings.checkpoint.untrackedSizeCapMB * 1024 * 1024,
      writePromptIntoRepo: settings.checkpoint.writePromptIntoRepo,
      promptBudgetBytes: settings.checkpoint.promptBudgetKB * 1024,
      skipSecretLookingFiles: settings.checkpoint.skipSecretLookingFiles,
    },
  );
  // Pausing mutes the window that stopped the work until it resets: the user chose to wait.
  if (outcome.record && options.pause) await input.monitor.setPaused(windowToPause(limit), true);
  return outcome;
}

export class BreatherService {
  readonly engine: UsageEngine;
  readonly monitor: LiveMonitor;
  readonly checkpoints: CheckpointStore;
  private readonly git: GitRunner;
  private readonly clock: Clock;
  private account: OfficialLimits | null = null;
  private poller: AccountUsagePoller | null = null;
  private credentials: CredentialsWatch | null = null;
  /** Requests from Claude Code's hooks (StopFailure → checkpoint), handed over through the state directory. */
  private readonly inbox: RequestInbox;
  /** Checkpoints run one at a time, in the order asked. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Set by start(): a checkpoint asked for during the first scan waits for it. */
  private started: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: BreatherServiceOptions) {
    const settings = options.settings();
    const roots = [...(options.roots ?? resolveClaudeRoots({ dataDirs: settings.dataRoots })), ...(options.extraRoots ?? [])];
    this.engine = createUsageEngine({
      roots,
      stateDir: options.stateDir,
      maxLineBytes: settings.ingest.maxLineMB * 1024 * 1024,
      ...(options.parallel ? { parallel: options.parallel } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    this.git = options.git ?? createExecGitRunner();
    this.clock = options.clock ?? systemClock;
    this.checkpoints = new CheckpointStore(options.stateDir);
    const notifier = options.notifier && pauseAwareNotifier(options.notifier, () => this.checkpoints.pauses());
    this.monitor = new LiveMonitor({
      engine: this.engine,
      stateDir: options.stateDir,
      settings: options.settings,
      notifier,
      clock: this.clock,
      extraOfficial: () => this.account,
      onStatus: (status) => options.onStatus?.(status),
      onAlert: (alert, suppressed) => {
        options.onAlert?.(alert, suppressed);
        this.autoCheckpoint(alert);
      },
      onError: (error) => options.onError?.(error),
    });
    this.inbox = new RequestInbox({
      stateDir: options.stateDir,
      onRequest: (request) => this.limitCheckpoint(request),
      onError: (error) => options.onError?.(error),
    });
  }

  get status(): Status | null {
    return this.monitor.status;
  }

  /** Loads the index, reads what changed, starts watching; resolves with the first status. */
  start(): Promise<Status> {
    const run = this.startNow();
    this.started = run.catch(() => undefined);
    return run;
  }

  private async startNow(): Promise<Status> {
    // With a saved index the first status comes from its files; the watcher and new files follow.
    const quickStart = await this.engine.catchUpKnownFiles((error) => this.options.onError?.(new Error(`could not save the index: ${error.message}`)));
    // Mark the service before the first status: from then on hooks hand their requests over.
    await this.inbox.start();
    const status = await this.monitor.start({ quickStart });
    const account = this.options.settings().accountEndpoint;
    if (account.enabled) {
      this.poller = new AccountUsagePoller({
        fetchUsage: createAccountUsageFetcher({ roots: [...this.engine.roots] }),
        clock: this.clock,
        minIntervalMs: account.pollMinutes * 60_000,
        onUpdate: (limits) => {
          this.account = limits;
          void this.monitor.evaluate();
        },
        onError: (error) => this.options.onError?.(error),
      });
      this.poller.start();
      // Stopped by an expired sign-in: resume when Claude Code writes new credentials.
      this.credentials = watchCredentials(this.engine.roots, () => this.poller?.credentialsChanged(), (error) => this.options.onError?.(error));
    }
    return status;
  }

  /** Checkpoints every recently active project (or one), queued behind any running checkpoint. */
  checkpoint(trigger: CheckpointTrigger, options: CheckpointNowOptions = {}): Promise<CheckpointOutcome> {
    const run = this.queue.then(() => this.checkpointNow(trigger, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async checkpointNow(trigger: CheckpointTrigger, options: CheckpointNowOptions): Promise<CheckpointOutcome> {
    await this.started;
    const outcome = await checkpointFromStatus({
      trigger,
      options,
      status: await this.monitor.snapshot(),
      engine: this.engine,
      monitor: this.monitor,
      stateDir: this.options.stateDir,
      settings: this.options.settings(),
      git: this.git,
      clock: this.clock,
    });
    this.options.onCheckpoint?.(outcome, trigger);
    return outcome;
  }

  /** A StopFailure "rate_limit" hook asked for a checkpoint of its session's project (and a pause until the reset). */
  private async limitCheckpoint(request: LimitCheckpointRequest): Promise<void> {
    await this.started;
    // The limit record was just written: read it before deciding which limit stopped the session.
    if (request.transcriptPath) await this.engine.refreshPaths([request.transcriptPath]).catch(() => undefined);
    const status = await this.monitor.snapshot();
    const plan = limitCheckpointPlan(request.sessionId, status, this.engine.limitHits(), await readStatuslineSnapshot(this.options.stateDir, new Date(this.clock.now())));
    await this.checkpoint('hook', { projectDir: request.projectDir, pause: true, autoKey: plan.autoKey, limit: plan.limit }).catch((error: Error) =>
      this.options.onError?.(new Error(`checkpoint on limit failed: ${error.message}`)),
    );
  }

  private autoCheckpoint(alert: Alert): void {
    const status = this.monitor.status;
    const decision = status && autoCheckpointFor(alert, status, this.options.settings().checkpoint);
    if (!decision) return;
    this.checkpoint(decision.trigger, { pause: decision.pause, autoKey: decision.autoKey }).catch((error: Error) =>
      this.options.onError?.(new Error(`automatic checkpoint failed: ${error.message}`)),
    );
  }

  /** Snoozes every window for `minutes`, or the 5-hour window until it resets (null). Returns when it ends, if known. */
  async snooze(minutes: number | null): Promise<string | null> {
    const nowMs = this.clock.now();
    if (minutes === null) {
      await this.monitor.snooze({ window: 'five_hour', restOfWindow: true });
      return this.monitor.status?.windows.five_hour?.resetsAt ?? null;
    }
    await this.monitor.snooze({ window: 'all', minutes });
    return new Date(nowMs + minutes * 60_000).toISOString();
  }

  /** Re-evaluates now (after a settings change). */
  refresh(): Promise<void> {
    return this.monitor.evaluate();
  }

  async stop(): Promise<void> {
    this.poller?.stop();
    this.credentials?.close();
    await this.inbox.stop();
    await this.monitor.stop();
    await this.queue;
  }
}

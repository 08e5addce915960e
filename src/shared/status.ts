// The status snapshot: built once per change by core, handed to every face
// (tray, popover, CLI, alerts). Plain data only, so it crosses IPC unchanged.

export type WindowId = 'five_hour' | 'seven_day' | 'seven_day_opus' | 'seven_day_sonnet';

/** Where a percentage comes from, in order of trust. */
export type LimitSource = 'statusline' | 'account' | 'limit-hit' | 'learned' | 'plan' | 'none';

export interface BurnRate {
  tokensPerMinute: number;
  costPerHour: number;
}

export interface WindowStatus {
  id: WindowId;
  /** null when no source gives a cap: absolute usage only. */
  usedPercent: number | null;
  source: LimitSource;
  /** ISO time the percentage was true. */
  asOf: string | null;
  startsAt: string | null;
  resetsAt: string | null;
  /** How the window's boundaries were found, e.g. "statusline", "limit-hit", "block", "user-anchor", "rolling". */
  anchor: string;
  tokens: number;
  costUSD: number;
  burnRate: BurnRate | null;
  runsOutAt: string | null;
  minutesLeft: number | null;
  /** 0..1 for learned caps, 1 for official sources. */
  confidence?: number;
  /**
   * A limit message inside this window said it is used up: usedPercent is 100
   * and resetsAt is the hit's reset, until that reset (or a newer official figure).
   */
  limitReached?: boolean;
  /** The reset time is a guess (a zoneless reset time that made no sense as written). */
  resetEstimated?: boolean;
  /** An official statusline figure carried forward with the usage seen since (calibrated): the figure it started from. */
  extrapolatedFrom?: { usedPercent: number; asOf: string };
}

export type LimitWindowKind = 'five_hour' | 'weekly' | 'opus' | 'sonnet' | 'overage' | 'unknown';

export interface LimitHit {
  at: string;
  window: LimitWindowKind;
  resetsAt: string | null;
  text: string;
  sessionId: string | null;
  cwd: string | null;
  /** Cost-weighted usage of the window up to the hit, when known. */
  usageUpToHit?: { tokens: number; costUSD: number };
  /** resetsAt is a guess: the text's zoneless time made no sense read in this machine's zone. */
  resetEstimated?: boolean;
}

export interface ActiveSession {
  sessionId: string;
  cwd: string;
  /** ISO time of the session's newest record of any kind. */
  lastActivity: string;
  /** Present when a limit message keeps the session active: when that limit resets (null: unknown). */
  limitResetsAt?: string | null;
}

export interface SkippedLineCounts {
  [reason: string]: number;
}

export interface DataHealth {
  roots: { path: string; exists: boolean; error?: string }[];
  files: number;
  bytesIndexed: number;
  skippedLines: SkippedLineCounts;
  unfinishedLines: number;
  index: 'fresh' | 'loaded' | 'rebuilt' | 'updated';
  diagnostics: string[];
}

export interface Status {
  now: string;
  windows: Partial<Record<WindowId, WindowStatus>>;
  lastLimitHit: LimitHit | null;
  activeSessions: ActiveSession[];
  health: DataHealth;
}

export type AlertKind = 'threshold' | 'predictive' | 'limit-reached' | 'reset';

export type AlertAction = 'checkpoint' | 'snooze';

/** One notification decided by the alert engine; plain data so it crosses IPC. */
export interface Alert {
  /** Stable: "<window>:<window instance>:<kind>[:<detail>]", so a platform can replace rather than stack. */
  id: string;
  kind: AlertKind;
  /** null for a limit hit that belongs to no tracked window (extra usage, unknown). */
  window: WindowId | null;
  title: string;
  body: string;
  actions?: AlertAction[];
}

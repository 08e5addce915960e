// Breather's one settings schema. Shared by core, the CLI and the Electron app
// (electron-store reads the same plain JSON file), so it imports nothing of ours.
// Every field has a default: a partial file parses to a complete settings object.
import { z } from 'zod';

/** Bump with a migration in src/core/settings/settings-migrations.ts. */
export const SETTINGS_VERSION = 1;

const WINDOW_IDS = ['five_hour', 'seven_day', 'seven_day_opus', 'seven_day_sonnet'] as const;
export const PLAN_PRESET_IDS = ['pro', 'max_5x', 'max_20x', 'custom'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** When a pause ends: at the reset of the window that caused it, or only at `breather resume`. */
export const PAUSE_END_MODES = ['reset', 'manual'] as const;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA zone name; null means the machine's zone. */
const TimeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'not a known IANA time zone (e.g. "Europe/London")' })
  .nullable()
  .default(null);

/** "HH:MM", 24-hour local time. */
const LocalTimeSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a 24-hour time "HH:MM"' });

const ThresholdsSchema = z
  .array(z.number().int().min(1).max(100))
  .max(10)
  .refine((list) => new Set(list).size === list.length, { message: 'thresholds must not repeat' });

const QuietHoursSchema = z.object({
  start: LocalTimeSchema,
  end: LocalTimeSchema,
  timeZone: TimeZoneSchema,
});

const WeeklyResetAnchorSchema = z.object({
  weekday: z.enum(WEEKDAYS),
  time: LocalTimeSchema,
  timeZone: TimeZoneSchema,
});

/** Cost-weighted USD per window; null: no cap of that kind. */
const CapSchema = z.number().positive().nullable().default(null);

export const AlertSettingsSchema = z.object({
  thresholds: z
    .object({
      five_hour: ThresholdsSchema.default([50, 75, 90, 95]),
      seven_day: ThresholdsSchema.default([75, 90]),
      seven_day_opus: ThresholdsSchema.default([75, 90]),
      seven_day_sonnet: ThresholdsSchema.default([75, 90]),
    })
    .prefault({}),
  /** Warn when the pace says a window runs out within this many minutes, before it resets. 0 turns it off. */
  predictiveMinutes: z.number().int().min(0).max(600).default(20),
  limitReachedNotice: z.boolean().default(true),
  /** "Your 5-hour window has reset" after a window you were warned about. */
  resetNotice: z.boolean().default(true),
  /** Local times; start after end wraps midnight. null: off. */
  quietHours: QuietHoursSchema.nullable().default(null),
  snoozeDefaultMinutes: z.number().int().min(1).max(24 * 60).default(60),
});

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  alerts: AlertSettingsSchema.prefault({}),
  plan: z
    .object({
      /** null: unknown plan, so no plan-based percentages until a cap is learned. */
      preset: z.enum(PLAN_PRESET_IDS).nullable().default(null),
      /** Used when preset is "custom". */
      customCaps: z.object({ five_hour: CapSchema, seven_day: CapSchema }).prefault({}),
    })
    .prefault({}),
  /** Pins the weekly window when no official reset time is known. */
  weeklyResetAnchor: WeeklyResetAnchorSchema.nullable().default(null),
  /** Claude data roots to read; empty: the defaults ($CLAUDE_CONFIG_DIR, ~/.claude, ~/.config/claude). */
  dataRoots: z.array(z.string().min(1)).default([]),
  /** The undocumented account usage endpoint: opt-in only, polled rarely. */
  accountEndpoint: z
    .object({
      enabled: z.boolean().default(false),
      pollMinutes: z.number().int().min(5).max(24 * 60).default(10),
    })
    .prefault({}),
  notifications: z
    .object({
      enabled: z.boolean().default(true),
      sound: z.boolean().default(true),
      /** Checkpoint / Snooze buttons where the platform supports them. */
      actions: z.boolean().default(true),
    })
    .prefault({}),
  checkpoint: z
    .object({
      autoOnLimitHit: z.boolean().default(true),
      /** Checkpoint automatically when this percentage is crossed; null: never. */
      autoOnThresholdPercent: z.number().int().min(1).max(100).nullable().default(null),
      /** Sessions active within this many minutes are checkpointed. */
      activeMinutes: z.number().int().min(1).max(24 * 60).default(30),
      /** `--project`: the sessions with a record within this many hours of the project's newest one (its last working stretch). */
      workingStretchHours: z.number().min(0.25).max(24 * 30).default(5),
      /** The resume prompt's size budget, in KB; the oldest material is summarised first. */
      promptBudgetKB: z.number().int().min(2).max(256).default(6),
      /** Untracked files above this size are left out of a checkpoint (and listed). */
      untrackedSizeCapMB: z.number().positive().max(10_000).default(10),
      /** Also write the resume prompt into the repository (it may then be committed). */
      writePromptIntoRepo: z.boolean().default(false),
      /** Leave out untracked files that look like secrets (.env*, *.pem, id_rsa, credentials*) even when not git-ignored. */
      skipSecretLookingFiles: z.boolean().default(true),
    })
    .prefault({}),
  /** Reading transcripts. */
  ingest: z
    .object({
      /** A transcript line longer than this is skipped (after a look at its edges for usage), never held whole. */
      maxLineMB: z.number().int().min(1).max(4096).default(64),
    })
    .prefault({}),
  /** The Claude Code integration (`breather integrate install`). The hook bundle reads these without zod: keep its defaults in step. */
  integration: z
    .object({
      /** How long the statusline bridge waits for the user's own statusLine command before killing it. */
      statuslineTimeoutMs: z.number().int().min(100).max(30_000).default(2000),
      /** Opt-in: a session starting in a paused project gets its checkpoint's resume notes as context. */
      sessionStartContext: z.boolean().default(false),
    })
    .prefault({}),
  pause: z
    .object({
      /** "reset": a pause ends when the window that caused it resets (Claude Code's auto-continue then just works); "manual": only `breather resume` ends it. */
      endsAt: z.enum(PAUSE_END_MODES).default('reset'),
    })
    .prefault({}),
  /**
   * Electron accelerator that takes a checkpoint at once; null: no global hotkey.
   * Three modifiers and B: no default binding on macOS, Windows or GNOME/KDE, nor in
   * VS Code, browsers or common terminals (README, "The global hotkey").
   */
  globalHotkey: z.string().min(1).nullable().default('CommandOrControl+Alt+Shift+B'),
  /** Start the tray app at login (login item on macOS/Windows, XDG autostart entry on Linux). */
  launchAtLogin: z.boolean().default(false),
  /** Windows: also read Claude Code data inside WSL distributions (\\wsl.localhost\<distro>\home\<user>\.claude). */
  wsl: z
    .object({
      enabled: z.boolean().default(true),
      /** Distribution names left out. */
      excluded: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;
export type PlanPresetId = (typeof PLAN_PRESET_IDS)[number];
export type Weekday = (typeof WEEKDAYS)[number];
export type QuietHours = z.infer<typeof QuietHoursSchema>;
export type WeeklyResetAnchor = z.infer<typeof WeeklyResetAnchorSchema>;
export type ThresholdWindowId = (typeof WINDOW_IDS)[number];

/** A fresh, complete settings object (new each call: callers may mutate it). */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({ version: SETTINGS_VERSION });
}

export function defaultAlertSettings(): AlertSettings {
  return AlertSettingsSchema.parse({});
}

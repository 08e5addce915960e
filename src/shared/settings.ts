// Breather's one settings schema. Shared by core, the CLI and the Electron app
// (electron-store reads the same plain JSON file), so it imports nothing of ours
// outside src/shared. zod/mini: checks are functions passed to .check(…).
// Every field has a default: a partial file parses to a complete settings object.
import * as z from './zod.js';

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

/** A whole number from min to max, both included. */
const intBetween = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));
const nonEmptyString = () => z.string().check(z.minLength(1));

/** An IANA zone name; null means the machine's zone. */
const TimeZoneSchema = z._default(
  z.nullable(z.string().check(z.refine(isTimeZone, { error: 'not a known IANA time zone (e.g. "Europe/London")' }))),
  null,
);

/** "HH:MM", 24-hour local time. */
const LocalTimeSchema = z.string().check(z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a 24-hour time "HH:MM"' }));

const ThresholdsSchema = z
  .array(intBetween(1, 100))
  .check(
    z.maxLength(10),
    z.refine((list) => new Set(list).size === list.length, { error: 'thresholds must not repeat' }),
  );

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
const CapSchema = z._default(z.nullable(z.number().check(z.positive())), null);

export const AlertSettingsSchema = z.object({
  thresholds: z.prefault(
    z.object({
      five_hour: z._default(ThresholdsSchema, [50, 75, 90, 95]),
      seven_day: z._default(ThresholdsSchema, [75, 90]),
      seven_day_opus: z._default(ThresholdsSchema, [75, 90]),
      seven_day_sonnet: z._default(ThresholdsSchema, [75, 90]),
    }),
    {},
  ),
  /** Warn when the pace says a window runs out within this many minutes, before it resets. 0 turns it off. */
  predictiveMinutes: z._default(intBetween(0, 600), 20),
  limitReachedNotice: z._default(z.boolean(), true),
  /** "Your 5-hour window has reset" after a window you were warned about. */
  resetNotice: z._default(z.boolean(), true),
  /** Local times; start after end wraps midnight. null: off. */
  quietHours: z._default(z.nullable(QuietHoursSchema), null),
  snoozeDefaultMinutes: z._default(intBetween(1, 24 * 60), 60),
});

export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  alerts: z.prefault(AlertSettingsSchema, {}),
  plan: z.prefault(
    z.object({
      /** null: unknown plan, so no plan-based percentages until a cap is learned. */
      preset: z._default(z.nullable(z.enum(PLAN_PRESET_IDS)), null),
      /** Used when preset is "custom". */
      customCaps: z.prefault(z.object({ five_hour: CapSchema, seven_day: CapSchema }), {}),
    }),
    {},
  ),
  /** Pins the weekly window when no official reset time is known. */
  weeklyResetAnchor: z._default(z.nullable(WeeklyResetAnchorSchema), null),
  /** Claude data roots to read; empty: the defaults ($CLAUDE_CONFIG_DIR, ~/.claude, ~/.config/claude). */
  dataRoots: z._default(z.array(nonEmptyString()), []),
  /** The undocumented account usage endpoint: opt-in only, polled rarely. */
  accountEndpoint: z.prefault(
    z.object({
      enabled: z._default(z.boolean(), false),
      pollMinutes: z._default(intBetween(5, 24 * 60), 10),
    }),
    {},
  ),
  notifications: z.prefault(
    z.object({
      enabled: z._default(z.boolean(), true),
      sound: z._default(z.boolean(), true),
      /** Checkpoint / Snooze buttons where the platform supports them. */
      actions: z._default(z.boolean(), true),
    }),
    {},
  ),
  checkpoint: z.prefault(
    z.object({
      autoOnLimitHit: z._default(z.boolean(), true),
      /** Checkpoint automatically when this percentage is crossed; null: never. */
      autoOnThresholdPercent: z._default(z.nullable(intBetween(1, 100)), null),
      /** Sessions active within this many minutes are checkpointed. */
      activeMinutes: z._default(intBetween(1, 24 * 60), 30),
      /** `--project`: the sessions with a record within this many hours of the project's newest one (its last working stretch). */
      workingStretchHours: z._default(z.number().check(z.minimum(0.25), z.maximum(24 * 30)), 5),
      /** The resume prompt's size budget, in KB; the oldest material is summarised first. */
      promptBudgetKB: z._default(intBetween(2, 256), 6),
      /** Untracked files above this size are left out of a checkpoint (and listed). */
      untrackedSizeCapMB: z._default(z.number().check(z.positive(), z.maximum(10_000)), 10),
      /** Also write the resume prompt into the repository (it may then be committed). */
      writePromptIntoRepo: z._default(z.boolean(), false),
      /** Leave out untracked files that look like secrets (.env*, *.pem, id_rsa, credentials*) even when not git-ignored. */
      skipSecretLookingFiles: z._default(z.boolean(), true),
    }),
    {},
  ),
  /** Reading transcripts. */
  ingest: z.prefault(
    z.object({
      /** A transcript line longer than this is skipped (after a look at its edges for usage), never held whole. */
      maxLineMB: z._default(intBetween(1, 4096), 64),
    }),
    {},
  ),
  /** The Claude Code integration (`breather integrate install`). The hook bundle reads these without zod: keep its defaults in step. */
  integration: z.prefault(
    z.object({
      /** How long the statusline bridge waits for the user's own statusLine command before killing it. */
      statuslineTimeoutMs: z._default(intBetween(100, 30_000), 2000),
      /** Opt-in: a session starting in a paused project gets its checkpoint's resume notes as context. */
      sessionStartContext: z._default(z.boolean(), false),
    }),
    {},
  ),
  pause: z.prefault(
    z.object({
      /** "reset": a pause ends when the window that caused it resets (Claude Code's auto-continue then just works); "manual": only `breather resume` ends it. */
      endsAt: z._default(z.enum(PAUSE_END_MODES), 'reset'),
    }),
    {},
  ),
  /**
   * Electron accelerator that takes a checkpoint at once; null: no global hotkey.
   * Three modifiers and B: no default binding on macOS, Windows or GNOME/KDE, nor in
   * VS Code, browsers or common terminals (README, "The global hotkey").
   */
  globalHotkey: z._default(z.nullable(nonEmptyString()), 'CommandOrControl+Alt+Shift+B'),
  /** Start the tray app at login (login item on macOS/Windows, XDG autostart entry on Linux). */
  launchAtLogin: z._default(z.boolean(), false),
  /** Windows: also read Claude Code data inside WSL distributions (\\wsl.localhost\<distro>\home\<user>\.claude). */
  wsl: z.prefault(
    z.object({
      enabled: z._default(z.boolean(), true),
      /** Distribution names left out. */
      excluded: z._default(z.array(nonEmptyString()), []),
    }),
    {},
  ),
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

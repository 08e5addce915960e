// Persists the alert engine's memory as plain JSON in the state directory.
// Writes are atomic (temp file + rename); a file we cannot trust is set aside
// and replaced by a primed state, so a crash or restart never replays alerts.
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import * as z from '../../shared/zod.js';
import type { AlertSettings } from '../../shared/settings.js';
import type { Status } from '../../shared/status.js';
import { ALERT_STATE_VERSION, emptyAlertState, primeAlertState, type AlertState } from './alert-engine.js';

export const ALERT_STATE_FILE = 'alert-state.json';

const WindowIdSchema = z.enum(['five_hour', 'seven_day', 'seven_day_opus', 'seven_day_sonnet']);
const SuppressionSchema = z.object({
  window: z.union([WindowIdSchema, z.literal('all')]),
  until: z.nullable(z.string()),
  instanceKey: z.nullable(z.string()),
});
const WindowAlertStateSchema = z.object({
  instanceKey: z.nullable(z.string()),
  resetsAt: z.nullable(z.string()),
  startsAt: z.nullable(z.string()),
  firedThresholds: z.array(z.number()),
  predictiveFired: z.boolean(),
  alerted: z.boolean(),
});
const AlertStateSchema = z.object({
  version: z.literal(ALERT_STATE_VERSION),
  windows: z.partialRecord(WindowIdSchema, WindowAlertStateSchema),
  lastLimitHitAt: z.nullable(z.string()),
  snoozes: z.array(SuppressionSchema),
  mutedWindows: z.array(SuppressionSchema),
});

export type AlertStateOrigin = 'loaded' | 'new' | 'primed';

export interface LoadedAlertState {
  state: AlertState;
  /** loaded: the file was good; new: there was none; primed: it was unusable and set aside. */
  origin: AlertStateOrigin;
  /** For the user or the log when something was wrong. */
  notice?: string;
}

/** What priming needs: the current situation. */
export interface AlertPrimingContext {
  status: Status;
  settings: AlertSettings;
  now: Date;
}

export function alertStatePath(directory: string): string {
  return join(directory, ALERT_STATE_FILE);
}

/** Validates a parsed state file; null when it is not a state this version understands. */
export function parseAlertState(value: unknown): AlertState | null {
  const result = AlertStateSchema.safeParse(value);
  return result.success ? (result.data as AlertState) : null;
}

function corruptName(path: string, now: Date): string {
  return `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Loads the alert state from `directory`. No file: an empty state (the engine's
 * first run fires only the highest crossed threshold). An unreadable, invalid or
 * newer-version file is renamed to alert-state.json.corrupt-<time> and replaced
 * by a state primed with the current situation, with a notice.
 */
export async function loadAlertState(directory: string, context: AlertPrimingContext): Promise<LoadedAlertState> {
  const path = alertStatePath(directory);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyAlertState(), origin: 'new' };
    return primed(path, context, `could not be read (${(error as Error).message})`, false);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return primed(path, context, 'was not valid JSON', true);
  }
  const state = parseAlertState(parsed);
  if (state) return { state, origin: 'loaded' };
  const version = (parsed as { version?: unknown } | null)?.version;
  const why = typeof version === 'number' && version > ALERT_STATE_VERSION ? `was written by a newer Breather (version ${version})` : 'had an unexpected shape';
  return primed(path, context, why, true);
}

async function primed(path: string, context: AlertPrimingContext, why: string, setAside: boolean): Promise<LoadedAlertState> {
  let where = '';
  if (setAside) {
    const backup = corruptName(path, context.now);
    try {
      await rename(path, backup);
      where = ` It was kept as ${backup}.`;
    } catch {
      // Not fatal: the next save replaces it anyway.
    }
  }
  return {
    state: primeAlertState(context.status, context.settings, context.now),
    origin: 'primed',
    notice: `The alert state file ${path} ${why}.${where} Current usage is treated as already alerted, so no old alerts repeat.`,
  };
}

/** Writes the state atomically (temp file + rename); creates the directory if needed. */
export async function saveAlertState(directory: string, state: AlertState): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFileAtomic(alertStatePath(directory), JSON.stringify(state, null, 2) + '\n');
}

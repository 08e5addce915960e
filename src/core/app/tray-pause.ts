// Pause and Resume from the tray, on the same pause marks (<state>/paused.json)
// as `breather pause` and `breather resume`, so both faces agree live.
import { clearPauses } from '../checkpoint/checkpoint-service.js';
import { WINDOW_IDS } from '../limits/official-limits.js';
import type { WindowId } from '../../shared/status.js';

export interface PauseMuting {
  setPaused(window: WindowId, paused: boolean): Promise<void>;
}

/** Clears every pause mark and lets the muted windows' alerts speak again; returns the projects resumed. */
export async function resumeEverything(stateDir: string, monitor: PauseMuting): Promise<string[]> {
  const cleared = await clearPauses(stateDir);
  for (const window of WINDOW_IDS) await monitor.setPaused(window, false);
  return cleared.map((m) => m.projectDir);
}

// The checkpoint a StopFailure "rate_limit" asks for: which limit stopped the
// session (from its limit record in the transcript, else the statusline
// snapshot: the payload carries no reset time), and the key that makes the
// same session and window instance checkpoint only once, whichever of the
// hook or the limit-reached alert gets there first.
import type { LimitHit, Status } from '../../shared/status.js';
import { type CurrentLimit, currentLimit } from '../app/current-limit.js';
import { isHitBlocking } from '../limits/limit-state.js';
import type { OfficialLimits } from '../limits/official-limits.js';
import { resolveHitResets } from '../limits/reset-resolution.js';

export interface LimitCheckpointPlan {
  autoKey: string;
  limit: CurrentLimit | null;
}

const RECENT_HIT_MS = 15 * 60_000;

/**
 * The limit record that stopped this session: its latest one that still
 * blocks (an older hit of a window that has reset since is another instance,
 * whose key must not swallow this one), else a blocking hit of the last
 * minutes for a session the transcripts do not name.
 */
function hitOf(sessionId: string | null, hits: readonly LimitHit[], status: Status): LimitHit | null {
  const nowMs = Date.parse(status.now);
  const blocking = (hit: LimitHit) => isHitBlocking(hit, nowMs);
  for (let i = hits.length - 1; i >= 0; i--) {
    const hit = hits[i]!;
    if (sessionId !== null && hit.sessionId === sessionId) return blocking(hit) ? hit : null;
  }
  const last = hits[hits.length - 1];
  return last && nowMs - Date.parse(last.at) < RECENT_HIT_MS && blocking(last) ? last : null;
}

/** `hits` as the engine holds them: their resets are resolved here as the status resolves them (this run's zone), so the keys match. */
export function limitCheckpointPlan(sessionId: string | null, status: Status, hits: readonly LimitHit[], statusline: OfficialLimits | null): LimitCheckpointPlan {
  const nowMs = Date.parse(status.now);
  const hit = hitOf(sessionId, resolveHitResets(hits), status);
  if (hit) {
    const fromTranscript = currentLimit({ ...status, lastLimitHit: hit });
    // Same key as the limit-reached alert's automatic checkpoint (autoCheckpointFor).
    const autoKey = `limit-hit:${hit.sessionId ?? 'any'}:${hit.window}:${hit.resetsAt ?? hit.at}`;
    if (fromTranscript && fromTranscript.resetsAt === null && statusline) {
      const reset = statusline.windows[hit.window === 'weekly' ? 'seven_day' : 'five_hour']?.resetsAt ?? null;
      return { autoKey, limit: { ...fromTranscript, resetsAt: reset } };
    }
    return { autoKey, limit: fromTranscript };
  }
  // No limit record (yet): the statusline's full window names it.
  const week = statusline?.windows.seven_day;
  const useWeek = week !== undefined && week.usedPercent >= 100;
  const window = useWeek ? week : statusline?.windows.five_hour;
  const resetsAt = window?.resetsAt ?? null;
  const kind = useWeek ? 'weekly' : 'five_hour';
  const instance = resetsAt ?? new Date(Math.floor(nowMs / 3_600_000) * 3_600_000).toISOString();
  return {
    autoKey: `limit-hit:${sessionId ?? 'any'}:${kind}:${instance}`,
    limit: { windowLabel: useWeek ? 'weekly limit' : '5-hour limit', resetsAt, hitText: 'Claude Code stopped on a usage limit (StopFailure: rate_limit)', hitAt: status.now, window: kind },
  };
}

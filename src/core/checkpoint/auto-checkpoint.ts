// Which alerts start an automatic checkpoint, and the reset notice that names
// paused projects. Decisions are pure; the key makes "never twice" hold across
// restarts (CheckpointStore.claimAutoKey).
import type { Settings } from '../../shared/settings.js';
import type { Alert, Status } from '../../shared/status.js';
import type { NotificationRequest, Notifier } from '../ports.js';
import type { PauseMark } from './checkpoint-store.js';
import type { CheckpointTrigger } from './checkpoint-service.js';

export interface AutoCheckpointDecision {
  trigger: CheckpointTrigger;
  /** One automatic checkpoint per session and window instance. */
  autoKey: string;
  pause: boolean;
}

/** Threshold alert ids end in ":threshold:<percent>". */
function thresholdOf(alert: Alert): number | null {
  const match = /:threshold:(\d+)$/.exec(alert.id);
  return match ? Number(match[1]) : null;
}

export function autoCheckpointFor(alert: Alert, status: Status, settings: Settings['checkpoint']): AutoCheckpointDecision | null {
  if (alert.kind === 'limit-reached' && settings.autoOnLimitHit) {
    const hit = status.lastLimitHit;
    const session = hit?.sessionId ?? 'any';
    const instance = hit?.resetsAt ?? hit?.at ?? alert.id;
    // The work has stopped: pause too, so the gate and the alerts wait for the reset.
    return { trigger: 'limit-hit', autoKey: `limit-hit:${session}:${hit?.window ?? alert.window}:${instance}`, pause: true };
  }
  if (alert.kind === 'threshold' && settings.autoOnThresholdPercent !== null) {
    const percent = thresholdOf(alert);
    if (percent === null || percent < settings.autoOnThresholdPercent) return null;
    const window = alert.window ? status.windows[alert.window] : undefined;
    const sessions = status.activeSessions.map((s) => s.sessionId).sort().join(',') || 'any';
    return { trigger: 'threshold', autoKey: `threshold:${sessions}:${alert.window}:${window?.resetsAt ?? window?.startsAt ?? alert.id}`, pause: false };
  }
  return null;
}

/** "The 5-hour window has reset" names the paused projects that can resume. */
export function withPausedProjects(request: NotificationRequest, pauses: readonly PauseMark[]): NotificationRequest {
  if (!request.tag?.endsWith(':reset') || pauses.length === 0) return request;
  const names = pauses.map((p) => p.projectDir);
  return { ...request, body: `${request.body}\nPaused and ready to resume: ${names.join(', ')} (breather resume).` };
}

/** A notifier that adds paused projects to reset notices. */
export function pauseAwareNotifier(inner: Notifier, pauses: () => Promise<PauseMark[]>): Notifier {
  return {
    async notify(request) {
      await inner.notify(request.tag?.endsWith(':reset') ? withPausedProjects(request, await pauses()) : request);
    },
  };
}

// What the popover shows beyond the status: the current 5-hour window's
// cumulative usage (for the chart, with the cap line and the projection to the
// reset), the last 7 days by day, the window and week broken down by project
// and model, the last checkpoints and the pause marks. Pure over the usage
// buckets, the checkpoint records and the pause marks.
import type { DashboardData, DashboardCheckpoint, UsageShare } from '../../shared/ipc-contract.js';
import type { Status, WindowStatus } from '../../shared/status.js';
import type { CheckpointRecord, PauseMark } from '../checkpoint/checkpoint-store.js';
import { shellQuote } from '../checkpoint/resume-prompt.js';
import type { UsageBucket } from '../ingest/usage-index.js';
import { DayKeyer } from '../usage/calendar.js';
import { stoppingLimit, trayModel } from './tray-model.js';
import { projectName } from './tray-feedback.js';

export interface DashboardInput {
  status: Status;
  buckets: readonly UsageBucket[];
  checkpoints: readonly CheckpointRecord[];
  pauses: readonly PauseMark[];
  timeZone: string;
}

const DAY_MS = 86_400_000;
const TOP_SHARES = 3;

/** Percent per USD for a window with a known percentage, so cost can be drawn against the cap. */
function percentPerUsd(w: WindowStatus | undefined): number | null {
  if (!w || w.usedPercent === null || w.costUSD <= 0) return null;
  return w.usedPercent / w.costUSD;
}

function shares(buckets: readonly UsageBucket[], keyOf: (b: UsageBucket) => string): UsageShare[] {
  const totals = new Map<string, number>();
  for (const b of buckets) totals.set(keyOf(b), (totals.get(keyOf(b)) ?? 0) + b.costUSD);
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  const sorted = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  const top = sorted.slice(0, TOP_SHARES).map(([name, costUSD]) => ({ name, costUSD, share: sum > 0 ? costUSD / sum : 0 }));
  const rest = sorted.slice(TOP_SHARES).reduce((a, [, cost]) => a + cost, 0);
  if (rest > 0) top.push({ name: `${sorted.length - TOP_SHARES} more`, costUSD: rest, share: rest / sum });
  return top;
}

function breakdown(buckets: readonly UsageBucket[], fromMs: number | null) {
  const inside = fromMs === null ? [] : buckets.filter((b) => b.lastMs >= fromMs);
  return { byProject: shares(inside, (b) => projectName(b.cwd)), byModel: shares(inside, (b) => b.model.replace(/^claude-/, '')) };
}

/** The CLI twin that restores one project of a checkpoint (it refuses a dirty tree). */
export function restoreCommandFor(checkpointId: string, projectDir: string): string {
  return `breather restore ${checkpointId} --project ${shellQuote(projectDir)} --apply`;
}

function checkpointView(record: CheckpointRecord): DashboardCheckpoint {
  return {
    id: record.id,
    createdAt: record.createdAt,
    trigger: record.trigger,
    paused: record.paused,
    projects: record.projects.map((p) => ({
      name: projectName(p.projectDir),
      projectDir: p.projectDir,
      status: p.status,
      hasPrompt: p.promptPath !== '',
      restoreCommand: p.stashSha ? restoreCommandFor(record.id, p.projectDir) : null,
    })),
  };
}

export function dashboardData(input: DashboardInput): DashboardData {
  const { status, buckets } = input;
  const nowMs = Date.parse(status.now);
  const five = status.windows.five_hour;
  const startMs = five?.startsAt ? Date.parse(five.startsAt) : null;
  const resetMs = five?.resetsAt ? Date.parse(five.resetsAt) : null;
  const scale = percentPerUsd(five);

  // Cumulative usage through the window, one point per 15-minute bucket with usage.
  const points: [number, number][] = [];
  if (startMs !== null) {
    const perQuarter = new Map<number, number>();
    for (const b of buckets) if (b.lastMs >= startMs && b.firstMs <= nowMs) perQuarter.set(b.quarterMs, (perQuarter.get(b.quarterMs) ?? 0) + b.costUSD);
    let total = 0;
    points.push([startMs, 0]);
    for (const [quarter, cost] of [...perQuarter.entries()].sort((a, b) => a[0] - b[0])) {
      total += cost;
      points.push([Math.max(startMs, Math.min(nowMs, quarter + 15 * 60_000)), total]);
    }
    points.push([nowMs, total]);
    // The bucket totals and the window's total can differ slightly: end exactly on the window's figure.
    if (five) points[points.length - 1]![1] = five.costUSD;
  }
  const toY = (usd: number) => (scale === null ? usd : usd * scale);
  const last = points[points.length - 1];
  // No projection past a limit already reached: nothing more will be used until the reset.
  const limit = stoppingLimit(status);
  const stopped = limit !== null || (five?.usedPercent ?? 0) >= 100;
  const projection: [number, number][] =
    last && !stopped && resetMs !== null && five?.burnRate && resetMs > nowMs ? [[nowMs, toY(last[1])], [resetMs, toY(last[1] + (five.burnRate.costPerHour * (resetMs - nowMs)) / 3_600_000)]] : [];

  const days = new DayKeyer(input.timeZone);
  const dayKeys: string[] = [];
  for (let i = 6; i >= 0; i--) dayKeys.push(days.dayOf(nowMs - i * DAY_MS));
  const perDay = new Map(dayKeys.map((d) => [d, 0]));
  const weekStart = nowMs - 7 * DAY_MS;
  for (const b of buckets) {
    if (b.lastMs < weekStart) continue;
    const key = days.dayOf(b.quarterMs);
    if (perDay.has(key)) perDay.set(key, perDay.get(key)! + b.costUSD);
  }

  const week = status.windows.seven_day;
  const model = trayModel(status, { paused: input.pauses.length > 0, timeZone: input.timeZone });
  return {
    now: status.now,
    headline: model.headline,
    lead: model.lead,
    limit: limit ? { resetsAt: limit.resetsAt, text: limit.text } : null,
    fiveHour: {
      unit: scale === null ? 'usd' : 'percent',
      startsAt: five?.startsAt ?? null,
      resetsAt: five?.resetsAt ?? null,
      points: points.map(([t, usd]) => [t, toY(usd)]),
      projection,
    },
    days: dayKeys.map((day) => ({ day, costUSD: perDay.get(day)! })),
    breakdown: {
      window: breakdown(buckets, startMs),
      week: breakdown(buckets, week?.startsAt ? Date.parse(week.startsAt) : weekStart),
    },
    checkpoints: input.checkpoints.slice(-3).reverse().map(checkpointView),
    paused: input.pauses.map((p) => ({ projectDir: p.projectDir, name: projectName(p.projectDir), since: p.since, resetsAt: p.resetsAt })),
  };
}

// Between statusline updates: an official figure is exact when it arrives and
// goes stale as work goes on. Consecutive official figures and the
// cost-weighted usage the transcripts show between them tell what 1 % of a
// window costs; the figure shown is then `official + usage since / that cost`,
// still labelled `statusline`, with `extrapolatedFrom` naming the figure it
// started from. Pure: figures and buckets come in as data.
import type { UsageBucket } from '../ingest/usage-index.js';
import { median } from './learned-caps.js';
import type { OfficialPoint, OfficialWindow } from './official-limits.js';

/** A step smaller than this is mostly rounding: it calibrates nothing. */
const MIN_STEP_PERCENT = 1;
/** Below this an implied cap (cost so far / share used) is too noisy to use. */
const MIN_IMPLIED_PERCENT = 5;

/**
 * Cost-weighted usage after fromMs up to toMs. A 15-minute bucket that
 * straddles an edge counts for the share of its active span inside (an
 * official figure taken mid-bucket already includes the part before it).
 */
export function costBetween(buckets: readonly UsageBucket[], fromMs: number, toMs: number, model?: RegExp): number {
  let cost = 0;
  for (const b of buckets) {
    if (b.lastMs <= fromMs || b.firstMs > toMs || (model && !model.test(b.model))) continue;
    const span = b.lastMs - b.firstMs;
    if (span <= 0) {
      cost += b.costUSD;
      continue;
    }
    const inside = Math.min(b.lastMs, toMs) - Math.max(b.firstMs, fromMs);
    cost += b.costUSD * Math.max(0, Math.min(1, inside / span));
  }
  return cost;
}

export interface Calibration {
  /** Cost-weighted USD per 1 % of the window. */
  costPerPercent: number;
  /** How many consecutive pairs it comes from (0: implied from the current figure alone). */
  samples: number;
}

/**
 * What 1 % costs, from consecutive figures of the same window instance (same
 * reset) that moved by at least 1 %: the median of Δcost / Δ%. Without such a
 * pair, the current figure's implied cap (cost since the window began / %).
 */
export function calibrate(points: readonly OfficialPoint[], buckets: readonly UsageBucket[], windowLengthMs: number, model?: RegExp): Calibration | null {
  const sorted = [...points].sort((a, b) => a.atMs - b.atMs);
  const samples: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.resetsAtMs !== b.resetsAtMs) continue;
    const step = b.usedPercent - a.usedPercent;
    if (step < MIN_STEP_PERCENT) continue;
    const cost = costBetween(buckets, a.atMs, b.atMs, model);
    if (cost > 0) samples.push(cost / step);
  }
  const fromPairs = median(samples);
  if (fromPairs !== null) return { costPerPercent: fromPairs, samples: samples.length };
  const last = sorted[sorted.length - 1];
  if (!last || last.usedPercent < MIN_IMPLIED_PERCENT || last.resetsAtMs === null) return null;
  const cost = costBetween(buckets, last.resetsAtMs - windowLengthMs, last.atMs, model);
  return cost > 0 ? { costPerPercent: cost / last.usedPercent, samples: 0 } : null;
}

export interface Extrapolated {
  usedPercent: number;
  extrapolatedFrom: { usedPercent: number; asOf: string };
}

/**
 * The official figure carried forward to now with the usage seen since it
 * arrived. null when nothing was used since (the figure stands as it is) or
 * there is no calibration yet.
 */
export function extrapolateOfficial(
  window: OfficialWindow,
  points: readonly OfficialPoint[],
  buckets: readonly UsageBucket[],
  nowMs: number,
  windowLengthMs: number,
  model?: RegExp,
): Extrapolated | null {
  const cost = costBetween(buckets, Date.parse(window.asOf), nowMs, model);
  if (cost <= 0) return null;
  const calibration = calibrate(points, buckets, windowLengthMs, model);
  if (!calibration) return null;
  const usedPercent = Math.min(100, window.usedPercent + cost / calibration.costPerPercent);
  return { usedPercent, extrapolatedFrom: { usedPercent: window.usedPercent, asOf: window.asOf } };
}

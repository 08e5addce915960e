// How full is each limit window, and where that figure comes from. Pure:
// everything the decision needs comes in as data.
import type { BurnRate, LimitHit, LimitSource, WindowId, WindowStatus } from '../../shared/status.js';
import type { WeeklyResetAnchor } from '../../shared/settings.js';
import type { UsageBucket } from '../ingest/usage-index.js';
import { currentActiveBlock } from '../usage/session-blocks.js';
import type { LearnedCaps } from './learned-caps.js';
import { isHitBlocking } from './limit-state.js';
import { HIT_KIND_OF_WINDOW, type OfficialLimits, type OfficialWindow, WINDOW_LENGTH_MS } from './official-limits.js';
import type { PlanPreset } from './plan-presets.js';
import { extrapolateOfficial } from './statusline-calibration.js';
import { addDays, machineTimeZone, resolveWallTime, wallTimeAt } from './zoned-time.js';

const FIVE_HOURS_MS = WINDOW_LENGTH_MS.five_hour;
const SEVEN_DAYS_MS = WINDOW_LENGTH_MS.seven_day;
const BURN_PERIOD_MS = 30 * 60 * 1000;
const MIN_BURN_SPAN_MS = 5 * 60 * 1000;

export interface WindowInputs {
  buckets: readonly UsageBucket[];
  limitHits: readonly LimitHit[];
  /** Most trusted first (statusline, then account). */
  official: readonly OfficialLimits[];
  learned: LearnedCaps;
  plan: PlanPreset | null;
  weeklyAnchor: WeeklyResetAnchor | null;
  nowMs: number;
}

type Span = { startMs: number | null; endMs: number | null; anchor: string };

const MODEL_FILTER: Partial<Record<WindowId, RegExp>> = { seven_day_opus: /opus/i, seven_day_sonnet: /sonnet/i };

function officialFor(id: WindowId, official: readonly OfficialLimits[], nowMs: number): { source: OfficialLimits['source']; window: OfficialWindow; history?: OfficialLimits['history'] } | null {
  for (const source of official) {
    const window = source.windows[id];
    if (!window) continue;
    // A figure whose window already reset says nothing about the new window.
    if (window.resetsAt && Date.parse(window.resetsAt) <= nowMs) continue;
    return { source: source.source, window, ...(source.history ? { history: source.history } : {}) };
  }
  return null;
}

/** The newest hit of this window that still blocks: the truth about the window until it resets. */
function blockingHitFor(id: WindowId, hits: readonly LimitHit[], nowMs: number): LimitHit | null {
  for (let i = hits.length - 1; i >= 0; i--) {
    const hit = hits[i]!;
    if (hit.window === HIT_KIND_OF_WINDOW[id] && isHitBlocking(hit, nowMs)) return hit;
  }
  return null;
}

function latestHitReset(id: WindowId, hits: readonly LimitHit[], nowMs: number): number | null {
  for (let i = hits.length - 1; i >= 0; i--) {
    const hit = hits[i]!;
    if (hit.window !== HIT_KIND_OF_WINDOW[id] || !hit.resetsAt) continue;
    const reset = Date.parse(hit.resetsAt);
    if (reset > nowMs) return reset;
  }
  return null;
}

/** The most recent five-hour reset already passed (from hits), if any. */
function latestPassedReset(hits: readonly LimitHit[], nowMs: number): number | null {
  let latest: number | null = null;
  for (const hit of hits) {
    if (hit.window !== 'five_hour' || !hit.resetsAt) continue;
    const reset = Date.parse(hit.resetsAt);
    if (reset <= nowMs && (latest === null || reset > latest)) latest = reset;
  }
  return latest;
}

/** The next weekly reset the user set, after now. */
export function nextWeeklyAnchor(anchor: WeeklyResetAnchor, nowMs: number): number | null {
  const zone = anchor.timeZone ?? machineTimeZone();
  const [hour, minute] = anchor.time.split(':').map(Number) as [number, number];
  const target = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].indexOf(anchor.weekday);
  const today = wallTimeAt(nowMs, zone);
  for (let offset = 0; offset <= 7; offset++) {
    const day = addDays(today.year, today.month, today.day, offset);
    if (day.weekday !== target) continue;
    const instant = resolveWallTime(day.year, day.month, day.day, hour, minute, zone, nowMs);
    if (instant !== null) return instant;
  }
  return null;
}

function spanFor(id: WindowId, input: WindowInputs, official: ReturnType<typeof officialFor>): Span {
  const length = id === 'five_hour' ? FIVE_HOURS_MS : SEVEN_DAYS_MS;
  const fromEnd = (endMs: number, anchor: string): Span => ({ startMs: endMs - length, endMs, anchor });
  if (official?.window.resetsAt) return fromEnd(Date.parse(official.window.resetsAt), official.source);
  const hitReset = latestHitReset(id, input.limitHits, input.nowMs);
  if (hitReset !== null) return fromEnd(hitReset, 'limit-hit');
  if (id === 'five_hour') {
    // A limit that has reset ended its window: usage from before the reset belongs to no current window.
    const lastReset = latestPassedReset(input.limitHits, input.nowMs);
    const buckets = lastReset === null ? input.buckets : input.buckets.filter((b) => b.firstMs >= lastReset);
    const block = currentActiveBlock(buckets, input.nowMs);
    return block ? { startMs: block.startMs, endMs: block.endMs, anchor: 'block' } : { startMs: null, endMs: null, anchor: 'block' };
  }
  if (input.weeklyAnchor) {
    const next = nextWeeklyAnchor(input.weeklyAnchor, input.nowMs);
    if (next !== null) return fromEnd(next, 'user-anchor');
  }
  return { startMs: input.nowMs - SEVEN_DAYS_MS, endMs: null, anchor: 'rolling' };
}

interface WindowUsage {
  tokens: number;
  costUSD: number;
  lastMs: number | null;
}

/** Usage between two instants (bucket precision: 15 minutes), optionally for one model family. */
export function usageBetween(buckets: readonly UsageBucket[], startMs: number, endMs: number, model?: RegExp): WindowUsage {
  const usage: WindowUsage = { tokens: 0, costUSD: 0, lastMs: null };
  for (const b of buckets) {
    if (b.lastMs < startMs || b.firstMs > endMs) continue;
    if (model && !model.test(b.model)) continue;
    usage.tokens += b.input + b.output + b.cacheCreation + b.cacheRead;
    usage.costUSD += b.costUSD;
    usage.lastMs = Math.max(usage.lastMs ?? 0, b.lastMs);
  }
  return usage;
}

/** The pace over the last 30 minutes of activity, not the whole-window average. */
export function trailingBurnRate(buckets: readonly UsageBucket[], startMs: number, nowMs: number, model?: RegExp): BurnRate | null {
  const from = Math.max(startMs, nowMs - BURN_PERIOD_MS);
  let tokens = 0;
  let cost = 0;
  let firstMs = Number.POSITIVE_INFINITY;
  for (const b of buckets) {
    if (b.lastMs < from || b.firstMs > nowMs) continue;
    if (model && !model.test(b.model)) continue;
    tokens += b.input + b.output + b.cacheCreation + b.cacheRead;
    cost += b.costUSD;
    firstMs = Math.min(firstMs, Math.max(b.firstMs, from));
  }
  if (tokens === 0 && cost === 0) return null;
  const minutes = Math.max(nowMs - firstMs, MIN_BURN_SPAN_MS) / 60_000;
  return { tokensPerMinute: tokens / minutes, costPerHour: (cost / minutes) * 60 };
}

interface Fullness {
  usedPercent: number | null;
  source: LimitSource;
  asOf: string | null;
  confidence?: number;
  /** Cost-weighted cap of the window, when known or implied. */
  capCostUSD: number | null;
  extrapolatedFrom?: WindowStatus['extrapolatedFrom'];
}

function fullnessOf(id: WindowId, input: WindowInputs, official: ReturnType<typeof officialFor>, costUSD: number): Fullness {
  const nowIso = new Date(input.nowMs).toISOString();
  if (official) {
    const used = official.window.usedPercent;
    // The official percentage implies the cap: cost so far over the share used.
    const implied = used >= 1 && costUSD > 0 ? costUSD / (used / 100) : null;
    // Between statusline updates: the figure plus the usage since, at the calibrated cost of 1 %.
    const points = official.history?.[id];
    const carried = points ? extrapolateOfficial(official.window, points, input.buckets, input.nowMs, WINDOW_LENGTH_MS[id], MODEL_FILTER[id]) : null;
    if (carried) return { usedPercent: carried.usedPercent, source: official.source, asOf: official.window.asOf, confidence: 1, capCostUSD: implied, extrapolatedFrom: carried.extrapolatedFrom };
    return { usedPercent: used, source: official.source, asOf: official.window.asOf, confidence: 1, capCostUSD: implied };
  }
  const learned = input.learned[HIT_KIND_OF_WINDOW[id]];
  if (learned?.capCostUSD) {
    return { usedPercent: (costUSD / learned.capCostUSD) * 100, source: 'learned', asOf: nowIso, confidence: learned.confidence, capCostUSD: learned.capCostUSD };
  }
  const planCap = id === 'five_hour' || id === 'seven_day' ? input.plan?.caps[id] : null;
  if (planCap) return { usedPercent: (costUSD / planCap) * 100, source: 'plan', asOf: nowIso, capCostUSD: planCap };
  return { usedPercent: null, source: 'none', asOf: null, capCostUSD: null };
}

export function buildWindow(id: WindowId, input: WindowInputs): WindowStatus {
  const officialNow = officialFor(id, input.official, input.nowMs);
  const hit = blockingHitFor(id, input.limitHits, input.nowMs);
  // A limit message beats every estimate; only an official figure taken after it can overrule it.
  const officialAfterHit = officialNow && hit ? Date.parse(officialNow.window.asOf) > Date.parse(hit.at) : true;
  const official = officialAfterHit ? officialNow : null;
  const limited = hit !== null && official === null;
  const span = spanFor(id, input, official);
  const model = MODEL_FILTER[id];
  const usage =
    span.startMs === null ? { tokens: 0, costUSD: 0, lastMs: null } : usageBetween(input.buckets, span.startMs, Math.min(span.endMs ?? input.nowMs, input.nowMs), model);
  const fullness: Fullness = limited
    ? { usedPercent: 100, source: 'limit-hit', asOf: hit.at, confidence: 1, capCostUSD: usage.costUSD > 0 ? usage.costUSD : null }
    : fullnessOf(id, input, official, usage.costUSD);
  const burnRate = span.startMs === null ? null : trailingBurnRate(input.buckets, span.startMs, input.nowMs, model);
  let runsOutAt: string | null = null;
  let minutesLeft: number | null = null;
  if (!limited && burnRate && burnRate.costPerHour > 0 && fullness.capCostUSD !== null && fullness.usedPercent !== null) {
    const remainingCost = Math.max(0, fullness.capCostUSD * (1 - fullness.usedPercent / 100));
    const minutes = remainingCost / (burnRate.costPerHour / 60);
    const outMs = input.nowMs + minutes * 60_000;
    if (span.endMs === null || outMs < span.endMs) {
      runsOutAt = new Date(outMs).toISOString();
      minutesLeft = Math.round(minutes);
    }
  }
  const status: WindowStatus = {
    id,
    usedPercent: fullness.usedPercent === null ? null : Math.round(fullness.usedPercent * 10) / 10,
    source: fullness.source,
    asOf: fullness.asOf,
    startsAt: span.startMs === null ? null : new Date(span.startMs).toISOString(),
    resetsAt: span.endMs === null ? null : new Date(span.endMs).toISOString(),
    anchor: span.anchor,
    tokens: usage.tokens,
    costUSD: usage.costUSD,
    burnRate,
    runsOutAt,
    minutesLeft,
  };
  if (fullness.confidence !== undefined) status.confidence = fullness.confidence;
  status.limitReached = limited || (official !== null && official.window.usedPercent >= 100);
  if (limited && hit.resetEstimated) status.resetEstimated = true;
  if (fullness.extrapolatedFrom) status.extrapolatedFrom = fullness.extrapolatedFrom;
  return status;
}

/** five_hour and seven_day always; per-model weekly windows where the data names them. */
export function buildWindows(input: WindowInputs): Partial<Record<WindowId, WindowStatus>> {
  const windows: Partial<Record<WindowId, WindowStatus>> = {
    five_hour: buildWindow('five_hour', input),
    seven_day: buildWindow('seven_day', input),
  };
  for (const id of ['seven_day_opus', 'seven_day_sonnet'] as const) {
    const named = input.official.some((o) => o.windows[id]) || input.limitHits.some((h) => h.window === HIT_KIND_OF_WINDOW[id]) || input.learned[HIT_KIND_OF_WINDOW[id]];
    if (named) windows[id] = buildWindow(id, input);
  }
  return windows;
}

/**
 * Each hit with the cost-weighted usage of its window up to the hit: the sample
 * that learned caps are made of. Weekly-type hits measure 7 days, others 5 hours.
 */
export function withUsageUpToHit(hits: readonly LimitHit[], buckets: readonly UsageBucket[]): LimitHit[] {
  return hits.map((hit) => {
    const atMs = Date.parse(hit.at);
    const length = hit.window === 'five_hour' || hit.window === 'unknown' || hit.window === 'overage' ? FIVE_HOURS_MS : SEVEN_DAYS_MS;
    const resetMs = hit.resetsAt ? Date.parse(hit.resetsAt) : null;
    const startMs = resetMs !== null && resetMs - length <= atMs ? resetMs - length : atMs - length;
    const model = hit.window === 'opus' ? /opus/i : hit.window === 'sonnet' ? /sonnet/i : undefined;
    const usage = usageBetween(buckets, startMs, atMs, model);
    return { ...hit, usageUpToHit: { tokens: usage.tokens, costUSD: usage.costUSD } };
  });
}

/** The same hit copied into a resumed session, or repeated retries, count once per window and reset. */
export function distinctHits(hits: readonly LimitHit[]): LimitHit[] {
  const seen = new Set<string>();
  const result: LimitHit[] = [];
  for (const hit of [...hits].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const key = `${hit.at}\u0000${hit.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(hit);
  }
  return result;
}

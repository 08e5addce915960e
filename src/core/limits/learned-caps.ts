// Learns each window's cap from the usage that preceded past limit hits: the
// plan's real allowance is undocumented and changes, but every hit is a sample.
import type { LimitWindowKind } from '../../shared/status.js';

export interface LimitHitSample {
  window: LimitWindowKind;
  /** Cost-weighted usage of the window up to the hit. */
  usageUpToHit: { costUSD: number; tokens: number };
  /** ISO time of the hit; when every sample has one, "recent" follows it rather than input order. */
  at?: string;
}

export interface LearnedCap {
  /** Median cost-weighted USD before a hit; null when no sample had a cost. */
  capCostUSD: number | null;
  /** Median tokens before a hit; null when no sample had tokens. */
  capTokens: number | null;
  /** Samples used (recent, non-zero). */
  hits: number;
  /** 1 - 1/(hits+1): 0.5 after one hit, 0.75 after three, 0.9 after nine. */
  confidence: number;
}

export interface LearnCapsOptions {
  /** How many of the most recent hits per window to use; plans change, so old hits age out. Default 10. */
  recent?: number;
  /** Windows to learn; overage and unknown hits say nothing about a plan cap. */
  windows?: readonly LimitWindowKind[];
}

export type LearnedCaps = Partial<Record<LimitWindowKind, LearnedCap>>;

const DEFAULT_RECENT = 10;
const DEFAULT_WINDOWS: readonly LimitWindowKind[] = ['five_hour', 'weekly', 'opus', 'sonnet'];

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** Confidence in a cap learned from n hits: rises quickly, never reaches 1 (official figures are 1). */
export function capConfidence(hits: number): number {
  return hits <= 0 ? 0 : 1 - 1 / (hits + 1);
}

function positive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

/**
 * Per window, the median usage before its most recent hits. Hits with zero
 * usage (seen before the data that preceded them, or a data gap) are ignored;
 * the median shrugs off the odd partial window.
 */
export function learnCaps(hits: readonly LimitHitSample[], options: LearnCapsOptions = {}): LearnedCaps {
  const recent = Math.max(1, Math.floor(options.recent ?? DEFAULT_RECENT));
  const windows = options.windows ?? DEFAULT_WINDOWS;
  const ordered = hits.every((hit) => hit.at !== undefined && Number.isFinite(Date.parse(hit.at)))
    ? [...hits].sort((a, b) => Date.parse(a.at as string) - Date.parse(b.at as string))
    : [...hits];

  const caps: LearnedCaps = {};
  for (const window of windows) {
    const samples = ordered
      .filter((hit) => hit.window === window)
      .filter((hit) => positive(hit.usageUpToHit.costUSD) || positive(hit.usageUpToHit.tokens))
      .slice(-recent);
    if (samples.length === 0) continue;
    caps[window] = {
      capCostUSD: median(samples.map((hit) => hit.usageUpToHit.costUSD).filter(positive)),
      capTokens: median(samples.map((hit) => hit.usageUpToHit.tokens).filter(positive)),
      hits: samples.length,
      confidence: capConfidence(samples.length),
    };
  }
  return caps;
}

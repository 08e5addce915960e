// 5-hour blocks, by ccusage's rule so figures are comparable: a block starts at
// its first activity floored to the UTC hour and ends 5 h later; activity more
// than 5 h after the block start, or after the previous activity, opens a new one.
import { QUARTER_MS, type UsageBucket } from '../ingest/usage-index.js';
import { type UsageGroup, newGroup, groupBuckets, totalTokensOf } from './usage-reports.js';

export const BLOCK_MS = 5 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface UsageBlock {
  startMs: number;
  endMs: number;
  /** Last activity; null for gaps. */
  actualEndMs: number | null;
  isActive: boolean;
  isGap: boolean;
  usage: UsageGroup;
}

export interface BlockBurnRate {
  tokensPerMinute: number;
  /** Input + output only: what ccusage colours its indicator by. */
  tokensPerMinuteForIndicator: number;
  costPerHour: number;
}

export interface BlockProjection {
  totalTokens: number;
  totalCost: number;
  remainingMinutes: number;
}

/**
 * Activity stamped after `nowMs` (a clock running ahead, within the day of
 * drift the reader accepts) has not happened yet: it neither starts a block
 * nor keeps one active. Returns the input itself when nothing is ahead.
 */
export function bucketsUpTo(buckets: readonly UsageBucket[], nowMs: number): readonly UsageBucket[] {
  if (buckets.every((b) => b.lastMs <= nowMs)) return buckets;
  const past: UsageBucket[] = [];
  for (const b of buckets) {
    if (b.firstMs > nowMs) continue;
    past.push(b.lastMs > nowMs ? { ...b, lastMs: nowMs } : b);
  }
  return past;
}

/** Buckets must be sorted by time (UsageEngine.buckets() does). */
export function buildBlocks(allBuckets: readonly UsageBucket[], nowMs: number): UsageBlock[] {
  return blocksOf(bucketsUpTo(allBuckets, nowMs), nowMs);
}

/** buildBlocks over buckets already cut to `nowMs` (none from the future). */
function blocksOf(buckets: readonly UsageBucket[], nowMs: number): UsageBlock[] {
  const blocks: UsageBlock[] = [];
  let current: UsageBucket[] = [];
  let startMs = 0;
  let lastMs = 0;
  const close = () => {
    const usage = groupBuckets(current, () => 'block')[0] ?? newGroup('block');
    const endMs = startMs + BLOCK_MS;
    blocks.push({ startMs, endMs, actualEndMs: lastMs, isActive: nowMs - lastMs < BLOCK_MS && nowMs < endMs, isGap: false, usage });
  };
  for (const bucket of buckets) {
    if (current.length === 0) {
      startMs = Math.floor(bucket.firstMs / HOUR_MS) * HOUR_MS;
    } else if (bucket.firstMs - startMs > BLOCK_MS || bucket.firstMs - lastMs > BLOCK_MS) {
      close();
      if (bucket.firstMs - lastMs > BLOCK_MS) {
        const gapStart = lastMs + BLOCK_MS;
        blocks.push({ startMs: gapStart, endMs: bucket.firstMs, actualEndMs: null, isActive: false, isGap: true, usage: newGroup('gap') });
      }
      current = [];
      startMs = Math.floor(bucket.firstMs / HOUR_MS) * HOUR_MS;
      lastMs = 0;
    }
    current.push(bucket);
    lastMs = Math.max(lastMs, bucket.lastMs);
  }
  if (current.length > 0) close();
  return blocks;
}

export function blockBurnRate(block: UsageBlock): BlockBurnRate | null {
  if (block.isGap || block.usage.entries === 0) return null;
  const minutes = (block.usage.lastMs - block.usage.firstMs) / 60_000;
  if (minutes <= 0) return null;
  return {
    tokensPerMinute: totalTokensOf(block.usage) / minutes,
    tokensPerMinuteForIndicator: (block.usage.input + block.usage.output) / minutes,
    costPerHour: (block.usage.costUSD / minutes) * 60,
  };
}

export function blockProjection(block: UsageBlock, nowMs: number): BlockProjection | null {
  if (!block.isActive || block.isGap) return null;
  const rate = blockBurnRate(block);
  if (!rate) return null;
  const remainingMinutes = Math.max(0, (block.endMs - nowMs) / 60_000);
  return {
    totalTokens: Math.round(totalTokensOf(block.usage) + rate.tokensPerMinute * remainingMinutes),
    totalCost: Math.round((block.usage.costUSD + (rate.costPerHour / 60) * remainingMinutes) * 100) / 100,
    remainingMinutes: Math.round(remainingMinutes),
  };
}

/**
 * The active block without building the whole history's blocks: block
 * boundaries only depend on activity since the last gap of more than 5 hours,
 * so start there. Buckets must be sorted by time.
 */
export function currentActiveBlock(allBuckets: readonly UsageBucket[], nowMs: number): UsageBlock | null {
  const buckets = bucketsUpTo(allBuckets, nowMs);
  let start = buckets.length - 1;
  if (start < 0 || nowMs - buckets[start]!.lastMs >= BLOCK_MS) return null;
  let earliestFirst = buckets[start]!.firstMs;
  while (start > 0) {
    const previous = buckets[start - 1]!;
    // Earlier buckets end at most a quarter hour after this one's start, so this
    // margin makes the gap certain even when buckets of one quarter interleave.
    if (earliestFirst - (previous.quarterMs + QUARTER_MS) > BLOCK_MS) break;
    earliestFirst = Math.min(earliestFirst, previous.firstMs);
    start -= 1;
  }
  return activeBlock(blocksOf(buckets.slice(start), nowMs));
}

export function activeBlock(blocks: readonly UsageBlock[]): UsageBlock | null {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const block = blocks[i]!;
    if (block.isActive) return block;
    if (!block.isGap) break;
  }
  return null;
}

// Pure reports over usage buckets: per day, per session, per model.
import { type UsageBucket, type UsageTotals, addTotals, emptyTotals } from '../ingest/usage-index.js';
import { DayKeyer } from './calendar.js';

export interface ModelUsage extends UsageTotals {
  model: string;
  unpriced: boolean;
}

export interface UsageGroup extends UsageTotals {
  key: string;
  entries: number;
  firstMs: number;
  lastMs: number;
  /** Models in order of first use. */
  models: ModelUsage[];
  projects: string[];
}

export interface ReportFilter {
  timeZone: string;
  /** Inclusive YYYY-MM-DD bounds, in timeZone. */
  since?: string;
  until?: string;
}

export function totalTokensOf(t: UsageTotals): number {
  return t.input + t.output + t.cacheCreation + t.cacheRead;
}

function addModelUsage(models: ModelUsage[], model: string, usage: UsageTotals, unpriced: boolean): void {
  let entry = models.find((m) => m.model === model);
  if (!entry) models.push((entry = { ...emptyTotals(), model, unpriced: false }));
  addTotals(entry, usage);
  entry.unpriced ||= unpriced;
}

/** Adds a bucket, or a whole group, into a group. */
function addToGroup(group: UsageGroup, part: UsageBucket | UsageGroup): void {
  addTotals(group, part);
  group.entries += part.entries;
  group.firstMs = Math.min(group.firstMs, part.firstMs);
  group.lastMs = Math.max(group.lastMs, part.lastMs);
  if ('models' in part) {
    for (const m of part.models) addModelUsage(group.models, m.model, m, m.unpriced);
    for (const p of part.projects) if (!group.projects.includes(p)) group.projects.push(p);
  } else {
    addModelUsage(group.models, part.model, part, part.unpriced);
    if (!group.projects.includes(part.cwd)) group.projects.push(part.cwd);
  }
}

export function newGroup(key: string): UsageGroup {
  return { ...emptyTotals(), key, entries: 0, firstMs: Number.POSITIVE_INFINITY, lastMs: Number.NEGATIVE_INFINITY, models: [], projects: [] };
}

/** Groups buckets (sorted by time) by a key; groups come out in order of first appearance. */
export function groupBuckets(buckets: readonly UsageBucket[], keyOf: (b: UsageBucket) => string | null): UsageGroup[] {
  const groups = new Map<string, UsageGroup>();
  for (const b of buckets) {
    const key = keyOf(b);
    if (key === null) continue;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = newGroup(key)));
    addToGroup(group, b);
  }
  return [...groups.values()];
}

function dayFilter(filter: ReportFilter): (b: UsageBucket) => string | null {
  const keyer = new DayKeyer(filter.timeZone);
  return (b) => {
    const day = keyer.dayOf(b.quarterMs);
    if (filter.since && day < filter.since) return null;
    if (filter.until && day > filter.until) return null;
    return day;
  };
}

export function dailyUsage(buckets: readonly UsageBucket[], filter: ReportFilter): UsageGroup[] {
  return groupBuckets(buckets, dayFilter(filter)).sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Without --since/--until nothing is filtered, and no calendar (ICU) work is needed. */
function rangeFilter(filter: ReportFilter): (b: UsageBucket) => string | null {
  return filter.since || filter.until ? dayFilter(filter) : () => 'all';
}

export function sessionUsage(buckets: readonly UsageBucket[], filter: ReportFilter): UsageGroup[] {
  const inRange = rangeFilter(filter);
  return groupBuckets(buckets, (b) => (inRange(b) === null ? null : b.sessionId)).sort((a, b) => a.lastMs - b.lastMs);
}

export function filterBuckets(buckets: readonly UsageBucket[], filter: ReportFilter): UsageBucket[] {
  if (!filter.since && !filter.until) return [...buckets];
  const inRange = dayFilter(filter);
  return buckets.filter((b) => inRange(b) !== null);
}

export function sumGroups(groups: readonly UsageGroup[]): UsageGroup {
  const total = newGroup('total');
  for (const g of groups) addToGroup(total, g);
  return total;
}

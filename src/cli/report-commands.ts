// daily | session | blocks: the ccusage-style reports.
import { localTimeZone, parseDayOption, assertTimeZone } from '../core/usage/calendar.js';
import { buildBlocks } from '../core/usage/session-blocks.js';
import { type ReportFilter, dailyUsage, filterBuckets, sessionUsage, sumGroups } from '../core/usage/usage-reports.js';
import { UsageError } from './cli-error.js';
import { blocksJson, dailyJson, sessionJson } from './report-json.js';
import { blocksTable, dailyTable, sessionTable } from './report-tables.js';
import { type DataOptions, openUsage } from './usage-session.js';

export interface ReportOptions extends DataOptions {
  json?: boolean;
  timezone?: string;
  since?: string;
  until?: string;
}

export function reportFilter(options: ReportOptions): ReportFilter {
  const timeZone = options.timezone ?? localTimeZone();
  try {
    assertTimeZone(timeZone);
    const filter: ReportFilter = { timeZone };
    if (options.since) filter.since = parseDayOption(options.since, '--since');
    if (options.until) filter.until = parseDayOption(options.until, '--until');
    if (filter.since && filter.until && filter.since > filter.until) throw new RangeError('--since is after --until.');
    return filter;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function print(json: boolean | undefined, data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

export async function dailyCommand(options: ReportOptions): Promise<void> {
  const filter = reportFilter(options);
  const { engine } = await openUsage(options);
  const days = dailyUsage(engine.buckets(), filter);
  const total = sumGroups(days);
  print(options.json, dailyJson(days, total), () => (days.length === 0 ? 'No usage found.' : dailyTable(days, total)));
}

export async function sessionCommand(options: ReportOptions): Promise<void> {
  const filter = reportFilter(options);
  const { engine } = await openUsage(options);
  const sessions = sessionUsage(engine.buckets(), filter);
  const total = sumGroups(sessions);
  print(options.json, sessionJson(sessions, total), () => (sessions.length === 0 ? 'No usage found.' : sessionTable(sessions, total)));
}

export async function blocksCommand(options: ReportOptions & { active?: boolean }): Promise<void> {
  const filter = reportFilter(options);
  const { engine } = await openUsage(options);
  const nowMs = Date.now();
  let blocks = buildBlocks(filterBuckets(engine.buckets(), filter), nowMs);
  if (options.active) blocks = blocks.filter((b) => b.isActive);
  print(options.json, blocksJson(blocks, nowMs), () => (blocks.length === 0 ? 'No usage found.' : blocksTable(blocks, nowMs)));
}

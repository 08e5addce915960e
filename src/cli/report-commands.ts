// daily | session | blocks: the ccusage-style reports.
import { localTimeZone, parseDayOption, assertTimeZone } from '../core/usage/calendar.js';
import { buildBlocks } from '../core/usage/session-blocks.js';
import type { UsageBucket } from '../core/ingest/usage-index.js';
import { type ReportFilter, type UsageGroup, dailyUsage, filterBuckets, sessionUsage, sumGroups } from '../core/usage/usage-reports.js';
import { UsageError } from './cli-error.js';
import { blocksJson, dailyJson, sessionJson } from './report-json.js';
import { type TableOptions, blocksTable, dailyTable, sessionTable } from './report-tables.js';
import { terminalColumns } from './text-fit.js';
import { cliTimeZone, formatWhen } from './time-format.js';
import { type DataOptions, exitWhenWritten, openUsage } from './usage-session.js';

export interface ReportOptions extends DataOptions {
  json?: boolean;
  timezone?: string;
  since?: string;
  until?: string;
}

/** `needsDays`: the report groups by day, so the local zone matters even without --since/--until. */
export function reportFilter(options: ReportOptions, needsDays = false): ReportFilter {
  // Looking up the machine's zone loads ICU data: only when days are involved.
  const timeZone = options.timezone ?? (needsDays || options.since || options.until ? localTimeZone() : 'UTC');
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

/** Reports must not look complete when some transcripts could not be read: one line on stderr. */
export function warnUnreadable(diagnostics: readonly string[]): void {
  const unreadable = diagnostics.filter((d) => !d.includes('already scanned'));
  if (unreadable.length === 0) return;
  const more = unreadable.length > 1 ? ` and ${unreadable.length - 1} more` : '';
  process.stderr.write(`breather: warning: totals may be incomplete: ${unreadable[0]}${more} (see breather status)\n`);
}

/** Human tables: times in --timezone (else the machine's zone), fitted to the terminal. */
function tableOptions(options: ReportOptions, nowMs = Date.now()): TableOptions {
  return { nowMs, zone: cliTimeZone(options.timezone), columns: terminalColumns() };
}

function print(json: boolean | undefined, data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

/** A report of usage groups (per day, per session): JSON in ccusage's shape, or a table. */
async function groupReport(
  options: ReportOptions,
  group: (buckets: UsageBucket[], filter: ReportFilter) => UsageGroup[],
  json: (groups: UsageGroup[], total: UsageGroup) => unknown,
  table: (groups: UsageGroup[], total: UsageGroup, options: TableOptions) => string,
): Promise<void> {
  const filter = reportFilter(options, group === dailyUsage);
  const { engine } = await openUsage(options);
  warnUnreadable(engine.health().diagnostics);
  const groups = group(engine.buckets(), filter);
  const total = sumGroups(groups);
  print(options.json, json(groups, total), () => (groups.length === 0 ? 'No usage found.' : table(groups, total, tableOptions(options))));
  await exitWhenWritten();
}

export const dailyCommand = (options: ReportOptions) => groupReport(options, dailyUsage, dailyJson, dailyTable);
export const sessionCommand = (options: ReportOptions) => groupReport(options, sessionUsage, sessionJson, sessionTable);

export async function blocksCommand(options: ReportOptions & { active?: boolean }): Promise<void> {
  const filter = reportFilter(options);
  const { engine } = await openUsage(options);
  warnUnreadable(engine.health().diagnostics);
  const nowMs = Date.now();
  const all = buildBlocks(filterBuckets(engine.buckets(), filter), nowMs);
  const blocks = options.active ? all.filter((b) => b.isActive) : all;
  print(options.json, blocksJson(blocks, nowMs), () => {
    const table = tableOptions(options, nowMs);
    if (blocks.length > 0) return blocksTable(blocks, table);
    if (!options.active) return 'No usage found.';
    const last = all.filter((b) => !b.isGap).at(-1);
    return `No active block: nothing in the last 5 hours${last ? ` (last block: ${formatWhen(new Date(last.startMs).toISOString(), table)})` : ''}.`;
  });
  await exitWhenWritten();
}

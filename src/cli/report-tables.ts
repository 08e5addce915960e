// Readable tables for terminals (cli-table3), fitted to the terminal width:
// columns are dropped in each table's stated order (dropRank, lowest first),
// then the wide text columns are cut with "…". Times are local.
import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import { formatDuration } from '../core/status/duration-format.js';
import type { LimitHit } from '../shared/status.js';
import { type ColumnSpec, cutMiddle, fitColumns } from './text-fit.js';
import { type TimeContext, formatWhen } from './time-format.js';
import type { UsageBlock } from '../core/usage/session-blocks.js';
import { type UsageGroup, totalTokensOf } from '../core/usage/usage-reports.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const usd = (n: number, unpriced = false): string => `$${n.toFixed(2)}${unpriced ? '*' : ''}`;
// cli-table3 is CommonJS and only needed for text output: load it on first use.
let TableClass: typeof TableType | null = null;
function newTable(options: TableType.TableConstructorOptions): TableType.Table {
  TableClass ??= createRequire(import.meta.url)('cli-table3') as typeof TableType;
  return new TableClass(options);
}

// Colour only on a terminal, so piped output stays plain.
const style = (): { head: string[]; border: string[] } =>
  process.stdout.isTTY ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] };
// Token columns give way first, the raw parts before the totals.
const TOKEN_COLUMNS: ColumnSpec[] = [
  { head: 'Input', dropRank: 3 },
  { head: 'Output', dropRank: 4 },
  { head: 'Cache create', dropRank: 1 },
  { head: 'Cache read', dropRank: 2 },
  { head: 'Total tokens', dropRank: 6 },
  { head: 'Cost (USD)' },
];

export interface TableOptions extends TimeContext {
  columns: number;
}

/** A table of the columns that fit `width`, cells cut with "…" where narrowed. */
function fittedTable(columns: readonly ColumnSpec[], rows: string[][], width: number): string {
  const { keep, colWidths } = fitColumns(columns, rows, width);
  const table = newTable({ style: style(), head: keep.map((i) => columns[i]!.head), colWidths, truncate: '…', wordWrap: false });
  const cell = (row: string[], i: number, k: number) => {
    const text = row[i] ?? '';
    return columns[i]!.cut === 'middle' ? text.split('\n').map((line) => cutMiddle(line, colWidths[k]! - 2)).join('\n') : text;
  };
  for (const row of rows) table.push(keep.map((i, k) => cell(row, i, k)));
  return table.toString();
}

function tokenCells(g: UsageGroup): string[] {
  const unpriced = g.models.some((m) => m.unpriced);
  return [int(g.input), int(g.output), int(g.cacheCreation), int(g.cacheRead), int(totalTokensOf(g)), usd(g.costUSD, unpriced)];
}

function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

function footnote(groups: readonly UsageGroup[]): string {
  const unpriced = new Set(groups.flatMap((g) => g.models.filter((m) => m.unpriced).map((m) => m.model)));
  return unpriced.size > 0 ? `\n* no known price for ${[...unpriced].join(', ')}: cost excludes it.` : '';
}

export function dailyTable(days: readonly UsageGroup[], total: UsageGroup, options: TableOptions): string {
  const columns: ColumnSpec[] = [{ head: 'Date' }, { head: 'Models', dropRank: 5, minWidth: 8 }, ...TOKEN_COLUMNS];
  const rows = days.map((d) => [d.key, d.models.map((m) => shortModel(m.model)).join('\n'), ...tokenCells(d)]);
  rows.push(['Total', '', ...tokenCells(total)]);
  return fittedTable(columns, rows, options.columns) + footnote(days);
}

export function sessionTable(sessions: readonly UsageGroup[], total: UsageGroup, options: TableOptions): string {
  const columns: ColumnSpec[] = [{ head: 'Session' }, { head: 'Project', dropRank: 5, minWidth: 16, cut: 'middle' }, { head: 'Last activity', dropRank: 7 }, ...TOKEN_COLUMNS];
  const rows = sessions.map((s) => [s.key.slice(0, 8), s.projects[0] ?? '', formatWhen(new Date(s.lastMs).toISOString(), options), ...tokenCells(s)]);
  rows.push(['Total', '', '', ...tokenCells(total)]);
  return fittedTable(columns, rows, options.columns) + footnote(sessions);
}

export function blocksTable(blocks: readonly UsageBlock[], options: TableOptions): string {
  const columns: ColumnSpec[] = [{ head: 'Block start' }, { head: 'Status' }, { head: 'Models', dropRank: 5, minWidth: 8 }, ...TOKEN_COLUMNS];
  const rows = blocks.map((b) => {
    const start = formatWhen(new Date(b.startMs).toISOString(), options);
    if (b.isGap) return [start, `gap, ${Math.round((b.endMs - b.startMs) / 3_600_000)} h`, '', '', '', '', '', '', ''];
    const state = b.isActive ? `${formatDuration(b.endMs - options.nowMs)} left` : 'done';
    return [start, state, b.usage.models.map((m) => shortModel(m.model)).join('\n'), ...tokenCells(b.usage)];
  });
  return fittedTable(columns, rows, options.columns) + footnote(blocks.map((b) => b.usage));
}

const HIT_WINDOW_LABELS: Record<LimitHit['window'], string> = { five_hour: '5-hour', weekly: 'weekly', opus: 'Opus', sonnet: 'Sonnet', overage: 'extra', unknown: 'other' };

/** "3.5M", "98k", "950": token counts short enough for a narrow column. */
function shortCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return int(n);
}

export function limitsTable(hits: readonly LimitHit[], options: TableOptions): string {
  const columns: ColumnSpec[] = [
    { head: 'Hit at' },
    { head: 'Window' },
    { head: 'Resets' },
    { head: 'Used before', dropRank: 3 },
    { head: 'Session', dropRank: 1 },
    { head: 'Project', dropRank: 2, minWidth: 10, cut: 'middle' },
    { head: 'Message', minWidth: 16 },
  ];
  const rows = hits.map((hit) => [
    formatWhen(hit.at, options),
    HIT_WINDOW_LABELS[hit.window],
    hit.resetsAt ? `${formatWhen(hit.resetsAt, options)}${hit.resetEstimated ? ' (est.)' : ''}` : 'unknown',
    hit.usageUpToHit ? `${shortCount(hit.usageUpToHit.tokens)} tok, ${usd(hit.usageUpToHit.costUSD)}` : '',
    (hit.sessionId ?? '').slice(0, 8),
    hit.cwd ?? '',
    hit.text,
  ]);
  return fittedTable(columns, rows, options.columns);
}

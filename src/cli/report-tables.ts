// Readable tables for terminals (cli-table3).
import { createRequire } from 'node:module';
import { formatCountdown } from '../core/app/tray-model.js';
import type TableType from 'cli-table3';
import type { LimitHit, Status } from '../shared/status.js';
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
const TOKEN_HEAD = ['Input', 'Output', 'Cache create', 'Cache read', 'Total tokens', 'Cost (USD)'];

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

export function dailyTable(days: readonly UsageGroup[], total: UsageGroup): string {
  const table = newTable({ style: style(), head: ['Date', 'Models', ...TOKEN_HEAD] });
  for (const d of days) table.push([d.key, d.models.map((m) => shortModel(m.model)).join('\n'), ...tokenCells(d)]);
  table.push(['Total', '', ...tokenCells(total)]);
  return table.toString() + footnote(days);
}

export function sessionTable(sessions: readonly UsageGroup[], total: UsageGroup): string {
  const table = newTable({ style: style(), head: ['Session', 'Project', 'Last activity', ...TOKEN_HEAD] });
  for (const s of sessions) {
    table.push([s.key.slice(0, 8), s.projects[0] ?? '', new Date(s.lastMs).toISOString().slice(0, 16).replace('T', ' '), ...tokenCells(s)]);
  }
  table.push(['Total', '', '', ...tokenCells(total)]);
  return table.toString() + footnote(sessions);
}

export function blocksTable(blocks: readonly UsageBlock[], nowMs: number): string {
  const table = newTable({ style: style(), head: ['Block start (UTC)', 'Status', 'Models', ...TOKEN_HEAD] });
  for (const b of blocks) {
    const start = new Date(b.startMs).toISOString().slice(0, 16).replace('T', ' ');
    if (b.isGap) {
      table.push([start, `gap ${Math.round((b.endMs - b.startMs) / 3_600_000)} h`, '', '', '', '', '', '', '']);
      continue;
    }
    const state = b.isActive ? `ACTIVE, ${Math.round((b.endMs - nowMs) / 60_000)} min left` : 'done';
    table.push([start, state, b.usage.models.map((m) => shortModel(m.model)).join('\n'), ...tokenCells(b.usage)]);
  }
  return table.toString() + footnote(blocks.map((b) => b.usage));
}

export function statusText(status: Status): string {
  const nowMs = Date.parse(status.now);
  const lines: string[] = [];
  for (const w of Object.values(status.windows)) {
    if (!w) continue;
    const pct = w.usedPercent === null ? 'no cap known' : `${w.usedPercent.toFixed(0)}% used (${w.source}${w.confidence !== undefined && w.confidence < 1 ? `, confidence ${(w.confidence * 100).toFixed(0)}%` : ''})`;
    lines.push(`${w.id.replaceAll('_', '-')} window: ${pct}, ${int(w.tokens)} tokens, ${usd(w.costUSD)}`);
    if (w.resetsAt) lines.push(`  resets ${w.resetsAt} (in ${formatCountdown(w.resetsAt, nowMs)}), anchored on ${w.anchor}`);
    else if (w.anchor === 'rolling') lines.push('  rolling 7 days, reset time unknown (set weeklyResetAnchor to pin it)');
    else lines.push('  no activity in the current window');
    if (w.burnRate) lines.push(`  burn rate ${int(w.burnRate.tokensPerMinute)} tokens/min, ${usd(w.burnRate.costPerHour)}/h`);
    if (w.runsOutAt) lines.push(`  runs out at ${w.runsOutAt} (in ${formatCountdown(w.runsOutAt, nowMs)})`);
  }
  if (status.lastLimitHit) {
    const hit = status.lastLimitHit;
    lines.push(`last limit hit: ${hit.at} (${hit.window})${hit.resetsAt ? `, resets ${hit.resetsAt}` : ''}`);
  }
  lines.push(`active sessions: ${status.activeSessions.length === 0 ? 'none' : ''}`);
  for (const s of status.activeSessions) lines.push(`  ${s.sessionId} in ${s.cwd}, last activity ${s.lastActivity}`);
  const h = status.health;
  const skipped = Object.entries(h.skippedLines).filter(([, n]) => n > 0);
  lines.push(`data: ${h.files} files, ${(h.bytesIndexed / 1e6).toFixed(1)} MB indexed, index ${h.index}`);
  for (const r of h.roots) lines.push(`  root ${r.path}: ${r.exists ? 'ok' : r.error ? `error (${r.error})` : 'not present'}`);
  lines.push(`  skipped lines: ${skipped.length === 0 ? 'none' : skipped.map(([k, n]) => `${k} ${n}`).join(', ')}${h.unfinishedLines > 0 ? `; ${h.unfinishedLines} unfinished` : ''}`);
  for (const d of h.diagnostics.slice(0, 10)) lines.push(`  ! ${d}`);
  return lines.join('\n');
}

export function limitsTable(hits: readonly LimitHit[]): string {
  const table = newTable({ style: style(), head: ['Hit at (UTC)', 'Window', 'Resets at (UTC)', 'Usage before hit', 'Session', 'Project', 'Message'] });
  for (const hit of hits) {
    const usage = hit.usageUpToHit ? `${int(hit.usageUpToHit.tokens)} tokens, ${usd(hit.usageUpToHit.costUSD)}` : '';
    table.push([hit.at.slice(0, 16).replace('T', ' '), hit.window, hit.resetsAt ? hit.resetsAt.slice(0, 16).replace('T', ' ') : 'unknown', usage, (hit.sessionId ?? '').slice(0, 8), hit.cwd ?? '', hit.text.slice(0, 60)]);
  }
  return table.toString();
}

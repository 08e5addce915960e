// `breather status` for people: one line that answers "how much is left?",
// then the details. Local times, rounded durations, fits the terminal width.
import { WINDOW_LABELS } from '../core/app/tray-model.js';
import { isHitBlocking } from '../core/limits/limit-state.js';
import { formatAge, formatDuration } from '../core/status/duration-format.js';
import type { Status, WindowStatus } from '../shared/status.js';
import { type TimeContext, formatSoon, formatWhen } from './time-format.js';
import { cutEnd, cutMiddle } from './text-fit.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const usd = (n: number): string => `$${n.toFixed(2)}`;

function sourceNote(w: WindowStatus, ctx: TimeContext): string {
  const age = w.asOf ? `, ${formatAge(ctx.nowMs - Date.parse(w.asOf))} ago` : '';
  switch (w.source) {
    case 'statusline':
      return `official${age}`;
    case 'account':
      return `official, account${age}`;
    case 'learned':
      return `learned${w.confidence !== undefined ? `, ${Math.round(w.confidence * 100)}% sure` : ''}`;
    case 'plan':
      return 'plan estimate';
    default:
      return w.source;
  }
}

function resetPart(w: WindowStatus, ctx: TimeContext): string | null {
  if (!w.resetsAt) return null;
  const estimated = w.resetEstimated ? ' (estimated)' : '';
  return `resets ${formatSoon(w.resetsAt, ctx)}${estimated} (in ${formatDuration(Date.parse(w.resetsAt) - ctx.nowMs)})`;
}

/** "5-hour: 62% (official, 40 s ago) · resets 16:00 (in 1 h 20 min) · at this pace runs out 15:35". */
export function windowLine(w: WindowStatus, ctx: TimeContext): string {
  return windowParts(w, ctx).join(' · ');
}

/** The window line's parts, most important first, so a narrow terminal can wrap between them. */
function windowParts(w: WindowStatus, ctx: TimeContext): string[] {
  const label = WINDOW_LABELS[w.id];
  const parts: string[] = [];
  if (w.limitReached) parts.push(`${label}: limit reached`);
  else if (!w.resetsAt && w.anchor !== 'rolling') return [`${label}: no activity in the current window`];
  else if (w.usedPercent !== null) parts.push(`${label}: ${Math.round(w.usedPercent)}% (${sourceNote(w, ctx)})`);
  else parts.push(`${label}: ${usd(w.costUSD)} used, no cap known`);
  const reset = resetPart(w, ctx);
  if (reset) parts.push(reset);
  else if (w.anchor === 'rolling') parts.push('rolling 7 days');
  if (!w.limitReached && w.runsOutAt) parts.push(`at this pace runs out ${formatSoon(w.runsOutAt, ctx)}`);
  return parts;
}

/** Joins parts with " · " while they fit; the rest continue on indented lines (never cut). */
function wrapParts(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    const candidate = line === '' ? part : `${line} · ${part}`;
    if (line !== '' && [...candidate].length > width) {
      lines.push(line);
      line = `  ${part}`;
    } else line = candidate;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => cutEnd(l, width));
}

export interface StatusTextOptions extends TimeContext {
  /** Terminal width; lines are cut to fit. */
  columns: number;
}

export function statusText(status: Status, options: StatusTextOptions): string {
  const ctx: TimeContext = { nowMs: options.nowMs, zone: options.zone };
  const width = options.columns;
  const fit = (line: string) => cutEnd(line, width);
  const windows = Object.values(status.windows).filter((w): w is WindowStatus => w !== undefined);
  const five = status.windows.five_hour;
  const lines: string[] = [];
  // The answer first: the 5-hour window (what stops work soonest), then the others.
  for (const w of five ? [five, ...windows.filter((x) => x !== five)] : windows) lines.push(...wrapParts(windowParts(w, ctx), width));

  const hit = status.lastLimitHit;
  if (hit) {
    const blocking = isHitBlocking(hit, ctx.nowMs);
    lines.push('', fit(`${blocking ? 'Limit reached' : 'Last limit hit'} ${formatWhen(hit.at, ctx)}: "${hit.text}"`));
  }

  lines.push('', 'Details');
  for (const w of windows) {
    const since = w.startsAt ? `since ${formatWhen(w.startsAt, ctx)}` : 'no window yet';
    lines.push(fit(`  ${WINDOW_LABELS[w.id]}: ${int(w.tokens)} tokens, ${usd(w.costUSD)}, ${since}, anchored on ${w.anchor}`));
    if (w.burnRate) lines.push(fit(`    pace ${int(w.burnRate.tokensPerMinute)} tokens/min, ${usd(w.burnRate.costPerHour)}/h`));
  }
  if (status.activeSessions.length === 0) lines.push('  active sessions: none');
  else lines.push(`  active sessions (${status.activeSessions.length}):`);
  for (const s of status.activeSessions) {
    const limited = s.limitResetsAt !== undefined ? ` · stopped by a limit${s.limitResetsAt ? ` until ${formatSoon(s.limitResetsAt, ctx)}` : ''}` : '';
    const tail = ` ${formatWhen(s.lastActivity, ctx)}${limited}`;
    const head = `    ${s.sessionId.slice(0, 8)} `;
    lines.push(`${head}${cutMiddle(s.cwd, Math.max(12, width - head.length - tail.length))}${tail}`);
  }
  const h = status.health;
  const skipped = Object.entries(h.skippedLines).filter(([, n]) => n > 0);
  lines.push(fit(`  data: ${h.files} files, ${(h.bytesIndexed / 1e6).toFixed(1)} MB indexed, index ${h.index}`));
  for (const r of h.roots) lines.push(fit(`    root ${r.path}: ${r.exists ? 'ok' : r.error ? `error (${r.error})` : 'not present'}`));
  lines.push(fit(`    skipped lines: ${skipped.length === 0 ? 'none' : skipped.map(([k, n]) => `${k} ${n}`).join(', ')}${h.unfinishedLines > 0 ? `; ${h.unfinishedLines} unfinished` : ''}`));
  for (const d of h.diagnostics.slice(0, 10)) lines.push(fit(`    ! ${d}`));
  return lines.join('\n');
}

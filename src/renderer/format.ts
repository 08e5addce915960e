// Display formatting for the pages (pure; no DOM).
import type { WindowId } from '../shared/ipc-contract.js';

export const WINDOW_NAMES: Record<WindowId, string> = {
  five_hour: '5-hour window',
  seven_day: 'Weekly',
  seven_day_opus: 'Weekly Opus',
  seven_day_sonnet: 'Weekly Sonnet',
};

export function percent(value: number | null): string {
  return value === null ? '–' : `${Math.round(value)}%`;
}

export function countdown(toIso: string | null, nowMs: number): string {
  if (!toIso) return 'unknown';
  const minutes = Math.max(0, Math.round((Date.parse(toIso) - nowMs) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

export function ago(iso: string, nowMs: number): string {
  const minutes = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} d ago`;
}

export function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

export function bytes(value: number): string {
  if (value >= 1024 ** 3) return `${(value / 1024 ** 3).toFixed(1)} GB`;
  if (value >= 1024 ** 2) return `${(value / 1024 ** 2).toFixed(1)} MB`;
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KB`;
  return `${value} B`;
}

/** "15:40", 24-hour, in this machine's zone. */
export function clock(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/** "Mon 15:40" for times beyond today. */
export function dayClock(iso: string, nowMs: number): string {
  const sameDay = new Date(iso).toDateString() === new Date(nowMs).toDateString();
  return sameDay ? clock(iso) : `${new Intl.DateTimeFormat('en-GB', { weekday: 'short' }).format(new Date(iso))} ${clock(iso)}`;
}

/** "40 s ago" for fresh official figures, else minutes and hours. */
export function freshness(iso: string | null, nowMs: number): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  return seconds < 60 ? `${seconds} s ago` : ago(iso, nowMs);
}

/** Dollar axis labels with the fewest decimals (0–2) that show every tick exactly: $0.25 stays $0.25, not $0.3. */
export function dollarTicks(ticks: readonly number[]): string[] {
  const decimals = [0, 1, 2].find((d) => ticks.every((v) => Math.abs(v * 10 ** d - Math.round(v * 10 ** d)) < 1e-6)) ?? 2;
  return ticks.map((v) => `$${v.toFixed(decimals)}`);
}

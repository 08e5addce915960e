// One way to say how long, for every face (alerts, tray, CLI), so a
// notification and `breather status` never round the same moment differently.

/** "under a minute", "25 min", "1 h 12 min", "3 d 4 h": minutes rounded to the nearest. */
export function formatDuration(durationMs: number): string {
  const minutes = Math.round(durationMs / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  const rest = minutes % 60;
  return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "about 25 min", but never "about under a minute". */
export function formatApproxDuration(durationMs: number): string {
  const text = formatDuration(durationMs);
  return text === 'under a minute' ? text : `about ${text}`;
}

/** "40 s", "5 min", "2 h 3 min": how old a figure is (seconds matter when it is fresh). */
export function formatAge(durationMs: number): string {
  const seconds = Math.max(0, Math.round(durationMs / 1000));
  return seconds < 60 ? `${seconds} s` : formatDuration(durationMs);
}

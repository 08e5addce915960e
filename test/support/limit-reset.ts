// A limit message whose reset is always ahead, whatever the hour the tests run:
// a fixed "resets 11pm (UTC)" is in the past (or 22 h away, and so estimated)
// for a run after 23:00 UTC.

const HOUR_MS = 3_600_000;

/** The whole UTC hour 30 to 90 minutes after `nowMs`, as Claude Code writes it ("4pm (UTC)"), and as an instant. */
export function upcomingReset(nowMs: number = Date.now()): { phrase: string; iso: string } {
  const reset = new Date(Math.floor((nowMs + 90 * 60_000) / HOUR_MS) * HOUR_MS);
  const hour = reset.getUTCHours();
  return { phrase: `${hour % 12 === 0 ? 12 : hour % 12}${hour < 12 ? 'am' : 'pm'} (UTC)`, iso: reset.toISOString() };
}

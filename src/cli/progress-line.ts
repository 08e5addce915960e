// First-build progress on stderr, only when it is a terminal: bytes done of total and an ETA.
import type { ScanProgress } from '../core/ingest/usage-engine.js';

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ((p: ScanProgress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  const started = Date.now();
  let lastDraw = 0;
  return ({ bytesDone, bytesTotal }) => {
    const now = Date.now();
    const finished = bytesDone >= bytesTotal;
    if (bytesTotal < 20e6 || (!finished && now - lastDraw < 100)) return;
    lastDraw = now;
    const elapsed = (now - started) / 1000;
    const rate = elapsed > 0 ? bytesDone / elapsed : 0;
    const eta = rate > 0 ? Math.ceil((bytesTotal - bytesDone) / rate) : 0;
    const pct = Math.floor((bytesDone / bytesTotal) * 100);
    stream.write(`\rIndexing transcripts: ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)} (${pct}%), ETA ${eta}s   `);
    if (finished) stream.write('\r\x1b[K');
  };
}

import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/progress-line.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (chunk: string) => writes.push(chunk) } as unknown as NodeJS.WriteStream, writes };
}

describe('progressReporter', () => {
  it('stays silent when stderr is not a terminal', () => {
    expect(progressReporter(fakeStream(false).stream)).toBeUndefined();
  });

  it('shows bytes done of total and an ETA on a terminal, then clears the line', () => {
    const { stream, writes } = fakeStream(true);
    const report = progressReporter(stream)!;
    report({ bytesDone: 250e6, bytesTotal: 1e9 });
    expect(writes.at(-1)).toMatch(/Indexing transcripts: 250\.0 MB of 1\.00 GB \(25%\), ETA \d+s/);
    report({ bytesDone: 1e9, bytesTotal: 1e9 });
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  it('does not bother for small scans', () => {
    const { stream, writes } = fakeStream(true);
    progressReporter(stream)!({ bytesDone: 1e6, bytesTotal: 5e6 });
    expect(writes).toEqual([]);
  });
});

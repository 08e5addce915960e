// Runs the line parser once over a few lines of every kind before a thread's
// first big scan. V8's optimizing compiler compiles a function for the paths it
// has seen run: a branch first met mid-scan (a progress record, a user record
// naming a limit, a line the fast path declines) throws the optimized code
// away, and the function is compiled again, with everything inlined into it.
// In a first scan of 1 GB that was about a third of all compile time, on each
// thread, and compiling took a fifth of the run's CPU. Seen here first, every
// branch is in the first compile. Costs about a millisecond; what it counts is
// thrown away.
import { ScanEventWriter } from './scan-events.js';
import { scanner } from './json-line-scanner.js';
import { parseOversizedLine, parseTranscriptLine } from './transcript-line-parser.js';
import { WasmEventWriter } from './wasm-event-writer.js';
import { wasmLineScanner } from './wasm-line-scanner.js';

const AT = '2026-01-05T10:00:00.000Z';
const ENVELOPE = '"parentUuid":"p-1","isSidechain":false,"userType":"external","cwd":"/home/dev/project","sessionId":"primer-session","version":"2.1.80","gitBranch":"main"';
const USAGE = '"usage":{"input_tokens":3,"cache_creation_input_tokens":10,"cache_read_input_tokens":20,"cache_creation":{"ephemeral_5m_input_tokens":10,"ephemeral_1h_input_tokens":0},"output_tokens":5,"service_tier":"standard"}';

function assistant(id: string, usage: string, extra = '', envelope = ENVELOPE): string {
  return `{${envelope},"message":{"model":"claude-sonnet-4-5-20250929","id":"${id}","type":"message","role":"assistant","content":[{"type":"text","text":"Done."}],"stop_reason":"end_turn","stop_sequence":null,${usage}},"requestId":"req_${id}","type":"assistant","uuid":"u-${id}","timestamp":"${AT}"${extra}}`;
}

/** One line of each kind the parser tells apart, in Claude Code's layouts (claude-code-data.md). */
export const PRIMER_LINES: readonly string[] = [
  assistant('msg_a', USAGE),
  // The same response streamed on: the key is reused, the fuller line kept.
  assistant('msg_a', USAGE.replace('"output_tokens":5', '"output_tokens":9')),
  assistant('msg_b', USAGE.replace('"service_tier":"standard"', '"server_tool_use":{"web_search_requests":1},"service_tier":"standard"')),
  // A Windows folder: escapes in a kept value.
  assistant('msg_c', USAGE, '', ENVELOPE.replace('"/home/dev/project"', '"C:\\\\Users\\\\dev\\\\project"')),
  // Older builds: type first, usage before content.
  `{"type":"assistant",${ENVELOPE},"message":{"id":"msg_d","${USAGE.slice(1)},"model":"claude-opus-4-1","role":"assistant","content":[]},"requestId":"req_d","uuid":"u-d","timestamp":"${AT}"}`,
  `{${ENVELOPE},"message":{"id":"msg_e","model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"Claude AI usage limit reached|1767610800"}],"usage":{"input_tokens":0,"output_tokens":0}},"type":"assistant","uuid":"u-e","timestamp":"${AT}","isApiErrorMessage":true,"error":"rate_limit"}`,
  `{${ENVELOPE},"type":"user","message":{"role":"user","content":"Claude usage limit reached. Your limit will reset at 3pm."},"uuid":"u-f","timestamp":"${AT}"}`,
  `{${ENVELOPE},"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_1","type":"tool_result","content":"ok"}]},"uuid":"u-g","timestamp":"${AT}","toolUseResult":{"stdout":"ok","stderr":"","interrupted":false,"isImage":false}}`,
  `{${ENVELOPE},"type":"progress","data":{"type":"agent_progress","agentId":"a1","message":{"type":"assistant","timestamp":"${AT}","requestId":"req_h","message":{"id":"msg_h","model":"claude-haiku-4-5","usage":{"input_tokens":1,"output_tokens":1}}}},"uuid":"u-h","timestamp":"${AT}"}`,
  `{"type":"summary","summary":"Primer","leafUuid":"u-a"}`,
  // Kind unknown from the edges (no type before the first nested object): searched, some parsed whole.
  `{"data":{"note":"x"},"type":"queue-operation","operation":"enqueue","timestamp":"${AT}"}`,
  `{"data":{"usage":{"input_tokens":1}},"type":"custom-record","uuid":"u-j"}`,
  `{"snapshot":{"usage":1},"type":"user","uuid":"u-k","message":{"role":"user","content":"hi"}}`,
  `{"data":{"usage":{"input_tokens":1}},"type":"assistant","message":{"id":"msg_l","model":"claude-sonnet-4-5","usage":{"input_tokens":1,"output_tokens":2}},"requestId":"req_l","timestamp":"${AT}"}`,
  `{"type":"file-history-snapshot","messageId":"m","snapshot":{"trackedFileBackups":{},"timestamp":"${AT}"},"isSnapshotUpdate":false}`,
  assistant('msg_i', USAGE, ',"costUSD":0.01'),
  '{"type":"assistant","message":{"id":"broken"',
  '  ',
];

let primed = false;

/** Once per thread: the parser sees every kind of line before it first gets hot. */
export function primeLineParser(): void {
  if (primed) return;
  primed = true;
  const context = { fallbackSessionId: 'primer', fallbackProject: 'primer', latestMs: Date.parse(AT) + 60_000 };
  const buffer = Buffer.from(`${PRIMER_LINES.join('\r\n')}\n`);
  const wasm = wasmLineScanner();
  // Three times: V8 gives a function its feedback (what the compiler reads) only after its first few calls.
  for (let pass = 0; pass < 3; pass++) {
    // The writer a scan on this thread uses: the WebAssembly scanner's table where it runs.
    const writer = wasm ? new WasmEventWriter(wasm, context) : new ScanEventWriter(context);
    for (let start = 0; start < buffer.length; ) {
      let end = buffer.indexOf(10, start);
      if (end === -1) end = buffer.length;
      parseTranscriptLine(buffer, start, end, context, writer);
      start = end + 1;
    }
    parseOversizedLine(Buffer.from(PRIMER_LINES[0]!.slice(0, 400)), Buffer.from(PRIMER_LINES[0]!.slice(-300)), context, writer);
    // The same lines through the WebAssembly scanner: settled in its table, the rest handed back.
    if (wasm) {
      buffer.copy(wasm.chunk);
      wasm.countLines(wasm.chunk.subarray(0, buffer.length), 0, buffer.length, context, writer);
    }
    writer.finish();
  }
  scanner.release();
}

// Property (issue #12): the WebAssembly line scanner decides every line as the
// JavaScript parser does. Its extractor reads the same fields from the same
// lines and declines the same ones; it classifies lines by their edges alike;
// it checks UTF-8 as Node does; and a whole file scanned with it gives exactly
// the events, skip counts, limit candidates and offsets the JavaScript path gives.
import { isUtf8 } from 'node:buffer';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractAssistantFields } from '../../../src/core/ingest/assistant-extractor.js';
import { AssistantFields } from '../../../src/core/ingest/assistant-fields.js';
import { scanFile } from '../../../src/core/ingest/file-scan.js';
import { FIELDS } from '../../../src/core/ingest/packed-layout.js';
import { parseStrictTimestampAt } from '../../../src/core/ingest/record-fields.js';
import { kindOfLine } from '../../../src/core/ingest/transcript-line-parser.js';
import { WasmEventWriter } from '../../../src/core/ingest/wasm-event-writer.js';
import { EXTRACT_DECLINED, EXTRACT_OK, KINDS, wasmLineScanner } from '../../../src/core/ingest/wasm-line-scanner.js';
import { Prng, generateCorpus } from '../../support/corpus-generator.js';
import { mutate, transcriptLines } from '../../support/hostile-lines.js';
import { tempDir, usageLine, userLine } from '../../support/usage-lines.js';

const wasm = wasmLineScanner()!;

/** What an extractor left in `f`, comparable. */
function fieldsOf(f: AssistantFields) {
  return {
    start: [...f.start].map((s, i) => (f.kind[i] === 1 ? s : null)),
    end: [...f.end].map((e, i) => (f.kind[i] === 1 ? e : null)),
    kind: [...f.kind],
    coding: [...f.coding].map((c, i) => (f.kind[i] === 1 ? c : 0)),
    isAssistant: f.isAssistant,
    apiError: f.apiError,
    usage: f.usage,
    tokens: f.usage === 1 ? [...f.tokens] : null,
    splitInvalid: f.usage === 1 ? f.splitInvalid : null,
  };
}

/** Both extractors over one line; returns what the WebAssembly one answered. */
function compareExtractors(line: Buffer): number {
  const js = new AssistantFields();
  const jsAnswered = extractAssistantFields(line, js);
  const fast = new AssistantFields();
  const answer = wasm.extractLine(line, fast);
  const where = line.toString('utf8', 0, 200);
  if (answer === EXTRACT_DECLINED) expect(jsAnswered, `declined a line the JavaScript extractor reads: ${where}`).toBe(false);
  else expect(jsAnswered, `read a line the JavaScript extractor declines: ${where}`).toBe(true);
  if (answer === EXTRACT_OK) expect(fieldsOf(fast), where).toEqual(fieldsOf(js));
  return answer;
}

function compareKinds(line: Buffer): void {
  expect(KINDS[wasm.kindOfLine(line)], line.toString('utf8', 0, 200)).toBe(kindOfLine(line, 0, line.length));
}

async function corpusLines(seed: number, badLines: boolean): Promise<Buffer[]> {
  const root = tempDir('breather-wasm-');
  await generateCorpus({ root, targetBytes: 2_000_000, seed, badLines, days: 5 });
  // A line longer than the read buffer never reaches the scanner: it is read again whole, for JavaScript.
  return [...transcriptLines(join(root, 'projects'))].filter((line) => line.length <= wasm.chunk.length);
}

/** The result of scanning `path` whole, with and without the WebAssembly scanner. */
function scanBoth(path: string) {
  const request = { path, fromOffset: 0, toOffset: Number.MAX_SAFE_INTEGER };
  return { wasm: scanFile(request, { wasm: true }), js: scanFile(request, { wasm: false }) };
}

describe('the WebAssembly line scanner', () => {
  it('compiles and runs on this Node (WebAssembly with SIMD)', () => {
    expect(wasm).not.toBeNull();
    expect(wasm.chunk.length).toBe(4 * 1024 * 1024);
  });

  it('extracts the fields of every corpus line as the JavaScript extractor does', async () => {
    let read = 0;
    let assistant = 0;
    for (const [seed, bad] of [[3, false], [4, true]] as const) {
      for (const line of await corpusLines(seed, bad)) {
        if (line.length < 2) continue;
        if (kindOfLine(line, 0, line.length) === 'assistant') assistant++;
        if (compareExtractors(line) === EXTRACT_OK) read++;
      }
    }
    // Not vacuous: nearly every assistant line is read here, not handed back.
    expect(read).toBeGreaterThan(assistant * 0.95);
  }, 60_000);

  it('extracts hostile variants of assistant lines as the JavaScript extractor does', () => {
    const rng = new Prng(21);
    const answers = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const good = usageLine({ at: '2026-11-01T10:00:00.000Z', input: rng.int(0, 9999), output: rng.int(0, 999), cache1h: rng.int(0, 5), text: rng.pick(['Done.', 'a "quoted" \\ path', '日本語', 'x'.repeat(20_000)]) });
      answers[compareExtractors(Buffer.from(mutate(rng, good)))]!++;
    }
    // Every answer occurs: read, declined, and numbers left to JavaScript (1.0, 2e3, …).
    expect(answers.every((n) => n > 0)).toBe(true);
  });

  it('judges a line by its edges as kindOfLine does', async () => {
    for (const line of await corpusLines(5, true)) if (line.length > 0) compareKinds(line);
    const rng = new Prng(8);
    const pieces = ['"type":"', 'assistant"', 'user"', 'progress"', '"type":"assistant"', '{', '}', '"x":1,', 'a'.repeat(100), '"', ',"uuid":"', '","timestamp":"'];
    for (let i = 0; i < 5000; i++) {
      let body = '';
      while (body.length < rng.int(0, 1200)) body += rng.pick(pieces);
      compareKinds(Buffer.from(`{${body}}`));
    }
    // The envelope's 512-byte edge and the canonical tail, exactly at their limits.
    for (let pad = 490; pad < 520; pad++) {
      compareKinds(Buffer.from(`{"a":"${'p'.repeat(pad)}","type":"user","m":{}}`));
      compareKinds(Buffer.from(`{"a":"${'p'.repeat(pad)}","m":{},"type":"assistant"}`));
    }
    const tail = `"type":"assistant","uuid":"${'u'.repeat(36)}","timestamp":"2026-11-01T10:00:00.000Z"}`;
    for (const head of ['{', '{"a":1,', '{x']) compareKinds(Buffer.from(head + tail));
  });

  it('checks UTF-8 as Node does', () => {
    const rng = new Prng(13);
    const samples = [
      [0xc0, 0x80], [0xc1, 0xbf], [0xc2, 0x80], [0xdf, 0xbf], [0xe0, 0x9f, 0x80], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xed, 0xa0, 0x80],
      [0xef, 0xbf, 0xbf], [0xf0, 0x8f, 0x80, 0x80], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80],
      [0x80], [0xbf], [0xc2], [0xe1, 0x80], [0xf1, 0x80, 0x80], [0xff], [0xfe],
    ];
    for (let i = 0; i < 20_000; i++) {
      const bytes: number[] = [];
      const length = rng.int(0, 70);
      while (bytes.length < length) {
        const roll = rng.int(0, 9);
        if (roll < 5) bytes.push(rng.int(0x20, 0x7e));
        else if (roll < 8) bytes.push(...Buffer.from(String.fromCodePoint(rng.pick([0x80, 0x7ff, 0x800, 0xfffd, 0xffff, 0x10000, 0x10ffff, rng.int(0x80, 0xd7ff)]))));
        else bytes.push(...rng.pick(samples));
      }
      const buffer = Buffer.from(bytes);
      expect(wasm.isUtf8(buffer), buffer.toString('hex')).toBe(isUtf8(buffer));
    }
  });

  it('reads toISOString times as parseStrictTimestampAt does, and leaves every other text to it', () => {
    const rng = new Prng(17);
    const two = (n: number) => String(n).padStart(2, '0');
    let settled = 0;
    for (let i = 0; i < 20_000; i++) {
      // Near and past every field's edge: leap days, 30-day months, hour 24, second 60, years around 2023 and 9999.
      const year = rng.pick([1970, 2000, 2022, 2023, 2024, 2025, 2100, 2400, 9999, rng.int(2023, 2999)]);
      let text = `${String(year).padStart(4, '0')}-${two(rng.int(0, 13))}-${two(rng.int(0, 32))}T${two(rng.int(0, 24))}:${two(rng.int(0, 60))}:${two(rng.int(0, 60))}.${String(rng.int(0, 999)).padStart(3, '0')}Z`;
      if (rng.int(0, 9) === 0) text = rng.pick([text.replace('Z', '+00:00'), text.replace('.', ','), text.slice(0, 19) + 'Z', text.replace('T', ' '), ` ${text}`, text.replace('0', 'x')]);
      const bytes = Buffer.from(text);
      const js = parseStrictTimestampAt(bytes, 0, bytes.length);
      const fast = wasm.isoMs(bytes);
      if (fast >= 0) {
        expect(fast, text).toBe(js);
        settled++;
      } else {
        // Declined: either JavaScript also finds no instant, or the text is not toISOString's shape.
        expect(js === null || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text), text).toBe(true);
      }
    }
    expect(settled).toBeGreaterThan(5000);
  });

  it('settles responses whose fields repeat, change, go missing and break the run, as the JavaScript path counts them', () => {
    const dir = tempDir('breather-wasm-settle-');
    const rng = new Prng(31);
    const lines: string[] = [];
    const now = Date.now();
    const at = () => rng.pick(['2026-11-01T10:00:00.000Z', '2026-11-01T10:20:00.000Z', '2024-02-29T23:59:59.999Z']);
    for (let i = 0; i < 4000; i++) {
      // Few values each, so runs of repeats are long and switches frequent.
      const o = {
        at: at(),
        model: rng.pick(['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-haiku-4-5']),
        sessionId: rng.pick(['s-1', 's-2', '日本-3']),
        cwd: rng.pick(['/work/a', '/work/b', 'C:\\work\\c', '/x'.repeat(200), '/caf\u00e9 \ud83d\ude00\n']),
        messageId: `m${rng.int(0, 30)}`,
        requestId: rng.pick([`r${rng.int(0, 30)}`, null, '']),
        output: rng.int(0, 50),
      };
      let line = usageLine(o);
      switch (rng.int(0, 14)) {
        // What leaves the decision to JavaScript, or breaks the run of settled responses:
        case 0: line = line.replace(o.at, rng.pick(['2022-12-31T23:59:59.999Z', '2026-02-30T10:00:00.000Z', new Date(now + 3 * 86_400_000).toISOString(), '2026-11-01T10:00:00Z'])); break;
        case 1: line = line.replace(`"model":"${o.model}"`, rng.pick(['"model":"<synthetic>"', '"model":""', '"model":7', '"model":"claude\\u002dx"'])); break;
        case 2: line = line.replace('"output_tokens":', '"output_tokens":1.0,"x":'); break;
        case 3: line = line.replace(`"id":"${o.messageId}",`, ''); break;
        case 4: line = line.replace(`"sessionId":"${o.sessionId}",`, ''); break;
        case 5: line = line.replace(`"cwd":${JSON.stringify(o.cwd)},`, '"cwd":null,'); break;
        case 6: line = line.replace('"usage":{', '"usage":null,"u":{'); break;
        case 7: line = line.replace('"type":"assistant"', '"isApiErrorMessage":true,"type":"assistant"'); break;
        case 8: lines.push('{"type":"progress","data":{"type":"agent_progress"}}', '{"broken'); break;
      }
      lines.push(line);
    }
    // The same texts escaped otherwise (JSON.stringify writes none of these): equal once decoded.
    for (let i = 0; i < 200; i++) {
      const line = usageLine({ at: '2026-11-01T10:00:00.000Z', messageId: `m${i % 7}`, requestId: `r${i % 5}`, sessionId: 's-1', cwd: '/work/a', output: i % 11 });
      lines.push(rng.pick([line, line.replace('"/work/a"', '"\\/work\\/a"'), line.replace('"s-1"', '"s\\u002d1"'), line.replace(`"m${i % 7}"`, `"\\u006d${i % 7}"`)]));
    }
    const path = join(dir, 'runs.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const both = scanBoth(path);
    expect(both.wasm.packed.numbers.length).toBeGreaterThan(500);
    expect(Object.keys(both.wasm.skipped).length).toBeGreaterThan(2);
    expect(both.wasm).toEqual(both.js);
  });

  it('hands a file its response table cannot hold to the JavaScript path, with the same result', () => {
    const dir = tempDir('breather-wasm-table-');
    const good = (i: number, o: Partial<Parameters<typeof usageLine>[0]> = {}) => usageLine({ at: '2026-11-01T10:00:00.000Z', messageId: `m${i}`, output: i, ...o });
    const files = {
      // A lone surrogate (an escape the module can't write as UTF-8) in a value it settles…
      'lone-in-settled': [good(1), good(2, { sessionId: 'PLACEHOLDER' }).replace('PLACEHOLDER', '\\ud800x'), good(3)],
      // …and in a line the JavaScript parser counts (1.0 tokens: the module leaves those to it).
      'lone-in-parsed': [good(1), good(2, { cwd: 'PLACEHOLDER' }).replace('PLACEHOLDER', 'a\\udc00').replace('"output_tokens":2', '"output_tokens":2.0'), good(3)],
      // More folders in one file than its table of texts takes (512).
      'many-folders': Array.from({ length: 600 }, (_, i) => good(i, { cwd: `/work/${i}` })),
    };
    let events = 0;
    for (const [name, lines] of Object.entries(files)) {
      const path = join(dir, `${name}.jsonl`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      const both = scanBoth(path);
      expect(both.wasm, name).toEqual(both.js);
      events += both.wasm.packed.numbers.length;
    }
    // Counted, not dropped: 3 + 3 + 600 responses.
    expect(events / FIELDS).toBe(606);
    // The table itself declines them (this is the path under test, not a scan that happens to agree).
    for (const name of Object.keys(files)) {
      const writer = new WasmEventWriter(wasm, { fallbackSessionId: 's', fallbackProject: 'p', latestMs: Date.now() });
      const bytes = readFileSync(join(dir, `${name}.jsonl`));
      bytes.copy(wasm.chunk);
      wasm.countLines(wasm.chunk.subarray(0, bytes.length), 0, bytes.length, { fallbackSessionId: 's', fallbackProject: 'p', latestMs: Date.now() }, writer);
      expect(writer.finish(), name).toBeNull();
    }
    // A fallback name longer than the module keeps (1 KB), or than its scratch holds (64 KB): no table either.
    for (const [session, project] of [['s'.repeat(1025), 'p'], ['s', 'p'.repeat(70_000)], ['s'.repeat(70_000), 'p']]) {
      const context = { fallbackSessionId: session!, fallbackProject: project!, latestMs: Date.now() };
      const writer = new WasmEventWriter(wasm, context);
      const bytes = Buffer.from(`${good(1)}\n`);
      bytes.copy(wasm.chunk);
      wasm.countLines(wasm.chunk.subarray(0, bytes.length), 0, bytes.length, context, writer);
      expect(writer.finish(), `${session!.length}/${project!.length}`).toBeNull();
    }
  });

  it('scans generated corpora (bad lines included) to exactly what the JavaScript parser finds', async () => {
    const root = tempDir('breather-wasm-scan-');
    await generateCorpus({ root, targetBytes: 3_000_000, seed: 6, badLines: true, days: 4 });
    let events = 0;
    for (const dir of readdirSync(join(root, 'projects'))) {
      for (const file of readdirSync(join(root, 'projects', dir))) {
        const both = scanBoth(join(root, 'projects', dir, file));
        expect(both.wasm).toEqual(both.js);
        events += both.wasm.packed.numbers.length;
      }
    }
    expect(events).toBeGreaterThan(0);
  }, 60_000);

  it('scans what spans its buffer, overflows its records, and every odd line alike', () => {
    const dir = tempDir('breather-wasm-odd-');
    const rng = new Prng(9);
    const lines: string[] = [];
    // Many short responses: more than one block's records (4,096) in one read.
    for (let i = 0; i < 6000; i++) lines.push(usageLine({ at: '2026-11-01T10:00:00.000Z', messageId: `m${i % 4000}`, requestId: `r${i % 4000}`, output: i }));
    // Long lines that cross the 4 MB read buffer's end, and every odd line kind.
    for (let i = 0; i < 40; i++) {
      lines.push(usageLine({ at: '2026-11-01T11:00:00.000Z', text: 'y'.repeat(rng.int(1, 400_000)) }));
      lines.push(mutate(rng, usageLine({ at: '2026-11-01T12:00:00.000Z', text: 'z'.repeat(rng.int(1, 300)) })));
      lines.push(userLine('2026-11-01T12:00:01.000Z', rng.pick(['Limit reached', 'resets at 5pm', 'nothing', 're'.repeat(2100), `${'q'.repeat(4060)}reached`])));
      lines.push(rng.pick(['', '   ', '{"broken', 'not json', '[1,2]', '{"type":"progress","data":{"type":"agent_progress"}}', '{"a":1}\r', '  {"type":"user"}  ']));
    }
    const path = join(dir, 'odd.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n{"unfinished":`);
    const both = scanBoth(path);
    expect(both.wasm.bytesRead).toBeGreaterThan(8 * 1024 * 1024);
    expect(both.wasm.packed.numbers.length).toBeGreaterThan(4000);
    expect(both.wasm.unfinishedBytes).toBe('{"unfinished":'.length);
    expect(both.wasm).toEqual(both.js);
  });
});

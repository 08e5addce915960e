// Breather vs ccusage on generated corpora of 10 MB, 100 MB and 1 GB.
// Prints plain-text tables with the issue #12 targets and asserts nothing. `npm run bench`.
//
// Env: BENCH_SIZES=10,100 (MB; 1000 = 1 GB), BENCH_SKIP_CCUSAGE=1,
// BENCH_IDLE_SECONDS=30, BENCH_APPENDS=30, BENCH_RUNS (cold-scan runs per size),
// BENCH_HUGE_LINE_MB=300 (0 skips the single-huge-line memory check).
//
// Corpora are cached under .bench/ keyed by size, seed, generator version and
// start day: the corpus ends yesterday so `status` sees a realistic last week,
// which means a new corpus (about 20 s for 1 GB) at most once a day.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_GENERATOR_VERSION } from '../test/support/corpus-generator.js';
import {
  BREATHER,
  CCUSAGE,
  type Corpus,
  DAYS,
  IDLE_SECONDS,
  REPO,
  RSS_METHOD,
  type RunResult,
  SEED,
  SIZES_MB,
  SKIP_CCUSAGE,
  type Series,
  WARM_RUNS,
  ccusageEnv,
  env,
  ensureCorpus,
  fmtMB,
  fmtSeconds,
  interleavedSeries,
  log,
  measure,
  ourEnv,
  percentile,
  series,
  sizeLabel,
} from './bench-support.js';
import { benchCheckpoint } from './checkpoint-bench.js';
import { benchHooks, hookBenchTable } from './hook-bench.js';
import { type PhaseTimes, measureHugeLine, measurePhases } from './phase-bench.js';
import { APPEND_SESSION, type WatchResult, appendedResponses, benchSessionFile, benchWatch } from './watch-bench.js';

const HUGE_LINE_MB = Number(env.BENCH_HUGE_LINE_MB ?? 300);
/** The session the "status after one response appended" runs grow. */
const GROWN_SESSION = 'b3e7c4a0-0000-4000-8000-0000000a77e4';

interface SizeReport {
  mb: number;
  corpus: Corpus;
  coldOurs: Series;
  coldOneThread: Series;
  coldCc: Series | null;
  /** The cold run again without NODE_EXTRA_CA_CERTS, when the environment sets it. */
  coldNoExtraCerts: Series | null;
  coldNoCodeCache: Series;
  nodeBareNoExtraCerts: Series | null;
  warmStatusJson: Series;
  warmBlocksJson: Series;
  statusAfterAppend: Series;
  nodeBare: Series;
  statusText: Series;
  activeOurs: Series;
  activeCc: Series | null;
  watch: WatchResult;
  phases: PhaseTimes;
}

async function benchSize(mb: number): Promise<SizeReport> {
  const corpus = await ensureCorpus(mb);
  const { root } = corpus;
  const scratch = mkdtempSync(join(tmpdir(), 'breather-bench-'));
  const emptyHome = join(scratch, 'home');
  mkdirSync(emptyHome);
  try {
    for (const session of [APPEND_SESSION, GROWN_SESSION]) rmSync(benchSessionFile(root, session), { force: true });
    // Eight rounds at every size (each command first twice, of four): with two or three, one slow stretch of a noisy machine decided the verdict.
    const runs = Number(env.BENCH_RUNS ?? 8);
    const states: string[] = [];
    const newState = (): string => {
      const s = mkdtempSync(join(scratch, 'state-'));
      states.push(s);
      return s;
    };
    const ours = (state: string, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
      measure(process.execPath, [BREATHER, ...args, '--data-dir', root], { ...ourEnv(state, emptyHome), BREATHER_TIMINGS: '1', ...extra });
    const cc = (args: string[]): Promise<RunResult> => measure(CCUSAGE.path, ['claude', ...args, '--offline'], ccusageEnv(root, emptyHome));

    // NODE_EXTRA_CA_CERTS (this machine sets it for its registry proxy) makes every
    // Node process parse a certificate bundle before running a line: 40-60 ms
    // here, which Breather never uses and ccusage, a native binary, never pays.
    // Most users have no such variable: the cold run is measured both ways.
    const withoutExtraCerts = (e: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
      const copy = { ...e };
      delete copy.NODE_EXTRA_CA_CERTS;
      return copy;
    };
    const extraCerts = Boolean(env.NODE_EXTRA_CA_CERTS);
    const coldArgs = ['blocks', '--json', '--timezone', 'UTC'];
    log(`${sizeLabel(mb)}: cold scans (${runs} round(s) of: ours, ours on one thread${extraCerts ? ', ours without NODE_EXTRA_CA_CERTS' : ''}, ours without the code cache${SKIP_CCUSAGE ? '' : ', ccusage'})`);
    // The CLI runs its program from a V8 code cache saved by the command's first run
    // (src/cli/compiled-program.ts; the first round makes it if need be): also measured
    // without it, as a command's very first run on a machine goes.
    const [coldOurs, coldOneThread, coldCc, coldNoExtraCerts, coldNoCodeCache] = await interleavedSeries(runs, [
      () => ours(newState(), coldArgs),
      () => ours(newState(), coldArgs, { BREATHER_SCAN_THREADS: '1' }),
      SKIP_CCUSAGE ? null : () => cc(coldArgs),
      extraCerts ? () => measure(process.execPath, [BREATHER, ...coldArgs, '--data-dir', root], withoutExtraCerts({ ...ourEnv(newState(), emptyHome), BREATHER_TIMINGS: '1' })) : null,
      () => ours(newState(), coldArgs, { BREATHER_CODE_CACHE: '0' }),
    ]);

    // The last cold run left a complete index behind: that is the warm state.
    const warm = states[states.length - 1] ?? newState();
    await ours(warm, ['status', '--json']);
    log(`${sizeLabel(mb)}: warm status and blocks, and a bare node`);
    // In the environment Breather's runs get: a variable such as NODE_EXTRA_CA_CERTS
    // costs every Node start (about 37 ms on this machine) and is not Breather's.
    // In turn, like the cold runs: "node + N ms" compares runs made in the same minutes.
    const bareNode = (e: NodeJS.ProcessEnv) => () => measure(process.execPath, ['-e', 'process.stdout.write("0")'], e);
    const [nodeBare, nodeBareNoExtraCerts, warmStatusJson, warmBlocksJson] = await interleavedSeries(WARM_RUNS, [
      bareNode(ourEnv(warm, emptyHome)),
      extraCerts ? bareNode(withoutExtraCerts(ourEnv(warm, emptyHome))) : null,
      () => ours(warm, ['status', '--json']),
      () => ours(warm, ['blocks', '--json']),
    ]);
    const statusText = await series(WARM_RUNS, () => ours(warm, ['status']));
    const activeOurs = await series(WARM_RUNS, () => ours(warm, ['blocks', '--active', '--json']));
    const activeCc = SKIP_CCUSAGE ? null : await series(runs, () => cc(['blocks', '--active', '--json']));

    log(`${sizeLabel(mb)}: watch (${env.BENCH_APPENDS ?? 30} appends, ${IDLE_SECONDS} s idle)`);
    const watch = await benchWatch(root, warm, emptyHome);
    // The common case while Claude Code works: since the last run, one transcript grew by a response.
    log(`${sizeLabel(mb)}: status after one response appended`);
    const grown = benchSessionFile(root, GROWN_SESSION);
    const response = appendedResponses(GROWN_SESSION);
    writeFileSync(grown, response(0));
    await ours(warm, ['status', '--json']);
    let appended = 0;
    const statusAfterAppend = await series(WARM_RUNS, () => {
      appendFileSync(grown, response(++appended));
      return ours(warm, ['status', '--json']);
    });
    rmSync(grown, { force: true });
    log(`${sizeLabel(mb)}: phases, in process on one thread`);
    const phases = await measurePhases(root);
    return { mb, corpus, coldOurs: coldOurs!, coldOneThread: coldOneThread!, coldCc: coldCc ?? null, coldNoExtraCerts: coldNoExtraCerts ?? null, coldNoCodeCache: coldNoCodeCache!, nodeBareNoExtraCerts: nodeBareNoExtraCerts ?? null, warmStatusJson: warmStatusJson!, warmBlocksJson: warmBlocksJson!, statusAfterAppend, nodeBare: nodeBare!, statusText, activeOurs, activeCc, watch, phases };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Output

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd()).join('\n');
}

function timeCell(s: Series | null, bytes?: number): string {
  if (!s) return 'skipped';
  if (!s.runs) return `FAILED ${s.error}`;
  const rate = bytes ? `, ${(bytes / 1e6 / (s.ms / 1000)).toFixed(0)} MB/s` : '';
  // The median, and the spread of every run (the noise, said plainly).
  const times = s.results.map((r) => r.ms);
  const runs = s.runs > 1 ? ` (${s.runs} runs: ${fmtSeconds(Math.min(...times))}–${fmtSeconds(Math.max(...times))})` : '';
  return `${fmtSeconds(s.ms)}${rate}${runs}`;
}

/** Said the way a reader says it: "Breather is 2.1× faster". */
function verdict(ours: Series, theirs: Series | null): string {
  if (!theirs || !ours.runs || !theirs.runs) return '';
  const r = theirs.ms / ours.ms;
  // Two decimals: next to a 2× target, "2.0×" and MISSED read as a contradiction.
  return r >= 1 ? `Breather is ${r.toFixed(2)}× faster` : `Breather is ${(1 / r).toFixed(2)}× slower`;
}

function target(ok: boolean, text: string): string {
  return `[${ok ? 'met' : 'MISSED'}: ${text}]`;
}

/** Engine phases of the cold runs (BREATHER_TIMINGS), median per phase. */
function engineTimings(s: Series): Record<string, number> | null {
  const all = s.results
    .map((r) => /breather-timings (\{.*\})/.exec(r.stderr)?.[1])
    .filter((t): t is string => t !== undefined)
    .map((t) => JSON.parse(t) as Record<string, number>);
  if (all.length === 0) return null;
  const out: Record<string, number> = {};
  for (const key of Object.keys(all[0]!)) out[key] = percentile(all.map((t) => t[key] ?? 0), 50);
  return out;
}

function report(r: SizeReport): string {
  const bytes = r.corpus.summary.bytes;
  const w = r.watch;
  const s = r.corpus.summary;
  const header =
    `${sizeLabel(r.mb)} corpus: ${s.files} files, ${(bytes / 1e6).toFixed(1)} MB, ${s.responses.toLocaleString('en-US')} responses, ` +
    `${s.sessions} sessions, ${s.firstTimestamp.slice(0, 10)}..${s.lastTimestamp.slice(0, 10)}` +
    (r.corpus.generatedMs === null ? ' (cached)' : ` (generated in ${fmtSeconds(r.corpus.generatedMs)})`);
  const cpuRate = (series: Series) => (series.cpuSeconds ? `${(bytes / 1e6 / series.cpuSeconds).toFixed(0)} MB/s per CPU-second` : '?');
  const oneThreadWall = r.coldOneThread.runs ? bytes / 1e6 / (r.coldOneThread.ms / 1000) : NaN;
  const speedup = r.coldCc?.runs && r.coldOurs.runs ? r.coldCc.ms / r.coldOurs.ms : NaN;
  const warmOver = (x: Series) => x.ms - r.nodeBare.ms;
  const watchLatency = w.latencies.length
    ? `p50 ${fmtSeconds(percentile(w.latencies, 50))} / p95 ${fmtSeconds(percentile(w.latencies, 95))} (n=${w.latencies.length}` +
      `${w.timeouts ? `, ${w.timeouts} timed out` : ''}, new tokens seen in ${w.tokensSeen})`
    : `FAILED ${w.error || `${w.timeouts} timeouts`}`;
  const rows: string[][] = [
    ['measure', 'Breather', 'ccusage', 'comparison / target'],
    ['cold blocks --json (2 threads)', timeCell(r.coldOurs, bytes), timeCell(r.coldCc, bytes), `${verdict(r.coldOurs, r.coldCc)} ${Number.isFinite(speedup) ? target(speedup >= 2, '≥ 2× faster') : ''}`],
    ['  CPU (user + sys)', r.coldOurs.cpuSeconds ? `${r.coldOurs.cpuSeconds.toFixed(2)} s` : '?', r.coldCc?.cpuSeconds ? `${r.coldCc.cpuSeconds.toFixed(2)} s` : '', ''],
    ['  peak RSS', fmtMB(r.coldOurs.peakKB), r.coldCc ? fmtMB(r.coldCc.peakKB) : '', r.coldOurs.peakKB ? target(r.coldOurs.peakKB <= 150 * 1024, '≤ 150 MB') : ''],
    ...(r.coldNoExtraCerts
      ? [['  same, without NODE_EXTRA_CA_CERTS', timeCell(r.coldNoExtraCerts, bytes), r.coldCc ? 'not a Node program' : '', `${verdict(r.coldNoExtraCerts, r.coldCc)} (a Node start without the certificate bundle this machine sets)`]]
      : []),
    ['  same, without the code cache', timeCell(r.coldNoCodeCache, bytes), '', `${verdict(r.coldNoCodeCache, r.coldCc)} (a command's very first run: the program compiled from source)`],
    ['cold, one scan thread', timeCell(r.coldOneThread, bytes), '', `${cpuRate(r.coldOneThread)} ${Number.isFinite(oneThreadWall) ? target(oneThreadWall >= 600, '≥ 600 MB/s per core (wall)') : ''}`],
    ['  peak RSS', fmtMB(r.coldOneThread.peakKB), '', ''],
    ['bare node -e 0', timeCell(r.nodeBare), '', 'the floor for a warm start'],
    ...(r.nodeBareNoExtraCerts ? [['  without NODE_EXTRA_CA_CERTS', timeCell(r.nodeBareNoExtraCerts), '', `what the variable costs every Node start: ${Math.round(r.nodeBare.ms - r.nodeBareNoExtraCerts.ms)} ms`]] : []),
    ['warm status --json', timeCell(r.warmStatusJson), 'no index', `node + ${Math.round(warmOver(r.warmStatusJson))} ms ${target(warmOver(r.warmStatusJson) <= 150, '≤ node + 150 ms')}`],
    ['warm blocks --json', timeCell(r.warmBlocksJson), 'no index', `node + ${Math.round(warmOver(r.warmBlocksJson))} ms ${target(warmOver(r.warmBlocksJson) <= 150, '≤ node + 150 ms')}`],
    ['  peak RSS', fmtMB(r.warmStatusJson.peakKB), '', ''],
    ['status --json, 1 response added', timeCell(r.statusAfterAppend), 'no index', `node + ${Math.round(warmOver(r.statusAfterAppend))} ms (reads the new line; leaves the index unsaved while its transcript is being written)`],
    ['status (text)', timeCell(r.statusText), r.activeCc ? `closest: blocks --active, ${timeCell(r.activeCc)}` : 'skipped', verdict(r.statusText, r.activeCc)],
    ['blocks --active --json', timeCell(r.activeOurs), timeCell(r.activeCc), verdict(r.activeOurs, r.activeCc)],
    ['watch: first line (warm index)', w.firstLineMs === null ? 'FAILED' : fmtSeconds(w.firstLineMs), 'no watch mode', w.firstLineMs === null ? '' : target(w.firstLineMs <= 500, '≤ 0.5 s')],
    ['watch: append → NDJSON line', watchLatency, '', ''],
    ['watch: peak RSS (VmHWM at end)', fmtMB(w.peakKB), '', ''],
    [`watch: idle CPU over ${IDLE_SECONDS} s`, w.idleCpuPercent === null ? 'n/a' : `${w.idleCpuPercent.toFixed(2)} %  (${w.idleLines} lines printed while idle)`, '', ''],
  ];
  const p = r.phases;
  const ms = (x: number) => `${Math.round(x)} ms`;
  const timings = engineTimings(r.coldOurs);
  const phaseRows: string[][] = [
    ['cold-scan phase', 'one thread, in process (CPU)', 'cold CLI run, 2 threads (wall, main thread)'],
    ['discovery', ms(p.discovery), timings ? ms(timings.discovery ?? 0) : '?'],
    ['read (into the scanner\'s memory)', ms(p.read), ''],
    ['split, classify, read, count (WebAssembly)', ms(p.lineScan), ''],
    ['the rest (JavaScript: lines handed back, strings, cost)', ms(p.count), ''],
    ['  read → count', `${ms(p.read + p.lineScan + p.count)}, ${p.scanMBps.toFixed(0)} MB/s`, timings ? `scan ${ms(timings.scan ?? 0)} (both threads read, split, classify, count)` : ''],
    ['  the JavaScript parser alone (fallback)', `${p.jsScanMBps.toFixed(0)} MB/s`, ''],
    ['aggregate', ms(p.aggregate), ''],
    ['merge across workers', 'n/a (one thread)', timings ? ms(timings.aggregate ?? 0) : '?'],
    ['index save', ms(p.indexSave), timings ? ms(timings.save ?? 0) : '?'],
  ];
  // Expected: the status once the folder walk has found files the index did not know (the bench's own session), and alerts.
  const unprompted = Object.entries(w.unprompted).map(([type, n]) => `${n} ${type}`).join(', ');
  const notes = unprompted ? `\n  note: watch also printed, unasked: ${unprompted}` : '';
  return `${header}\n${table(rows)}${notes}\n\n${table(phaseRows)}\n`;
}

async function main(): Promise<void> {
  const load = (await import('node:os')).loadavg()[0] ?? 0;
  const lines: string[] = [
    'Breather benchmark (warm page cache: the OS cache is not dropped between runs)',
    `Node ${process.version}, ${cpus().length} CPUs, load average ${load.toFixed(1)} at start; ccusage ${CCUSAGE.version} (${CCUSAGE.label}${SKIP_CCUSAGE ? ', skipped' : ''}); ` +
      `peak RSS via ${RSS_METHOD}; watch RSS via /proc VmHWM read before exit`,
    `corpus seed ${SEED}, generator v${CORPUS_GENERATOR_VERSION}, ${DAYS} days ending yesterday (UTC)`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const mb of SIZES_MB) {
    const r = await benchSize(mb);
    process.stdout.write(`${report(r)}\n`);
    (globalThis as { gc?: () => void }).gc?.();
  }
  if (HUGE_LINE_MB > 0) {
    log(`one line of ${HUGE_LINE_MB} MB`);
    const huge = await measureHugeLine(HUGE_LINE_MB, (state) => ourEnv(state, state));
    process.stdout.write(`${table([['single line', 'time', 'peak RSS'], [`${HUGE_LINE_MB} MB line, daily --json`, huge.ok ? fmtSeconds(huge.ms) : `FAILED ${huge.error}`, fmtMB(huge.peakKB)]])}\n\n`);
  }
  process.stdout.write(`${hookBenchTable(benchHooks(join(REPO, 'dist/cli/breather-hook.mjs')))}\n\n`);
  try {
    const c = await benchCheckpoint();
    process.stdout.write(`${table([['checkpoint', 'files', 'changed', 'time'], ['git snapshot', String(c.files), String(c.changed), fmtSeconds(c.ms)]])}\n`);
  } catch (error) {
    process.stdout.write(`checkpoint: FAILED ${(error as Error).message}\n`);
  }
}

await main();

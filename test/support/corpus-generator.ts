// Deterministic generator of realistic Claude Code transcript corpora (see
// /work/shared/docs/claude-code-data.md §1–4). Writes real files under
// <root>/projects/ so tests and benchmarks exercise the same byte patterns a
// heavy user's ~/.claude holds: streamed multi-line responses, huge tool
// results, three subagent layouts, resumed-session copies, metadata lines.
//
// Speed matters (1 GB in well under a minute): big payloads are slices of
// pre-built, pre-JSON-escaped filler text, lines are assembled by string
// concatenation in Claude Code's own field order, and each file is written in
// ~1 MB chunks.

import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bump when the output for a given seed changes (benchmarks cache on it). */
export const CORPUS_GENERATOR_VERSION = 1;

export const CORPUS_MODELS = [
  'claude-sonnet-4-5-20250929',
  'claude-opus-4-1-20250805',
  'claude-haiku-4-5-20251001',
  'claude-opus-4-5-20251101',
] as const;

export const DEFAULT_CORPUS_START = new Date('2025-10-01T00:00:00.000Z');

export interface CorpusOptions {
  /** A Claude config root; transcripts go under <root>/projects/. */
  root: string;
  /** Stop once this many transcript bytes are written (overshoots by at most one step). */
  targetBytes: number;
  seed?: number;
  projects?: number;
  /** Fixed default so the same seed always gives the same bytes. */
  startTime?: Date;
  days?: number;
  /** Inject garbage, invalid UTF-8, truncated and non-object lines, a record without usage, a ~5 MB line. */
  badLines?: boolean;
}

export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

export type LineKind =
  | 'assistant'
  | 'synthetic'
  | 'userPrompt'
  | 'toolResult'
  | 'snapshot'
  | 'summary'
  | 'queueOperation'
  | 'system'
  | 'compactSummary'
  | 'progress'
  | 'otherMetadata'
  | 'bad';

export type BadLineKind =
  | 'garbage'
  | 'invalidUtf8'
  | 'truncatedJson'
  | 'nonObjectJson'
  | 'missingUsage'
  | 'emptyLine'
  | 'hugeLine'
  | 'unfinishedLastLine';

export interface CorpusSummary {
  /** `.jsonl` files written (sessions, resumed sessions, subagent files). */
  files: number;
  /** Bytes of those `.jsonl` files. */
  bytes: number;
  /** Unique API responses carrying usage (de-duplicated, `<synthetic>` excluded). */
  responses: number;
  /** Lines written, counting an unfinished last line. */
  lines: number;
  /** Ground truth: each unique response counted once with its final usage. */
  tokens: TokenTotals;
  bytesByKind: Record<LineKind, number>;
  linesByKind: Record<LineKind, number>;
  sessions: number;
  resumedSessions: number;
  subagents: { inline: number; sibling: number; nested: number };
  metaFiles: number;
  syntheticRecords: number;
  /** The ~5 MB line is a valid response and is included in `tokens`. */
  badLines: Record<BadLineKind, number> | null;
  firstTimestamp: string;
  lastTimestamp: string;
}

// ---------------------------------------------------------------------------
// Seeded PRNG (sfc32 seeded through splitmix32): fast, good enough, portable.

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  gaussian(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Heavy-tailed sizes: median * e^(sigma·N(0,1)), clamped. */
  logNormal(median: number, sigma: number, min: number, max: number): number {
    return Math.round(Math.min(max, Math.max(min, median * Math.exp(sigma * this.gaussian()))));
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, chars);
  }

  uuid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)] as string;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  base62(chars: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    for (let i = 0; i < chars; i++) out += alphabet[this.uint32() % 62];
    return out;
  }
}

// ---------------------------------------------------------------------------
// Filler text: built once per process from a fixed seed, stored JSON-escaped
// (without quotes) with piece offsets, so a slice at piece boundaries is
// always a valid JSON string body and costs no escaping at generation time.

class Filler {
  readonly text: string;
  readonly offsets: number[];
  readonly escapedPieces: string[];

  constructor(escapedPieces: string[]) {
    this.escapedPieces = escapedPieces;
    this.offsets = new Array<number>(escapedPieces.length + 1);
    let at = 0;
    for (let i = 0; i < escapedPieces.length; i++) {
      this.offsets[i] = at;
      at += (escapedPieces[i] as string).length;
    }
    this.offsets[escapedPieces.length] = at;
    this.text = escapedPieces.join('');
  }

  get pieces(): number {
    return this.escapedPieces.length;
  }

  get totalChars(): number {
    return this.offsets[this.pieces] as number;
  }

  /** Pieces needed from `start` to cover about `chars` characters (wrapping around). */
  countFor(start: number, chars: number): number {
    let count = 0;
    let at = start;
    let remaining = Math.max(1, chars);
    for (;;) {
      const base = this.offsets[at] as number;
      const available = this.totalChars - base;
      if (remaining <= available) {
        let lo = at + 1;
        let hi = this.pieces;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((this.offsets[mid] as number) - base >= remaining) hi = mid;
          else lo = mid + 1;
        }
        return count + (lo - at);
      }
      count += this.pieces - at;
      remaining -= available;
      at = 0;
    }
  }

  slice(start: number, count: number): string {
    let out = '';
    let at = start;
    let left = count;
    while (left > 0) {
      const take = Math.min(left, this.pieces - at);
      out += this.text.slice(this.offsets[at], this.offsets[at + take]);
      left -= take;
      at = 0;
    }
    return out;
  }

  randomSlice(rng: Prng, chars: number): string {
    const start = rng.int(0, this.pieces - 1);
    return this.slice(start, this.countFor(start, chars));
  }
}

function escapeJson(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

const WORDS = (
  'the usage ledger window block reset limit token cache read write file session project parser index scan ' +
  'stream offset buffer record response request model output input cost rate burn check status alert tray ' +
  'snapshot resume prompt branch commit stash hook test fixture build config schema value error path line ' +
  'byte chunk append watch event queue worker thread retry timeout signal process memory heap latency ' +
  'that this with from into when then because while before after only every each some most other same'
).split(' ');
const IDENTS = (
  'config result entry buffer offset session index record handler payload options cache window status ' +
  'reader parser token usage bytes limit ledger block model request response writer stream chunk cursor'
).split(' ');
const TYPES = ['string', 'number', 'boolean', 'UsageRecord', 'Map<string, number>', 'Buffer', 'Promise<void>', 'Status'];
const UNICODE_BITS = ['café', 'naïve → résumé', '日本語のテキスト', '✓ done', '🚀 fast', 'Ünïcödé', '—', '…', 'Ωmega'];

function sentence(rng: Prng): string {
  const n = rng.int(5, 18);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(rng.pick(WORDS));
  if (rng.chance(0.25)) words.splice(rng.int(0, words.length), 0, '`' + rng.pick(IDENTS) + '()`');
  if (rng.chance(0.06)) words.push(rng.pick(UNICODE_BITS));
  if (rng.chance(0.05)) words.push('"' + rng.pick(WORDS) + '"');
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + rng.pick(['.', '.', '.', ':', '?', '!']);
}

function codeLine(rng: Prng, indent: number): string {
  const pad = rng.chance(0.03) ? '\t'.repeat(Math.max(1, indent / 2)) : ' '.repeat(indent);
  const a = rng.pick(IDENTS);
  const b = rng.pick(IDENTS);
  const c = rng.pick(IDENTS);
  switch (rng.int(0, 13)) {
    case 0:
      return `import { ${a}, ${b} } from './${c}/${a}.js';`;
    case 1:
      return `${pad}export function ${a}${b[0]?.toUpperCase()}${b.slice(1)}(${c}: ${rng.pick(TYPES)}): ${rng.pick(TYPES)} {`;
    case 2:
      return `${pad}const ${a} = await ${b}.${c}(${rng.int(0, 4096)}, "${rng.pick(WORDS)}");`;
    case 3:
      return `${pad}if (${a} === null || ${a}.length > ${rng.int(1, 999)}) throw new Error("${sentence(rng)}");`;
    case 4:
      return `${pad}// ${sentence(rng)}`;
    case 5:
      return `${pad}return { ${a}, ${b}: ${c} * ${rng.int(2, 64)} };`;
    case 6:
      return `${pad}}`;
    case 7:
      return '';
    case 8:
      return `${pad}const re = /^\\d+\\.\\w*(${a}|${b})$/u; // matches '${c}'`;
    case 9:
      return `${pad}${a}.set('${b}', ${a}.get('${c}') ?? ${rng.int(0, 100)});`;
    case 10:
      return `${pad}logger.info(\`${rng.pick(WORDS)} \${${a}} ${rng.pick(UNICODE_BITS)}\`);`;
    case 11:
      return `${pad}for (const ${a} of ${b}.${c}) {`;
    case 12:
      return `${pad}${a} += ${b}.byteLength; // ${rng.pick(WORDS)} ${rng.pick(WORDS)}`;
    default:
      return `${pad}"${a}": ${rng.int(0, 1e6)}, "${b}": "${rng.pick(WORDS)}-${rng.hex(6)}",`;
  }
}

interface Fillers {
  /** Source lines as in a file body. */
  code: Filler;
  /** The same lines as the Read tool shows them (`     12→…`), index-aligned with `code`. */
  numbered: Filler;
  /** Each code line alone, escaped, for structuredPatch arrays. */
  codeLines: string[];
  prose: Filler;
  base64: string;
}

let fillers: Fillers | null = null;

function getFillers(): Fillers {
  if (fillers) return fillers;
  const rng = new Prng(0xc0de);
  const codeLines: string[] = [];
  const codePieces: string[] = [];
  const numberedPieces: string[] = [];
  let chars = 0;
  let indent = 0;
  for (let i = 0; chars < 4_500_000; i++) {
    const line = codeLine(rng, indent);
    indent = line.endsWith('{') ? Math.min(12, indent + 2) : line.trim() === '}' ? Math.max(0, indent - 2) : indent;
    const escaped = escapeJson(line);
    codeLines.push(escaped);
    codePieces.push(escaped + '\\n');
    numberedPieces.push(String(i + 1).padStart(6, ' ') + '→' + escaped + '\\n');
    chars += escaped.length + 2;
  }
  const prosePieces: string[] = [];
  chars = 0;
  while (chars < 1_200_000) {
    let piece = sentence(rng);
    const r = rng.next();
    if (r < 0.1) piece += '\n\n';
    else if (r < 0.14) piece = '\n- ' + piece;
    else if (r < 0.16) piece = '\n\n## ' + rng.pick(WORDS) + ' ' + rng.pick(WORDS) + '\n\n' + piece;
    else piece += ' ';
    const escaped = escapeJson(piece);
    prosePieces.push(escaped);
    chars += escaped.length;
  }
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let base64 = '';
  const parts: string[] = [];
  for (let i = 0; i < 65536; i++) parts.push(b64[rng.uint32() & 63] as string);
  base64 = parts.join('');
  fillers = {
    code: new Filler(codePieces),
    numbered: new Filler(numberedPieces),
    codeLines,
    prose: new Filler(prosePieces),
    base64,
  };
  return fillers;
}

// ---------------------------------------------------------------------------
// Output files: strings are buffered and written in ~1 MB chunks.

const FLUSH_CHARS = 1 << 20;

class FileWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private pendingChars = 0;
  closed = false;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.parts.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  writeBytes(bytes: Buffer): void {
    this.flush();
    writeSync(this.fd, bytes);
  }

  flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pendingChars = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}

// ---------------------------------------------------------------------------
// Corpus model.

type Layout = 'inline' | 'sibling' | 'nested';

/** Claude Code versions by subagent layout (facts doc §1). */
const VERSIONS: Record<Layout, readonly string[]> = {
  inline: ['1.0.88', '1.0.113', '2.0.14'],
  sibling: ['2.0.37', '2.0.55', '2.0.76'],
  nested: ['2.1.19', '2.1.42', '2.1.80'],
};

const PROJECT_PATHS = [
  '/home/dev/code/breather',
  '/home/dev/code/web-dashboard',
  '/home/dev/code/api_server',
  '/home/dev/code/ml_pipeline',
  '/home/dev/code/infra.terraform',
  // Encodes to the same folder as ml_pipeline: the reason to read `cwd` from records.
  '/home/dev/code/ml-pipeline',
  '/home/dev/code/monorepo/packages/very-long-package-name-for-the-billing-and-invoicing-domain/services/reconciliation-worker/src/adapters/outbound/payment-providers/stripe-connect-webhooks-and-retries',
  '/home/dev/code/mobile app',
  '/home/dev/notes',
  '/home/dev/code/data-etl',
  '/home/dev/code/cli-tools',
  '/home/dev/code/docs-site',
];

interface Project {
  cwd: string;
  dir: string;
  weight: number;
  files: string[];
  gitBranches: string[];
}

/** Claude Code's folder naming: every non-alphanumeric becomes '-'; long names get a hash suffix. */
export function encodeProjectDir(cwd: string): string {
  const encoded = cwd.replace(/[^a-zA-Z0-9]/g, '-');
  if (encoded.length <= 200) return encoded;
  let hash = 5381;
  for (let i = 0; i < cwd.length; i++) hash = (Math.imul(hash, 33) ^ cwd.charCodeAt(i)) >>> 0;
  return encoded.slice(0, 200) + '-' + hash.toString(36);
}

interface Usage {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  oneHour: boolean;
}

/** One parent-linked conversation: a session's main thread or a subagent's. */
interface Chain {
  writer: FileWriter;
  /** Envelope fields after parentUuid, e.g. `"isSidechain":false,…,"gitBranch":"main"`. */
  head: string;
  lastUuid: string | null;
  t: number;
  model: string;
  context: number;
  baseContext: number;
  pendingTokens: number;
  lastResponseAt: number;
  oneHourCache: boolean;
  cacheObject: boolean;
  /** Lines kept for a possible resume copy (main chains only). */
  history: HistoryLine[] | null;
  historyChars: number;
}

interface HistoryLine {
  line: string;
  kind: LineKind;
  bytes: number;
}

interface Session {
  id: string;
  project: Project;
  layout: Layout;
  version: string;
  gitBranch: string;
  cwd: string;
  chain: Chain;
  stepsLeft: number;
  cyclesLeft: number;
  needsPrompt: boolean;
  /** Edited files → their rendered trackedFileBackups entry. */
  tracked: Map<string, { version: number; entry: string }>;
}

interface ToolCall {
  name: string;
  id: string;
  inputJson: string;
  /** The user record's tool_result content as JSON. */
  resultJson: string;
  toolUseResultJson: string;
  resultTokens: number;
  runMs: number;
  editedFile: string | null;
}

const TOOL_WEIGHTS: readonly (readonly [string, number])[] = [
  ['Read', 30],
  ['Bash', 22],
  ['Edit', 18],
  ['Grep', 7],
  ['Glob', 5],
  ['Write', 5],
  ['TodoWrite', 6],
  ['Task', 4],
];

const SUBAGENT_TOOL_WEIGHTS: readonly (readonly [string, number])[] = [
  ['Read', 45],
  ['Grep', 20],
  ['Glob', 15],
  ['Bash', 20],
];

const SUBAGENT_TYPES = ['general-purpose', 'Explore', 'Plan', 'code-reviewer'];

const EMPTY_KINDS = (): Record<LineKind, number> => ({
  assistant: 0,
  synthetic: 0,
  userPrompt: 0,
  toolResult: 0,
  snapshot: 0,
  summary: 0,
  queueOperation: 0,
  system: 0,
  compactSummary: 0,
  progress: 0,
  otherMetadata: 0,
  bad: 0,
});

const HOUR = 3_600_000;
const MINUTE = 60_000;

function q(value: string): string {
  return JSON.stringify(value);
}

function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

function parentField(uuid: string | null): string {
  return uuid === null ? 'null' : '"' + uuid + '"';
}

function versionAtLeast(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** Reset times in the styles of limit messages: "3pm", "3:45pm". */
function clockText(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const m = d.getUTCMinutes();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}${m ? ':' + String(m).padStart(2, '0') : ''}${h < 12 ? 'am' : 'pm'}`;
}

/** The text a limit hit writes, per version (facts doc §4). Reset times are in UTC. */
function limitHitText(version: string, at: number, rng: Prng): string {
  const reset = Math.ceil((at + rng.range(0.3, 4.5) * HOUR) / HOUR) * HOUR;
  if (!versionAtLeast(version, '1.0.88')) return `Claude AI usage limit reached|${reset / 1000}`;
  if (!versionAtLeast(version, '2.0.20')) return `5-hour limit reached ∙ resets ${clockText(reset)}`;
  if (!versionAtLeast(version, '2.0.53')) return `Session limit reached ∙ resets ${clockText(reset)}`;
  if (!versionAtLeast(version, '2.0.76'))
    return `5-hour limit reached · resets ${clockText(reset)} (UTC) · /upgrade to Max or turn on /extra-usage`;
  if (rng.chance(0.15)) return `You've hit your weekly limit · resets Mon 12:00am (UTC)`;
  return `You've hit your session limit · resets ${clockText(reset)} (UTC)`;
}

interface Burst {
  start: number;
  end: number;
  activeBefore: number;
}

/** Work bursts with gaps; day 0 always has a > 5 h burst and a > 5 h gap so blocks split both ways. */
function buildBursts(rng: Prng, start: number, days: number): Burst[] {
  const bursts: Burst[] = [];
  let cursor = start;
  const add = (s: number, e: number): void => {
    bursts.push({ start: s, end: e, activeBefore: 0 });
    cursor = e;
  };
  add(start + 8 * HOUR, start + 14.5 * HOUR);
  add(cursor + 5.5 * HOUR, cursor + 5.5 * HOUR + 1.5 * HOUR);
  for (let d = 1; d < days; d++) {
    const dayStart = start + d * 24 * HOUR;
    if (rng.chance(0.15)) continue;
    let s = Math.max(dayStart + rng.range(6.5, 11) * HOUR, cursor + 0.5 * HOUR);
    const count = rng.weighted([
      [1, 3],
      [2, 5],
      [3, 2],
    ] as const);
    for (let i = 0; i < count; i++) {
      const length = rng.chance(0.25) ? rng.range(5.2, 9) * HOUR : rng.range(0.4, 4) * HOUR;
      add(s, s + length);
      s = cursor + (rng.chance(0.25) ? rng.range(5.2, 7) : rng.range(0.25, 3)) * HOUR;
    }
  }
  let active = 0;
  for (const b of bursts) {
    b.activeBefore = active;
    active += b.end - b.start;
  }
  return bursts;
}

class CorpusWriter {
  private readonly rng: Prng;
  private readonly f = getFillers();
  private readonly projects: Project[];
  private readonly bursts: Burst[];
  private readonly totalActive: number;
  private readonly timeScale: number;
  private readonly active: Session[] = [];
  private readonly ended: Session[] = [];
  private readonly writers: FileWriter[] = [];
  private desiredParallel = 1;
  private injectedBadLines = false;

  bytes = 0;
  lines = 0;
  responses = 0;
  sessions = 0;
  resumedSessions = 0;
  metaFiles = 0;
  syntheticRecords = 0;
  firstTs = Infinity;
  lastTs = -Infinity;
  readonly tokens: TokenTotals = { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 };
  readonly bytesByKind = EMPTY_KINDS();
  readonly linesByKind = EMPTY_KINDS();
  readonly subagents = { inline: 0, sibling: 0, nested: 0 };
  readonly badLines: Record<BadLineKind, number> | null;

  constructor(private readonly options: Required<Omit<CorpusOptions, 'badLines'>> & { badLines: boolean }) {
    this.rng = new Prng(options.seed);
    this.badLines = options.badLines
      ? {
          garbage: 0,
          invalidUtf8: 0,
          truncatedJson: 0,
          nonObjectJson: 0,
          missingUsage: 0,
          emptyLine: 0,
          hugeLine: 0,
          unfinishedLastLine: 0,
        }
      : null;
    this.projects = this.buildProjects(Math.max(1, options.projects));
    this.bursts = buildBursts(this.rng, options.startTime.getTime(), Math.max(1, options.days));
    const last = this.bursts[this.bursts.length - 1] as Burst;
    this.totalActive = last.activeBefore + (last.end - last.start);
    // Intra-step delays shrink when a big corpus packs many steps into the same hours.
    const expectedSteps = Math.max(1, options.targetBytes / 9000);
    this.timeScale = Math.min(1, Math.max(0.02, this.totalActive / expectedSteps / 25_000));
  }

  private buildProjects(count: number): Project[] {
    const projects: Project[] = [];
    for (let i = 0; i < count; i++) {
      const base = PROJECT_PATHS[i % PROJECT_PATHS.length] as string;
      const cwd = i < PROJECT_PATHS.length ? base : `${base}-${Math.floor(i / PROJECT_PATHS.length) + 1}`;
      const files: string[] = [];
      const fileCount = this.rng.int(30, 250);
      for (let k = 0; k < fileCount; k++) {
        const dir = this.rng.pick(['src', 'src/core', 'src/cli', 'test', 'lib', 'src/ui/components', 'scripts']);
        const ext = this.rng.pick(['.ts', '.ts', '.tsx', '.md', '.json', '.py', '.css']);
        files.push(`${cwd}/${dir}/${this.rng.pick(IDENTS)}-${this.rng.pick(IDENTS)}${ext}`);
      }
      projects.push({
        cwd,
        dir: encodeProjectDir(cwd),
        weight: 1 / (i + 1),
        files,
        gitBranches: i === 8 ? [''] : ['main', 'main', `feature/${this.rng.pick(IDENTS)}-${this.rng.pick(IDENTS)}`],
      });
    }
    return projects;
  }

  // ----- timeline ---------------------------------------------------------

  private timeAt(progress: number): number {
    const target = Math.min(1, Math.max(0, progress)) * this.totalActive;
    let lo = 0;
    let hi = this.bursts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.bursts[mid] as Burst).activeBefore <= target) lo = mid;
      else hi = mid - 1;
    }
    const b = this.bursts[lo] as Burst;
    return Math.min(b.end, b.start + (target - b.activeBefore));
  }

  /** Advances a chain's clock by a delay drawn in [minMs, maxMs], scaled for density. */
  private tick(chain: Chain, minMs: number, maxMs: number): string {
    chain.t += Math.max(1, this.rng.range(minMs, maxMs) * this.timeScale);
    if (chain.t < this.firstTs) this.firstTs = chain.t;
    if (chain.t > this.lastTs) this.lastTs = chain.t;
    return iso(chain.t);
  }

  // ----- emitting ---------------------------------------------------------

  private emit(chain: Chain, line: string, kind: LineKind): void {
    const bytes = Buffer.byteLength(line) + 1;
    chain.writer.write(line + '\n');
    this.count(bytes, kind);
    if (chain.history) {
      chain.history.push({ line, kind, bytes });
      chain.historyChars += line.length;
      const cap = Math.min(4_000_000, this.options.targetBytes / 40);
      while (chain.historyChars > cap && chain.history.length > 1) {
        chain.historyChars -= (chain.history.shift() as HistoryLine).line.length;
      }
    }
  }

  private emitBytes(writer: FileWriter, bytes: Buffer, kind: LineKind): void {
    writer.writeBytes(bytes);
    this.count(bytes.length, kind);
  }

  private count(bytes: number, kind: LineKind): void {
    this.bytes += bytes;
    this.lines += 1;
    this.bytesByKind[kind] += bytes;
    this.linesByKind[kind] += 1;
  }

  private openWriter(path: string): FileWriter {
    const writer = new FileWriter(path);
    this.writers.push(writer);
    return writer;
  }

  // ----- sessions -----------------------------------------------------------

  private head(fields: {
    isSidechain: boolean;
    cwd: string;
    sessionId: string;
    version: string;
    gitBranch: string;
    agentId?: string;
  }): string {
    let h =
      `"isSidechain":${fields.isSidechain},"userType":"external","cwd":${q(fields.cwd)},` +
      `"sessionId":"${fields.sessionId}","version":"${fields.version}","gitBranch":${q(fields.gitBranch)}`;
    if (fields.agentId !== undefined) h += `,"agentId":"${fields.agentId}"`;
    return h;
  }

  private missing(feature: 'inline' | 'sibling' | 'nested' | 'resume' | 'synthetic'): boolean {
    if (this.bytes < this.options.targetBytes * 0.15) return false;
    switch (feature) {
      case 'resume':
        return this.resumedSessions === 0;
      case 'synthetic':
        return this.syntheticRecords === 0;
      default:
        return this.subagents[feature] === 0;
    }
  }

  private pickModel(): string {
    return this.rng.weighted([
      ['claude-sonnet-4-5-20250929', 45],
      ['claude-opus-4-5-20251101', 25],
      ['claude-opus-4-1-20250805', 15],
      ['claude-haiku-4-5-20251001', 15],
    ] as const);
  }

  private startSession(at: number): Session {
    const resumable = this.ended.filter((s) => s.chain.history && s.chain.history.length > 0);
    const resume =
      resumable.length > 0 && (this.missing('resume') || this.rng.chance(0.1)) ? this.rng.pick(resumable) : null;
    const project = resume ? resume.project : this.rng.weighted(this.projects.map((p) => [p, p.weight] as const));
    let layout: Layout = resume
      ? resume.layout
      : this.rng.weighted([
          ['inline', 25],
          ['sibling', 35],
          ['nested', 40],
        ] as const);
    if (!resume) {
      for (const l of ['inline', 'sibling', 'nested'] as const) if (this.missing(l)) layout = l;
    }
    const version = resume ? resume.version : this.rng.pick(VERSIONS[layout]);
    const id = this.rng.uuid();
    const gitBranch = resume ? resume.gitBranch : this.rng.pick(project.gitBranches);
    const cwd = project.cwd;
    const writer = this.openWriter(join(this.options.root, 'projects', project.dir, `${id}.jsonl`));
    const oneHour = versionAtLeast(version, '2.0.0') && this.rng.chance(0.35);
    const baseContext = this.rng.int(12_000, 24_000);
    const chain: Chain = {
      writer,
      head: this.head({ isSidechain: false, cwd, sessionId: id, version, gitBranch }),
      lastUuid: null,
      t: at,
      model: resume ? resume.chain.model : this.pickModel(),
      context: resume ? resume.chain.context : baseContext,
      baseContext,
      pendingTokens: 0,
      lastResponseAt: -Infinity,
      oneHourCache: oneHour,
      cacheObject: versionAtLeast(version, '2.0.0'),
      history: [],
      historyChars: 0,
    };
    const session: Session = {
      id,
      project,
      layout,
      version,
      gitBranch,
      cwd,
      chain,
      stepsLeft: this.rng.logNormal(40, 1.1, 3, 900),
      cyclesLeft: 0,
      needsPrompt: true,
      tracked: new Map(),
    };
    this.sessions++;

    if (resume) {
      // Resume copies the earlier conversation, ids and all, into the new file.
      this.resumedSessions++;
      const summaries = this.rng.int(1, 3);
      for (let i = 0; i < summaries; i++) this.summaryLine(chain, resume.chain.lastUuid ?? this.rng.uuid());
      for (const h of resume.chain.history ?? []) this.emit(chain, h.line, h.kind);
      chain.lastUuid = resume.chain.lastUuid;
      const index = this.ended.indexOf(resume);
      if (index >= 0) this.ended.splice(index, 1);
    } else if (this.rng.chance(0.05)) {
      this.summaryLine(chain, this.rng.uuid());
    }
    return session;
  }

  private summaryLine(chain: Chain, leafUuid: string): void {
    const text = escapeJson(sentence(this.rng)).slice(0, 80);
    this.emit(chain, `{"type":"summary","summary":"${text}","leafUuid":"${leafUuid}"}`, 'summary');
  }

  private endSession(session: Session): void {
    const index = this.active.indexOf(session);
    if (index >= 0) this.active.splice(index, 1);
    if (versionAtLeast(session.version, '2.1.0')) {
      this.emit(
        session.chain,
        `{"type":"last-prompt","lastPrompt":"${this.f.prose.randomSlice(this.rng, 60)}","sessionId":"${session.id}"}`,
        'otherMetadata',
      );
    }
    session.chain.writer.close();
    this.ended.push(session);
    if (this.ended.length > 6) {
      const dropped = this.ended.shift() as Session;
      dropped.chain.history = null;
    }
    this.desiredParallel = this.rng.weighted([
      [1, 65],
      [2, 27],
      [3, 8],
    ] as const);
  }

  // ----- records --------------------------------------------------------------

  /** A user record; `afterMessage` holds flags like isMeta, `afterTimestamp` holds toolUseResult. */
  private userLine(
    chain: Chain,
    contentJson: string,
    ts: string,
    uuid: string,
    afterMessage = '',
    afterTimestamp = '',
  ): string {
    const line =
      `{"parentUuid":${parentField(chain.lastUuid)},${chain.head},"type":"user",` +
      `"message":{"role":"user","content":${contentJson}}${afterMessage},"uuid":"${uuid}","timestamp":"${ts}"${afterTimestamp}}`;
    chain.lastUuid = uuid;
    return line;
  }

  private humanPrompt(session: Session): void {
    const chain = session.chain;
    const uuid = this.rng.uuid();
    const ts = this.tick(chain, 5_000, 240_000);
    if (versionAtLeast(session.version, '2.0.0')) this.snapshot(session, uuid, ts, false);
    const r = this.rng.next();
    let content: string;
    let extra = '';
    if (r < 0.05) {
      content = q('<command-name>/' + this.rng.pick(['clear', 'model', 'compact', 'review']) + '</command-name>');
      extra = ',"isMeta":true';
    } else if (r < 0.08) {
      content = '[{"type":"text","text":"[Request interrupted by user for tool use]"}]';
    } else if (r < 0.13) {
      // A pasted log or stack trace.
      content = `"${this.f.prose.randomSlice(this.rng, 200)}\\n\\n${this.f.code.randomSlice(this.rng, this.rng.logNormal(6000, 0.8, 800, 60_000))}"`;
    } else {
      content = `"${this.f.prose.randomSlice(this.rng, this.rng.logNormal(260, 0.9, 20, 4000))}"`;
    }
    this.emit(chain, this.userLine(chain, content, ts, uuid, extra), 'userPrompt');
    chain.pendingTokens += Math.round(content.length / 3.8);
    session.cyclesLeft = this.rng.logNormal(4, 0.8, 1, 25);
  }

  /** file-history-snapshot lines repeat every tracked file, so they grow with the session. */
  private snapshot(session: Session, messageId: string, ts: string, update: boolean): void {
    const entries: string[] = [];
    for (const t of session.tracked.values()) entries.push(t.entry);
    const line =
      `{"type":"file-history-snapshot","messageId":"${messageId}","snapshot":{"messageId":"${messageId}",` +
      `"trackedFileBackups":{${entries.join(',')}},"timestamp":"${ts}"},"isSnapshotUpdate":${update}}`;
    this.emit(session.chain, line, 'snapshot');
  }

  private usageJson(chain: Chain, u: Usage, output: number, version: string): string {
    let s = `{"input_tokens":${u.input},"cache_creation_input_tokens":${u.cacheCreation},"cache_read_input_tokens":${u.cacheRead},`;
    if (chain.cacheObject) {
      const oneHour = u.oneHour ? u.cacheCreation : 0;
      s += `"cache_creation":{"ephemeral_5m_input_tokens":${u.cacheCreation - oneHour},"ephemeral_1h_input_tokens":${oneHour}},`;
    }
    s += `"output_tokens":${output},"service_tier":"standard"`;
    if (versionAtLeast(version, '2.1.0')) s += `,"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0}`;
    return s + '}';
  }

  /** Usage follows a simple prompt-cache model: context grows, an idle gap past the TTL re-writes it. */
  private nextUsage(chain: Chain, output: number): Usage {
    const ttl = chain.oneHourCache ? HOUR : 5 * MINUTE;
    const warm = chain.t - chain.lastResponseAt < ttl;
    const fresh = Math.max(1, chain.pendingTokens);
    let cacheRead: number;
    let cacheCreation: number;
    if (warm) {
      cacheRead = chain.context;
      cacheCreation = fresh;
    } else {
      cacheRead = this.rng.chance(0.6) ? chain.baseContext : 0;
      cacheCreation = Math.max(1, chain.context - cacheRead + fresh);
    }
    const input = this.rng.chance(0.92) ? this.rng.int(1, 12) : this.rng.int(13, 4000);
    chain.context += fresh;
    chain.pendingTokens = output;
    chain.lastResponseAt = chain.t;
    return { input, output, cacheCreation, cacheRead, oneHour: chain.oneHourCache && this.rng.chance(0.9) };
  }

  /**
   * One API response, written as one line per content block sharing message.id
   * and requestId; earlier lines carry a partial output_tokens.
   * Returns the uuid of the line holding each tool_use.
   */
  private assistantResponse(
    chain: Chain,
    version: string,
    blocks: { thinking: boolean; text: boolean; tools: ToolCall[] },
    options: { usage?: boolean; truncateAt?: number } = {},
  ): { toolLineUuids: string[]; usage: Usage } {
    const model = chain.model === 'claude-haiku-4-5-20251001' || !this.rng.chance(0.04) ? chain.model : 'claude-haiku-4-5-20251001';
    const contents: string[] = [];
    let output = 0;
    if (blocks.thinking) {
      const thinking = this.f.prose.randomSlice(this.rng, this.rng.logNormal(1_400, 0.9, 80, 16_000));
      const signatureStart = this.rng.int(0, this.f.base64.length - 4000);
      const signature = this.f.base64.slice(signatureStart, signatureStart + this.rng.int(300, 2400));
      contents.push(`{"type":"thinking","thinking":"${thinking}","signature":"${signature}"}`);
      output += Math.round(thinking.length / 3.5);
    }
    if (blocks.text || contents.length + blocks.tools.length === 0) {
      const text = this.f.prose.randomSlice(this.rng, this.rng.logNormal(blocks.tools.length ? 300 : 1_400, 0.9, 20, 12_000));
      contents.push(`{"type":"text","text":"${text}"}`);
      output += Math.round(text.length / 3.8);
    }
    for (const tool of blocks.tools) {
      contents.push(`{"type":"tool_use","id":"${tool.id}","name":"${tool.name}","input":${tool.inputJson}}`);
      output += 30 + Math.round(tool.inputJson.length / 3.8);
    }
    // Claude Code writes at most a few lines per response; extra tool_use blocks share the last line.
    while (contents.length > 4) {
      const last = contents.pop() as string;
      contents[contents.length - 1] = (contents[contents.length - 1] as string) + ',' + last;
    }
    const messageId = 'msg_01' + this.rng.base62(22);
    const requestId = 'req_011C' + this.rng.base62(20);
    this.tick(chain, 1_500, 18_000);
    // Output is capped like the API's max_tokens, even for a Write of a huge file.
    const usage = this.nextUsage(chain, Math.min(64_000, Math.max(1, output)));
    const toolLineUuids: string[] = [];
    const stopReason = blocks.tools.length ? '"tool_use"' : '"end_turn"';
    let partial = this.rng.int(1, 12);
    for (let i = 0; i < contents.length; i++) {
      const lastLine = i === contents.length - 1;
      const lineOutput = lastLine ? usage.output : Math.min(partial, Math.max(1, usage.output - 1));
      partial += this.rng.int(1, 40);
      const uuid = this.rng.uuid();
      const ts = i === 0 ? iso(chain.t) : this.tick(chain, 200, 5_000);
      const usagePart = options.usage === false ? '' : `,"usage":${this.usageJson(chain, usage, lineOutput, version)}`;
      const content = contents[i] as string;
      let line =
        `{"parentUuid":${parentField(chain.lastUuid)},${chain.head},"message":{"model":"${model}","id":"${messageId}",` +
        `"type":"message","role":"assistant","content":[${content}],"stop_reason":${lastLine ? stopReason : 'null'},` +
        `"stop_sequence":null${usagePart}},"requestId":"${requestId}","type":"assistant","uuid":"${uuid}","timestamp":"${ts}"}`;
      chain.lastUuid = uuid;
      if (content.includes('"type":"tool_use"')) {
        const n = content.split('"type":"tool_use"').length - 1;
        for (let k = 0; k < n; k++) toolLineUuids.push(uuid);
      }
      if (options.truncateAt !== undefined) {
        line = line.slice(0, Math.floor(line.length * options.truncateAt));
        this.emit(chain, line, 'bad');
        return { toolLineUuids, usage };
      }
      this.emit(chain, line, options.usage === false ? 'bad' : 'assistant');
    }
    if (options.usage !== false) {
      this.responses++;
      this.tokens.inputTokens += usage.input;
      this.tokens.outputTokens += usage.output;
      this.tokens.cacheCreationTokens += usage.cacheCreation;
      this.tokens.cacheReadTokens += usage.cacheRead;
    }
    return { toolLineUuids, usage };
  }

  private toolResultLine(chain: Chain, tool: ToolCall, parentUuid: string): void {
    const ts = this.tick(chain, 50 + tool.runMs * 0.2, 400 + tool.runMs);
    const uuid = this.rng.uuid();
    chain.lastUuid = parentUuid;
    const content = `[{"tool_use_id":"${tool.id}","type":"tool_result","content":${tool.resultJson}}]`;
    this.emit(chain, this.userLine(chain, content, ts, uuid, '', `,"toolUseResult":${tool.toolUseResultJson}`), 'toolResult');
    chain.pendingTokens += tool.resultTokens;
  }

  // ----- tools --------------------------------------------------------------------

  private toolId(): string {
    return 'toolu_01' + this.rng.base62(22);
  }

  private readTool(project: Project, sizeOverride?: number): ToolCall {
    const path = this.rng.pick(project.files);
    const chars =
      sizeOverride ??
      (this.rng.chance(0.0007) ? this.rng.int(1_000_000, 3_000_000) : this.rng.logNormal(5_000, 1.0, 200, 400_000));
    const start = this.rng.int(0, this.f.code.pieces - 1);
    const count = this.f.code.countFor(start, chars);
    const raw = this.f.code.slice(start, count);
    const numbered = this.f.numbered.slice(start, count);
    return {
      name: 'Read',
      id: this.toolId(),
      inputJson: `{"file_path":${q(path)}}`,
      resultJson: `"${numbered}"`,
      toolUseResultJson:
        `{"type":"text","file":{"filePath":${q(path)},"content":"${raw}","numLines":${count},` +
        `"startLine":1,"totalLines":${count}}}`,
      resultTokens: Math.round(numbered.length / 3.6),
      runMs: 30,
      editedFile: null,
    };
  }

  private bashTool(): ToolCall {
    const command = this.rng.pick([
      'npx vitest run test/usage',
      'npm run build 2>&1 | tail -40',
      'git status --short && git diff --stat',
      'ls -la src/core',
      'npx tsc -p tsconfig.json --noEmit',
      'cd packages/core && npm test',
      'rg -n "TODO" src | head -50',
    ]);
    const out = this.f.code.randomSlice(this.rng, this.rng.logNormal(1500, 1.1, 0, 60_000));
    return {
      name: 'Bash',
      id: this.toolId(),
      inputJson: `{"command":${q(command)},"description":"${this.f.prose.randomSlice(this.rng, 40)}"}`,
      resultJson: `"${out}"`,
      toolUseResultJson: `{"stdout":"${out}","stderr":"","interrupted":false,"isImage":false}`,
      resultTokens: Math.round(out.length / 3.6),
      runMs: this.rng.logNormal(2000, 1.2, 20, 120_000),
      editedFile: null,
    };
  }

  private editTool(project: Project): ToolCall {
    const path = this.rng.pick(project.files);
    const f = this.f;
    const at = this.rng.int(3, f.codeLines.length - 40);
    const oldCount = this.rng.int(1, 12);
    const newCount = this.rng.int(1, 16);
    const oldString = f.code.slice(at, oldCount);
    const newString = f.code.slice(at + 20, newCount);
    const original = f.code.randomSlice(this.rng, this.rng.logNormal(7_000, 0.9, 500, 300_000));
    const snippet = f.numbered.slice(at, this.rng.int(8, 30));
    const patchLines: string[] = [];
    for (let i = 0; i < 3; i++) patchLines.push(`" ${f.codeLines[at - 3 + i] ?? ''}"`);
    for (let i = 0; i < oldCount; i++) patchLines.push(`"-${f.codeLines[at + i] ?? ''}"`);
    for (let i = 0; i < newCount; i++) patchLines.push(`"+${f.codeLines[at + 20 + i] ?? ''}"`);
    const startLine = this.rng.int(1, 900);
    return {
      name: 'Edit',
      id: this.toolId(),
      inputJson: `{"file_path":${q(path)},"old_string":"${oldString}","new_string":"${newString}"}`,
      resultJson: q(`The file ${path} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:`).slice(0, -1) + '\\n' + snippet + '"',
      toolUseResultJson:
        `{"filePath":${q(path)},"oldString":"${oldString}","newString":"${newString}","originalFile":"${original}",` +
        `"structuredPatch":[{"oldStart":${startLine},"oldLines":${oldCount + 3},"newStart":${startLine},"newLines":${newCount + 3},` +
        `"lines":[${patchLines.join(',')}]}],"userModified":false,"replaceAll":false}`,
      resultTokens: Math.round(snippet.length / 3.6) + 40,
      runMs: 40,
      editedFile: path,
    };
  }

  private writeTool(project: Project, sizeOverride?: number): ToolCall {
    const path = this.rng.pick(project.files);
    const content = this.f.code.randomSlice(this.rng, sizeOverride ?? this.rng.logNormal(5_000, 0.9, 200, 120_000));
    return {
      name: 'Write',
      id: this.toolId(),
      inputJson: `{"file_path":${q(path)},"content":"${content}"}`,
      resultJson: q(`File created successfully at: ${path}`),
      toolUseResultJson: `{"type":"create","filePath":${q(path)},"content":"${content}","structuredPatch":[]}`,
      resultTokens: 20,
      runMs: 30,
      editedFile: path,
    };
  }

  private searchTool(project: Project, name: 'Grep' | 'Glob'): ToolCall {
    const n = this.rng.int(0, Math.min(120, project.files.length));
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push(q(this.rng.pick(project.files)));
    const listing = names.map((s) => s.slice(1, -1)).join('\\n');
    const pattern = name === 'Grep' ? `${this.rng.pick(IDENTS)}\\\\(` : `**/*${this.rng.pick(IDENTS)}*.ts`;
    return {
      name,
      id: this.toolId(),
      inputJson: name === 'Grep' ? `{"pattern":"${pattern}","output_mode":"files_with_matches"}` : `{"pattern":"${pattern}"}`,
      resultJson: n ? `"Found ${n} files\\n${listing}"` : '"No files found"',
      toolUseResultJson:
        name === 'Grep'
          ? `{"mode":"files_with_matches","filenames":[${names.join(',')}],"numFiles":${n}}`
          : `{"filenames":[${names.join(',')}],"durationMs":${this.rng.int(3, 900)},"numFiles":${n},"truncated":false}`,
      resultTokens: Math.round(listing.length / 3.6) + 10,
      runMs: 200,
      editedFile: null,
    };
  }

  private todoTool(): ToolCall {
    const todos = (): string => {
      const items: string[] = [];
      const n = this.rng.int(2, 9);
      for (let i = 0; i < n; i++) {
        const text = this.f.prose.randomSlice(this.rng, 50);
        const status = this.rng.pick(['pending', 'in_progress', 'completed']);
        items.push(`{"content":"${text}","status":"${status}","activeForm":"${text}"}`);
      }
      return '[' + items.join(',') + ']';
    };
    const newTodos = todos();
    return {
      name: 'TodoWrite',
      id: this.toolId(),
      inputJson: `{"todos":${newTodos}}`,
      resultJson:
        '"Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable"',
      toolUseResultJson: `{"oldTodos":${todos()},"newTodos":${newTodos}}`,
      resultTokens: 40,
      runMs: 5,
      editedFile: null,
    };
  }

  private pickTool(session: Session | null, project: Project, subagent: boolean): ToolCall {
    let name = this.rng.weighted(subagent ? SUBAGENT_TOOL_WEIGHTS : TOOL_WEIGHTS);
    if (session && this.missing(session.layout)) name = 'Task';
    switch (name) {
      case 'Read':
        return this.readTool(project);
      case 'Bash':
        return this.bashTool();
      case 'Edit':
        return this.editTool(project);
      case 'Write':
        return this.writeTool(project);
      case 'Grep':
        return this.searchTool(project, 'Grep');
      case 'Glob':
        return this.searchTool(project, 'Glob');
      case 'TodoWrite':
        return this.todoTool();
      default: {
        const description = this.f.prose.randomSlice(this.rng, 30);
        const prompt = this.f.prose.randomSlice(this.rng, this.rng.logNormal(900, 0.7, 100, 8000));
        const type = this.rng.pick(SUBAGENT_TYPES);
        return {
          name: 'Task',
          id: this.toolId(),
          inputJson: `{"description":"${description}","prompt":"${prompt}","subagent_type":"${type}"}`,
          // Filled in by runSubagent.
          resultJson: '',
          toolUseResultJson: '',
          resultTokens: 0,
          runMs: 100,
          editedFile: null,
        };
      }
    }
  }

  /** A Task call: the subagent transcript in the session's layout, then the parent's result with its own `usage`. */
  private runSubagent(session: Session, task: ToolCall): void {
    const agentId = session.layout === 'nested' ? 'a' + this.rng.hex(16) : this.rng.hex(8);
    let writer = session.chain.writer;
    if (session.layout === 'sibling') {
      writer = this.openWriter(join(this.options.root, 'projects', session.project.dir, `agent-${agentId}.jsonl`));
    } else if (session.layout === 'nested') {
      const dir = join(this.options.root, 'projects', session.project.dir, session.id, 'subagents');
      writer = this.openWriter(join(dir, `agent-${agentId}.jsonl`));
      // Shape of .meta.json is a guess; readers should not depend on it.
      const type = /"subagent_type":"([^"]*)"/.exec(task.inputJson)?.[1] ?? 'general-purpose';
      writeFileSync(join(dir, `agent-${agentId}.meta.json`), JSON.stringify({ agentType: type }) + '\n');
      this.metaFiles++;
    }
    this.subagents[session.layout]++;
    const baseContext = this.rng.int(6_000, 14_000);
    const chain: Chain = {
      writer,
      head: this.head({
        isSidechain: true,
        cwd: session.cwd,
        sessionId: session.id,
        version: session.version,
        gitBranch: session.gitBranch,
        ...(session.layout === 'inline' ? {} : { agentId }),
      }),
      lastUuid: null,
      t: session.chain.t,
      model: this.rng.chance(0.5) ? 'claude-haiku-4-5-20251001' : session.chain.model,
      context: baseContext,
      baseContext,
      pendingTokens: 0,
      lastResponseAt: -Infinity,
      oneHourCache: false,
      cacheObject: session.chain.cacheObject,
      history: null,
      historyChars: 0,
    };
    const prompt = /"prompt":("[^"\\]*(?:\\.[^"\\]*)*")/.exec(task.inputJson)?.[1] ?? '"Investigate."';
    const startedAt = chain.t;
    const ts = this.tick(chain, 100, 800);
    this.emit(chain, this.userLine(chain, prompt, ts, this.rng.uuid(), ''), 'userPrompt');
    chain.pendingTokens += Math.round(prompt.length / 3.8);
    const steps = this.rng.int(1, 8);
    let last: Usage | null = null;
    let toolUses = 0;
    let totalTokens = 0;
    for (let i = 0; i < steps; i++) {
      const tools = [this.pickTool(null, session.project, true)];
      const { toolLineUuids, usage } = this.assistantResponse(chain, session.version, {
        thinking: false,
        text: this.rng.chance(0.5),
        tools,
      });
      last = usage;
      totalTokens += usage.output;
      tools.forEach((tool, k) => this.toolResultLine(chain, tool, toolLineUuids[k] as string));
      toolUses += tools.length;
    }
    const final = this.assistantResponse(chain, session.version, { thinking: false, text: true, tools: [] });
    last = final.usage;
    const u = last;
    totalTokens += u.input + u.output + u.cacheCreation + u.cacheRead;
    session.chain.t = chain.t;

    const report = this.f.prose.randomSlice(this.rng, this.rng.logNormal(2500, 0.8, 200, 20_000));
    task.resultJson = `[{"type":"text","text":"${report}"}]`;
    // This usage duplicates the subagent's own records: it must never be counted.
    const usageJson =
      `{"input_tokens":${u.input},"cache_creation_input_tokens":${u.cacheCreation},"cache_read_input_tokens":${u.cacheRead},` +
      `"cache_creation":{"ephemeral_5m_input_tokens":${u.cacheCreation},"ephemeral_1h_input_tokens":0},` +
      `"output_tokens":${u.output},"service_tier":"standard"}`;
    task.toolUseResultJson =
      `{"status":"completed","prompt":${prompt},"agentId":"${agentId}","content":[{"type":"text","text":"${report}"}],` +
      `"totalDurationMs":${Math.round(chain.t - startedAt)},"totalTokens":${totalTokens},"totalToolUseCount":${toolUses},"usage":${usageJson}}`;
    task.resultTokens = Math.round(report.length / 3.6);
    if (writer !== session.chain.writer) writer.close();
  }

  private syntheticLimitHit(session: Session): void {
    const chain = session.chain;
    const ts = this.tick(chain, 500, 3_000);
    const text = escapeJson(limitHitText(session.version, chain.t, this.rng));
    const uuid = this.rng.uuid();
    let tail = ',"isApiErrorMessage":true';
    if (versionAtLeast(session.version, '2.0.76')) tail += ',"error":"rate_limit"';
    if (versionAtLeast(session.version, '2.1.42')) tail += ',"apiErrorStatus":429';
    const line =
      `{"parentUuid":${parentField(chain.lastUuid)},${chain.head},"message":{"id":"${this.rng.uuid()}","container":null,` +
      `"model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","stop_sequence":"","type":"message",` +
      `"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,` +
      `"server_tool_use":{"web_search_requests":0},"service_tier":null,"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0}},` +
      `"content":[{"type":"text","text":"${text}"}]},"type":"assistant","uuid":"${uuid}","timestamp":"${ts}"${tail}}`;
    chain.lastUuid = uuid;
    this.emit(chain, line, 'synthetic');
    this.syntheticRecords++;
  }

  private compact(session: Session): void {
    const chain = session.chain;
    const ts = this.tick(chain, 1_000, 5_000);
    const uuid = this.rng.uuid();
    this.emit(
      chain,
      `{"parentUuid":null,"logicalParentUuid":${parentField(chain.lastUuid)},${chain.head},"type":"system",` +
        `"subtype":"compact_boundary","content":"Conversation compacted","isMeta":false,"timestamp":"${ts}","uuid":"${uuid}",` +
        `"level":"info","compactMetadata":{"trigger":"auto","preTokens":${chain.context}}}`,
      'system',
    );
    chain.lastUuid = uuid;
    const summary = this.f.prose.randomSlice(this.rng, this.rng.logNormal(9_000, 0.5, 2_000, 40_000));
    const ts2 = this.tick(chain, 20_000, 90_000);
    this.emit(
      chain,
      this.userLine(
        chain,
        `"This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\\n${summary}"`,
        ts2,
        this.rng.uuid(),
        ',"isCompactSummary":true',
      ),
      'compactSummary',
    );
    chain.context = chain.baseContext + Math.round(summary.length / 3.8);
    chain.lastResponseAt = -Infinity;
  }

  /** One assistant response and its tool results (preceded by a human prompt when a turn starts). */
  private step(session: Session): void {
    const chain = session.chain;
    if (session.needsPrompt) {
      this.humanPrompt(session);
      session.needsPrompt = false;
    }
    if (this.rng.chance(0.02)) {
      const ts = iso(chain.t);
      this.emit(
        chain,
        `{"type":"queue-operation","operation":"enqueue","timestamp":"${ts}","sessionId":"${session.id}","content":"${this.f.prose.randomSlice(this.rng, 80)}"}`,
        'queueOperation',
      );
      this.emit(
        chain,
        `{"type":"queue-operation","operation":"dequeue","timestamp":"${this.tick(chain, 1_000, 30_000)}","sessionId":"${session.id}"}`,
        'queueOperation',
      );
    }
    const final = session.cyclesLeft <= 0;
    const tools: ToolCall[] = [];
    if (!final) {
      const n = this.rng.weighted([
        [1, 80],
        [2, 14],
        [3, 6],
      ] as const);
      for (let i = 0; i < n; i++) tools.push(this.pickTool(session, session.project, false));
    }
    const thinks = chain.model !== 'claude-haiku-4-5-20251001' && this.rng.chance(0.45);
    const { toolLineUuids } = this.assistantResponse(chain, session.version, {
      thinking: thinks,
      text: final || this.rng.chance(thinks ? 0.35 : 0.75),
      tools,
    });
    tools.forEach((tool, k) => {
      if (tool.name === 'Task') this.runSubagent(session, tool);
      if (tool.name === 'Bash' && versionAtLeast(session.version, '2.1.0') && this.rng.chance(0.5)) {
        const ts = this.tick(chain, 500, 3_000);
        this.emit(
          chain,
          `{"parentUuid":"${toolLineUuids[k]}",${chain.head},"type":"progress","data":{"type":"bash_progress","output":"${this.f.code.randomSlice(this.rng, 300)}","elapsedTimeSeconds":${this.rng.int(1, 30)}},` +
            `"toolUseID":"${tool.id}","parentToolUseID":"${tool.id}","uuid":"${this.rng.uuid()}","timestamp":"${ts}"}`,
          'progress',
        );
      }
      this.toolResultLine(chain, tool, toolLineUuids[k] as string);
      if (tool.editedFile) {
        const path = tool.editedFile;
        const version = (session.tracked.get(path)?.version ?? 0) + 1;
        const backupTime = iso(chain.t);
        // A file created by Write has no backup of its first version.
        const backup = version === 1 && tool.name === 'Write' ? 'null' : `"${this.rng.hex(16)}@v${version}"`;
        const entry = `${q(path)}:{"backupFileName":${backup},"version":${version},"backupTime":"${backupTime}"}`;
        session.tracked.set(path, { version, entry });
        if (versionAtLeast(session.version, '2.0.0')) this.snapshot(session, chain.lastUuid ?? '', backupTime, true);
      }
    });
    if (tools.some((t) => t.name === 'Bash') && this.rng.chance(0.03) && session.cwd === session.project.cwd) {
      // `cd` into a subfolder: later records carry the new cwd.
      session.cwd = session.project.cwd + '/packages/' + this.rng.pick(IDENTS);
      chain.head = this.head({
        isSidechain: false,
        cwd: session.cwd,
        sessionId: session.id,
        version: session.version,
        gitBranch: session.gitBranch,
      });
    }
    session.cyclesLeft--;
    session.stepsLeft--;
    if (final) session.needsPrompt = true;
    if (chain.context > 160_000) this.compact(session);
  }

  // ----- bad lines ----------------------------------------------------------------

  private injectBadLines(session: Session): void {
    const counts = this.badLines;
    if (!counts) return;
    const chain = session.chain;
    // Kept out of the resume history so a copy never duplicates them and the counts stay exact.
    const history = chain.history;
    chain.history = null;
    const writer = chain.writer;
    const garbage = Buffer.alloc(300);
    for (let i = 0; i < garbage.length; i++) {
      let b = this.rng.int(0, 255);
      if (b === 0x0a) b = 0x00;
      garbage[i] = b;
    }
    this.emitBytes(writer, Buffer.concat([garbage, Buffer.from('\n')]), 'bad');
    counts.garbage++;
    this.emitBytes(writer, Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x7b, 0x22, 0xa0, 0xa1, 0x0a]), 'bad');
    counts.invalidUtf8++;
    // A user record with invalid UTF-8 inside a string: lenient decoders can still read it.
    const before = `{"parentUuid":${parentField(chain.lastUuid)},${chain.head},"type":"user","message":{"role":"user","content":"bad bytes: `;
    const after = `"},"uuid":"${this.rng.uuid()}","timestamp":"${this.tick(chain, 1_000, 2_000)}"}\n`;
    this.emitBytes(writer, Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(after)]), 'bad');
    counts.invalidUtf8++;
    for (const literal of ['42', '[]', '"x"', 'null']) {
      this.emit(chain, literal, 'bad');
      counts.nonObjectJson++;
    }
    this.emit(chain, '', 'bad');
    this.emit(chain, '   ', 'bad');
    counts.emptyLine += 2;
    // Truncated: a response whose only copy is cut mid-line, so it must not count.
    this.assistantResponse(chain, session.version, { thinking: false, text: true, tools: [] }, { truncateAt: 0.55 });
    counts.truncatedJson++;
    this.assistantResponse(chain, session.version, { thinking: false, text: true, tools: [] }, { usage: false });
    counts.missingUsage++;
    // A Write of a big file: a ~5 MB line that is valid and counts.
    const huge = this.writeTool(session.project, 5_000_000);
    const { toolLineUuids } = this.assistantResponse(chain, session.version, { thinking: false, text: false, tools: [huge] });
    this.toolResultLine(chain, huge, toolLineUuids[0] as string);
    counts.hugeLine++;
    chain.history = history;
  }

  // ----- driver ---------------------------------------------------------------------

  run(): void {
    const target = this.options.targetBytes;
    while (this.bytes < target) {
      const floor = this.timeAt(this.bytes / target);
      if (this.active.length < this.desiredParallel) this.active.push(this.startSession(floor));
      const session = this.rng.chance(0.6) ? (this.active[0] as Session) : this.rng.pick(this.active);
      const idle = floor - session.chain.t;
      if (idle > HOUR) {
        // The burst ended: a limit hit sometimes explains why, then the session ends or idles.
        if (this.missing('synthetic') || this.rng.chance(0.12)) this.syntheticLimitHit(session);
        if (this.rng.chance(0.75) || session.stepsLeft <= 0) {
          this.endSession(session);
          continue;
        }
        session.needsPrompt = true;
      }
      if (session.stepsLeft <= 0 && session.needsPrompt) {
        this.endSession(session);
        continue;
      }
      if (floor > session.chain.t) session.chain.t = floor;
      if (this.badLines && !this.injectedBadLines && this.bytes >= target * 0.5) {
        this.injectedBadLines = true;
        this.injectBadLines(session);
      }
      this.step(session);
    }
    if (this.badLines && !this.injectedBadLines && this.active[0]) {
      this.injectedBadLines = true;
      this.injectBadLines(this.active[0]);
    }
    if (this.syntheticRecords === 0 && this.active[0]) this.syntheticLimitHit(this.active[0]);
    const lastSession = this.active[this.active.length - 1];
    if (this.badLines && lastSession) {
      // A line still being written: not bad, just unfinished.
      const partial = `{"parentUuid":${parentField(lastSession.chain.lastUuid)},${lastSession.chain.head},"message":{"model":"${lastSession.chain.model}","id":"msg_01${this.rng.base62(22)}","type":"mess`;
      lastSession.chain.writer.write(partial);
      this.bytes += Buffer.byteLength(partial);
      this.lines += 1;
      this.bytesByKind.bad += Buffer.byteLength(partial);
      this.linesByKind.bad += 1;
      this.badLines.unfinishedLastLine++;
    }
    for (const s of [...this.active]) {
      s.chain.writer.close();
      this.active.splice(this.active.indexOf(s), 1);
    }
    for (const w of this.writers) w.close();
  }

  get files(): number {
    return this.writers.length;
  }
}

export async function generateCorpus(options: CorpusOptions): Promise<CorpusSummary> {
  const writer = new CorpusWriter({
    root: options.root,
    targetBytes: options.targetBytes,
    seed: options.seed ?? 1,
    projects: options.projects ?? 6,
    startTime: options.startTime ?? DEFAULT_CORPUS_START,
    days: options.days ?? 30,
    badLines: options.badLines ?? false,
  });
  mkdirSync(join(options.root, 'projects'), { recursive: true });
  writer.run();
  return {
    files: writer.files,
    bytes: writer.bytes,
    responses: writer.responses,
    lines: writer.lines,
    tokens: writer.tokens,
    bytesByKind: writer.bytesByKind,
    linesByKind: writer.linesByKind,
    sessions: writer.sessions,
    resumedSessions: writer.resumedSessions,
    subagents: writer.subagents,
    metaFiles: writer.metaFiles,
    syntheticRecords: writer.syntheticRecords,
    badLines: writer.badLines,
    firstTimestamp: iso(writer.firstTs),
    lastTimestamp: iso(writer.lastTs),
  };
}

export interface AssistantLineOptions {
  sessionId: string;
  cwd: string;
  timestamp: Date;
  model?: string;
  messageId: string;
  requestId: string;
  uuid: string;
  parentUuid?: string | null;
  version?: string;
  gitBranch?: string;
  usage: { input: number; output: number; cacheCreation: number; cacheRead: number };
  text?: string;
}

/** One complete assistant response line in Claude Code's field order (for append/watch tests). */
export function assistantLine(o: AssistantLineOptions): string {
  const u = o.usage;
  return (
    `{"parentUuid":${parentField(o.parentUuid ?? null)},"isSidechain":false,"userType":"external","cwd":${q(o.cwd)},` +
    `"sessionId":${q(o.sessionId)},"version":${q(o.version ?? '2.1.42')},"gitBranch":${q(o.gitBranch ?? 'main')},` +
    `"message":{"model":${q(o.model ?? 'claude-sonnet-4-5-20250929')},"id":${q(o.messageId)},"type":"message","role":"assistant",` +
    `"content":[{"type":"text","text":${q(o.text ?? 'Done.')}}],"stop_reason":"end_turn","stop_sequence":null,` +
    `"usage":{"input_tokens":${u.input},"cache_creation_input_tokens":${u.cacheCreation},"cache_read_input_tokens":${u.cacheRead},` +
    `"cache_creation":{"ephemeral_5m_input_tokens":${u.cacheCreation},"ephemeral_1h_input_tokens":0},"output_tokens":${u.output},` +
    `"service_tier":"standard"}},"requestId":${q(o.requestId)},"type":"assistant","uuid":${q(o.uuid)},` +
    `"timestamp":"${o.timestamp.toISOString()}"}`
  );
}

// Where the counted values of an assistant line lie, and what they are: filled
// by the extractor (positions, no strings), read by the scan's writer.

/** The kept text fields, by position in `AssistantFields.start/end/kind`. */
export const FIELD = { timestamp: 0, requestId: 1, sessionId: 2, cwd: 3, id: 4, model: 5 } as const;
export const FIELD_COUNT = 6;

/** What a kept field held: absent, a plain string (at start..end), or another JSON value. */
export const ABSENT = 0;
export const STRING = 1;
export const OTHER = 2;
/** A string holds bytes ≥ 0x80 (decoded as UTF-8, not latin1). */
export const CODING_HIGH = 0x80;
/** A string holds escapes (decoded by JSON.parse). */
export const CODING_ESCAPED = 0x01;
/** message.usage was an object. */
export const OBJECT = 1;

/** Token fields as `readTokenCounts` reads them: 0 when absent, -1 when not a plausible count. */
export const TOKEN = { input: 0, output: 1, cacheCreation: 2, cacheRead: 3, cacheCreation1h: 4 } as const;

/** Reused for every line: where its counted values are, and what they are. */
export class AssistantFields {
  readonly start = new Int32Array(FIELD_COUNT);
  readonly end = new Int32Array(FIELD_COUNT);
  readonly kind = new Uint8Array(FIELD_COUNT);
  /** How a string is decoded: CODING_ESCAPED and CODING_HIGH bits, 0 for plain ASCII. */
  readonly coding = new Uint8Array(FIELD_COUNT);
  /** The record's "type" is the string "assistant". */
  isAssistant = false;
  /** isApiErrorMessage === true. */
  apiError = false;
  /** message.usage: ABSENT, OBJECT, or OTHER (any other value). */
  usage = ABSENT;
  /** Raw token values, or -1 when implausible; absent ones are 0. */
  readonly tokens = new Float64Array(5);
  /** usage.cache_creation is a value that is neither an object nor null. */
  splitInvalid = false;

  reset(): void {
    this.kind.fill(ABSENT);
    this.coding.fill(0);
    this.isAssistant = false;
    this.apiError = false;
    this.resetUsage();
    this.usage = ABSENT;
  }

  /** Takes `from`'s kept text fields and record flags, their positions moved by `shift` (the layout memory). */
  takeEnvelope(from: AssistantFields, shift: number): void {
    for (let i = 0; i < FIELD_COUNT; i++) {
      this.kind[i] = from.kind[i]!;
      this.start[i] = from.start[i]! + shift;
      this.end[i] = from.end[i]! + shift;
      this.coding[i] = from.coding[i]!;
    }
    this.isAssistant = from.isAssistant;
    this.apiError = from.apiError;
  }

  resetUsage(): void {
    this.tokens.fill(0);
    this.splitInvalid = false;
  }
}

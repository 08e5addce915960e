// Cost of one API response from the bundled price table. No network at run
// time: the table ships with the app; the README says how to update it.
import priceTable from './price-table.json' with { type: 'json' };

export interface TokenPrices {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

export interface ModelPrices extends TokenPrices {
  longContext?: TokenPrices;
}

export interface TokenUsage {
  input: number;
  output: number;
  /** All cache writes, 5-minute and 1-hour together (as the API reports them). */
  cacheCreation: number;
  /** The 1-hour share of cacheCreation, billed at the higher tier. */
  cacheCreation1h: number;
  cacheRead: number;
}

const table = priceTable as { version: string; longContextThresholdTokens: number; models: Record<string, ModelPrices> };

export const PRICE_TABLE_VERSION = table.version;

// Known families, longest first so "claude-opus-4-1" wins over "claude-opus-4".
const familyKeys = Object.keys(table.models).sort((a, b) => b.length - a.length);
const resolved = new Map<string, ModelPrices | null>();

/** Normalises provider spellings: "anthropic/…", "us.anthropic.…-v1:0", "…@20250929", "…[1m]". */
export function normaliseModelName(model: string): string {
  let name = model.toLowerCase().trim();
  name = name.replace(/^(?:[a-z]+\.)?anthropic[./]/, '');
  name = name.replace(/\[[^\]]*\]$/, '');
  name = name.replace(/-v\d+(?::\d+)?$/, '');
  name = name.replace(/@\d{8}$/, '');
  return name;
}

export function pricesForModel(model: string): ModelPrices | null {
  let found = resolved.get(model);
  if (found !== undefined) return found;
  const name = normaliseModelName(model);
  const family = familyKeys.find((key) => name === key || name.startsWith(`${key}-`));
  found = family ? (table.models[family] ?? null) : null;
  resolved.set(model, found);
  return found;
}

export function isPricedModel(model: string): boolean {
  return pricesForModel(model) !== null;
}

/**
 * USD for one response, or null when the model has no known price.
 * Long-context rule (Anthropic's): when a request's whole input, cache included,
 * exceeds the threshold, every token of it is billed at the long-context rates.
 */
export function costOfResponse(model: string, usage: TokenUsage): number | null {
  return costAtPrices(pricesForModel(model), usage.input, usage.output, usage.cacheCreation, usage.cacheCreation1h, usage.cacheRead);
}

/** As costOfResponse, for prices already looked up (the scan prices thousands of responses of a few models). */
export function costAtPrices(prices: ModelPrices | null, input: number, output: number, cacheCreation: number, cacheCreation1h: number, cacheRead: number): number | null {
  if (!prices) return null;
  const totalInput = input + cacheCreation + cacheRead;
  const rates = prices.longContext && totalInput > table.longContextThresholdTokens ? prices.longContext : prices;
  const cache1h = Math.min(cacheCreation1h, cacheCreation);
  const cache5m = cacheCreation - cache1h;
  return (input * rates.input + output * rates.output + cache5m * rates.cacheWrite5m + cache1h * rates.cacheWrite1h + cacheRead * rates.cacheRead) / 1_000_000;
}

// The usage engine as every face runs it: limit hits detected while reading.
import { UsageEngine, type UsageEngineOptions } from '../ingest/usage-engine.js';
import { recordToLimitHit } from '../limits/limit-hit-parser.js';

export function createUsageEngine(options: Omit<UsageEngineOptions, 'detectLimitHit'>): UsageEngine {
  return new UsageEngine({ ...options, detectLimitHit: (record) => recordToLimitHit(record) });
}

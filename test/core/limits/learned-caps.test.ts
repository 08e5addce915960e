import { describe, expect, it } from 'vitest';
import { capConfidence, learnCaps, median, type LimitHitSample } from '../../../src/core/limits/learned-caps.js';
import { PLAN_PRESETS, planPreset } from '../../../src/core/limits/plan-presets.js';

const hit = (window: LimitHitSample['window'], costUSD: number, tokens = costUSD * 1000, at?: string): LimitHitSample =>
  at === undefined ? { window, usageUpToHit: { costUSD, tokens } } : { window, usageUpToHit: { costUSD, tokens }, at };

describe('median', () => {
  it('odd, even and empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('learnCaps', () => {
  it('takes the median per window and counts hits', () => {
    const caps = learnCaps([hit('five_hour', 30), hit('five_hour', 50), hit('five_hour', 40), hit('weekly', 700)]);
    expect(caps.five_hour).toEqual({ capCostUSD: 40, capTokens: 40_000, hits: 3, confidence: 0.75 });
    expect(caps.weekly).toMatchObject({ capCostUSD: 700, hits: 1, confidence: 0.5 });
    expect(caps.opus).toBeUndefined();
  });

  it('a single outlier does not move the cap much', () => {
    const caps = learnCaps([hit('five_hour', 35), hit('five_hour', 36), hit('five_hour', 2), hit('five_hour', 34), hit('five_hour', 37)]);
    expect(caps.five_hour?.capCostUSD).toBe(35);
  });

  it('ignores zero-usage hits', () => {
    const caps = learnCaps([hit('five_hour', 0, 0), hit('five_hour', 20), hit('five_hour', 0, 0)]);
    expect(caps.five_hour).toMatchObject({ capCostUSD: 20, hits: 1 });
    expect(learnCaps([hit('weekly', 0, 0)]).weekly).toBeUndefined();
  });

  it('keeps cost and tokens independent when one of them is missing', () => {
    const caps = learnCaps([hit('five_hour', 0, 500_000), hit('five_hour', 30, 0)]);
    expect(caps.five_hour).toMatchObject({ capCostUSD: 30, capTokens: 500_000, hits: 2 });
  });

  it('uses only the most recent hits (by time when known)', () => {
    const old = Array.from({ length: 10 }, (_, index) => hit('five_hour', 10, 10, `2026-01-${String(index + 1).padStart(2, '0')}T00:00:00Z`));
    const recent = Array.from({ length: 10 }, (_, index) => hit('five_hour', 50, 50, `2026-02-${String(index + 1).padStart(2, '0')}T00:00:00Z`));
    // Newest first in the input: ordering by time still picks February.
    expect(learnCaps([...recent.reverse(), ...old]).five_hour).toMatchObject({ capCostUSD: 50, hits: 10 });
    expect(learnCaps([...old, ...recent], { recent: 3 }).five_hour).toMatchObject({ capCostUSD: 50, hits: 3 });
  });

  it('does not learn caps from extra-usage or unknown hits', () => {
    const caps = learnCaps([hit('overage', 10), hit('unknown', 10)]);
    expect(caps).toEqual({});
  });

  it('confidence grows with hits and stays below 1', () => {
    expect(capConfidence(0)).toBe(0);
    expect(capConfidence(1)).toBe(0.5);
    expect(capConfidence(9)).toBeCloseTo(0.9);
    const values = [1, 2, 3, 5, 10, 100].map(capConfidence);
    for (let index = 1; index < values.length; index++) expect(values[index]).toBeGreaterThan(values[index - 1] as number);
    expect(capConfidence(1000)).toBeLessThan(1);
  });
});

describe('plan presets', () => {
  it('has rough caps for both windows, growing with the plan, labelled as rough', () => {
    const { pro, max_5x, max_20x } = PLAN_PRESETS;
    for (const preset of [pro, max_5x, max_20x]) {
      expect(preset.caps.five_hour).toBeGreaterThan(0);
      expect(preset.caps.seven_day).toBeGreaterThan(preset.caps.five_hour as number);
      expect(preset.note).toMatch(/rough/i);
    }
    expect(max_5x.caps.five_hour).toBeGreaterThan(pro.caps.five_hour as number);
    expect(max_20x.caps.five_hour).toBeGreaterThan(max_5x.caps.five_hour as number);
    expect(max_20x.caps.seven_day).toBeGreaterThan(max_5x.caps.seven_day as number);
  });

  it('resolves a choice: none, a preset, or custom caps', () => {
    expect(planPreset(null)).toBeNull();
    expect(planPreset('max_5x')?.label).toBe('Max 5×');
    expect(planPreset('custom', { five_hour: 25 })?.caps).toEqual({ five_hour: 25, seven_day: null });
  });
});

// Rough default caps per plan, used only until Breather has learned caps from
// the user's own limit hits or has official percentages. Anthropic publishes no
// cap in dollars or tokens, so these are estimates; the UI must say so.
//
// Unit: cost-weighted USD per window, i.e. what the window's usage would cost at
// API list prices (src/core/usage/pricing.ts), which tracks plan consumption far
// better than raw token counts (cache reads dominate those).
//
// five_hour: the defaults of Claude-Code-Usage-Monitor, the most widely used
//   community monitor, calibrated by its users in 2025: Pro ≈ $18, Max 5× ≈ $35,
//   Max 20× ≈ $140 per 5-hour window. They do not follow the advertised 1:5:20
//   ratio; they are what people observed, and learned caps replace them quickly.
// seven_day: Anthropic's weekly-limit announcement (Aug 2025) gave Sonnet hours
//   per week of roughly 40–80 (Pro), 140–280 (Max 5×) and 240–480 (Max 20×), a
//   1 : 3.5 : 6 ratio. Anchored on a community calibration of about $800 for a
//   Max 20× week, that gives Pro ≈ $135, Max 5× ≈ $470, Max 20× ≈ $800.
import type { PlanPresetId } from '../../shared/settings.js';

export interface PlanCaps {
  /** Cost-weighted USD per 5-hour window; null: unknown. */
  five_hour: number | null;
  /** Cost-weighted USD per 7-day window; null: unknown. */
  seven_day: number | null;
}

export interface PlanPreset {
  id: PlanPresetId;
  label: string;
  caps: PlanCaps;
  note: string;
}

const ROUGH_NOTE = 'Rough default from community observations, not an official figure. Breather replaces it with caps learned from your own limit hits.';

export const PLAN_PRESETS: Readonly<Record<Exclude<PlanPresetId, 'custom'>, PlanPreset>> = {
  pro: { id: 'pro', label: 'Pro', caps: { five_hour: 18, seven_day: 135 }, note: ROUGH_NOTE },
  max_5x: { id: 'max_5x', label: 'Max 5×', caps: { five_hour: 35, seven_day: 470 }, note: ROUGH_NOTE },
  max_20x: { id: 'max_20x', label: 'Max 20×', caps: { five_hour: 140, seven_day: 800 }, note: ROUGH_NOTE },
};

/**
 * The caps for a plan choice: a preset's rough defaults, the user's own numbers
 * for "custom", or null when the plan is not set.
 */
export function planPreset(preset: PlanPresetId | null, customCaps?: Partial<PlanCaps>): PlanPreset | null {
  if (preset === null) return null;
  if (preset === 'custom') {
    return {
      id: 'custom',
      label: 'Custom',
      caps: { five_hour: customCaps?.five_hour ?? null, seven_day: customCaps?.seven_day ?? null },
      note: 'Your own caps, as entered in settings.',
    };
  }
  return PLAN_PRESETS[preset];
}

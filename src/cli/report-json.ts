// JSON in ccusage's field names and shapes, so scripts written for ccusage work unchanged.
import { blockBurnRate, blockProjection, type UsageBlock } from '../core/usage/session-blocks.js';
import { type ModelUsage, type UsageGroup, totalTokensOf } from '../core/usage/usage-reports.js';

function roundCost(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function modelBreakdown(m: ModelUsage) {
  return {
    modelName: m.model,
    inputTokens: m.input,
    outputTokens: m.output,
    cacheCreationTokens: m.cacheCreation,
    cacheReadTokens: m.cacheRead,
    cost: roundCost(m.costUSD),
    ...(m.unpriced ? { missingPricing: true } : {}),
  };
}

function tokenFields(g: UsageGroup) {
  return {
    inputTokens: g.input,
    outputTokens: g.output,
    cacheCreationTokens: g.cacheCreation,
    cacheReadTokens: g.cacheRead,
    totalTokens: totalTokensOf(g),
    totalCost: roundCost(g.costUSD),
  };
}

export function totalsJson(total: UsageGroup) {
  const unpricedModels = total.models.filter((m) => m.unpriced).map((m) => m.model).sort();
  return { ...tokenFields(total), ...(unpricedModels.length > 0 ? { unpricedModels } : {}) };
}

export function dailyJson(days: readonly UsageGroup[], total: UsageGroup) {
  return {
    daily: days.map((d) => ({
      date: d.key,
      period: d.key,
      ...tokenFields(d),
      modelsUsed: d.models.map((m) => m.model).sort(),
      modelBreakdowns: d.models.map(modelBreakdown),
    })),
    totals: totalsJson(total),
  };
}

export function sessionJson(sessions: readonly UsageGroup[], total: UsageGroup) {
  return {
    session: sessions.map((s) => ({
      sessionId: s.key,
      period: s.key,
      projectPath: s.projects[0] ?? null,
      lastActivity: new Date(s.lastMs).toISOString(),
      metadata: { lastActivity: new Date(s.lastMs).toISOString(), projects: s.projects },
      ...tokenFields(s),
      modelsUsed: s.models.map((m) => m.model),
      modelBreakdowns: s.models.map(modelBreakdown),
    })),
    totals: totalsJson(total),
  };
}

export function blockJson(block: UsageBlock, nowMs: number) {
  const u = block.usage;
  const id = block.isGap ? `gap-${new Date(block.startMs).toISOString()}` : new Date(block.startMs).toISOString();
  return {
    id,
    startTime: new Date(block.startMs).toISOString(),
    endTime: new Date(block.endMs).toISOString(),
    actualEndTime: block.actualEndMs === null ? null : new Date(block.actualEndMs).toISOString(),
    isActive: block.isActive,
    isGap: block.isGap,
    entries: u.entries,
    tokenCounts: {
      inputTokens: u.input,
      outputTokens: u.output,
      cacheCreationInputTokens: u.cacheCreation,
      cacheReadInputTokens: u.cacheRead,
    },
    totalTokens: totalTokensOf(u),
    costUSD: roundCost(u.costUSD),
    models: u.models.map((m) => m.model),
    burnRate: block.isActive ? blockBurnRate(block) : null,
    projection: blockProjection(block, nowMs),
  };
}

export function blocksJson(blocks: readonly UsageBlock[], nowMs: number) {
  return { blocks: blocks.map((b) => blockJson(b, nowMs)) };
}

/**
 * A promotion: the house's offer to double random bidders' maxima, on a schedule, within a budget
 * (docs/architecture.md, "The promoter"). This module holds what a promotion may be; doubling.ts what a
 * firing does to an auction, strategies.ts whom it picks, subsidy.ts who pays.
 */
import { parse as parseIsoDuration } from 'tinyduration';
import type { AuctionCategory } from '../categories.js';
import type { StrategyName } from './strategies.js';

export const PROMOTION_STATUSES = ['active', 'paused', 'deleted'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

/** Firings at most once a minute, at least once a month: a schedule outside that is a mistake. */
export const MIN_EVERY_MS = 60_000;
export const MAX_EVERY_MS = 31 * 86_400_000;
/** 10,000,000.00 in a two-decimal currency: a budget above it is a typing mistake, not a plan. */
export const MAX_BUDGET = 1_000_000_000;
export const MAX_PER_AUCTION_LIMIT = 100;

export interface PromotionScope {
  category: AuctionCategory | null;
  auctionId: string | null;
}

export interface PromotionSpec {
  scope: PromotionScope;
  /** ISO-8601 durations, as given: how often it fires, and by how much each firing may be late. */
  every: string;
  jitter: string;
  /** How many doublings one auction may get from this promotion. */
  maxPerAuction: number;
  /** The most this promotion's subsidies may add up to, in minor units of `currency`. */
  budget: number;
  currency: string;
  strategy: StrategyName;
}

const MS = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000 } as const;

/**
 * An ISO-8601 duration in milliseconds, or null when it is not one or names years or months (whose
 * length depends on the calendar, so a schedule cannot use them).
 */
export function durationMs(text: string): number | null {
  let parsed: ReturnType<typeof parseIsoDuration>;
  try {
    parsed = parseIsoDuration(text);
  } catch {
    return null;
  }
  if (parsed.negative || parsed.years || parsed.months) return null;
  const ms = Object.entries(MS).reduce((sum, [unit, size]) => sum + (parsed[unit as keyof typeof MS] ?? 0) * size, 0);
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** Why a schedule is refused, or null when `every` and `jitter` make one. */
export function scheduleProblem(every: string, jitter: string): string | null {
  const everyMs = durationMs(every);
  if (everyMs === null) return 'every must be an ISO-8601 duration in weeks, days, hours, minutes or seconds';
  if (everyMs < MIN_EVERY_MS || everyMs > MAX_EVERY_MS) return 'every must be from PT1M to P31D';
  const jitterMs = durationMs(jitter);
  if (jitterMs === null) return 'jitter must be an ISO-8601 duration in weeks, days, hours, minutes or seconds';
  if (jitterMs > everyMs) return 'jitter may not be longer than every';
  return null;
}

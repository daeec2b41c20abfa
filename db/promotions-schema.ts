/**
 * The promoter's tables (docs/architecture.md, "The promoter"): the promotions admins define, each
 * firing with the seed and candidates that reproduce its choice, and the doublings the persist cycle
 * copies from an auction's stream beside its bids and retractions.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import {
  MAX_BUDGET,
  MAX_PER_AUCTION_LIMIT,
  PROMOTION_STATUSES,
  type PromotionStatus,
} from '../domain/promotions/promotion.js';
import { STRATEGY_NAMES, type CandidateAuction, type StrategyName } from '../domain/promotions/strategies.js';
import { FIRING_OUTCOMES, type FiringOutcome } from '../domain/promotions/firing.js';
import { auctionCategory } from './category-enum.js';
import { auctions, users } from './schema.js';

const money = (name: string) => bigint(name, { mode: 'number' });
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const list = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const promotions = pgTable(
  'promotions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The scope: auctions of this category, or this one auction (both: this auction, if of this category). */
    category: auctionCategory('category'),
    auctionId: uuid('auction_id').references(() => auctions.id),
    every: text('every').notNull(),
    jitter: text('jitter').notNull(),
    maxPerAuction: integer('max_per_auction').notNull(),
    budget: money('budget').notNull(),
    currency: text('currency').notNull(),
    strategy: text('strategy').$type<StrategyName>().notNull(),
    status: text('status').$type<PromotionStatus>().notNull().default('active'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('promotions_created_at_idx').on(t.createdAt, t.id),
    check('promotions_budget', sql`${t.budget} > 0 AND ${t.budget} <= ${sql.raw(String(MAX_BUDGET))}`),
    check(
      'promotions_max_per_auction',
      sql`${t.maxPerAuction} BETWEEN 1 AND ${sql.raw(String(MAX_PER_AUCTION_LIMIT))}`,
    ),
    check('promotions_status', sql`${t.status} IN (${list(PROMOTION_STATUSES)})`),
    check('promotions_strategy', sql`${t.strategy} IN (${list(STRATEGY_NAMES)})`),
    check('promotions_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** One firing of a promotion's schedule: what it saw, what it chose and what came of it. */
export const promotionFirings = pgTable(
  'promotion_firings',
  {
    /** The id of the workflow the schedule started: one row per firing however often its activity runs. */
    id: text('id').primaryKey(),
    promotionId: uuid('promotion_id')
      .notNull()
      .references(() => promotions.id),
    firedAt: instant('fired_at').notNull().defaultNow(),
    seed: integer('seed').notNull(),
    strategy: text('strategy').$type<StrategyName>().notNull(),
    /** Every auction and bidder it could choose from: with the seed, its choice again (chooseDoubling). */
    candidates: jsonb('candidates').$type<CandidateAuction[]>().notNull(),
    outcome: text('outcome').$type<FiringOutcome>().notNull(),
    /** Why a doubling was refused (domain/promotions/doubling.ts), when it was. */
    reason: text('reason'),
    auctionId: uuid('auction_id').references(() => auctions.id),
    bidderId: uuid('bidder_id').references(() => users.id),
    seq: integer('seq'),
    fromMax: money('from_max'),
    toMax: money('to_max'),
    /** The most this doubling can cost the house: held against the budget until the auction's result. */
    exposure: money('exposure').notNull().default(0),
  },
  (t) => [
    index('promotion_firings_promotion_idx').on(t.promotionId, t.firedAt),
    index('promotion_firings_auction_idx').on(t.auctionId, t.promotionId),
    check('promotion_firings_outcome', sql`${t.outcome} IN (${list(FIRING_OUTCOMES)})`),
    check('promotion_firings_exposure', sql`${t.exposure} >= 0`),
  ],
);

/** A doubling in an auction's history, copied from its stream by the persist cycle. */
export const bidDoublings = pgTable(
  'bid_doublings',
  {
    auctionId: uuid('auction_id')
      .notNull()
      .references(() => auctions.id),
    seq: integer('seq').notNull(),
    bidderId: uuid('bidder_id')
      .notNull()
      .references(() => users.id),
    bidderAlias: integer('bidder_alias').notNull(),
    fromMax: money('from_max').notNull(),
    toMax: money('to_max').notNull(),
    /** The price and bid count it left (the SSE replay shows them). */
    priceAfter: money('price_after').notNull(),
    bidCountAfter: integer('bid_count_after').notNull(),
    promotionId: uuid('promotion_id').notNull(),
    firingId: text('firing_id').notNull(),
    doubledAt: instant('doubled_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.auctionId, t.seq] }), index('bid_doublings_bidder_idx').on(t.auctionId, t.bidderId)],
);

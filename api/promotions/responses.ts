/** What the promotion routes answer, as zod schemas: the presenters are typed by them and the OpenAPI document is generated from them. */
import { z } from 'zod';
import { AUCTION_CATEGORIES } from '../../domain/categories.js';
import { FIRING_OUTCOMES } from '../../domain/promotions/firing.js';
import { STRATEGY_NAMES } from '../../domain/promotions/strategies.js';
import { instant, uuid } from '../wire-types.js';

const amount = z.number().int().nonnegative().meta({ description: 'Integer minor units.', example: 1200 });

export const promotion = z
  .object({
    id: uuid,
    scope: z.object({ category: z.enum(AUCTION_CATEGORIES).nullable(), auctionId: uuid.nullable() }),
    every: z.string().meta({ example: 'PT1H' }),
    jitter: z.string().meta({ example: 'PT5M' }),
    maxPerAuction: z.number().int().positive(),
    budget: amount,
    currency: z.string().meta({ example: 'USD' }),
    strategy: z.enum(STRATEGY_NAMES),
    status: z.enum(['active', 'paused', 'deleted']),
    committed: amount.meta({
      description:
        'What its doublings hold of the budget now: the worst case of those on auctions still running, the subsidy of those that won.',
    }),
    remaining: amount.meta({ description: 'budget − committed: what further firings may commit.' }),
    createdBy: uuid,
    createdAt: instant,
  })
  .meta({ id: 'Promotion' });
export type PromotionJson = z.infer<typeof promotion>;

export const promotionList = z.object({ items: z.array(promotion) }).meta({ id: 'PromotionList' });

const candidate = z.object({
  auctionId: uuid,
  bidders: z.array(z.object({ bidderId: uuid, alias: z.number().int().positive(), max: amount })),
});

export const promotionFiring = z
  .object({
    id: z.string().meta({ description: 'The id of the workflow its schedule started.' }),
    firedAt: instant,
    outcome: z.enum(FIRING_OUTCOMES),
    reason: z.string().nullable().meta({ description: 'Why the doubling script refused, when it did.' }),
    seed: z.number().int().nonnegative().meta({
      description: 'With `strategy` and `candidates`, chooseDoubling gives this firing’s choice again.',
    }),
    strategy: z.enum(STRATEGY_NAMES),
    candidates: z.array(candidate),
    auctionId: uuid.nullable(),
    bidderId: uuid.nullable(),
    fromMax: amount.nullable(),
    toMax: amount.nullable(),
    exposure: amount.meta({ description: 'The most this doubling can cost the house.' }),
  })
  .meta({ id: 'PromotionFiring' });

export const promotionDetail = promotion
  .extend({
    nextFiringAt: instant
      .nullable()
      .meta({ description: 'When its schedule fires next; null when paused or deleted.' }),
    firings: z.array(promotionFiring).meta({ description: 'The latest 50, newest first.' }),
  })
  .meta({ id: 'PromotionDetail' });
export type PromotionDetailJson = z.infer<typeof promotionDetail>;

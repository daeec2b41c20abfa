/**
 * What the promotion routes accept (zod; the OpenAPI document is generated from these). Strict, as
 * everywhere. The schedule's durations are ISO-8601 (checked by domain/promotions/promotion.ts, so the
 * rule has one home); money is integer minor units.
 */
import { z } from 'zod';
import { AUCTION_CATEGORIES } from '../../domain/categories.js';
import { MAX_BUDGET, MAX_PER_AUCTION_LIMIT, scheduleProblem } from '../../domain/promotions/promotion.js';
import { STRATEGY_NAMES } from '../../domain/promotions/strategies.js';
import { currencyCode } from '../auctions/schemas.js';
import { trimmedText } from '../text.js';
import { uuid } from '../wire-types.js';

const reason = trimmedText(1, 500).meta({ description: 'Why: kept in the audit log. Trimmed; 1 to 500 characters.' });
/** The shape of an ISO-8601 duration in weeks, days, hours, minutes and seconds; the range is scheduleProblem's. */
const isoDuration = z
  .string()
  .max(40)
  .regex(/^P(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO-8601 duration such as PT1H');

export const createPromotionBody = z
  .object({
    scope: z
      .object({
        category: z.enum(AUCTION_CATEGORIES).optional().meta({ description: 'Only auctions of this category.' }),
        auctionId: uuid.optional().meta({ description: 'Only this auction.' }),
      })
      .strict()
      .default({})
      .meta({ description: 'Which live auctions a firing may choose from; empty: every live auction.' }),
    every: isoDuration.meta({
      description: 'How often it fires: an ISO-8601 duration from PT1M to P31D.',
      example: 'PT1H',
    }),
    jitter: isoDuration.default('PT0S').meta({
      description: 'Each firing comes up to this much later, at random: an ISO-8601 duration, at most `every`.',
    }),
    maxPerAuction: z
      .number()
      .int()
      .min(1)
      .max(MAX_PER_AUCTION_LIMIT)
      .default(1)
      .meta({ description: 'How many doublings one auction may get from this promotion.' }),
    budget: z.number().int().positive().max(MAX_BUDGET).meta({
      description:
        'The most its subsidies may add up to, in integer minor units of `currency`. A firing that would pass it does not double.',
      example: 50_000,
    }),
    currency: currencyCode.meta({
      description: 'The budget’s currency: only auctions in it are chosen. USD when absent.',
    }),
    strategy: z.enum(STRATEGY_NAMES).default('uniform').meta({
      description:
        'Whom it picks: uniform (any bidder alike) or newer_bidders (the later a bidder came, the likelier).',
    }),
    reason: reason.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const problem = scheduleProblem(body.every, body.jitter);
    if (problem !== null)
      ctx.addIssue({ code: 'custom', path: [problem.startsWith('jitter') ? 'jitter' : 'every'], message: problem });
  })
  .meta({ id: 'CreatePromotionRequest' });
export type CreatePromotionBody = z.infer<typeof createPromotionBody>;

export const updatePromotionBody = z
  .object({
    status: z.enum(['active', 'paused']).meta({ description: 'paused: no firings until set active again.' }),
    reason: reason.optional(),
  })
  .strict()
  .meta({ id: 'UpdatePromotionRequest' });

export const deletePromotionQuery = z.object({ reason: reason.optional() }).strict();

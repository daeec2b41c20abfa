/** What the settlement routes accept. Strict: a misspelt parameter is a 400, never silently ignored. */
import { z } from 'zod';
import { ORDER_STATUSES } from '../../domain/settlement/order.js';
import { pageQuery } from '../auctions/schemas.js';

export const myOrdersQuery = pageQuery
  .extend({
    role: z
      .enum(['buyer', 'seller'])
      .default('buyer')
      .meta({ description: 'buyer: orders you are to pay; seller: orders for your lots.' }),
    status: z.enum(ORDER_STATUSES).optional(),
  })
  .strict();
export type MyOrdersQuery = z.infer<typeof myOrdersQuery>;

export const payoutsQuery = pageQuery.strict();

/** POST /v1/auctions/:id/second-chance: the offer's window, within the house's bounds. */
export const secondChanceBody = (minSeconds: number) =>
  z
    .object({
      offerWindowSeconds: z
        .number()
        .int()
        .min(minSeconds)
        .max(30 * 24 * 3600)
        .optional()
        .meta({ description: 'How long the bidder has to answer; default SECOND_CHANCE_OFFER_WINDOW_SECONDS (48 h).' }),
    })
    .strict()
    .default({});

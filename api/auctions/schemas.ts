/** Request shapes of the auction routes (zod): a field is declared once, here. */
import { z } from 'zod';
import { MAX_AMOUNT } from '../../domain/money.js';

/** Integer minor units: no floats, no strings, no zero, nothing past what stays exact everywhere. */
export const amount = z.number().int('must be an integer number of minor units').positive().max(MAX_AMOUNT);

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

const MAX_DURATION_MS = 30 * 24 * 3600 * 1000;

export const createAuctionBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000).default(''),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
      .default('USD'),
    startingPrice: amount,
    reservePrice: amount.nullish(),
    buyNowPrice: amount.nullish(),
    startsAt: instant.optional(),
    endsAt: instant,
    softClose: z
      .object({
        windowSeconds: z.number().int().min(0).max(3600),
        extendSeconds: z.number().int().min(0).max(3600),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    // zod runs this even when a field already failed: check only what parsed.
    if (!(body.endsAt instanceof Date) || (body.startsAt !== undefined && !(body.startsAt instanceof Date))) return;
    const startsAt = body.startsAt ?? new Date();
    if (body.endsAt.getTime() <= Math.max(startsAt.getTime(), Date.now())) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be in the future and after startsAt' });
    } else if (body.endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'an auction runs for at most 30 days' });
    }
    if (body.reservePrice != null && body.reservePrice < body.startingPrice) {
      ctx.addIssue({ code: 'custom', path: ['reservePrice'], message: 'must be at least startingPrice' });
    }
    if (body.buyNowPrice != null && body.buyNowPrice <= Math.max(body.startingPrice, body.reservePrice ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['buyNowPrice'], message: 'must be above startingPrice and reservePrice' });
    }
  });
export type CreateAuctionBody = z.infer<typeof createAuctionBody>;

export const cancelBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

export const bidBody = z.object({ amount, buyNow: z.boolean().default(false) }).strict();

/** Sent as the Idempotency-Key header; it becomes part of a Redis key, so its alphabet is fixed. */
export const idempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'letters, digits, - and _, at most 128');

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const listAuctionsQuery = pageQuery.extend({
  status: z.enum(['scheduled', 'open', 'closed', 'cancelled']).optional(),
  sellerId: z.uuid().optional(),
});

/**
 * Request shapes of the auction routes (zod): a field is declared once, here. The OpenAPI document
 * (api/openapi/) is generated from these same schemas, so what it promises is what the routes check.
 */
import { z } from 'zod';
import { AUCTION_STATUSES } from '../../domain/auction-status.js';
import { AUCTION_CATEGORIES } from '../../domain/categories.js';
import { MAX_AMOUNT } from '../../domain/money.js';
import { RETRACTION_REASONS } from '../../domain/retraction.js';
import { MAX_BUYERS_PREMIUM_BPS } from '../../domain/settlement/amounts.js';
import { MAX_PAYMENT_WINDOW_SECONDS } from '../../domain/settlement/terms.js';
import { storedText, trimmedText } from '../text.js';
import { LISTING_KINDS } from '../discovery/listing-record.js';
import { SORTS } from '../discovery/sort-orders.js';
import { isSeq } from './ids.js';
import type { TermsPolicy } from './terms.js';

/** Integer minor units: no floats, no strings, no zero, nothing past what stays exact everywhere. */
export const amount = z
  .number()
  .int('must be an integer number of minor units')
  .positive()
  .max(MAX_AMOUNT)
  .meta({ description: 'Integer minor units (cents for USD).', example: 2500 });

/** An ISO-8601 time with its offset, as a Date: every request's times (auctions, sales). */
export const instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .meta({ example: '2030-01-01T12:00:00Z' });

/** An ISO 4217 code, USD when absent: an auction's or a sale's currency. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
  .default('USD');

const MAX_DURATION_MS = 30 * 24 * 3600 * 1000;

/** When an auction runs: the same fields, and the same rules (checkDates), wherever dates are set. */
const auctionDates = {
  startsAt: instant.optional().meta({ description: 'When bidding opens; now when absent.' }),
  endsAt: instant.meta({ description: 'In the future, after startsAt, and at most 30 days after it.' }),
};

/** The rules across the dates and the clock, which no field's schema can state alone. */
function checkDates(dates: { startsAt?: Date | undefined; endsAt: Date }, ctx: z.RefinementCtx): void {
  // zod runs refinements even when a field already failed: check only what parsed.
  if (!(dates.endsAt instanceof Date) || (dates.startsAt !== undefined && !(dates.startsAt instanceof Date))) return;
  const startsAt = dates.startsAt ?? new Date();
  if (dates.endsAt.getTime() <= Math.max(startsAt.getTime(), Date.now())) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be in the future and after startsAt' });
  } else if (dates.endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'an auction runs for at most 30 days' });
  }
}

/**
 * POST /v1/auctions. Built from the deployment's settlement policy (api/auctions/terms.ts): its bounds
 * and defaults are configuration, so the document shows the default configuration's.
 */
export const createAuctionBody = (terms: TermsPolicy) =>
  z
    .object({
      title: trimmedText(1, 200),
      description: storedText(5000).default(''),
      category: z
        .enum(AUCTION_CATEGORIES)
        .optional()
        .meta({ description: 'Where buyers find it (GET /v1/auctions?category=...); none when absent.' }),
      currency: currencyCode,
      startingPrice: amount,
      reservePrice: amount.nullish(),
      buyNowPrice: amount.nullish(),
      ...auctionDates,
      softClose: z
        .object({
          windowSeconds: z.number().int().min(0).max(3600),
          extendSeconds: z.number().int().min(0).max(3600),
        })
        .strict()
        .optional()
        .meta({ description: 'A bid in the last windowSeconds moves the end to extendSeconds after that bid.' }),
      paymentWindowSeconds: z
        .number()
        .int()
        .min(terms.minPaymentWindowSeconds)
        .max(MAX_PAYMENT_WINDOW_SECONDS)
        .default(terms.defaultPaymentWindowSeconds)
        .meta({
          description:
            'How long the winner has to pay once the order is made at the close; at least ' +
            'SETTLEMENT_MIN_WINDOW_SECONDS, at most 30 days. Default SETTLEMENT_PAYMENT_WINDOW_SECONDS.',
        }),
      buyersPremiumBps: z
        .number()
        .int()
        .min(0)
        .max(MAX_BUYERS_PREMIUM_BPS)
        .default(terms.defaultBuyersPremiumBps)
        .meta({
          description:
            "The buyer's premium, in basis points of the hammer price (250 is 2.5 %), added to what the winner " +
            'pays. Default BUYERS_PREMIUM_BPS.',
        }),
      autoSecondChance: z.boolean().default(false).meta({
        description: 'When the winner does not pay, offer the lot to the next bidders in turn without waiting for you.',
      }),
    })
    .strict()
    .meta({
      id: 'CreateAuctionRequest',
      description: 'reservePrice ≥ startingPrice; buyNowPrice > both. The reserve is never shown to anyone.',
    })
    .superRefine((body, ctx) => {
      checkDates(body, ctx);
      if (body.reservePrice != null && body.reservePrice < body.startingPrice) {
        ctx.addIssue({ code: 'custom', path: ['reservePrice'], message: 'must be at least startingPrice' });
      }
      if (body.buyNowPrice != null && body.buyNowPrice <= Math.max(body.startingPrice, body.reservePrice ?? 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['buyNowPrice'],
          message: 'must be above startingPrice and reservePrice',
        });
      }
    });
export type CreateAuctionBody = z.infer<ReturnType<typeof createAuctionBody>>;

/** POST /v1/auctions/:id/relist: new dates; the lot, its images and its rules are the original's. */
export const relistBody = z
  .object(auctionDates)
  .strict()
  .meta({ id: 'RelistAuctionRequest', description: 'The dates of the new auction, under the rules of a new one.' })
  .superRefine(checkDates);
export type RelistBody = z.infer<typeof relistBody>;

export const cancelBody = z
  .object({ reason: trimmedText(1, 500) })
  .strict()
  .meta({ id: 'CancelAuctionRequest' });

export const retractionBody = z
  .object({
    reason: z.enum(RETRACTION_REASONS).meta({
      description:
        'Why: you typed the wrong amount, the seller changed the item after you bid, or you cannot reach the seller.',
    }),
  })
  .strict()
  .meta({ id: 'RetractionRequest' });

export const bidBody = z
  .object({
    amount: amount.meta({ description: 'Your maximum, in minor units: the house bids for you up to it.' }),
    buyNow: z.boolean().default(false).meta({ description: 'Buy at buyNowPrice (amount must equal it).' }),
  })
  .strict()
  .meta({ id: 'BidRequest' });

/** Sent as the Idempotency-Key header; it becomes part of a Redis key, so its alphabet is fixed. */
export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'letters, digits, - and _, at most 128')
  .meta({ description: 'Retrying with the same key answers the first decision again instead of bidding twice.' });

/**
 * Last-Event-ID, as EventSource sends it on reconnect: the seq of the last event seen. Anything that is
 * not a seq is ignored (the snapshot alone brings the client up to date), so any value is accepted.
 */
export const lastEventId = z
  .string()
  .transform((value) => (isSeq(Number(value)) ? Number(value) : null))
  .meta({ description: 'Resume after this bid seq: the bids missed since are replayed before the snapshot.' });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'The nextCursor of the previous page; opaque: any other value is a 400 INVALID_CURSOR.' }),
});

/** GET /v1/auctions/:id/bids: everyone's bids, or with `bidder=me` (and a token) only yours, maxima included. */
export const bidsQuery = pageQuery.extend({
  bidder: z
    .literal('me')
    .optional()
    .meta({ description: 'me: only your own bids, each with your maximum; needs a bearer token.' }),
});

/** A listing's price bound: integer minor units, as a query string carries them. */
const priceBound = z.coerce.number().int().min(0).max(MAX_AMOUNT);

/**
 * GET /v1/auctions. Strict: a misspelt parameter (`minprice`) is a 400, not a filter silently ignored.
 * Order and membership of a traversal's pages are those of its first page (docs/decisions.md,
 * "Discovery"); each item shows its live state.
 */
export const listAuctionsQuery = pageQuery
  .extend({
    cursor: pageQuery.shape.cursor.meta({
      description:
        'The nextCursor of the previous page, with the same other parameters (limit may change). Opaque: ' +
        'any other value is a 400 INVALID_CURSOR; one older than the cursor lifetime (15 minutes by ' +
        'default) is a 400 CURSOR_EXPIRED: start again from the first page.',
    }),
    kind: z
      .enum(LISTING_KINDS)
      .optional()
      .meta({
        description:
          'auction or sale (flash sales): only items of that kind; both when absent. A sale is filtered and ' +
          'sorted by its unit price and its end (one without an end lists last when ending soonest); status ' +
          'matches its phase (a sold-out sale is open).',
      }),
    status: z.enum(AUCTION_STATUSES).optional(),
    sellerId: z.uuid().optional(),
    category: z.enum(AUCTION_CATEGORIES).optional(),
    minPrice: priceBound.optional().meta({ description: 'Current price at least this (minor units).' }),
    maxPrice: priceBound.optional().meta({ description: 'Current price at most this (minor units).' }),
    endingBefore: instant.optional().meta({ description: 'Ends strictly before this instant.' }),
    endingAfter: instant.optional().meta({ description: 'Ends strictly after this instant.' }),
    q: trimmedText(1, 200)
      .optional()
      .meta({
        description:
          'Full-text search in titles and descriptions, web-search syntax: words, "a phrase", -word, or. ' +
          'A search matching too many auctions answers 400 SEARCH_TOO_BROAD: narrow it.',
      }),
    sort: z
      .enum(SORTS)
      .default('newest')
      .meta({ description: 'ending_soonest, newest (the default), price_asc, price_desc or most_bids.' }),
  })
  .strict();
export type ListAuctionsQuery = z.infer<typeof listAuctionsQuery>;

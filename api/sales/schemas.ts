/**
 * Request shapes of the sale routes (zod). The OpenAPI document (api/openapi/sale-paths.ts) is generated
 * from these same schemas, so what it promises is what the routes check.
 */
import { z } from 'zod';
import { AUCTION_CATEGORIES } from '../../domain/categories.js';
import { SALE_LIMITS } from '../../domain/sales/sale.js';
import { currencyCode, instant } from '../auctions/schemas.js';
import { storedText, trimmedText } from '../text.js';

const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);

/** The rules across the dates and the clock, which no field's schema can state alone. */
function checkDates(body: { startsAt?: Date | undefined; endsAt?: Date | undefined }, ctx: z.RefinementCtx): void {
  // zod runs refinements even when a field already failed: check only what parsed.
  if (body.startsAt !== undefined && !(body.startsAt instanceof Date)) return;
  if (body.endsAt !== undefined && !(body.endsAt instanceof Date)) return;
  const now = Date.now();
  if (body.startsAt !== undefined && body.startsAt.getTime() < now - SALE_LIMITS.startsAtGraceMs) {
    ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'must not be in the past' });
    return;
  }
  if (body.endsAt === undefined) return;
  const startsAtMs = body.startsAt?.getTime() ?? now;
  if (body.endsAt.getTime() <= Math.max(startsAtMs, now)) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be in the future and after startsAt' });
  } else if (body.endsAt.getTime() - startsAtMs > SALE_LIMITS.maxDurationMs) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'a sale runs for at most 30 days' });
  }
}

/** POST /v1/sales. Built from the deployment's shortest hold (SALES_MIN_HOLD_SECONDS): the document shows the default's. */
export const createSaleBody = (minHoldSeconds: number) =>
  z
    .object({
      title: trimmedText(1, 200),
      description: storedText(5000).default(''),
      category: z.enum(AUCTION_CATEGORIES).optional().meta({ description: 'None when absent.' }),
      currency: currencyCode,
      price: wholeNumber(1, SALE_LIMITS.maxPrice).meta({
        description: "One unit's price, in integer minor units (cents for USD).",
        example: 1999,
      }),
      stock: wholeNumber(SALE_LIMITS.minStock, SALE_LIMITS.maxStock).meta({ description: 'Units for sale.' }),
      perUserLimit: wholeNumber(1, SALE_LIMITS.maxPerUserLimit)
        .default(SALE_LIMITS.defaultPerUserLimit)
        .meta({ description: 'The most units one buyer may hold and buy, together.' }),
      startsAt: instant
        .optional()
        .meta({ description: 'When claims open; now when absent. At most a minute in the past.' }),
      endsAt: instant.optional().meta({
        description:
          'When claims close: after startsAt, in the future, at most 30 days after startsAt. ' +
          'Absent: open until sold out or cancelled.',
      }),
      holdSeconds: wholeNumber(minHoldSeconds, SALE_LIMITS.maxHoldSeconds)
        .default(SALE_LIMITS.defaultHoldSeconds)
        .meta({
          description: 'How long a claim holds its units for payment; at least SALES_MIN_HOLD_SECONDS, at most a day.',
        }),
      requireChallenge: z.boolean().default(false).meta({
        description:
          'Ask every claim for a solved proof-of-work challenge (GET /v1/sales/{id}/challenge, sent as X-Altcha).',
      }),
    })
    .strict()
    .meta({ id: 'CreateSaleRequest' })
    .superRefine(checkDates);
export type CreateSaleBody = z.infer<ReturnType<typeof createSaleBody>>;

/** A claim's or a waitlist entry's units: bounded by the house's largest per-user limit; the sale's own is the script's. */
const quantity = wholeNumber(1, SALE_LIMITS.maxPerUserLimit).meta({
  description: "Units; at most the sale's perUserLimit (more is a 409 LIMIT_REACHED).",
  example: 1,
});

export const claimBody = z.object({ quantity }).strict().meta({ id: 'ClaimRequest' });

export const waitlistBody = z.object({ quantity }).strict().meta({ id: 'WaitlistRequest' });

/** Optional, and so is the body. */
export const cancelSaleBody = z
  .object({ reason: trimmedText(1, 500).optional() })
  .strict()
  .meta({ id: 'CancelSaleRequest' });

/**
 * The X-Altcha header: a solved challenge, the base64 JSON payload the ALTCHA widget (or altcha-lib's
 * solver) makes. Its content is checked by the route (a forged one is 400 CHALLENGE_INVALID); here only
 * that it could be one.
 */
export const altchaHeader = z
  .string()
  .regex(/^[A-Za-z0-9+/=]{1,4096}$/, 'a base64 ALTCHA payload')
  .meta({
    description:
      'A solved challenge from GET /v1/sales/{id}/challenge (the base64 ALTCHA payload): required by sales with ' +
      'requireChallenge, ignored by others. Each challenge serves one claim.',
  });

/**
 * Last-Event-ID, as EventSource sends it on reconnect: the sale's version last seen. Anything that is
 * not one is ignored (the stream then starts with a snapshot), so any value is accepted.
 */
export const saleLastEventId = z
  .string()
  .transform((value) => {
    const version = Number(value);
    return value !== '' && Number.isSafeInteger(version) && version >= 0 ? version : null;
  })
  .meta({ description: 'Resume after this version of the sale: a `stock` event brings you up to date.' });

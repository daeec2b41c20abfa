/**
 * The sale routes' answers, as zod schemas: the presenters are typed by them and the OpenAPI document
 * is generated from them (api/openapi/sale-paths.ts).
 */
import { z } from 'zod';
import { AUCTION_CATEGORIES } from '../../domain/categories.js';
import { SALE_STATUSES } from '../../domain/sales/sale.js';
import { jsonData } from '../auctions/responses.js';
import { count, instant, money, uuid } from '../wire-types.js';

const status = z.enum(SALE_STATUSES).meta({
  description:
    'scheduled, open, sold_out (open with nothing available: held units may still come back), closed, cancelled.',
});

export const sale = z
  .object({
    id: uuid,
    sellerId: uuid,
    title: z.string(),
    description: z.string(),
    category: z.enum(AUCTION_CATEGORIES).nullable(),
    currency: z.string().meta({ description: 'ISO 4217 code.', example: 'USD' }),
    price: money.meta({ description: "One unit's price, in integer minor units." }),
    stock: count,
    available: count.meta({ description: 'Units anyone may claim now.' }),
    held: count.meta({ description: 'Units in holds awaiting payment.' }),
    sold: count.meta({ description: 'Units paid for.' }),
    perUserLimit: count,
    holdSeconds: count.meta({ description: 'How long a claim holds its units for payment.' }),
    requireChallenge: z.boolean(),
    status,
    startsAt: instant,
    endsAt: instant.nullable().meta({ description: 'Null: open until sold out or cancelled.' }),
  })
  .meta({ id: 'Sale', description: 'stock = available + held + sold, always.' });

export const claimedUnits = z
  .object({
    orderId: uuid.meta({ description: 'The order to pay (POST /v1/orders/{id}/checkout) before holdExpiresAt.' }),
    saleId: uuid,
    quantity: count,
    total: money.meta({ description: 'price × quantity, in integer minor units.' }),
    currency: z.string(),
    holdExpiresAt: instant.meta({ description: 'Unpaid by then, the units go back (to the waitlist first).' }),
  })
  .meta({ id: 'SaleClaim' });

export const waitlistPlace = z
  .object({ position: z.number().int().positive().meta({ description: '1 is next in line.' }) })
  .meta({ id: 'WaitlistPlace' });

/** What GET /v1/sales/{id}/challenge answers: an ALTCHA challenge (protocol v1), as the widget takes it. */
export const saleChallenge = z
  .object({
    algorithm: z.string().meta({ example: 'SHA-256' }),
    challenge: z.string(),
    maxnumber: z.number().int().positive(),
    salt: z.string().meta({ description: 'Names the sale and the expiry: useless on another sale.' }),
    signature: z.string(),
  })
  .meta({ id: 'SaleChallenge', description: 'Solve it (ALTCHA), and send the base64 payload as X-Altcha.' });

/** The data of `stock`, `sold_out`, `closed` and `cancelled` events. */
export const saleCountsEvent = z
  .object({ version: count, available: count, held: count, sold: count, status })
  .meta({ id: 'SaleCountsEvent' });

export const saleEvent = z
  .union([
    z.object({ event: z.literal('snapshot'), id: z.string(), data: jsonData(sale) }),
    z.object({
      event: z.enum(['stock', 'sold_out', 'closed', 'cancelled']),
      id: z.string(),
      data: jsonData(saleCountsEvent),
    }),
  ])
  .meta({
    id: 'SaleEvent',
    description:
      'On connect, a `snapshot` of the sale; then `stock` events (at most about 10 a second: the latest counts ' +
      'always follow), and `sold_out`, `closed` and `cancelled` as they happen. `id` is the sale’s version: send ' +
      'it back as Last-Event-ID, and instead of a snapshot you get one `stock` event when anything changed since ' +
      '(and `sold_out` or `closed` when that is the state). Comment lines (`: ping`) keep the connection alive.',
  });

export type PublicSale = z.infer<typeof sale>;
export type ClaimedUnits = z.infer<typeof claimedUnits>;
export type SaleCountsEvent = z.infer<typeof saleCountsEvent>;
export type SaleChallenge = z.infer<typeof saleChallenge>;

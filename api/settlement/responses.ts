/** The settlement routes' answers, as zod schemas: the OpenAPI document is generated from them. */
import { z } from 'zod';
import { OFFER_STATUSES } from '../../domain/settlement/offer.js';
import { ORDER_KINDS, ORDER_STATUSES } from '../../domain/settlement/order.js';
import { instant, money, uuid } from '../wire-types.js';

const currency = z.string().meta({ description: 'ISO 4217 code.', example: 'EUR' });
/** A premium of 0 is a real amount here, unlike a bid. */
const amount = z.number().int().nonnegative().meta({ description: 'Integer minor units.', example: 250 });

export const order = z
  .object({
    id: uuid,
    auctionId: uuid.nullable().meta({ description: 'The auction it is for; null for a flash sale’s order.' }),
    saleId: uuid.nullable().meta({ description: 'The flash sale it is for (kind sale); null otherwise.' }),
    kind: z.enum(ORDER_KINDS).meta({
      description: 'auction: the winner’s; second_chance: from an accepted offer; sale: a flash sale’s claim.',
    }),
    quantity: z.number().int().positive().meta({ description: 'Units: 1 for an auction’s lot.', example: 1 }),
    buyerId: uuid,
    sellerId: uuid,
    hammerPrice: money,
    buyersPremium: amount,
    total: money.meta({ description: 'hammerPrice + buyersPremium.' }),
    houseSubsidy: amount.meta({
      description:
        'What the house pays of the total, when a promotion doubled the buyer’s maximum: the buyer never pays ' +
        'more than their own maximum would have cost them. 0 otherwise.',
    }),
    amountDue: money.meta({ description: 'total − houseSubsidy: what the buyer pays.' }),
    currency,
    status: z.enum(ORDER_STATUSES),
    payBy: instant.meta({
      description:
        'Unpaid by then, the order expires: an auction’s buyer gets an unpaid strike; a sale’s hold goes to the waitlist.',
    }),
    paidAt: instant.nullable(),
    createdAt: instant,
  })
  .meta({ id: 'Order' });
export type OrderResponse = z.infer<typeof order>;

export const orderPage = z
  .object({
    items: z.array(order),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'OrderPage' });

export const offer = z
  .object({
    id: uuid,
    auctionId: uuid,
    bidderId: uuid,
    sellerId: uuid,
    amount: money.meta({ description: 'The bidder’s own maximum: the hammer price of the order accepting makes.' }),
    currency,
    status: z.enum(OFFER_STATUSES),
    expiresAt: instant,
    createdAt: instant,
    orderId: uuid.nullable().meta({ description: 'The order an acceptance made.' }),
  })
  .meta({ id: 'SecondChanceOffer' });

export const offerAnswer = z
  .object({ offer, order: order.nullable().meta({ description: 'The new order when accepted.' }) })
  .meta({ id: 'OfferAnswer' });

export const payout = z
  .object({
    orderId: uuid,
    auctionId: uuid.nullable(),
    saleId: uuid.nullable(),
    hammerPrice: money,
    sellerFee: amount.meta({ description: 'The house’s fee on the hammer price (SELLER_FEE_BPS).' }),
    amount: amount.meta({ description: 'What you are owed: hammerPrice − sellerFee.' }),
    currency,
    status: z.enum(['pending', 'cancelled']).meta({ description: 'cancelled: the payment was refunded.' }),
    createdAt: instant,
  })
  .meta({ id: 'Payout' });

export const payoutPage = z
  .object({
    items: z.array(payout),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'PayoutPage' });

export const checkout = z
  .object({
    checkoutUrl: z.url().meta({ description: 'Send the buyer here to pay.' }),
    sessionId: z.string().meta({ description: 'Stripe’s Checkout Session id.' }),
    expiresAt: instant,
  })
  .meta({ id: 'Checkout' });

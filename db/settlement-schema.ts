/**
 * Settlement's tables: orders (an auction's, a second chance's, a flash sale's claim), second-chance offers, unpaid strikes, the sellers' payouts, the Stripe
 * events applied and the checkout sessions made. The invariants the settlement workflow keeps are also
 * kept here, so no bug elsewhere can break them: one order per closed auction, at most one order
 * awaiting payment and at most one open offer per auction, never two paid orders for one auction, one
 * order per accepted offer, each Stripe event applied once.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { OFFER_STATUSES, type OfferStatus } from '../domain/settlement/offer.js';
import { ORDER_KINDS, ORDER_STATUSES, type OrderKind, type OrderStatus } from '../domain/settlement/order.js';
import { sales } from './sales-schema.js';
import { auctions, users } from './schema.js';

const money = (name: string) => bigint(name, { mode: 'number' });
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const list = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const secondChanceOffers = pgTable(
  'second_chance_offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    auctionId: uuid('auction_id')
      .notNull()
      .references(() => auctions.id),
    bidderId: uuid('bidder_id')
      .notNull()
      .references(() => users.id),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status').$type<OfferStatus>().notNull().default('open'),
    expiresAt: instant('expires_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    answeredAt: instant('answered_at'),
  },
  (t) => [
    uniqueIndex('second_chance_offers_one_open')
      .on(t.auctionId)
      .where(sql`${t.status} = 'open'`),
    // Each bidder is offered a lot once.
    uniqueIndex('second_chance_offers_auction_bidder').on(t.auctionId, t.bidderId),
    index('second_chance_offers_bidder_idx').on(t.bidderId, t.createdAt),
    check('second_chance_offers_status', sql`${t.status} IN (${list(OFFER_STATUSES)})`),
    check('second_chance_offers_amount_positive', sql`${t.amount} > 0`),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The auction an order of kind auction or second_chance is for. */
    auctionId: uuid('auction_id').references(() => auctions.id),
    /** The flash sale an order of kind sale (a claim's hold) is for. */
    saleId: uuid('sale_id').references(() => sales.id),
    kind: text('kind').$type<OrderKind>().notNull(),
    /** Units bought: 1 for an auction's lot. */
    quantity: integer('quantity').notNull().default(1),
    /** The accepted offer a second-chance order came from. */
    offerId: uuid('offer_id').references(() => secondChanceOffers.id),
    buyerId: uuid('buyer_id')
      .notNull()
      .references(() => users.id),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    hammerPrice: money('hammer_price').notNull(),
    buyersPremium: money('buyers_premium').notNull(),
    total: money('total').notNull(),
    /**
     * What the house pays of the total because a promotion doubled the buyer's maximum
     * (domain/promotions/subsidy.ts): the buyer is charged total − houseSubsidy.
     */
    houseSubsidy: money('house_subsidy').notNull().default(0),
    /** The firing whose doubling the subsidy pays for (promotion_firings.id). */
    promotionFiringId: text('promotion_firing_id'),
    currency: text('currency').notNull(),
    status: text('status').$type<OrderStatus>().notNull().default('awaiting_payment'),
    payBy: instant('pay_by').notNull(),
    paidAt: instant('paid_at'),
    /** When it left awaiting_payment other than by payment: expired, cancelled. */
    closedAt: instant('closed_at'),
    /** Why an operator paid, cancelled or extended it by hand; or why a payment was refunded. */
    statusReason: text('status_reason'),
    /** The payment that paid it (Stripe's PaymentIntent), or null when an operator marked it paid. */
    paymentIntentId: text('payment_intent_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_one_per_auction_close')
      .on(t.auctionId)
      .where(sql`${t.kind} = 'auction'`),
    uniqueIndex('orders_one_awaiting_payment')
      .on(t.auctionId)
      .where(sql`${t.status} = 'awaiting_payment'`),
    uniqueIndex('orders_one_paid')
      .on(t.auctionId)
      .where(sql`${t.status} = 'paid'`),
    uniqueIndex('orders_offer_id').on(t.offerId),
    index('orders_sale_idx').on(t.saleId, t.status),
    index('orders_buyer_idx').on(t.buyerId, t.createdAt, t.id),
    index('orders_seller_idx').on(t.sellerId, t.createdAt, t.id),
    index('orders_payment_intent_idx').on(t.paymentIntentId),
    check('orders_kind', sql`${t.kind} IN (${list(ORDER_KINDS)})`),
    check('orders_status', sql`${t.status} IN (${list(ORDER_STATUSES)})`),
    check('orders_total', sql`${t.total} = ${t.hammerPrice} + ${t.buyersPremium} AND ${t.hammerPrice} > 0`),
    check(
      'orders_sale_or_auction',
      sql`(${t.kind} = 'sale') = (${t.saleId} IS NOT NULL) AND (${t.kind} = 'sale') = (${t.auctionId} IS NULL)`,
    ),
    check('orders_house_subsidy', sql`${t.houseSubsidy} >= 0 AND ${t.houseSubsidy} < ${t.total}`),
    check('orders_quantity', sql`${t.quantity} >= 1 AND (${t.kind} = 'sale' OR ${t.quantity} = 1)`),
    check('orders_second_chance_has_offer', sql`(${t.kind} = 'second_chance') = (${t.offerId} IS NOT NULL)`),
  ],
);

/** An order its buyer let expire: a strike that counts for UNPAID_STRIKE_WINDOW_DAYS. */
export const unpaidStrikes = pgTable(
  'unpaid_strikes',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    struckAt: instant('struck_at').notNull().defaultNow(),
  },
  (t) => [index('unpaid_strikes_user_idx').on(t.userId, t.struckAt)],
);

/** What a paid order owes its seller. Moving the money (Stripe Connect) is not built: docs/settlement.md. */
export const payouts = pgTable(
  'payouts',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id),
    hammerPrice: money('hammer_price').notNull(),
    sellerFee: money('seller_fee').notNull(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    /** pending: owed; cancelled: the payment was refunded. */
    status: text('status').$type<'pending' | 'cancelled'>().notNull().default('pending'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('payouts_seller_idx').on(t.sellerId, t.createdAt, t.orderId),
    check('payouts_status', sql`${t.status} IN ('pending', 'cancelled')`),
    check('payouts_amount', sql`${t.amount} = ${t.hammerPrice} - ${t.sellerFee}`),
  ],
);

/** Every Stripe event applied, by its id: a repeat is answered 200 and changes nothing. */
export const stripeEvents = pgTable(
  'stripe_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    orderId: uuid('order_id'),
    /**
     * The payment it is about: a refund Stripe reports before the payment's own event (webhooks come in
     * any order) is found here, so that payment never marks an order paid.
     */
    paymentIntentId: text('payment_intent_id'),
    /** What applying it did: paid, refunded, ignored, ... */
    outcome: text('outcome').notNull(),
    appliedAt: instant('applied_at').notNull().defaultNow(),
  },
  (t) => [index('stripe_events_payment_intent_idx').on(t.paymentIntentId, t.type)],
);

/** The Checkout Sessions made for an order, one per attempt (the idempotency key's second half). */
export const checkoutSessions = pgTable(
  'checkout_sessions',
  {
    id: text('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    attempt: integer('attempt').notNull(),
    url: text('url').notNull(),
    expiresAt: instant('expires_at').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('checkout_sessions_order_attempt').on(t.orderId, t.attempt)],
);

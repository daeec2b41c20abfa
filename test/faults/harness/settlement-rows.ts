/**
 * The rows the settlement checks read, for a scenario's sales: their auctions, bids, orders, offers,
 * strikes, payouts and settlement notices, and the Stripe events it delivered.
 */
import type pg from 'pg';

export interface OrderRow {
  id: string;
  auction_id: string;
  kind: 'auction' | 'second_chance';
  offer_id: string | null;
  buyer_id: string;
  seller_id: string;
  hammer_price: string;
  status: string;
  pay_by: Date;
  paid_at: Date | null;
  closed_at: Date | null;
  status_reason: string | null;
  payment_intent_id: string | null;
  created_at: Date;
}

export interface OfferRow {
  id: string;
  auction_id: string;
  bidder_id: string;
  amount: string;
  status: string;
  created_at: Date;
  answered_at: Date | null;
}

export interface NoticeRow {
  user_id: string;
  auction_id: string;
  type: string;
  data: { orderId?: string; offerId?: string };
}

export const ORDER_NOTICES = ['payment_due', 'payment_reminder', 'order_paid', 'order_unpaid', 'order_cancelled'];
export const OFFER_NOTICES = ['second_chance_offer', 'second_chance_answered'];

export type SettlementRows = Awaited<ReturnType<typeof readSettlementRows>>;

export async function readSettlementRows(pool: pg.Pool, auctionIds: readonly string[], eventIds: readonly string[]) {
  const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[]) =>
    (await pool.query<T>(text, values)).rows;
  const orders = await q<OrderRow>(
    `SELECT id, auction_id, kind, offer_id, buyer_id, seller_id, hammer_price, status, pay_by, paid_at, closed_at,
            status_reason, payment_intent_id, created_at
       FROM orders WHERE auction_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [auctionIds],
  );
  const offers = await q<OfferRow>(
    `SELECT id, auction_id, bidder_id, amount, status, created_at, answered_at
       FROM second_chance_offers WHERE auction_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [auctionIds],
  );
  const orderIds = orders.map((o) => o.id);
  const strikes = await q<{ order_id: string; user_id: string }>(
    'SELECT order_id, user_id FROM unpaid_strikes WHERE order_id = ANY($1::uuid[])',
    [orderIds],
  );
  const payouts = await q<{ order_id: string; status: string }>(
    'SELECT order_id, status FROM payouts WHERE order_id = ANY($1::uuid[])',
    [orderIds],
  );
  const auctions = await q<{ id: string; winner_id: string | null; final_price: string | null; order_id: string }>(
    'SELECT id, winner_id, final_price, order_id FROM auctions WHERE id = ANY($1::uuid[])',
    [auctionIds],
  );
  const bids = await q<{ auction_id: string; bidder_id: string; max_amount: string; seq: number }>(
    'SELECT auction_id, bidder_id, max_amount, seq FROM bids WHERE auction_id = ANY($1::uuid[])',
    [auctionIds],
  );
  const notices = await q<NoticeRow>(
    'SELECT user_id, auction_id, type, data FROM notifications WHERE auction_id = ANY($1::uuid[]) AND type = ANY($2)',
    [auctionIds, [...ORDER_NOTICES, ...OFFER_NOTICES]],
  );
  const events = await q<{ id: string; order_id: string | null; outcome: string }>(
    'SELECT id, order_id, outcome FROM stripe_events WHERE id = ANY($1)',
    [eventIds],
  );
  return { orders, offers, strikes, payouts, auctions, bids, notices, events };
}

export const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};
export const groupBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

/** An order that ran out unpaid: expired, or refunded afterwards because a payment came too late. */
export const expiredUnpaid = (o: OrderRow) =>
  o.status === 'expired' || (o.status === 'refunded' && (o.status_reason ?? '').startsWith('paid when expired'));

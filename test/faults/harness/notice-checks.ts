/** The notifications' side of the settlement's invariants. */
import { reminderTimes } from '../../../domain/settlement/reminders.js';
import {
  countBy,
  expiredUnpaid,
  OFFER_NOTICES,
  type NoticeRow,
  type OfferRow,
  type OrderRow,
} from './settlement-rows.js';

/**
 * One notification per occurrence per user: what happened (from the rows) says which are due, each
 * once; a reminder at most once per moment the window has. Anything else is a duplicate or a stray.
 */
export function noticeViolations(
  orders: readonly OrderRow[],
  offers: readonly OfferRow[],
  notices: readonly NoticeRow[],
): string[] {
  const key = (userId: string, type: string, subject: string | undefined) => `${type} to ${userId} for ${subject}`;
  const due = new Map<string, { min: number; max: number }>();
  const exactly = (k: string) => due.set(k, { min: 1, max: 1 });
  for (const order of orders) {
    exactly(key(order.buyer_id, 'payment_due', order.id));
    const moments = reminderTimes(order.created_at.getTime(), order.pay_by.getTime()).length;
    due.set(key(order.buyer_id, 'payment_reminder', order.id), { min: 0, max: moments });
    if (expiredUnpaid(order))
      for (const user of [order.buyer_id, order.seller_id]) exactly(key(user, 'order_unpaid', order.id));
    if (order.status === 'paid')
      for (const user of [order.buyer_id, order.seller_id]) exactly(key(user, 'order_paid', order.id));
  }
  const sellerOf = new Map(orders.map((o) => [o.auction_id, o.seller_id]));
  for (const offer of offers) {
    exactly(key(offer.bidder_id, 'second_chance_offer', offer.id));
    if (offer.status !== 'open') exactly(key(sellerOf.get(offer.auction_id)!, 'second_chance_answered', offer.id));
  }
  const seen = countBy(notices, (n) =>
    key(n.user_id, n.type, OFFER_NOTICES.includes(n.type) ? n.data.offerId : n.data.orderId),
  );
  const violations: string[] = [];
  for (const [k, n] of Object.entries(seen)) {
    const bounds = due.get(k);
    if (!bounds) violations.push(`a notification that should not exist: ${k}`);
    else if (n > bounds.max) violations.push(`${n} notifications of ${k}`);
  }
  for (const [k, bounds] of due) if ((seen[k] ?? 0) < bounds.min) violations.push(`no notification of ${k}`);
  return violations;
}

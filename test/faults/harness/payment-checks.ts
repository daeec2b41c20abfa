/**
 * Stripe's side of the invariants: each event answered 2xx and applied once (one outcome, recorded),
 * and each payment ends as its order's (paid by it) or refunded, never both.
 */
import { groupBy, type SettlementRows } from './settlement-rows.js';
import type { Delivery } from './stripe-deliverer.js';

const REFUND_OUTCOMES = new Set(['refunded', 'amount_mismatch_refunded', 'unknown_order_refunded']);
const KEPT_OUTCOMES = new Set(['paid', 'already_paid']);
/** The event types the webhook applies (others are answered 200 and not recorded). */
const APPLIED_TYPES = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'charge.refunded',
]);

export function paymentViolations(
  { orders, events }: Pick<SettlementRows, 'orders' | 'events'>,
  deliveries: readonly Delivery[],
): string[] {
  const violations: string[] = [];
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const eventRow = new Map(events.map((e) => [e.id, e]));
  for (const [eventId, copies] of groupBy(deliveries, (d) => d.eventId)) {
    const fail = (what: string) => violations.push(`event ${eventId} (${copies[0]!.type}): ${what}`);
    if (copies.some((c) => c.outcome === null))
      fail(`a copy never answered 2xx: ${JSON.stringify(copies.map((c) => c.answers))}`);
    const applied = copies.filter((c) => c.outcome !== null && c.outcome !== 'already_applied');
    if (applied.length > 1) fail(`applied ${applied.length} times`);
    const row = eventRow.get(eventId);
    if (!APPLIED_TYPES.has(copies[0]!.type)) continue;
    if (!row || row.outcome === 'applying') {
      fail(`not recorded as applied (${row?.outcome ?? 'no row'})`);
      continue;
    }
    if (applied[0] && applied[0].outcome !== row.outcome)
      fail(`answered ${applied[0].outcome}, recorded ${row.outcome}`);
    const { payment, paymentIntentId, orderId } = copies[0]!;
    if (!payment || !paymentIntentId) continue;
    const keptBy = orders.filter((o) => o.payment_intent_id === paymentIntentId);
    if (KEPT_OUTCOMES.has(row.outcome)) {
      const order = orderId ? orderById.get(orderId) : undefined;
      if (order?.status !== 'paid' || order.payment_intent_id !== paymentIntentId) {
        fail(
          `payment ${paymentIntentId} was ${row.outcome} but order ${orderId} is ${order?.status} by ${order?.payment_intent_id}`,
        );
      }
    } else if (REFUND_OUTCOMES.has(row.outcome)) {
      if (keptBy.length > 0) fail(`payment ${paymentIntentId} was refunded, yet it paid order ${keptBy[0]!.id}`);
    } else {
      fail(`payment ${paymentIntentId} is neither any order's nor refunded: ${row.outcome}`);
    }
  }
  for (const order of orders.filter((o) => o.status === 'paid' && o.payment_intent_id)) {
    const payers = events.filter((e) => e.order_id === order.id && e.outcome === 'paid');
    if (payers.length !== 1) violations.push(`order ${order.id} is paid by ${payers.length} applied payments`);
  }
  return violations;
}

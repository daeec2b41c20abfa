/**
 * Applying a payment to an order: the one place an order becomes paid, whether Stripe's webhook or an
 * operator says so. The order's row lock decides between a payment and the expiry (which takes the same
 * lock by its conditional update): whichever commits first wins, and a payment that finds the order no
 * longer payable is the caller's to refund. A paid order records the seller's payout in the same
 * transaction.
 */
import { and, eq } from 'drizzle-orm';
import { sellerPayout } from '../domain/settlement/amounts.js';
import { isPayable, type Order, type PaymentSource } from '../domain/settlement/order.js';
import type { Database } from './pool.js';
import { orders, payouts } from './settlement-schema.js';
import { toOrder } from './settlement-rows.js';

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export type PaymentOutcome =
  /** The order was awaiting payment and now is paid. */
  | { outcome: 'paid'; order: Order }
  /** The same payment was applied before (a repeated or a second event for it). */
  | { outcome: 'already_paid'; order: Order }
  /** Not payable (expired, cancelled, refunded, or paid by another payment): refund this one. */
  | { outcome: 'not_payable'; order: Order };

/** Locks the order's row for the rest of the transaction; null when there is no such order. */
export async function lockOrder(tx: Transaction, orderId: string): Promise<Order | null> {
  const [row] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
  return row ? toOrder(row) : null;
}

export async function applyPayment(
  tx: Transaction,
  order: Order,
  source: PaymentSource,
  sellerFeeBps: number,
): Promise<PaymentOutcome> {
  if (!isPayable(order.status)) {
    const [row] = await tx.select({ pi: orders.paymentIntentId }).from(orders).where(eq(orders.id, order.id));
    const same = source.via === 'stripe' && order.status === 'paid' && row?.pi === source.paymentIntentId;
    return { outcome: same ? 'already_paid' : 'not_payable', order };
  }
  const [paid] = await tx
    .update(orders)
    .set({
      status: 'paid',
      paidAt: new Date(),
      paymentIntentId: source.via === 'stripe' ? source.paymentIntentId : null,
      statusReason: source.via === 'ops' ? `marked paid by hand: ${source.reason}` : null,
    })
    .where(and(eq(orders.id, order.id), eq(orders.status, 'awaiting_payment')))
    .returning();
  const payout = sellerPayout(order.hammerPrice, sellerFeeBps);
  await tx.insert(payouts).values({
    orderId: order.id,
    sellerId: order.sellerId,
    hammerPrice: order.hammerPrice,
    sellerFee: payout.sellerFee,
    amount: payout.amount,
    currency: order.currency,
  });
  return { outcome: 'paid', order: toOrder(paid!) };
}

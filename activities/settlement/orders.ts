/**
 * The live order's side effects: open it at a sold close, remind, expire (with the strike), and the
 * operators' hand payments, cancels and extensions. Each is idempotent: a retry finds the row already
 * changed and answers what it is now.
 */
import { and, eq, lt } from 'drizzle-orm';
import { publish } from '../../config/redis-pubsub.js';
import type { RedisClient } from '../../config/redis.js';
import { appendAuditEntry } from '../../db/audit-log.js';
import { applyPayment, lockOrder } from '../../db/order-payments.js';
import type { Database } from '../../db/pool.js';
import { auctions } from '../../db/schema.js';
import { orders, unpaidStrikes } from '../../db/settlement-schema.js';
import { toOrder } from '../../db/settlement-rows.js';
import { orderAmounts } from '../../domain/settlement/amounts.js';
import type { Order, OrderStatus } from '../../domain/settlement/order.js';
import { BIDDING_BLOCKS_CHANNEL } from '../../domain/settlement/strikes.js';
import type { OrderClock } from '../../domain/settlement/workflow.js';
import type { SettlementNotices } from './notices.js';
import { subsidyForOrder } from '../promotions/order-subsidy.js';

export interface SettlementOptions {
  sellerFeeBps: number;
  offerWindowSeconds: number;
  sellerDecisionSeconds: number;
}

export interface OpenedOrder {
  order: OrderClock;
  autoSecondChance: boolean;
  offerWindowSeconds: number;
  sellerDecisionSeconds: number;
}

export const orderClock = (order: Order): OrderClock => ({
  id: order.id,
  buyerId: order.buyerId,
  createdAt: order.createdAt,
  payBy: order.payBy,
});

export function createOrderActivities(
  db: Database,
  redis: RedisClient,
  notices: SettlementNotices,
  options: SettlementOptions,
) {
  // A settlement's orders are an auction's (a sale's are the sale workflow's): null only for the types' sake.
  const titleOf = async (auctionId: string | null) => {
    if (auctionId === null) return '';
    const [row] = await db.select({ title: auctions.title }).from(auctions).where(eq(auctions.id, auctionId));
    return row?.title ?? '';
  };
  const readOrder = async (orderId: string) => {
    const [row] = await db.select().from(orders).where(eq(orders.id, orderId));
    if (!row) throw new Error(`no order ${orderId}`);
    return toOrder(row);
  };

  return {
    /** The winner's order, made once per auction however often this runs (its settlement announces it). */
    async openAuctionOrder(input: { auctionId: string; buyerId: string; hammerPrice: number }): Promise<OpenedOrder> {
      const { order, auction } = await db.transaction(async (tx) => {
        const [auction] = await tx.select().from(auctions).where(eq(auctions.id, input.auctionId)).for('update');
        if (!auction) throw new Error(`no auction ${input.auctionId}`);
        const [existing] = await tx
          .select()
          .from(orders)
          .where(and(eq(orders.auctionId, input.auctionId), eq(orders.kind, 'auction')));
        if (existing) return { order: toOrder(existing), auction };
        const amounts = orderAmounts(input.hammerPrice, auction.buyersPremiumBps);
        const subsidy = await subsidyForOrder(tx, { ...input, buyersPremiumBps: auction.buyersPremiumBps });
        const now = new Date();
        const [created] = await tx
          .insert(orders)
          .values({
            auctionId: input.auctionId,
            kind: 'auction',
            buyerId: input.buyerId,
            sellerId: auction.sellerId,
            ...amounts,
            ...subsidy,
            currency: auction.currency,
            payBy: new Date(now.getTime() + auction.paymentWindowSeconds * 1000),
            createdAt: now,
          })
          .returning();
        await tx.update(auctions).set({ orderId: created!.id }).where(eq(auctions.id, input.auctionId));
        return { order: toOrder(created!), auction };
      });
      return {
        order: orderClock(order),
        autoSecondChance: auction.autoSecondChance,
        offerWindowSeconds: options.offerWindowSeconds,
        sellerDecisionSeconds: options.sellerDecisionSeconds,
      };
    },

    /**
     * The settlement's first step: tells the buyer to pay, and answers the order's status, which a
     * payment may already have changed before the settlement existed to hear of it.
     */
    async announceOrder({ orderId }: { orderId: string }): Promise<OrderStatus> {
      const order = await readOrder(orderId);
      if (order.status === 'awaiting_payment') {
        await notices.order('payment_due', order, await titleOf(order.auctionId));
      }
      return order.status;
    },

    async readOrderStatus({ orderId }: { orderId: string }): Promise<OrderStatus> {
      return (await readOrder(orderId)).status;
    },

    /** A reminder for one moment, unless the order is no longer waiting for its payment. */
    async remindPayment({ orderId, atMs }: { orderId: string; atMs: number }): Promise<void> {
      const order = await readOrder(orderId);
      if (order.status !== 'awaiting_payment') return;
      await notices.order('payment_reminder', order, await titleOf(order.auctionId), { moment: atMs });
    },

    /**
     * payBy has come: an order still awaiting payment expires, its buyer gets a strike (and the audit log
     * an entry for it, in the same transaction), and both parties hear of it. A payment that won the row
     * lock first leaves it paid, and that is the answer. A retry finds the order expired already and
     * writes neither again.
     */
    async expireOrder({ orderId }: { orderId: string }): Promise<OrderStatus> {
      const expired = await db.transaction(async (tx) => {
        const [row] = await tx
          .update(orders)
          .set({ status: 'expired', closedAt: new Date() })
          .where(and(eq(orders.id, orderId), eq(orders.status, 'awaiting_payment')))
          .returning();
        if (!row) return null;
        const struck = await tx
          .insert(unpaidStrikes)
          .values({ orderId, userId: row.buyerId })
          .onConflictDoNothing()
          .returning({ orderId: unpaidStrikes.orderId });
        if (struck.length > 0) {
          await appendAuditEntry(tx, {
            actorId: null,
            action: 'unpaid_strike',
            targetType: 'user',
            targetId: row.buyerId,
            reason: 'The order was not paid by its payBy',
            details: { orderId, auctionId: row.auctionId, kind: row.kind },
            requestId: null,
          });
        }
        return toOrder(row);
      });
      const order = expired ?? (await readOrder(orderId));
      if (order.status === 'expired') {
        await publish(redis, BIDDING_BLOCKS_CHANNEL, order.buyerId);
        await notices.order('order_unpaid', order, await titleOf(order.auctionId), { toSeller: true });
      }
      return order.status;
    },

    async notifyOrderPaid({ orderId }: { orderId: string }): Promise<void> {
      const order = await readOrder(orderId);
      if (order.status !== 'paid') return;
      await notices.order('order_paid', order, await titleOf(order.auctionId), { toSeller: true });
    },

    async markOrderPaidByHand({ orderId, reason }: { orderId: string; reason: string }): Promise<OrderStatus> {
      const outcome = await db.transaction(async (tx) => {
        const order = await lockOrder(tx, orderId);
        if (!order) throw new Error(`no order ${orderId}`);
        return applyPayment(tx, order, { via: 'ops', reason }, options.sellerFeeBps);
      });
      return outcome.order.status;
    },

    /** Voids an order awaiting payment; its buyer gets no strike. */
    async cancelOrder({ orderId, reason }: { orderId: string; reason: string }): Promise<OrderStatus> {
      const [row] = await db
        .update(orders)
        .set({ status: 'cancelled', closedAt: new Date(), statusReason: reason })
        .where(and(eq(orders.id, orderId), eq(orders.status, 'awaiting_payment')))
        .returning();
      const order = row ? toOrder(row) : await readOrder(orderId);
      if (order.status === 'cancelled') {
        await notices.order('order_cancelled', order, await titleOf(order.auctionId), { toSeller: true, reason });
      }
      return order.status;
    },

    /** A later payBy for an order still awaiting payment; an earlier or equal one changes nothing. */
    async extendPayBy(input: {
      orderId: string;
      payBy: string;
      reason: string;
    }): Promise<{ status: OrderStatus; payBy: string }> {
      const payBy = new Date(input.payBy);
      if (!Number.isNaN(payBy.getTime())) {
        await db
          .update(orders)
          .set({ payBy, statusReason: `payBy extended: ${input.reason}` })
          .where(and(eq(orders.id, input.orderId), eq(orders.status, 'awaiting_payment'), lt(orders.payBy, payBy)));
      }
      const order = await readOrder(input.orderId);
      return { status: order.status, payBy: order.payBy };
    },
  };
}

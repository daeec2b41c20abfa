/**
 * Second-chance offers: the next distinct bidder by maximum gets the lot at their own maximum, and an
 * acceptance makes an order with a window of its own. The auction's row lock serialises every change
 * to which order or offer is live; the partial unique indexes on both tables back it.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { auctions, bids } from '../../db/schema.js';
import { orders, secondChanceOffers } from '../../db/settlement-schema.js';
import { toOffer, toOrder } from '../../db/settlement-rows.js';
import { orderAmounts } from '../../domain/settlement/amounts.js';
import { nextSecondChanceCandidate, type Offer, type OfferStatus } from '../../domain/settlement/offer.js';
import type { StrikePolicy } from '../../domain/settlement/strikes.js';
import type { OfferAnswerResult } from '../../domain/settlement/workflow.js';
import type { SettlementNotices } from './notices.js';

export function createOfferActivities(db: Database, notices: SettlementNotices, strikes: StrikePolicy) {
  const titleOf = async (auctionId: string) => {
    const [row] = await db.select({ title: auctions.title }).from(auctions).where(eq(auctions.id, auctionId));
    return row?.title ?? '';
  };
  const orderIdOf = async (offerId: string) => {
    const [row] = await db.select({ id: orders.id }).from(orders).where(eq(orders.offerId, offerId));
    return row?.id ?? null;
  };

  return {
    /**
     * Offers the lot to the next bidder who has had neither an order nor an offer for it (and is not
     * barred from bidding); null when nobody is left. Refuses while an order is live. An open offer is
     * this call's own, made by an attempt that committed but never reported (its worker died, or the
     * notice failed): the settlement asks only when nothing is live, so it is answered again.
     */
    async makeSecondChanceOffer(input: { auctionId: string; offerWindowSeconds: number }): Promise<Offer | null> {
      const made = await db.transaction(async (tx) => {
        const [auction] = await tx.select().from(auctions).where(eq(auctions.id, input.auctionId)).for('update');
        if (!auction) throw new Error(`no auction ${input.auctionId}`);
        const [open] = await tx
          .select()
          .from(secondChanceOffers)
          .where(and(eq(secondChanceOffers.auctionId, input.auctionId), eq(secondChanceOffers.status, 'open')));
        if (open) return { offer: toOffer(open, null), title: auction.title };
        const [live] = await tx
          .select({ id: orders.id })
          .from(orders)
          .where(and(eq(orders.auctionId, input.auctionId), inArray(orders.status, ['awaiting_payment', 'paid'])));
        if (live) throw new Error(`auction ${input.auctionId} already has a live order`);
        const had = await tx.execute<{ user_id: string }>(sql`
          SELECT buyer_id AS user_id FROM orders WHERE auction_id = ${input.auctionId}
          UNION SELECT bidder_id FROM second_chance_offers WHERE auction_id = ${input.auctionId}
          UNION SELECT user_id FROM unpaid_strikes
           WHERE struck_at > now() - make_interval(days => ${strikes.windowDays})
           GROUP BY user_id HAVING count(*) >= ${strikes.toBlock}`);
        const excluded = new Set([auction.sellerId, ...had.rows.map((r) => r.user_id)]);
        if (auction.winnerId) excluded.add(auction.winnerId);
        const maxima = await tx
          .select({ bidderId: bids.bidderId, maxAmount: bids.maxAmount, seq: bids.seq })
          .from(bids)
          // A retracted or voided bid was never an offer to buy: it makes no second-chance candidate.
          .where(and(eq(bids.auctionId, input.auctionId), isNull(bids.retractedBySeq)));
        const candidate = nextSecondChanceCandidate(maxima, excluded);
        if (!candidate) return null;
        const [row] = await tx
          .insert(secondChanceOffers)
          .values({
            auctionId: input.auctionId,
            bidderId: candidate.bidderId,
            sellerId: auction.sellerId,
            amount: candidate.amount,
            currency: auction.currency,
            expiresAt: new Date(Date.now() + input.offerWindowSeconds * 1000),
          })
          .returning();
        return { offer: toOffer(row!, null), title: auction.title };
      });
      if (!made) return null;
      await notices.offer('second_chance_offer', made.offer, made.title);
      return made.offer;
    },

    /** Accepts (an order with its own payment window) or declines an open offer; a retry answers the same. */
    async answerOffer({ offerId, accept }: { offerId: string; accept: boolean }): Promise<OfferAnswerResult> {
      const answered = await db.transaction(async (tx) => {
        const [current] = await tx.select().from(secondChanceOffers).where(eq(secondChanceOffers.id, offerId));
        if (!current) throw new Error(`no offer ${offerId}`);
        const [auction] = await tx.select().from(auctions).where(eq(auctions.id, current.auctionId)).for('update');
        const [row] = await tx
          .update(secondChanceOffers)
          .set({ status: accept ? 'accepted' : 'declined', answeredAt: new Date() })
          .where(and(eq(secondChanceOffers.id, offerId), eq(secondChanceOffers.status, 'open')))
          .returning();
        if (!row) return { offer: current, order: null };
        if (!accept) return { offer: row, order: null };
        const now = new Date();
        const [order] = await tx
          .insert(orders)
          .values({
            auctionId: row.auctionId,
            kind: 'second_chance',
            offerId: row.id,
            buyerId: row.bidderId,
            sellerId: row.sellerId,
            ...orderAmounts(row.amount, auction!.buyersPremiumBps),
            currency: row.currency,
            payBy: new Date(now.getTime() + auction!.paymentWindowSeconds * 1000),
            createdAt: now,
          })
          .returning();
        return { offer: row, order: toOrder(order!) };
      });
      const orderId = answered.order?.id ?? (await orderIdOf(offerId));
      const offer = toOffer(answered.offer, orderId);
      const [orderRow] = orderId ? await db.select().from(orders).where(eq(orders.id, orderId)) : [];
      const order = orderRow ? toOrder(orderRow) : null;
      const title = await titleOf(offer.auctionId);
      await notices.offer('second_chance_answered', offer, title);
      if (order) await notices.order('payment_due', order, title);
      return { offer, order };
    },

    /** The offer's window has passed unanswered; the seller hears of it. */
    async expireOffer({ offerId }: { offerId: string }): Promise<OfferStatus> {
      const [row] = await db
        .update(secondChanceOffers)
        .set({ status: 'expired', answeredAt: new Date() })
        .where(and(eq(secondChanceOffers.id, offerId), eq(secondChanceOffers.status, 'open')))
        .returning();
      const [current] = row
        ? [row]
        : await db.select().from(secondChanceOffers).where(eq(secondChanceOffers.id, offerId));
      if (!current) throw new Error(`no offer ${offerId}`);
      if (current.status === 'expired') {
        await notices.offer('second_chance_answered', toOffer(current, null), await titleOf(current.auctionId));
      }
      return current.status;
    },
  };
}

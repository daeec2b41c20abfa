/**
 * What must hold of a settlement after any fault, checked against Postgres (the final rows and the
 * history their timestamps tell), the workflow's own record and what Stripe was answered:
 *   - one auction order per sale, for the winner at the hammer price;
 *   - at most one order awaiting payment and one open offer per auction, at any time: the lives of its
 *     orders and offers never overlap, and none is left live once the settlement is over;
 *   - offers in bidder order by maximum; each second-chance order from one accepted offer;
 *   - each order that expired has exactly one strike (its buyer's), no other order has one;
 *   - never two paid orders for an auction; a paid order has its payout, no other order has one;
 *   - each Stripe event answered 2xx and applied once; every payment ends as the order's (paid) or
 *     refunded, never both;
 *   - one notification per occurrence per user, none missing, none for what did not happen;
 *   - the workflow's orders and offers are Postgres's, its phase says whether one was paid, and it
 *     hears of a payment made before payBy at once, not only when payBy comes.
 * Each broken promise is a line in `violations`, naming the sale (payment-checks.ts and notice-checks.ts
 * check Stripe's events and the notifications).
 */
import type pg from 'pg';
import { secondChanceCandidates } from '../../../domain/settlement/offer.js';
import { noticeViolations } from './notice-checks.js';
import { paymentViolations } from './payment-checks.js';
import { winnerOf, type Sale } from './sales.js';
import { countBy, expiredUnpaid, groupBy, readSettlementRows } from './settlement-rows.js';
import type { Settled } from './settlement-workflows.js';
import type { Delivery } from './stripe-deliverer.js';

export interface SettlementVerdict {
  violations: string[];
  /** Each sale's settlement in order of events, bidders named by rank (b0 bid the least): for the reader. */
  stories: string[];
  /**
   * Sales whose settlement did not go as their people's plans say (not an invariant: the scenario did
   * not test what it meant to, such as an acceptance that never reached the workflow).
   */
  unplanned: string[];
  orders: { auction: number; secondChance: number };
  /** Orders by final status. */
  statuses: Record<string, number>;
  strikes: number;
  /** Offers by final status. */
  offers: Record<string, number>;
  /** Settlements by final phase (`unfinished` when one had not ended). */
  phases: Record<string, number>;
  /** Stripe events: copies delivered, distinct events, and copies answered `already_applied`. */
  events: { copies: number; distinct: number; repeats: number };
  notifications: number;
}

export async function verifySettlements(
  pool: pg.Pool,
  sales: readonly Sale[],
  settled: ReadonlyMap<string, Settled>,
  deliveries: readonly Delivery[],
): Promise<SettlementVerdict> {
  const rows = await readSettlementRows(
    pool,
    sales.map((s) => s.auctionId),
    [...new Set(deliveries.map((d) => d.eventId))],
  );
  const { orders, offers, strikes, payouts, auctions, bids, notices } = rows;

  const violations: string[] = [];
  const stories: string[] = [];
  const unplanned: string[] = [];
  const ordersOf = groupBy(orders, (o) => o.auction_id);
  const offersOf = groupBy(offers, (o) => o.auction_id);
  const bidsOf = groupBy(bids, (b) => b.auction_id);
  const strikesOf = groupBy(strikes, (s) => s.order_id);
  const payoutOf = new Map(payouts.map((p) => [p.order_id, p]));
  const auctionOf = new Map(auctions.map((a) => [a.id, a]));
  const offerById = new Map(offers.map((o) => [o.id, o]));

  for (const sale of sales) {
    const fail = (what: string) => violations.push(`${sale.label}: ${what}`);
    const mine = ordersOf.get(sale.auctionId) ?? [];
    const myOffers = offersOf.get(sale.auctionId) ?? [];
    const auction = auctionOf.get(sale.auctionId);
    const winner = winnerOf(sale);
    const rank = (userId: string) => `b${sale.bidders.findIndex((b) => b.id === userId)}`;
    const story = [
      ...mine.map((o) => ({ at: o.created_at, text: `${rank(o.buyer_id)} order ${o.status}` })),
      ...myOffers.map((o) => ({ at: o.created_at, text: `${rank(o.bidder_id)} offer ${o.status}` })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
    const told = story.map((e) => e.text).join(', ');
    stories.push(`${sale.label}: ${told}`);
    if (told !== sale.story) unplanned.push(`${sale.label}: ${told}; planned: ${sale.story}`);

    // One auction order per sale, the winner's at the hammer price, named by the auction.
    const auctionOrders = mine.filter((o) => o.kind === 'auction');
    if (auctionOrders.length !== 1) fail(`${auctionOrders.length} auction orders`);
    const first = auctionOrders[0];
    if (first && (first.buyer_id !== winner.id || first.hammer_price !== auction?.final_price)) {
      fail(`the auction order is ${first.buyer_id} at ${first.hammer_price}, not the winner at the hammer price`);
    }
    if (first && auction?.order_id !== first.id) fail(`the auction names order ${auction?.order_id}, not ${first.id}`);

    // At most one live order or offer at any time: their lives, in order of birth, never overlap.
    const lives = [
      ...mine.map((o) => ({ what: `order ${o.id}`, from: o.created_at, to: o.paid_at ?? o.closed_at, live: o.status })),
      ...myOffers.map((o) => ({ what: `offer ${o.id}`, from: o.created_at, to: o.answered_at, live: o.status })),
    ].sort((a, b) => a.from.getTime() - b.from.getTime());
    for (const [i, life] of lives.entries()) {
      const isLive = life.live === 'awaiting_payment' || life.live === 'open';
      if (!isLive && !life.to) fail(`${life.what} is ${life.live} with no time it stopped being live`);
      const before = lives[i - 1];
      if (before && (!before.to || before.to.getTime() > life.from.getTime())) {
        fail(`${life.what} began while ${before.what} was still live`);
      }
    }
    const live = mine.filter((o) => o.status === 'awaiting_payment').length;
    const open = myOffers.filter((o) => o.status === 'open').length;
    if (live + open > 0) fail(`left live after the settlement: ${live} orders awaiting payment, ${open} open offers`);

    // Offers in bidder order by maximum, each at that bidder's maximum.
    const expected = secondChanceCandidates(
      (bidsOf.get(sale.auctionId) ?? []).map((b) => ({
        bidderId: b.bidder_id,
        maxAmount: Number(b.max_amount),
        seq: b.seq,
      })),
      new Set([sale.seller.id, winner.id]),
    );
    const made = myOffers.map((o) => `${o.bidder_id}@${o.amount}`).join(' ');
    const due = expected
      .slice(0, myOffers.length)
      .map((c) => `${c.bidderId}@${c.amount}`)
      .join(' ');
    if (made !== due) fail(`offers went ${made}, not in bidder order ${due}`);

    // Each second-chance order from one accepted offer, to its bidder at its amount.
    for (const order of mine.filter((o) => o.kind === 'second_chance')) {
      const offer = order.offer_id ? offerById.get(order.offer_id) : undefined;
      if (offer?.status !== 'accepted' || offer.bidder_id !== order.buyer_id || offer.amount !== order.hammer_price) {
        fail(`second-chance order ${order.id} does not come from an accepted offer to its buyer at its price`);
      }
    }
    for (const offer of myOffers.filter((o) => o.status === 'accepted')) {
      const made = mine.filter((o) => o.offer_id === offer.id).length;
      if (made !== 1) fail(`accepted offer ${offer.id} made ${made} orders`);
    }

    // Strikes: one per order that expired unpaid, its buyer's; none for any other.
    for (const order of mine) {
      const its = strikesOf.get(order.id) ?? [];
      const want = expiredUnpaid(order) ? 1 : 0;
      if (its.length !== want || its.some((s) => s.user_id !== order.buyer_id)) {
        fail(`order ${order.id} (${order.status}) has ${its.length} strikes, not ${want}`);
      }
    }

    // Never two paid; a paid order has its payout owed, no other order has one.
    const paid = mine.filter((o) => o.status === 'paid');
    if (paid.length > 1) fail(`${paid.length} paid orders`);
    for (const order of mine) {
      const owed = payoutOf.get(order.id)?.status === 'pending';
      if (owed !== (order.status === 'paid'))
        fail(`order ${order.id} is ${order.status} with a payout ${owed ? 'owed' : 'missing'}`);
    }

    // The workflow's record is Postgres's.
    const outcome = settled.get(sale.auctionId);
    const state = outcome?.state;
    if (!state) {
      fail('the settlement did not end');
    } else {
      const ids = (rows: { id: string }[]) => rows.map((r) => r.id).join(',');
      if (state.orderIds.join(',') !== ids(mine))
        fail(`the workflow's orders ${state.orderIds.join(',')} are not Postgres's`);
      if (state.offerIds.join(',') !== ids(myOffers))
        fail(`the workflow's offers ${state.offerIds.join(',')} are not Postgres's`);
      const phase = paid.length === 1 ? 'paid' : 'closed';
      if (state.phase !== phase) fail(`the settlement ended ${state.phase}, Postgres says ${phase}`);
      // Told by the webhook, it ends at once: not when payBy comes and the expiry finds the order paid.
      // (A payment after payBy, into an order nobody expired yet, is still taken: no claim on when.)
      const endedAt = outcome.endedAtMs ?? Infinity;
      for (const order of paid.filter((o) => o.paid_at && o.paid_at < o.pay_by)) {
        if (endedAt >= order.pay_by.getTime())
          fail(`the settlement heard of order ${order.id}'s payment only at payBy`);
      }
    }
  }

  violations.push(...paymentViolations(rows, deliveries), ...noticeViolations(orders, offers, notices));

  const settledStates = sales.map((s) => settled.get(s.auctionId)?.state?.phase ?? 'unfinished');
  return {
    violations,
    stories,
    unplanned,
    orders: {
      auction: orders.filter((o) => o.kind === 'auction').length,
      secondChance: orders.filter((o) => o.kind === 'second_chance').length,
    },
    statuses: countBy(orders, (o) => o.status),
    strikes: strikes.length,
    offers: countBy(offers, (o) => o.status),
    phases: countBy(settledStates, (p) => p),
    events: {
      copies: deliveries.length,
      distinct: new Set(deliveries.map((d) => d.eventId)).size,
      repeats: deliveries.filter((d) => d.outcome === 'already_applied').length,
    },
    notifications: notices.length,
  };
}

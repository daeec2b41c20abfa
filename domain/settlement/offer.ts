/**
 * Second-chance offers (eBay's rule): once the winner has not paid, the seller may offer the lot to the
 * next distinct bidder by maximum, at that bidder's own maximum.
 */

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'expired'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export interface Offer {
  id: string;
  auctionId: string;
  bidderId: string;
  sellerId: string;
  /** The bidder's own maximum: the hammer price of the order an acceptance makes. */
  amount: number;
  currency: string;
  status: OfferStatus;
  /** ISO-8601 UTC. */
  expiresAt: string;
  createdAt: string;
  /** The order an acceptance made. */
  orderId: string | null;
}

/** One bid as the rule needs it: who, their maximum at that bid, and when (Redis's seq). */
export interface BidMaximum {
  bidderId: string;
  maxAmount: number;
  seq: number;
}

export interface Candidate {
  bidderId: string;
  amount: number;
}

/**
 * The bidders in the order offers go to: each bidder once, at the highest maximum they ever bid; a
 * higher maximum first, and between equal maxima the one who bid it first (the lower seq). Bidders in
 * `excluded` (the winner, everyone who already had an order or an offer) are left out.
 */
export function secondChanceCandidates(bids: readonly BidMaximum[], excluded: ReadonlySet<string>): Candidate[] {
  const best = new Map<string, { amount: number; seq: number }>();
  for (const bid of bids) {
    if (excluded.has(bid.bidderId)) continue;
    const seen = best.get(bid.bidderId);
    if (!seen || bid.maxAmount > seen.amount || (bid.maxAmount === seen.amount && bid.seq < seen.seq)) {
      best.set(bid.bidderId, { amount: bid.maxAmount, seq: bid.seq });
    }
  }
  return [...best.entries()]
    .sort(([, a], [, b]) => b.amount - a.amount || a.seq - b.seq)
    .map(([bidderId, { amount }]) => ({ bidderId, amount }));
}

export const nextSecondChanceCandidate = (
  bids: readonly BidMaximum[],
  excluded: ReadonlySet<string>,
): Candidate | null => secondChanceCandidates(bids, excluded)[0] ?? null;

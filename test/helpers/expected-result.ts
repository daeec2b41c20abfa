/**
 * The order-independent formula (docs/architecture.md, "Proxy bidding"), applied the way the engine's raise rule requires: a leader
 * raising their own maximum leaves the price where it was (the eBay rule), so the formula holds as of
 * the last challenger bid; raises after it can only lift the price to the reserve.
 */
import type { AuctionResult } from '../../domain/auction-result.js';
import { finalPriceOf } from '../../domain/proxy-bidding.js';

export interface AcceptedBid {
  seq: number;
  bidderId: string;
  /** The bidder's maximum for this bid. */
  max: number;
  kind: 'bid' | 'raise' | 'buy_now';
}

export interface Rules {
  startingPrice: number;
  reservePrice: number | null;
}

/** A result as the formula gives it: a sale's orderId is the settlement's to make, not the formula's. */
export const withoutOrder = ({ outcome, winnerId, finalPrice }: Omit<AuctionResult, 'orderId'>): AuctionResult => ({
  outcome,
  winnerId,
  finalPrice,
});

/** A result as the API shows it, less the winner's alias: what the workflow announced. */
export const withoutAlias = <T extends { winnerAlias: string | null }>({ winnerAlias: _, ...result }: T) => result;

/** A result as everyone sees it (events, the listing, anonymous reads): the winner by alias only. */
export const publicResult = <T extends { winnerId: string | null }>(result: T): T => ({ ...result, winnerId: null });

/** The result an auction without buy-now must announce, given every accepted bid. */
export function expectedResult(accepted: readonly AcceptedBid[], rules: Rules): AuctionResult {
  if (accepted.length === 0) return { outcome: 'unsold', winnerId: null, finalPrice: null };
  const challenges = accepted.filter((bid) => bid.kind === 'bid').map((bid) => bid.seq);
  const lastChallenge = Math.max(...challenges);
  const atLastChallenge = finalPriceOf(
    accepted.filter((bid) => bid.seq <= lastChallenge),
    rules,
  );
  const atEnd = finalPriceOf(accepted, rules);
  if (atEnd.winnerId !== atLastChallenge.winnerId) throw new Error('a raise changed the leader: the engine is wrong');
  if (!atEnd.reserveMet) return { outcome: 'reserve_not_met', winnerId: null, finalPrice: null };
  const price =
    rules.reservePrice === null ? atLastChallenge.price : Math.max(atLastChallenge.price, rules.reservePrice);
  return { outcome: 'sold', winnerId: atEnd.winnerId, finalPrice: price };
}

/** The public auction: the durable row (Postgres) merged with the live bidding state (Redis). */
import type { AuctionResult } from '../../domain/auction-result.js';
import { statusAt, type AuctionStatus } from '../../domain/auction-status.js';
import type { BiddingState } from '../../domain/bidding.js';
import { publicBidState, reserveMet } from '../../domain/public-bid-state.js';
import type { PublicAuction, PublicAuctionResult } from './responses.js';
import { rulesOf, type AuctionRow } from './rules.js';
import { termsOf } from './terms.js';

/** Its shape is the response schema's (responses.ts), which the OpenAPI document is generated from. */
export type { PublicAuction };

/** Postgres knows the final statuses for good; before that Redis knows best, and the clock better still. */
function liveStatus(row: AuctionRow, live: BiddingState | null, nowMs: number): AuctionStatus {
  if (row.status === 'closed' || row.status === 'cancelled') return row.status;
  return statusAt(live?.status ?? row.status, row.startsAt.getTime(), nowMs);
}

export function presentAuction(row: AuctionRow, live: BiddingState | null, nowMs = Date.now()): PublicAuction {
  const rules = rulesOf(row);
  // The domain's one definition of what anyone may see of the bidding (never the reserve or a max).
  const view = live ? publicBidState(live, rules) : null;
  const result =
    row.outcome !== null
      ? { outcome: row.outcome, winnerId: row.winnerId, finalPrice: row.finalPrice, orderId: row.orderId }
      : null;
  return {
    id: row.id,
    sellerId: row.sellerId,
    title: row.title,
    description: row.description,
    currency: row.currency,
    category: row.category,
    startingPrice: row.startingPrice,
    currentPrice: view?.price ?? row.finalPrice ?? row.startingPrice,
    minimumNextBid: view?.minimumNextBid ?? row.startingPrice,
    leaderId: view?.leaderId ?? null,
    bidCount: view?.bidCount ?? row.bidCount,
    reserveMet: view?.reserveMet ?? reserveMet({ leaderMax: null }, rules),
    buyNowPrice: (view?.bidCount ?? row.bidCount) === 0 ? row.buyNowPrice : null,
    status: liveStatus(row, live, nowMs),
    result,
    startsAt: row.startsAt.toISOString(),
    endsAt: new Date(view?.endsAtMs ?? row.endsAt.getTime()).toISOString(),
    createdAt: row.createdAt.toISOString(),
    seq: live?.seq ?? row.biddingSeq,
    ...termsOf(row),
  };
}

/**
 * A result as the workflow announced it (the `closed` event, a listing note) in the answers' shape: an
 * auction that closed before orders existed has no orderId in it.
 */
export const presentResult = (result: AuctionResult): PublicAuctionResult => ({
  outcome: result.outcome,
  winnerId: result.winnerId,
  finalPrice: result.finalPrice,
  orderId: result.orderId ?? null,
});

/**
 * The public auction: the durable row (Postgres) merged with the live bidding state (Redis). Presented
 * whole (account ids beside aliases), then shown to a viewer through `withBidderIdsShown`: every answer
 * that leaves the API goes through it, or through a presenter that never had the ids.
 */
import type { AuctionResult } from '../../domain/auction-result.js';
import { statusAt, type AuctionStatus } from '../../domain/auction-status.js';
import { aliasName } from '../../domain/bidder-alias.js';
import type { ShownBidderId } from '../../domain/bidder-privacy.js';
import type { BiddingState } from '../../domain/bidding.js';
import { publicBidState, reserveMet } from '../../domain/public-bid-state.js';
import type { LiveBidding } from '../../lua/bidding-store.js';
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

/**
 * The leader and their alias: Redis's while it has the auction, else the row's copy. A hash whose last
 * bid came before aliases existed has no alias: the row's (the migration numbered earlier bidders) serves
 * while it names the same leader.
 */
function leaderOf(row: AuctionRow, live: LiveBidding | null): { leaderId: string | null; leaderAlias: number | null } {
  if (!live) return { leaderId: row.leaderId, leaderAlias: row.leaderAlias };
  const leaderId = live.state.leaderId;
  const fromRow = leaderId !== null && leaderId === row.leaderId ? row.leaderAlias : null;
  return { leaderId, leaderAlias: live.leaderAlias ?? fromRow };
}

export function presentAuction(row: AuctionRow, live: LiveBidding | null, nowMs = Date.now()): PublicAuction {
  const rules = rulesOf(row);
  // The domain's one definition of what anyone may see of the bidding (never the reserve or a max).
  const view = live ? publicBidState(live.state, rules) : null;
  const { leaderId, leaderAlias } = leaderOf(row, live);
  const result =
    row.outcome !== null
      ? presentResult(
          {
            outcome: row.outcome,
            winnerId: row.winnerId,
            finalPrice: row.finalPrice,
            orderId: row.orderId ?? undefined,
          },
          aliasName(leaderAlias),
        )
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
    leaderId,
    leaderAlias: aliasName(leaderAlias),
    bidCount: view?.bidCount ?? row.bidCount,
    reserveMet: view?.reserveMet ?? reserveMet({ leaderMax: null }, rules),
    buyNowPrice: (view?.bidCount ?? row.bidCount) === 0 ? row.buyNowPrice : null,
    status: liveStatus(row, live?.state ?? null, nowMs),
    result,
    startsAt: row.startsAt.toISOString(),
    endsAt: new Date(view?.endsAtMs ?? row.endsAt.getTime()).toISOString(),
    createdAt: row.createdAt.toISOString(),
    seq: live?.state.seq ?? row.biddingSeq,
    ...termsOf(row),
  };
}

/**
 * A result in the answers' shape (from a row, the `closed` event, a listing note): an auction that
 * closed before orders existed has no orderId in it. A sold auction's winner is its last leader, so
 * `leaderAliasAtClose` ("Bidder 7") is the winner's alias; it shows only on a sale.
 */
export const presentResult = (result: AuctionResult, leaderAliasAtClose: string | null): PublicAuctionResult => ({
  outcome: result.outcome,
  winnerId: result.winnerId,
  winnerAlias: result.outcome === 'sold' ? leaderAliasAtClose : null,
  finalPrice: result.finalPrice,
  orderId: result.orderId ?? null,
});

/** An auction (or anything with its leader and result) with only the bidder ids `shown` lets through. */
export function withBidderIdsShown<T extends Pick<PublicAuction, 'leaderId' | 'result'>>(
  auction: T,
  shown: ShownBidderId,
): T {
  const result = auction.result && { ...auction.result, winnerId: shown(auction.result.winnerId) };
  return { ...auction, leaderId: shown(auction.leaderId), result };
}

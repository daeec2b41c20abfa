/**
 * Taking bids back: a bidder's retraction (POST /v1/auctions/:id/retractions), and an admin's void of a
 * bidder's bids. The rules are domain/retraction.ts's; the script applies them atomically on Redis time
 * and answers at once, like a bid. The user's own history (RETRACTIONS_TO_BLOCK) is read from Postgres
 * first: a retraction still in the stream is not counted yet, which lets a user who races two
 * retractions on two auctions past the limit by one at most.
 */
import { and, count, eq, gte, inArray } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { bidRetractions } from '../../db/schema.js';
import { aliasName } from '../../domain/bidder-alias.js';
import {
  mayRetractAgain,
  RETRACTION_HISTORY_MS,
  type RetractionMode,
  type RetractionRefusal,
} from '../../domain/retraction.js';
import { AppError, notFound } from '../errors.js';
import { signalBidsPending } from './bids.js';
import { isAuctionId } from './ids.js';
import type { Retraction } from './responses.js';
import type { AuctionDeps } from './service.js';

const REFUSAL_MESSAGE: Record<RetractionRefusal | 'auction_predates_book', string> = {
  auction_not_open: 'Bids can be retracted only while the auction is open',
  no_bids: 'There is no standing bid of this bidder on the auction to take back',
  already_retracted: 'A bidder may retract once per auction, and you already have on this one',
  last_bid_too_old: 'With less than 12 hours left, only a bid placed within the last hour may be retracted',
  too_many_retractions: 'You have retracted too many bids in the last 6 months to retract again',
  auction_predates_book: 'This auction took bids before retractions existed: its bids cannot be taken back',
};

const refused = (reason: RetractionRefusal) =>
  new AppError(409, 'RETRACTION_NOT_ALLOWED', REFUSAL_MESSAGE[reason], { reason });

/** Retractions that count against a user: their own (not admins' voids of their bids), and recent. */
const ownAndRecent = (nowMs: number) =>
  and(eq(bidRetractions.mode, 'retract'), gte(bidRetractions.retractedAt, new Date(nowMs - RETRACTION_HISTORY_MS)));

/** The user's own retractions (not admins' voids of their bids) in the last RETRACTION_HISTORY_MS. */
export async function recentRetractions(db: Database, userId: string, nowMs = Date.now()): Promise<number> {
  return (await recentRetractionsOf(db, [userId], nowMs)).get(userId) ?? 0;
}

/** recentRetractions for many users in one query (a seller's view of their bidders); absent: none. */
export async function recentRetractionsOf(
  db: Database,
  userIds: readonly string[],
  nowMs = Date.now(),
): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ bidderId: bidRetractions.bidderId, n: count() })
    .from(bidRetractions)
    .where(and(inArray(bidRetractions.bidderId, [...userIds]), ownAndRecent(nowMs)))
    .groupBy(bidRetractions.bidderId);
  return new Map(rows.map((row) => [row.bidderId, row.n]));
}

export interface TakeBack {
  auctionId: string;
  bidderId: string;
  mode: RetractionMode;
  reason: string;
  /** The bidder themself, or the admin voiding. */
  actorId: string;
  requestId: string;
}

export async function takeBackBids(deps: AuctionDeps, input: TakeBack): Promise<Retraction> {
  const { auctionId } = input;
  if (!isAuctionId(auctionId)) throw notFound('auction');
  if (input.mode === 'retract') {
    const past = await recentRetractions(deps.db, input.bidderId);
    if (!mayRetractAgain(past, deps.retractionsToBlock)) throw refused('too_many_retractions');
  }
  const result = await deps.store.retractBid(auctionId, input);
  if (!result) throw notFound('auction');
  if (!result.accepted) throw refused(result.reason);
  if (result.wake) signalBidsPending(deps, auctionId, result);
  deps.discovery.notes.bidAccepted(auctionId, result);
  return {
    seq: result.seq,
    scope: result.scope,
    retractedAlias: aliasName(result.alias)!,
    currentPrice: result.price,
    leaderAlias: aliasName(result.leaderAlias),
    minimumNextBid: result.minimumNextBid,
    bidCount: result.bidCount,
    reserveMet: result.reserveMet,
    endsAt: new Date(result.endsAtMs).toISOString(),
    status: result.status,
  };
}

/**
 * Taking bids back: a bidder's retraction (POST /v1/auctions/:id/retractions), and an admin's void of a
 * bidder's bids. The rules are domain/retraction.ts's; the script applies them atomically on Redis time
 * and answers at once, like a bid. The user's own history (RETRACTIONS_TO_BLOCK) is counted first, over
 * the retractions Postgres has and those still on their way to it (lua/retraction-ledger.ts).
 */
import { and, count, eq, gte, inArray } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { bidRetractions } from '../../db/schema.js';
import { aliasName } from '../../domain/bidder-alias.js';
import { RETRACTION_HISTORY_MS, type RetractionMode, type RetractionRefusal } from '../../domain/retraction.js';
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

/** Each user's own persisted retractions in the last RETRACTION_HISTORY_MS, in one query (a seller's view of their bidders); absent: none. */
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

/** The auctions of the user's own persisted retractions in the last RETRACTION_HISTORY_MS. */
async function retractedAuctionsOf(db: Database, userId: string, nowMs = Date.now()): Promise<string[]> {
  const rows = await db
    .select({ auctionId: bidRetractions.auctionId })
    .from(bidRetractions)
    .where(and(eq(bidRetractions.bidderId, userId), ownAndRecent(nowMs)));
  return rows.map((row) => row.auctionId);
}

/**
 * A bidder's own retraction is counted before the script runs, and reserved in the ledger so that one at
 * the same moment counts it too (mayRetractAgain's rule, applied in lua/reserve-retraction.lua); a
 * refused retraction gives its reservation back. An admin's void is not the bidder's and is not counted.
 */
async function reserveRetraction(deps: AuctionDeps, input: TakeBack): Promise<() => Promise<void>> {
  if (input.mode !== 'retract') return async () => {};
  const reservation = await deps.retractionLedger.reserve({
    userId: input.bidderId,
    auctionId: input.auctionId,
    windowMs: RETRACTION_HISTORY_MS,
    limit: deps.retractionsToBlock,
    persistedAuctionIds: await retractedAuctionsOf(deps.db, input.bidderId),
  });
  if (!reservation.allowed) throw refused('too_many_retractions');
  return reservation.release;
}

export async function takeBackBids(deps: AuctionDeps, input: TakeBack): Promise<Retraction> {
  const { auctionId } = input;
  if (!isAuctionId(auctionId)) throw notFound('auction');
  const release = await reserveRetraction(deps, input);
  const result = await deps.store.retractBid(auctionId, input).catch(async (error: unknown) => {
    await release();
    throw error;
  });
  if (!result?.accepted) await release();
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

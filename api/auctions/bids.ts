/**
 * Placing a bid: one script call decides it in Redis and the answer goes straight back. Only the
 * caller whose bid set the wake flag signals the workflow, without waiting: if that signal is lost,
 * the flag expires and the next bid, or the workflow's periodic persist, picks the bids up.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { bids } from '../../db/schema.js';
import { aliasName } from '../../domain/bidder-alias.js';
import type { ShownBidderId } from '../../domain/bidder-privacy.js';
import type { BidRejection } from '../../domain/bidding.js';
import { auctionWorkflowId } from '../../domain/temporal-names.js';
import { activeTraceparent } from '../../tracing/bid-links.js';
import { bidsPendingSignal } from '../../workflows/definitions.js';
import { AppError, notFound } from '../errors.js';
import { isAuctionId, isSeq } from './ids.js';
import type { BidPage, OwnBidPage, PlacedBid } from './responses.js';
import { findAuctionRow, type AuctionDeps } from './service.js';

const REJECTION_STATUS: Record<BidRejection, number> = {
  AUCTION_NOT_OPEN: 409,
  BID_TOO_LOW: 409,
  BUY_NOW_UNAVAILABLE: 409,
  SELLER_CANNOT_BID: 403,
};

const REJECTION_MESSAGE: Record<BidRejection, string> = {
  AUCTION_NOT_OPEN: 'The auction is not open for bids',
  BID_TOO_LOW: 'The bid is below the minimum next bid',
  BUY_NOW_UNAVAILABLE: 'Buy-now is not available for this auction at that price',
  SELLER_CANNOT_BID: 'A seller cannot bid on their own auction',
};

export interface PlaceBid {
  auctionId: string;
  bidderId: string;
  amount: number;
  buyNow: boolean;
  idempotencyKey: string | null;
}

export async function placeBid(deps: AuctionDeps, input: PlaceBid): Promise<PlacedBid> {
  const { auctionId } = input;
  if (!isAuctionId(auctionId)) throw notFound('auction');
  // From memory, before the script: a blocked bidder costs Redis nothing. A retry of a bid made before
  // the block, with its Idempotency-Key, is refused too rather than answered its first decision: it
  // never becomes a second bid either way.
  const blockedUntilMs = deps.biddingBlocks.blockedUntil(input.bidderId);
  if (blockedUntilMs !== null) {
    deps.bidDecided({ accepted: false, code: 'BIDDING_BLOCKED' });
    throw new AppError(403, 'BIDDING_BLOCKED', 'Too many of your recent orders went unpaid: you may not bid for now', {
      blockedUntil: new Date(blockedUntilMs).toISOString(),
    });
  }
  const decision = await deps.store.placeBid(auctionId, { ...input, traceparent: activeTraceparent() });
  if (!decision) throw notFound('auction');
  deps.bidDecided(decision.accepted ? { accepted: true, replayed: decision.replayed } : decision);
  if (decision.accepted && !decision.replayed) {
    if (decision.wake) signalBidsPending(deps, auctionId, decision);
    deps.discovery.notes.bidAccepted(auctionId, decision);
  }
  const endsAt = new Date(decision.endsAtMs).toISOString();
  if (!decision.accepted) {
    throw new AppError(REJECTION_STATUS[decision.code], decision.code, REJECTION_MESSAGE[decision.code], {
      minimumNextBid: decision.minimumNextBid,
      currentPrice: decision.price,
      endsAt,
      buyersPremiumBps: decision.buyersPremiumBps,
    });
  }
  return {
    seq: decision.seq,
    leading: decision.leading,
    currentPrice: decision.price,
    minimumNextBid: decision.minimumNextBid,
    endsAt,
    extended: decision.extended,
    reserveMet: decision.reserveMet,
    status: decision.status,
    buyersPremiumBps: decision.buyersPremiumBps,
    bidderAlias: aliasName(decision.bidderAlias),
  };
}

/** Tells the workflow there is something to persist, up to `seq` (a bid or a retraction); never awaited. */
export function signalBidsPending(
  deps: Pick<AuctionDeps, 'temporal' | 'logger'>,
  auctionId: string,
  decision: { seq: number; endsAtMs: number },
) {
  deps.temporal.workflow
    .getHandle(auctionWorkflowId(auctionId))
    .signal(bidsPendingSignal, { seq: decision.seq, endsAtMs: decision.endsAtMs })
    .catch((error: unknown) => deps.logger.warn({ err: error, auctionId }, 'bidsPending signal failed'));
}

interface BidsQuery {
  limit: number;
  cursor?: string | undefined;
}

/** The seq a page starts after: the cursor is the last seq seen. */
function afterSeqOf(query: BidsQuery): number {
  const afterSeq = query.cursor === undefined ? 0 : Number(query.cursor);
  if (!isSeq(afterSeq)) throw new AppError(400, 'INVALID_CURSOR', 'The cursor is not one this API issued');
  return afterSeq;
}

type BidRow = typeof bids.$inferSelect;

/** A persisted bid as the history shows it, with its bidder's id only where `shown` lets it through. */
const presentBid = (row: Pick<BidRow, keyof typeof publicColumns>, shown: ShownBidderId) => ({
  seq: row.seq,
  bidderId: shown(row.bidderId),
  bidderAlias: aliasName(row.bidderAlias),
  amount: row.amount,
  placedAt: row.placedAt.toISOString(),
  kind: row.kind,
  retracted: row.retractedBySeq !== null,
});

function pageOf<T extends { seq: number }>(items: T[], limit: number) {
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: items.length > limit && last ? String(last.seq) : null };
}

const publicColumns = {
  seq: bids.seq,
  bidderId: bids.bidderId,
  bidderAlias: bids.bidderAlias,
  amount: bids.amount,
  placedAt: bids.placedAt,
  kind: bids.kind,
  retractedBySeq: bids.retractedBySeq,
};

/**
 * The persisted history, oldest first, retracted bids included (marked). Maxima stay private; bidders
 * show by alias, and by account id only where `shownTo` the auction's seller (domain/bidder-privacy.ts)
 * lets them.
 */
export async function listBids(
  db: Database,
  auctionId: string,
  shownTo: (sellerId: string) => Promise<ShownBidderId>,
  query: BidsQuery,
): Promise<BidPage> {
  const shown = await shownTo((await findAuctionRow(db, auctionId)).sellerId);
  const rows = await db
    .select(publicColumns)
    .from(bids)
    .where(and(eq(bids.auctionId, auctionId), gt(bids.seq, afterSeqOf(query))))
    .orderBy(asc(bids.seq))
    .limit(query.limit + 1);
  return pageOf(
    rows.map((row) => presentBid(row, shown)),
    query.limit,
  );
}

/** One bidder's own bids on an auction, oldest first, each with its maximum: for that bidder alone. */
export async function listOwnBids(
  db: Database,
  auctionId: string,
  bidderId: string,
  query: BidsQuery,
): Promise<OwnBidPage> {
  await findAuctionRow(db, auctionId);
  const rows = await db
    .select({ ...publicColumns, maxAmount: bids.maxAmount })
    .from(bids)
    .where(and(eq(bids.auctionId, auctionId), eq(bids.bidderId, bidderId), gt(bids.seq, afterSeqOf(query))))
    .orderBy(asc(bids.seq))
    .limit(query.limit + 1);
  // Every row is the caller's own: their id is theirs to see.
  const own: ShownBidderId = (id) => id;
  return pageOf(
    rows.map((row) => ({ ...presentBid(row, own), maxAmount: row.maxAmount })),
    query.limit,
  );
}

/** Use cases behind the auction routes; plain inputs in, plain objects out, AppError for refusals. */
import type { Client } from '@temporalio/client';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/pool.js';
import { auctions, bids } from '../../db/schema.js';
import { AUCTION_TASK_QUEUE, auctionWorkflowId } from '../../domain/temporal-names.js';
import type { BiddingStore, CancelOutcome } from '../../lua/bidding-store.js';
import type { RetractionLedger } from '../../lua/retraction-ledger.js';
import { auctionWorkflow } from '../../workflows/auction.js';
import { cancelSignal } from '../../workflows/definitions.js';
import type { IsAdmin } from '../admin/require-admin.js';
import type { Discovery } from '../discovery/discovery.js';
import type { BiddingBlocks } from '../settlement/bidding-blocks.js';
import { AppError, notFound } from '../errors.js';
import type { BidDecision } from '../metrics.js';
import { isAuctionId } from './ids.js';
import { presentAuction, type PublicAuction } from './presenter.js';
import { auctionRowColumns, rulesOf, type AuctionRow } from './rules.js';
import type { CreateAuctionBody } from './schemas.js';
import type { TermsPolicy } from './terms.js';

export interface AuctionDeps {
  db: Database;
  store: BiddingStore;
  temporal: Client;
  taskQueue?: string;
  logger: Logger;
  /** The listing read model (api/discovery/): told what changes here, and what GET /v1/auctions reads. */
  discovery: Discovery;
  /** The settlement terms' bounds and defaults for new auctions. */
  terms: TermsPolicy;
  /** Who may not bid for now (api/settlement/bidding-blocks.ts): asked, in memory, on every bid. */
  biddingBlocks: Pick<BiddingBlocks, 'blockedUntil'>;
  /** RETRACTIONS_TO_BLOCK: more retractions than this in 6 months and a user may not retract again. */
  retractionsToBlock: number;
  /** Counts each user's retractions against that limit, persisted and in flight (lua/retraction-ledger.ts). */
  retractionLedger: RetractionLedger;
  /** Whether a user is an admin (api/admin/require-admin.ts): admins see bidders' account ids. */
  isAdmin: IsAdmin;
  /** Counts each bid's answer for /metrics (api/metrics.ts). */
  bidDecided: (decision: BidDecision) => void;
}

/** Unknown and malformed ids are the same to a client: no such auction. */
export async function findAuctionRow(db: Database, id: string): Promise<AuctionRow> {
  if (!isAuctionId(id)) throw notFound('auction');
  const [row] = await db.select(auctionRowColumns).from(auctions).where(eq(auctions.id, id));
  if (!row) throw notFound('auction');
  return row;
}

/** The row a new auction is written as, from what its seller set (in a create, or copied by a relist). */
export function newAuctionRow(sellerId: string, body: CreateAuctionBody): typeof auctions.$inferInsert {
  return {
    sellerId,
    title: body.title,
    description: body.description,
    category: body.category ?? null,
    currency: body.currency,
    startingPrice: body.startingPrice,
    reservePrice: body.reservePrice ?? null,
    buyNowPrice: body.buyNowPrice ?? null,
    softCloseWindowSeconds: body.softClose?.windowSeconds ?? 0,
    softCloseExtendSeconds: body.softClose?.extendSeconds ?? 0,
    startsAt: body.startsAt ?? new Date(),
    endsAt: body.endsAt,
    paymentWindowSeconds: body.paymentWindowSeconds,
    buyersPremiumBps: body.buyersPremiumBps,
    autoSecondChance: body.autoSecondChance,
  };
}

export async function createAuction(deps: AuctionDeps, sellerId: string, body: CreateAuctionBody) {
  const [row] = await deps.db.insert(auctions).values(newAuctionRow(sellerId, body)).returning(auctionRowColumns);
  const auction = row!;
  return scheduleAuction(deps, auction, () => deps.db.delete(auctions).where(eq(auctions.id, auction.id)));
}

/**
 * Brings to life an auction whose Postgres row is written: its Redis state, then its workflow. If Redis
 * or Temporal refuses, the Redis state is discarded, `undo` takes back what the caller wrote, and the
 * client is told to retry: no auction exists half-made.
 */
export async function scheduleAuction(
  deps: AuctionDeps,
  auction: AuctionRow,
  undo: () => Promise<unknown>,
): Promise<PublicAuction> {
  try {
    await deps.store.initAuction(auction.id, rulesOf(auction), auction.startsAt.getTime(), auction.endsAt.getTime(), {
      buyersPremiumBps: auction.buyersPremiumBps,
    });
    await deps.temporal.workflow.start(auctionWorkflow, {
      workflowId: auctionWorkflowId(auction.id),
      taskQueue: deps.taskQueue ?? AUCTION_TASK_QUEUE,
      args: [
        {
          auctionId: auction.id,
          sellerId: auction.sellerId,
          startsAt: auction.startsAt.toISOString(),
          endsAt: auction.endsAt.toISOString(),
        },
      ],
    });
  } catch (error) {
    deps.logger.error({ err: error, auctionId: auction.id }, 'auction creation failed; undoing');
    await deps.store.discardAuction(auction.id).catch(() => undefined);
    await undo();
    throw new AppError(503, 'UNAVAILABLE', 'The auction could not be scheduled; please retry');
  }
  // Created for good: a failed read now must not make the client retry (and create a second one).
  await deps.discovery.announceCreated(auction.id);
  const live = await deps.store.readLive(auction.id).catch(() => null);
  return presentAuction(auction, live);
}

/** The whole auction, every bidder id in it: show it through withBidderIdsShown (presenter.ts). */
export async function getAuction(deps: AuctionDeps, id: string): Promise<PublicAuction> {
  const row = await findAuctionRow(deps.db, id);
  return presentAuction(row, await deps.store.readLive(id));
}

/** The auction's own page also links the relists: the auction made of this one, and the one it was made of. */
export async function getAuctionWithRelists(deps: AuctionDeps, id: string) {
  const row = await findAuctionRow(deps.db, id);
  const auction = presentAuction(row, await deps.store.readLive(id));
  return { ...auction, relistedAs: row.relistedAs, relistedFrom: row.relistedFrom };
}

/**
 * A user's alias on an auction: the bidder book's (Redis), or for a bidder the book never had (their
 * bids came before it existed) the one the migration gave their persisted bids. Null: no bid of theirs.
 */
export async function aliasOf(deps: Pick<AuctionDeps, 'db' | 'store'>, auctionId: string, userId: string) {
  const inBook = await deps.store.aliasOf(auctionId, userId);
  if (inBook !== null) return inBook;
  const [persisted] = await deps.db
    .select({ alias: bids.bidderAlias })
    .from(bids)
    .where(and(eq(bids.auctionId, auctionId), eq(bids.bidderId, userId), isNotNull(bids.bidderAlias)))
    .limit(1);
  return persisted?.alias ?? null;
}

/** Seller only. Redis first (no bid is accepted from this moment), then the workflow is told. */
export async function cancelAuction(deps: AuctionDeps, userId: string, id: string, reason: string) {
  const row = await findAuctionRow(deps.db, id);
  if (row.sellerId !== userId) throw new AppError(403, 'NOT_SELLER', 'Only the seller can cancel this auction');
  return (await withdrawAuction(deps, id, reason)).auction;
}

/**
 * A cancel by whoever may make it (the seller, above; an admin, api/admin/cancels.ts), bids or not: 409
 * once the auction has closed. `cancelled` says whether this call cancelled it; a repeated cancel
 * answers the auction as it is, without a second signal.
 */
export async function withdrawAuction(
  deps: AuctionDeps,
  id: string,
  reason: string,
): Promise<{ auction: PublicAuction; cancelled: boolean }> {
  const outcome = await stopBidding(deps, id, reason);
  if (outcome === 'already_closed') throw new AppError(409, 'AUCTION_CLOSED', 'The auction has already closed');
  if (outcome === 'missing') throw notFound('auction');
  return { auction: await getAuction(deps, id), cancelled: outcome === 'cancelled' };
}

/**
 * An account deletion: the seller's auctions that are not over and that nobody has bid on are cancelled
 * (the same path as a seller's cancel); those with bids go on to their end, for their bidders' sake.
 * Returns the ids it cancelled.
 */
export async function cancelUnbidAuctionsOf(deps: AuctionDeps, sellerId: string, reason: string): Promise<string[]> {
  // Postgres may still say scheduled or open for an auction Redis has closed: the script decides.
  const rows = await deps.db
    .select({ id: auctions.id })
    .from(auctions)
    .where(and(eq(auctions.sellerId, sellerId), inArray(auctions.status, ['scheduled', 'open'])));
  const cancelled: string[] = [];
  for (const { id } of rows) {
    if ((await stopBidding(deps, id, reason, { onlyWithoutBids: true })) === 'cancelled') cancelled.push(id);
  }
  return cancelled;
}

/**
 * Every cancel: Redis decides (from that moment no bid is accepted), then the workflow is told. If the
 * signal is lost, the workflow's next persist cycle reads the cancelled status from Redis instead (only
 * the reason is lost).
 */
async function stopBidding(
  deps: AuctionDeps,
  id: string,
  reason: string,
  condition: { onlyWithoutBids?: boolean } = {},
): Promise<CancelOutcome> {
  const outcome = await deps.store.cancelAuction(id, condition);
  if (outcome === 'cancelled') {
    await deps.discovery.notes.statusChanged(id, 'cancelled');
    await deps.temporal.workflow
      .getHandle(auctionWorkflowId(id))
      .signal(cancelSignal, { reason })
      .catch((error: unknown) => deps.logger.warn({ err: error, auctionId: id }, 'cancel signal failed'));
  }
  return outcome;
}

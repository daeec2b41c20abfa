/** Use cases behind the auction routes; plain inputs in, plain objects out, AppError for refusals. */
import type { Client } from '@temporalio/client';
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/pool.js';
import { auctions } from '../../db/schema.js';
import { AUCTION_TASK_QUEUE, auctionWorkflowId } from '../../domain/temporal-names.js';
import type { BiddingStore, CancelOutcome } from '../../lua/bidding-store.js';
import { auctionWorkflow } from '../../workflows/auction.js';
import { cancelSignal } from '../../workflows/definitions.js';
import { AppError, notFound } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { isAuctionId } from './ids.js';
import { presentAuction, type PublicAuction } from './presenter.js';
import type { AuctionPage } from './responses.js';
import { rulesOf, type AuctionRow } from './rules.js';
import type { CreateAuctionBody } from './schemas.js';

export interface AuctionDeps {
  db: Database;
  store: BiddingStore;
  temporal: Client;
  taskQueue?: string;
  logger: Logger;
}

/** Unknown and malformed ids are the same to a client: no such auction. */
export async function findAuctionRow(db: Database, id: string): Promise<AuctionRow> {
  if (!isAuctionId(id)) throw notFound('auction');
  const [row] = await db.select().from(auctions).where(eq(auctions.id, id));
  if (!row) throw notFound('auction');
  return row;
}

/**
 * Postgres row, then Redis state, then the workflow. If Redis or Temporal refuses, what was written is
 * undone and the client is told to retry: no auction exists half-made.
 */
export async function createAuction(deps: AuctionDeps, sellerId: string, body: CreateAuctionBody) {
  const startsAt = body.startsAt ?? new Date();
  const [row] = await deps.db
    .insert(auctions)
    .values({
      sellerId,
      title: body.title,
      description: body.description,
      currency: body.currency,
      startingPrice: body.startingPrice,
      reservePrice: body.reservePrice ?? null,
      buyNowPrice: body.buyNowPrice ?? null,
      softCloseWindowSeconds: body.softClose?.windowSeconds ?? 0,
      softCloseExtendSeconds: body.softClose?.extendSeconds ?? 0,
      startsAt,
      endsAt: body.endsAt,
    })
    .returning();
  const auction = row!;
  try {
    await deps.store.initAuction(auction.id, rulesOf(auction), startsAt.getTime(), body.endsAt.getTime());
    await deps.temporal.workflow.start(auctionWorkflow, {
      workflowId: auctionWorkflowId(auction.id),
      taskQueue: deps.taskQueue ?? AUCTION_TASK_QUEUE,
      args: [{ auctionId: auction.id, sellerId, startsAt: startsAt.toISOString(), endsAt: body.endsAt.toISOString() }],
    });
  } catch (error) {
    deps.logger.error({ err: error, auctionId: auction.id }, 'auction creation failed; undoing');
    await deps.store.discardAuction(auction.id).catch(() => undefined);
    await deps.db.delete(auctions).where(eq(auctions.id, auction.id));
    throw new AppError(503, 'UNAVAILABLE', 'The auction could not be scheduled; please retry');
  }
  // Created for good: a failed read now must not make the client retry (and create a second one).
  const live = await deps.store.readState(auction.id).catch(() => null);
  return presentAuction(auction, live?.state ?? null);
}

export async function getAuction(deps: AuctionDeps, id: string): Promise<PublicAuction> {
  const row = await findAuctionRow(deps.db, id);
  return presentAuction(row, (await deps.store.readState(id))?.state ?? null);
}

export async function listAuctions(
  deps: AuctionDeps,
  query: { limit: number; cursor?: string | undefined; status?: string | undefined; sellerId?: string | undefined },
): Promise<AuctionPage> {
  const filters: (SQL | undefined)[] = [];
  if (query.sellerId) filters.push(eq(auctions.sellerId, query.sellerId));
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    filters.push(
      or(lt(auctions.createdAt, after.at), and(eq(auctions.createdAt, after.at), lt(auctions.id, after.id))),
    );
  }
  // Newest first; (createdAt, id) is unique, so pages neither repeat nor skip.
  const rows = await deps.db
    .select()
    .from(auctions)
    .where(and(...filters))
    .orderBy(desc(auctions.createdAt), desc(auctions.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const live = await Promise.all(page.map((row) => deps.store.readState(row.id)));
  let items = page.map((row, i) => presentAuction(row, live[i]?.state ?? null));
  // Status is live (Redis and the clock), so it is filtered after the merge.
  if (query.status) items = items.filter((item) => item.status === query.status);
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** Seller only. Redis first (no bid is accepted from this moment), then the workflow is told. */
export async function cancelAuction(deps: AuctionDeps, userId: string, id: string, reason: string) {
  const row = await findAuctionRow(deps.db, id);
  if (row.sellerId !== userId) throw new AppError(403, 'NOT_SELLER', 'Only the seller can cancel this auction');
  const outcome = await stopBidding(deps, id, reason);
  if (outcome === 'already_closed') throw new AppError(409, 'AUCTION_CLOSED', 'The auction has already closed');
  if (outcome === 'missing') throw notFound('auction');
  return getAuction(deps, id); // a repeated cancel answers the same, without a second signal
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
    await deps.temporal.workflow
      .getHandle(auctionWorkflowId(id))
      .signal(cancelSignal, { reason })
      .catch((error: unknown) => deps.logger.warn({ err: error, auctionId: id }, 'cancel signal failed'));
  }
  return outcome;
}

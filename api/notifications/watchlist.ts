/**
 * A user's watchlist: the auctions they follow (the notification pipeline tells watchers when one
 * starts, is ending soon or is cancelled). At most WATCHLIST_MAX per user, enforced without a race:
 * each watch locks its user's row first, so two at once count one after the other.
 */
import { and, count, desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { lockUserForCount } from '../../db/user-lock.js';
import { auctions, watchlist } from '../../db/schema.js';
import { decodeKeyset, encodeKeyset, micros, pastKeyset } from '../auctions/cursor.js';
import { isAuctionId } from '../auctions/ids.js';
import { bidderIdsShownTo } from '../../domain/bidder-privacy.js';
import { presentLive } from '../auctions/my-auctions.js';
import { withBidderIdsShown } from '../auctions/presenter.js';
import { auctionRowColumns } from '../auctions/rules.js';
import type { AuctionDeps } from '../auctions/service.js';
import { AppError, notFound } from '../errors.js';
import type { WatchlistPage } from './responses.js';

export const WATCHLIST_MAX = 1000;

async function auctionExists(db: Pick<Database, 'select'>, auctionId: string): Promise<boolean> {
  if (!isAuctionId(auctionId)) return false;
  const [row] = await db.select({ id: auctions.id }).from(auctions).where(eq(auctions.id, auctionId));
  return row !== undefined;
}

/** Idempotent: watching an auction already watched changes nothing (and is allowed on a full list). */
export async function watch(db: Database, userId: string, auctionId: string): Promise<void> {
  if (!isAuctionId(auctionId)) throw notFound('auction');
  await db.transaction(async (tx) => {
    if (!(await auctionExists(tx, auctionId))) throw notFound('auction');
    await lockUserForCount(tx, userId);
    const mine = eq(watchlist.userId, userId);
    const [already] = await tx
      .select({ auctionId: watchlist.auctionId })
      .from(watchlist)
      .where(and(mine, eq(watchlist.auctionId, auctionId)));
    if (already) return;
    const [{ watched } = { watched: 0 }] = await tx.select({ watched: count() }).from(watchlist).where(mine);
    if (watched >= WATCHLIST_MAX) {
      throw new AppError(409, 'WATCHLIST_FULL', `A watchlist holds at most ${WATCHLIST_MAX} auctions`, {
        max: WATCHLIST_MAX,
      });
    }
    await tx.insert(watchlist).values({ userId, auctionId }).onConflictDoNothing();
  });
}

/** Idempotent: an auction not on the list is already unwatched. An unknown auction is a 404, as on PUT. */
export async function unwatch(db: Database, userId: string, auctionId: string): Promise<void> {
  if (!(await auctionExists(db, auctionId))) throw notFound('auction');
  await db.delete(watchlist).where(and(eq(watchlist.userId, userId), eq(watchlist.auctionId, auctionId)));
}

/**
 * Newest watched first, each auction with its live state; a keyset on (watched at, auction id). A watcher
 * sees its bidders as any viewer would (domain/bidder-privacy.ts): by alias, by id only when entitled.
 */
export async function listWatchlist(
  deps: Pick<AuctionDeps, 'db' | 'store' | 'isAdmin'>,
  userId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<WatchlistPage> {
  const watchedMicros = micros(watchlist.createdAt);
  const rows = await deps.db
    .select({ row: auctionRowColumns, watchedAt: watchlist.createdAt, watchedMicros })
    .from(watchlist)
    .innerJoin(auctions, eq(auctions.id, watchlist.auctionId))
    .where(
      and(eq(watchlist.userId, userId), pastKeyset(decodeKeyset(query.cursor), watchedMicros, watchlist.auctionId)),
    )
    .orderBy(desc(watchlist.createdAt), desc(watchlist.auctionId))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const viewer = { userId, admin: page.length > 0 && (await deps.isAdmin(userId)) };
  const items = await Promise.all(
    page.map(async ({ row, watchedAt }) => ({
      ...withBidderIdsShown(await presentLive(deps, row), bidderIdsShownTo(viewer, row.sellerId)),
      watchedAt: watchedAt.toISOString(),
    })),
  );
  const last = page[page.length - 1];
  const more = rows.length > query.limit && last;
  return { items, nextCursor: more ? encodeKeyset({ micros: last.watchedMicros, id: last.row.id }) : null };
}

/** How many users watch an auction: a count on the index on watchlist(auction_id). */
export async function watchersOf(db: Database, auctionId: string): Promise<number> {
  const [row] = await db.select({ watchers: count() }).from(watchlist).where(eq(watchlist.auctionId, auctionId));
  return row?.watchers ?? 0;
}

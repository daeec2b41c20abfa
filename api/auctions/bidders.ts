/**
 * GET /v1/auctions/:id/bidders: who bids on an auction, by account, for its seller (and admins). The
 * bidder book (Redis) is the live truth of each bidder's alias, their bids that count and whether they
 * retracted here; the persisted bids add the bidders the book never had (on an auction that took bids
 * before the book existed) and stand in for it if Redis no longer has the auction. Names come from the
 * accounts, and each bidder's own retractions in the last 6 months from bid_retractions.
 */
import { and, eq, inArray, min, sql } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { bidRetractions, bids, users } from '../../db/schema.js';
import { aliasName } from '../../domain/bidder-alias.js';
import type { AuctionBidder, AuctionBidderList } from './responses.js';
import { recentRetractionsOf } from './retractions.js';
import type { AuctionDeps } from './service.js';

interface Standing {
  alias: number | null;
  bidCount: number;
  retracted: boolean;
}

/** Each bidder's standing as Postgres has it (a persist cycle behind Redis). */
async function persistedStanding(db: Database, auctionId: string): Promise<Map<string, Standing>> {
  const [placed, retracting] = await Promise.all([
    db
      .select({
        bidderId: bids.bidderId,
        alias: min(bids.bidderAlias),
        // Bids taken back no longer count, as in the auction's own bid count.
        bidCount: sql<number>`count(*) FILTER (WHERE ${bids.retractedBySeq} IS NULL)`.mapWith(Number),
      })
      .from(bids)
      .where(eq(bids.auctionId, auctionId))
      .groupBy(bids.bidderId),
    db
      .selectDistinct({ bidderId: bidRetractions.bidderId })
      .from(bidRetractions)
      .where(and(eq(bidRetractions.auctionId, auctionId), eq(bidRetractions.mode, 'retract'))),
  ]);
  const retracted = new Set(retracting.map((row) => row.bidderId));
  return new Map(
    placed.map((row) => [
      row.bidderId,
      { alias: row.alias, bidCount: row.bidCount, retracted: retracted.has(row.bidderId) },
    ]),
  );
}

export async function listBidders(
  deps: Pick<AuctionDeps, 'db' | 'store'>,
  auctionId: string,
  nowMs = Date.now(),
): Promise<AuctionBidderList> {
  const [book, standing] = await Promise.all([deps.store.readBook(auctionId), persistedStanding(deps.db, auctionId)]);
  for (const [bidderId, entry] of book.bidders) {
    standing.set(bidderId, { alias: entry.alias, bidCount: entry.bids, retracted: entry.retracted });
  }
  const ids = [...standing.keys()];
  const [accounts, retractions] = await Promise.all([
    ids.length === 0
      ? []
      : deps.db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids)),
    recentRetractionsOf(deps.db, ids, nowMs),
  ]);
  const names = new Map(accounts.map((account) => [account.id, account.displayName]));
  const items: AuctionBidder[] = [...standing]
    .sort(([idA, a], [idB, b]) => (a.alias ?? Infinity) - (b.alias ?? Infinity) || idA.localeCompare(idB))
    .map(([bidderId, { alias, bidCount, retracted }]) => ({
      bidderAlias: aliasName(alias),
      bidderId,
      displayName: names.get(bidderId) ?? '',
      bidCount,
      retracted,
      recentRetractions: retractions.get(bidderId) ?? 0,
    }));
  return { items };
}

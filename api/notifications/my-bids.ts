/**
 * GET /v1/users/me/bids: the auctions a user bid on, one item each, latest bid first, from the
 * persisted bids (Postgres, by the index on bids(bidder_id)). What it shows of the bidder's maxima is
 * theirs alone: every row read is the caller's own. Live auctions show their live state from Redis.
 */
import { and, desc, eq, inArray, max, sql } from 'drizzle-orm';
import { auctions, bids } from '../../db/schema.js';
import { decodeKeyset, encodeKeyset, micros, pastKeyset } from '../auctions/cursor.js';
import { liveStateOf } from '../auctions/my-auctions.js';
import { presentAuction } from '../auctions/presenter.js';
import { auctionRowColumns, type AuctionRow } from '../auctions/rules.js';
import type { AuctionDeps } from '../auctions/service.js';
import type { MyBid, MyBidPage } from './responses.js';
import type { MyBidsQuery } from './schemas.js';

const STATUSES = { active: ['scheduled', 'open'], ended: ['closed', 'cancelled'] } as const;

const isEnded = (row: AuctionRow) => row.status === 'closed' || row.status === 'cancelled';

export async function listMyBids(
  deps: Pick<AuctionDeps, 'db' | 'store'>,
  bidderId: string,
  query: MyBidsQuery,
): Promise<MyBidPage> {
  // Aliases of their own: an unqualified `bid_count` would be ambiguous beside auctions.bid_count.
  const mine = deps.db
    .select({
      auctionId: bids.auctionId,
      lastBidAt: max(bids.placedAt).as('my_last_bid_at'),
      myMaximum: max(bids.maxAmount).as('my_maximum'),
      bidCount: sql<number>`count(*)::int`.as('my_bid_count'),
    })
    .from(bids)
    .where(eq(bids.bidderId, bidderId))
    .groupBy(bids.auctionId)
    .as('mine');
  const lastMicros = micros(mine.lastBidAt);
  const rows = await deps.db
    .select({
      row: auctionRowColumns,
      lastBidAt: mine.lastBidAt,
      lastMicros,
      myMaximum: mine.myMaximum,
      bidCount: mine.bidCount,
    })
    .from(mine)
    .innerJoin(auctions, eq(auctions.id, mine.auctionId))
    .where(
      and(
        query.status && inArray(auctions.status, [...STATUSES[query.status]]),
        pastKeyset(decodeKeyset(query.cursor), lastMicros, auctions.id),
      ),
    )
    .orderBy(desc(mine.lastBidAt), desc(auctions.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items = await Promise.all(
    page.map(async ({ row, lastBidAt, myMaximum, bidCount }): Promise<MyBid> => {
      const live = await liveStateOf(deps, row);
      const { id, title, status, currentPrice, minimumNextBid, endsAt, currency } = presentAuction(row, live);
      return {
        auction: { id, title, status, currentPrice, minimumNextBid, endsAt, currency },
        myMaximum: myMaximum!, // max() over at least one bid: never null
        leading: (live ? live.state.leaderId : row.leaderId) === bidderId,
        bidCount,
        lastBidAt: lastBidAt!.toISOString(),
        won: isEnded(row) ? row.outcome === 'sold' && row.winnerId === bidderId : null,
      };
    }),
  );
  const last = page[page.length - 1];
  const more = rows.length > query.limit && last;
  return { items, nextCursor: more ? encodeKeyset({ micros: last.lastMicros, id: last.row.id }) : null };
}

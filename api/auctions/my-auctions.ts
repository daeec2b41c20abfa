/**
 * GET /v1/users/me/auctions: a seller's own auctions, all of them, newest first, from Postgres. The
 * listing (GET /v1/auctions) shows ended auctions only for DISCOVERY_ENDED_LISTED_DAYS; a seller's
 * history goes further back, and rows that no longer change page exactly with a keyset on
 * (created_at, id). Live auctions show their live state from Redis, as GET /v1/auctions/:id does.
 */
import { and, desc, eq } from 'drizzle-orm';
import { auctions } from '../../db/schema.js';
import type { LiveBidding } from '../../lua/bidding-store.js';
import { decodeKeyset, encodeKeyset, micros, pastKeyset } from './cursor.js';
import { presentAuction } from './presenter.js';
import type { AuctionPage } from './responses.js';
import { auctionRowColumns, type AuctionRow } from './rules.js';
import type { AuctionDeps } from './service.js';

export async function listMyAuctions(
  deps: Pick<AuctionDeps, 'db' | 'store'>,
  sellerId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<AuctionPage> {
  const createdMicros = micros(auctions.createdAt);
  const position = pastKeyset(decodeKeyset(query.cursor), createdMicros, auctions.id);
  const rows = await deps.db
    .select({ ...auctionRowColumns, createdMicros })
    .from(auctions)
    .where(and(eq(auctions.sellerId, sellerId), position))
    .orderBy(desc(auctions.createdAt), desc(auctions.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items = await Promise.all(page.map(({ createdMicros: _, ...row }) => presentLive(deps, row)));
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeKeyset({ micros: last.createdMicros, id: last.id }) : null,
  };
}

/** A closed or cancelled auction's row is final; only a live one has a fresher state in Redis. */
export async function liveStateOf(deps: Pick<AuctionDeps, 'store'>, row: AuctionRow): Promise<LiveBidding | null> {
  if (row.status !== 'scheduled' && row.status !== 'open') return null;
  return deps.store.readLive(row.id);
}

/**
 * The auction as GET /v1/auctions/:id shows it, from its row and, while live, its Redis state; whole,
 * every bidder id in it (a seller's own auctions show them; others: withBidderIdsShown).
 */
export const presentLive = async (deps: Pick<AuctionDeps, 'store'>, row: AuctionRow) =>
  presentAuction(row, await liveStateOf(deps, row));

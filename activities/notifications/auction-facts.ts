/** What every notification about an auction says of it, read once per fan-out from its row. */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { auctions } from '../../db/schema.js';
import { minimumNextBid } from '../../domain/increments.js';

export interface AuctionFacts {
  id: string;
  title: string;
  currency: string;
  sellerId: string;
  startingPrice: number;
  /** As of the last persisted bid. */
  currentPrice: number;
  minimumNextBid: number;
  endsAt: string;
  outcome: 'sold' | 'unsold' | 'reserve_not_met' | null;
  winnerId: string | null;
  finalPrice: number | null;
  cancelReason: string | null;
}

export async function readAuctionFacts(db: Database, auctionId: string): Promise<AuctionFacts | null> {
  const [row] = await db.select().from(auctions).where(eq(auctions.id, auctionId));
  if (!row) return null;
  const price = row.currentPrice ?? row.startingPrice;
  return {
    id: row.id,
    title: row.title,
    currency: row.currency,
    sellerId: row.sellerId,
    startingPrice: row.startingPrice,
    currentPrice: price,
    minimumNextBid: minimumNextBid({ price, bidCount: row.bidCount }, row),
    endsAt: row.endsAt.toISOString(),
    outcome: row.outcome,
    winnerId: row.winnerId,
    finalPrice: row.finalPrice,
    cancelReason: row.cancelReason,
  };
}

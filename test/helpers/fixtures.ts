/** Rows the tests need, written through drizzle like the app writes them. */
import { rulesOf, type AuctionRow } from '../../api/auctions/rules.js';
import type { Database } from '../../db/pool.js';
import { auctions, users } from '../../db/schema.js';
import type { BiddingStore } from '../../lua/bidding-store.js';

let counter = 0;

export async function insertUser(db: Database, name = `user${++counter}`) {
  const [user] = await db
    .insert(users)
    .values({ email: `${name}-${Date.now()}@example.test`, displayName: name, passwordHash: null })
    .returning();
  return user!;
}

export async function insertAuction(db: Database, sellerId: string, startsAt: Date, endsAt: Date) {
  const [auction] = await db
    .insert(auctions)
    .values({ sellerId, title: 'A test lot', startingPrice: 1000, startsAt, endsAt })
    .returning();
  return auction!;
}

/** The auction's bidding state in Redis, as the API creates it beside the row. */
export const openBidding = (store: BiddingStore, auction: AuctionRow) =>
  store.initAuction(auction.id, rulesOf(auction), auction.startsAt.getTime(), auction.endsAt.getTime(), {
    buyersPremiumBps: auction.buyersPremiumBps,
  });

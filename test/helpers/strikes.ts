/** Unpaid strikes written straight to Postgres, as the worker's expireOrder leaves them. */
import type { Database } from '../../db/pool.js';
import { orders, unpaidStrikes } from '../../db/settlement-schema.js';
import { insertAuction, insertUser } from './fixtures.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const daysAgo = (days: number, nowMs = Date.now()) => new Date(nowMs - days * DAY_MS);

/**
 * An order of `buyerId`'s that expired unpaid at `struckAt`, and its strike: each on an auction of its
 * own (an auction makes one order at its close), sold by a new seller.
 */
export async function insertStrike(db: Database, buyerId: string, struckAt: Date): Promise<void> {
  const seller = await insertUser(db, 'strike-seller');
  const endedAt = new Date(struckAt.getTime() - 3 * DAY_MS);
  const auction = await insertAuction(db, seller.id, new Date(endedAt.getTime() - DAY_MS), endedAt);
  const [order] = await db
    .insert(orders)
    .values({
      auctionId: auction.id,
      kind: 'auction',
      buyerId,
      sellerId: seller.id,
      hammerPrice: 1000,
      buyersPremium: 0,
      total: 1000,
      currency: 'USD',
      status: 'expired',
      payBy: struckAt,
      closedAt: struckAt,
      createdAt: endedAt,
    })
    .returning({ id: orders.id });
  await db.insert(unpaidStrikes).values({ orderId: order!.id, userId: buyerId, struckAt });
}

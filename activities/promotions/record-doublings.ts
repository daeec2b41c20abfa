/**
 * The persist cycle's part for the promoter's doublings: each stream entry becomes one bid_doublings row
 * (the auction's history, the SSE replay and the order's subsidy read it) and one `bid_doubled`
 * notification to the lucky bidder, keyed by the entry's seq, so a repeated batch writes neither twice.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { bidDoublings } from '../../db/schema.js';
import { increment } from '../../domain/increments.js';
import { doublingKey } from '../../domain/notifications/dedupe-keys.js';
import type { NotificationData } from '../../domain/notifications/types.js';
import type { StreamDoubling, StreamEntry } from '../../lua/bidding-store.js';
import { readAuctionFacts } from '../notifications/auction-facts.js';
import type { NotificationPipeline } from '../notifications/pipeline.js';

export async function recordDoublings(
  db: Database,
  notifications: NotificationPipeline | null,
  auctionId: string,
  batch: readonly StreamEntry[],
): Promise<void> {
  const doublings = batch.filter((entry): entry is StreamDoubling => entry.type === 'doubling');
  if (doublings.length === 0) return;
  await db
    .insert(bidDoublings)
    .values(
      doublings.map((entry) => ({
        auctionId,
        seq: entry.seq,
        bidderId: entry.bidderId,
        bidderAlias: entry.bidderAlias,
        fromMax: entry.fromMax,
        toMax: entry.toMax,
        priceAfter: entry.amount,
        bidCountAfter: entry.bidCount,
        promotionId: entry.promotionId,
        firingId: entry.firingId,
        doubledAt: new Date(entry.placedAtMs),
      })),
    )
    .onConflictDoNothing();
  if (!notifications) return;
  const facts = await readAuctionFacts(db, auctionId);
  if (!facts) return;
  const rows = doublings.map((entry) => {
    const data: NotificationData = {
      title: facts.title,
      currency: facts.currency,
      currentPrice: entry.amount,
      minimumNextBid: entry.amount + increment(entry.amount),
      endsAt: new Date(entry.endsAtMs).toISOString(),
      ownMaximum: entry.fromMax,
      doubledMaximum: entry.toMax,
    };
    return sql`(${entry.bidderId}::uuid, 'bid_doubled', ${auctionId}::uuid, ${doublingKey(auctionId, entry.seq)}, ${JSON.stringify(data)}::jsonb)`;
  });
  await notifications.deliver(
    sql`SELECT * FROM (VALUES ${sql.join(rows, sql`, `)}) AS r(user_id, type, auction_id, dedupe_key, data)`,
  );
}

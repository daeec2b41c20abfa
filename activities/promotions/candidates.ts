/**
 * What a firing may choose from: the live auctions in the promotion's scope and currency that it has not
 * doubled on maxPerAuction times yet, each with its bidders who hold a live maximum not doubled already
 * (read from the bidder books in Redis, where bidding is decided).
 */
import { and, count, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { auctions, promotionFirings, promotions } from '../../db/schema.js';
import type { CandidateAuction } from '../../domain/promotions/strategies.js';
import type { BiddingStore } from '../../lua/bidding-store.js';

/** Enough choice for any promotion; the ones ending soonest first, where a doubling matters most. */
const MAX_CANDIDATE_AUCTIONS = 200;

export async function findCandidates(
  db: Database,
  store: BiddingStore,
  promotion: typeof promotions.$inferSelect,
): Promise<CandidateAuction[]> {
  const now = new Date();
  const scope = [
    inArray(auctions.status, ['scheduled', 'open']),
    lte(auctions.startsAt, now),
    gt(auctions.endsAt, now),
    eq(auctions.currency, promotion.currency),
    promotion.category === null ? undefined : eq(auctions.category, promotion.category),
    promotion.auctionId === null ? undefined : eq(auctions.id, promotion.auctionId),
  ];
  const doubledHere = db
    .select({ auctionId: promotionFirings.auctionId, times: count().as('times') })
    .from(promotionFirings)
    .where(and(eq(promotionFirings.promotionId, promotion.id), eq(promotionFirings.outcome, 'doubled')))
    .groupBy(promotionFirings.auctionId)
    .as('doubled_here');
  const rows = await db
    .select({ id: auctions.id })
    .from(auctions)
    .leftJoin(doubledHere, eq(doubledHere.auctionId, auctions.id))
    .where(and(...scope, sql`COALESCE(${doubledHere.times}, 0) < ${promotion.maxPerAuction}`))
    .orderBy(auctions.endsAt, auctions.id)
    .limit(MAX_CANDIDATE_AUCTIONS);
  return Promise.all(
    rows.map(async ({ id }) => {
      const book = await store.readBook(id);
      const bidders = [...book.bidders]
        .filter(([, entry]) => entry.live !== null && entry.promotedFrom === null)
        .map(([bidderId, entry]) => ({ bidderId, alias: entry.alias, max: entry.live!.max }));
      return { auctionId: id, bidders };
    }),
  );
}

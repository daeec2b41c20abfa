/**
 * The subsidy an auction's order carries when its buyer won with a doubled maximum: read from the
 * auction's persisted history (the close drains the stream before the order opens), inside the order's
 * own transaction.
 */
import { and, desc, eq, gt } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { bidDoublings, bidRetractions, bids } from '../../db/schema.js';
import { orderSubsidy, type WinningDoubling } from '../../domain/promotions/subsidy.js';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export async function subsidyForOrder(
  tx: Transaction,
  input: { auctionId: string; buyerId: string; hammerPrice: number; buyersPremiumBps: number },
): Promise<ReturnType<typeof orderSubsidy>> {
  const [doubling] = await tx
    .select({ seq: bidDoublings.seq, fromMax: bidDoublings.fromMax, firingId: bidDoublings.firingId })
    .from(bidDoublings)
    .where(and(eq(bidDoublings.auctionId, input.auctionId), eq(bidDoublings.bidderId, input.buyerId)))
    .orderBy(desc(bidDoublings.seq))
    .limit(1);
  let winning: WinningDoubling | null = null;
  if (doubling) {
    const after = { auctionId: input.auctionId, bidderId: input.buyerId, seq: doubling.seq };
    const [laterBid] = await tx.select({ seq: bids.seq }).from(bids).where(laterThan(bids, after)).limit(1);
    const [laterRetraction] = await tx
      .select({ seq: bidRetractions.seq })
      .from(bidRetractions)
      .where(laterThan(bidRetractions, after))
      .limit(1);
    winning = {
      fromMax: doubling.fromMax,
      firingId: doubling.firingId,
      supersededAfter: laterBid !== undefined || laterRetraction !== undefined,
    };
  }
  return orderSubsidy(winning, input.hammerPrice, input.buyersPremiumBps);
}

const laterThan = (
  table: typeof bids | typeof bidRetractions,
  after: { auctionId: string; bidderId: string; seq: number },
) => and(eq(table.auctionId, after.auctionId), eq(table.bidderId, after.bidderId), gt(table.seq, after.seq));

/** What a promotion has committed of its budget now (domain/promotions/firing.ts, committedOf), from its doublings. */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { auctions, orders, promotionFirings } from '../../db/schema.js';
import { committedOf } from '../../domain/promotions/firing.js';

type Reader = Pick<Database, 'select'>;

export async function committedBudget(db: Reader, promotionId: string): Promise<number> {
  const rows = await db
    .select({
      firingId: promotionFirings.id,
      exposure: promotionFirings.exposure,
      auctionStatus: auctions.status,
      auctionOutcome: auctions.outcome,
      houseSubsidy: orders.houseSubsidy,
      promotionFiringId: orders.promotionFiringId,
      orderId: orders.id,
    })
    .from(promotionFirings)
    .innerJoin(auctions, eq(auctions.id, promotionFirings.auctionId))
    .leftJoin(orders, and(eq(orders.auctionId, promotionFirings.auctionId), eq(orders.kind, 'auction')))
    .where(and(eq(promotionFirings.promotionId, promotionId), eq(promotionFirings.outcome, 'doubled')));
  return committedOf(
    rows.map((row) => ({
      firingId: row.firingId,
      exposure: row.exposure,
      auctionStatus: row.auctionStatus,
      auctionOutcome: row.auctionOutcome,
      order:
        row.orderId === null ? null : { houseSubsidy: row.houseSubsidy!, promotionFiringId: row.promotionFiringId },
    })),
  );
}

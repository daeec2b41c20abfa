/** A seller's payouts: what each paid order owes them. Newest first; a keyset on (created at, order id). */
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/pool.js';
import { orders, payouts } from '../../db/settlement-schema.js';
import { decodeKeyset, encodeKeyset, micros, pastKeyset } from '../auctions/cursor.js';
import type { z } from 'zod';
import type { payoutPage } from './responses.js';

export async function listPayouts(
  db: Database,
  sellerId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<z.infer<typeof payoutPage>> {
  const createdMicros = micros(payouts.createdAt);
  const rows = await db
    .select({ payout: payouts, auctionId: orders.auctionId, saleId: orders.saleId, createdMicros })
    .from(payouts)
    .innerJoin(orders, eq(orders.id, payouts.orderId))
    .where(and(eq(payouts.sellerId, sellerId), pastKeyset(decodeKeyset(query.cursor), createdMicros, payouts.orderId)))
    .orderBy(desc(payouts.createdAt), desc(payouts.orderId))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const more = rows.length > query.limit && last;
  return {
    items: page.map(({ payout, auctionId, saleId }) => ({
      orderId: payout.orderId,
      auctionId,
      saleId,
      hammerPrice: payout.hammerPrice,
      sellerFee: payout.sellerFee,
      amount: payout.amount,
      currency: payout.currency,
      status: payout.status,
      createdAt: payout.createdAt.toISOString(),
    })),
    nextCursor: more ? encodeKeyset({ micros: last.createdMicros, id: last.payout.orderId }) : null,
  };
}

/**
 * The claim log (`sale:{id}:log`) into Postgres: every hold Redis made, by a claim or for the waitlist,
 * becomes its order, awaiting payment until the hold's end. Inserts are ON CONFLICT DO NOTHING and
 * notices are deduplicated, so a copy repeated after a crash, or two running at once, writes each once.
 * Entries are trimmed only once their orders and notices are in: an entry is never lost half-copied.
 */
import { orders } from '../../db/settlement-schema.js';
import { saleTotal } from '../../domain/sales/sale.js';
import type { LoggedHold } from '../../lua/sale-store.js';
import { readSaleTerms, type SaleTerms } from './terms.js';
import type { SaleActivityDeps } from './index.js';
import { notifyWaitlistOffers } from './waitlist-offers.js';

const READ_BATCH = 500;

const orderOf = (saleId: string, terms: SaleTerms, hold: LoggedHold) => {
  const total = saleTotal(terms.price, hold.quantity);
  return {
    id: hold.orderId,
    saleId,
    kind: 'sale' as const,
    quantity: hold.quantity,
    buyerId: hold.userId,
    sellerId: terms.sellerId,
    hammerPrice: total,
    buyersPremium: 0,
    total,
    currency: terms.currency,
    // The hold is the payment window: a payment after it finds the order expired (and is refunded).
    payBy: new Date(hold.expiresAtMs),
    createdAt: new Date(hold.heldAtMs),
  };
};

/** Copies the log's entries after `afterSeq`; answers the highest seq now in Postgres. */
export async function copySaleLog(
  { db, saleStore, pipeline }: SaleActivityDeps,
  saleId: string,
  afterSeq: number,
): Promise<number> {
  let highWater = afterSeq;
  let terms: SaleTerms | undefined;
  for (;;) {
    const batch = await saleStore.readLog(saleId, highWater, READ_BATCH);
    if (batch.length === 0) break;
    terms ??= await readSaleTerms(db, saleId);
    const saleTerms = terms;
    await db
      .insert(orders)
      .values(batch.map((hold) => orderOf(saleId, saleTerms, hold)))
      .onConflictDoNothing();
    const offers = batch.filter((hold) => hold.fromWaitlist);
    if (offers.length > 0) await notifyWaitlistOffers(pipeline, saleId, terms, offers);
    highWater = batch[batch.length - 1]!.seq;
    if (batch.length < READ_BATCH) break;
  }
  if (highWater > 0) await saleStore.trimLog(saleId, highWater);
  return highWater;
}

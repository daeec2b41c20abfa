/**
 * How a flash sale's Postgres row lands in the listing read model (model-updates.ts does the
 * auctions'). A sale is listed as an item of kind 'sale' with the auction's keys where they mean the
 * same: its unit price is the price, its end the end (none: NO_END_MS, last when ending soonest), no
 * bids. Its phase is the status the indexes partition on (the same four words an auction's status has);
 * whether it is sold out is read from `available` when it is shown.
 */
import type { ListingReadModel } from './read-model.js';
import { NO_END_MS } from './listing-record.js';
import type { NewItem } from './model-updates.js';
import { addItem } from './model-updates.js';
import type { SaleListingRow, SaleStateRow } from './sale-source.js';

export const saleItemOf = (row: SaleListingRow): NewItem => ({
  fixed: {
    id: row.id,
    kind: 'sale',
    sellerId: row.sellerId,
    category: row.category,
    startsAtMs: row.startsAt.getTime(),
    createdAtMs: row.createdAt.getTime(),
    title: row.title,
    description: row.description,
    currency: row.currency,
    startingPrice: row.price,
    buyNowPrice: null,
    // A hold is the sale's payment window.
    paymentWindowSeconds: row.holdSeconds,
    buyersPremiumBps: 0,
    autoSecondChance: false,
    stock: row.stock,
  },
  bid: {
    seq: 0,
    price: row.price,
    bidCount: 0,
    leaderAlias: null,
    minimumNextBid: row.price,
    reserveMet: true,
    endsAtMs: row.endsAt?.getTime() ?? NO_END_MS,
  },
  status: row.phase,
  result: null,
  available: row.available,
});

/** A sale's row as a correction: a new sale joins at `addedAt`, a known one takes its phase and counts. */
export function applySaleRow(model: ListingReadModel, row: SaleListingRow, addedAt: number): void {
  if (model.get(row.id)) applySaleState(model, row);
  // A sale without an end that settled long ago is not kept: its row's last change is when it settled.
  else model.trackSettlement(addItem(model, saleItemOf(row), addedAt), row.updatedAt.getTime());
}

/**
 * A known sale's phase (forward only) and counts from its row, as a correction; false when the model
 * does not know it. The row's counts trail Redis by a persist cycle: the last writer wins, and the next
 * count note (a claim's, or the workflow's) corrects a count a moment old.
 */
export function applySaleState(model: ListingReadModel, row: SaleStateRow): boolean {
  const record = model.get(row.id);
  if (!record) return false;
  model.applyStatus(record, row.phase, null, null);
  model.applySaleCounts(record, row.available, null);
  return true;
}

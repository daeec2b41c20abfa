/**
 * How the two sources of the read model land in it: Postgres rows (the load and the reconcile, as
 * corrections) and feed entries (versioned). Both only move an auction forward: a newer bid seq, a
 * later status. So a row older than what a note already said (Postgres trails Redis by a persist
 * cycle) changes nothing, and neither does a note repeated or read twice.
 */
import type { AuctionResult } from '../../domain/auction-result.js';
import type { AuctionStatus } from '../../domain/auction-status.js';
import { minimumNextBid } from '../../domain/increments.js';
import { reserveMetByPrice } from '../../domain/public-bid-state.js';
import type { FeedEntry, ListingChange } from '../../lua/listing-feed.js';
import type { BidState, FixedFields } from './listing-record.js';
import type { ListingReadModel } from './read-model.js';
import type { ListingRow, StateRow } from './postgres-source.js';

const fixedOf = (row: ListingRow): FixedFields => ({
  id: row.id,
  kind: 'auction',
  sellerId: row.sellerId,
  category: row.category,
  startsAtMs: row.startsAt.getTime(),
  createdAtMs: row.createdAt.getTime(),
  title: row.title,
  description: row.description,
  currency: row.currency,
  startingPrice: row.startingPrice,
  buyNowPrice: row.buyNowPrice,
  paymentWindowSeconds: row.paymentWindowSeconds,
  buyersPremiumBps: row.buyersPremiumBps,
  autoSecondChance: row.autoSecondChance,
  stock: 1,
});

/** The row's copy of the bidding state (written by the persist activity), in the bid script's terms. */
function bidStateOf(row: StateRow): BidState {
  const state = { price: row.currentPrice ?? row.startingPrice, bidCount: row.bidCount };
  return {
    ...state,
    seq: row.biddingSeq,
    leaderAlias: row.leaderAlias,
    minimumNextBid: minimumNextBid(state, row),
    reserveMet: reserveMetByPrice(state, row),
    endsAtMs: row.endsAt.getTime(),
  };
}

const resultOf = (row: StateRow): AuctionResult | null =>
  row.outcome === null
    ? null
    : {
        outcome: row.outcome,
        winnerId: row.winnerId,
        finalPrice: row.finalPrice,
        ...(row.orderId === null ? {} : { orderId: row.orderId }),
      };

/** What the model needs to add an item, from an auction's row or a sale's (sale-updates.ts). */
export interface NewItem {
  fixed: FixedFields;
  bid: BidState;
  status: AuctionStatus;
  result: AuctionResult | null;
  available: number;
}

export const auctionItemOf = (row: ListingRow): NewItem => ({
  fixed: fixedOf(row),
  bid: bidStateOf(row),
  status: row.status,
  result: resultOf(row),
  available: 1,
});

export const addItem = (model: ListingReadModel, item: NewItem, addedAt: number) =>
  model.add(item.fixed, item.bid, item.status, item.result, addedAt, item.available);

/**
 * A row as a correction: a new auction joins at `addedAt` (0 at the load: it was always there), a
 * known one takes whatever in the row is ahead of the model.
 */
export function applyRow(model: ListingReadModel, row: ListingRow, addedAt: number): void {
  if (model.get(row.id)) applyState(model, row);
  else addItem(model, auctionItemOf(row), addedAt);
}

/** A known auction's state from its row, as a correction; false when the model does not know it. */
export function applyState(model: ListingReadModel, row: StateRow): boolean {
  const record = model.get(row.id);
  if (!record) return false;
  model.applyBid(record, { ...bidStateOf(row), status: row.status }, null);
  model.applyStatus(record, row.status, resultOf(row), null);
  return true;
}

/** The auctions a batch of entries creates that the model does not have yet (their rows are needed). */
export const createdIdsIn = (entries: FeedEntry[], model: ListingReadModel): string[] => [
  ...new Set(
    entries.flatMap((entry) =>
      (entry.changes ?? []).filter((c) => c.kind === 'created' && !model.get(c.id)).map((c) => c.id),
    ),
  ),
];

/**
 * One feed entry, at its version. A note about an auction the model does not know is about another
 * deployment's database sharing this Redis (or a row since deleted): there is nothing to change.
 */
export function applyEntry(model: ListingReadModel, entry: FeedEntry, created: Map<string, NewItem>): void {
  for (const change of entry.changes ?? []) applyChange(model, change, entry.version, created);
  model.version = Math.max(model.version, entry.version);
}

function applyChange(
  model: ListingReadModel,
  change: ListingChange,
  version: number,
  created: Map<string, NewItem>,
): void {
  const record = model.get(change.id);
  if (change.kind === 'created') {
    const item = created.get(change.id);
    if (!record && item) addItem(model, item, version);
    return;
  }
  if (!record) return;
  if (change.kind === 'bid') model.applyBid(record, change, version);
  else if (change.kind === 'saleCounts') model.applySaleCounts(record, change.available, change.version);
  else model.applyStatus(record, change.status, change.result, version);
}

/**
 * One auction as the listing read model holds it: everything a listing shows, filters and sorts on,
 * plus the bookkeeping that lets a cursor read the order as it stood when its first page was read.
 */
import type { AuctionResult } from '../../domain/auction-result.js';
import type { AuctionStatus } from '../../domain/auction-status.js';
import type { AuctionCategory } from '../../domain/categories.js';

/** What a listing item is: an auction, or a flash sale (docs/sales.md, "In the listing"). */
export const LISTING_KINDS = ['auction', 'sale'] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

/**
 * The ending key of a sale without an end (open until sold out or cancelled): later than any real end
 * (the largest Date), so "ending soonest" lists it last and an ending range never includes it.
 */
export const NO_END_MS = 8.64e15;

/** What moves (bids, soft close, status) among the fields a listing orders and filters by. */
export interface ListingState {
  price: number;
  bidCount: number;
  endsAtMs: number;
  status: AuctionStatus;
}

/** What a listing orders and filters by: the moving state and the fixed keys. */
export interface Listed extends ListingState {
  readonly id: string;
  readonly kind: ListingKind;
  readonly sellerId: string;
  readonly category: AuctionCategory | null;
  readonly startsAtMs: number;
  readonly createdAtMs: number;
}

/** A state the auction had until the feed entry of version `until` replaced it. */
export interface PastState extends ListingState {
  until: number;
}

/**
 * The public bidding state, as the bid script answers it (or as derived from a Postgres row). The leader
 * by alias only: the listing is public, so it never shows a bidder's account id (docs/api.md).
 */
export interface BidState {
  seq: number;
  price: number;
  bidCount: number;
  /** The leader's alias number (domain/bidder-alias.ts); null when no one leads. */
  leaderAlias: number | null;
  minimumNextBid: number;
  reserveMet: boolean;
  endsAtMs: number;
}

export interface ListingRecord extends Listed, BidState {
  readonly title: string;
  readonly description: string;
  readonly currency: string;
  readonly startingPrice: number;
  readonly buyNowPrice: number | null;
  readonly paymentWindowSeconds: number;
  readonly buyersPremiumBps: number;
  readonly autoSecondChance: boolean;
  /** A sale's units in all (an auction: 1). */
  readonly stock: number;
  /**
   * A sale's units anyone may claim now, as the last note or row said (an auction: 1). It orders
   * nothing, so it changes without a history entry.
   */
  available: number;
  result: AuctionResult | null;
  /** Counts the record's changes: what a cached rendering of it (item-json.ts) was made from. */
  revision: number;
  /** The feed version from which listings may show it (earlier snapshots did not have it). */
  addedAt: number;
  /** The feed version of its last change: the change list (below) is ordered by it. */
  changedAt: number;
  /** Its states before each change, oldest first, kept as long as a cursor may ask for them (null: none). */
  history: PastState[] | null;
  /** Neighbours in the model's change list (least recently changed first). */
  older: ListingRecord | null;
  newer: ListingRecord | null;
}

/** The fixed part of a record, from its Postgres row. */
export type FixedFields = Pick<
  ListingRecord,
  | 'id'
  | 'kind'
  | 'sellerId'
  | 'category'
  | 'startsAtMs'
  | 'createdAtMs'
  | 'title'
  | 'description'
  | 'currency'
  | 'startingPrice'
  | 'buyNowPrice'
  | 'paymentWindowSeconds'
  | 'buyersPremiumBps'
  | 'autoSecondChance'
  | 'stock'
>;

/** Statuses only move forward: scheduled, open, then one of the two ends. */
const STATUS_RANK: Record<AuctionStatus, number> = { scheduled: 0, open: 1, closed: 2, cancelled: 2 };

export const isLaterStatus = (from: AuctionStatus, to: AuctionStatus) => STATUS_RANK[to] > STATUS_RANK[from];

export const isFinalStatus = (status: AuctionStatus) => STATUS_RANK[status] === 2;

export const stateOf = (record: ListingState): ListingState => ({
  price: record.price,
  bidCount: record.bidCount,
  endsAtMs: record.endsAtMs,
  status: record.status,
});

/**
 * The record as a listing sees it at snapshot `version`: its state then (from its history when it has
 * changed since), or null when the model did not have it yet.
 */
export function listedAt(record: ListingRecord, version: number): Listed | null {
  if (record.addedAt > version) return null;
  if (record.changedAt <= version) return record;
  const past = record.history && firstUntilAfter(record.history, version);
  if (!past) return record; // only corrected since (api/discovery/read-model.ts): no earlier state kept
  return {
    id: record.id,
    kind: record.kind,
    sellerId: record.sellerId,
    category: record.category,
    startsAtMs: record.startsAtMs,
    createdAtMs: record.createdAtMs,
    price: past.price,
    bidCount: past.bidCount,
    endsAtMs: past.endsAtMs,
    status: past.status,
  };
}

/** The first past state that lasted beyond `version` (the history is ordered by `until`). */
function firstUntilAfter(history: PastState[], version: number): PastState | undefined {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (history[mid]!.until <= version) lo = mid + 1;
    else hi = mid;
  }
  return history[lo];
}

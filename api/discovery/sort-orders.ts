/**
 * The listing's orders. Each is a total order: a key, then the auction id to break ties, so a cursor
 * (key, id) names one exact place. Orders that run high to low walk their index backwards, ids
 * included, which keeps one ascending index per key.
 */
import type { Listed } from './listing-record.js';

export const SORTS = ['ending_soonest', 'newest', 'price_asc', 'price_desc', 'most_bids'] as const;
export type SortName = (typeof SORTS)[number];

export type IndexName = 'ending' | 'created' | 'price' | 'bids';

export interface SortOrder {
  index: IndexName;
  /** 1: ascending key (and id); -1: descending. */
  direction: 1 | -1;
  key: (item: Listed) => number;
}

export const INDEX_KEYS: Record<IndexName, (item: Listed) => number> = {
  ending: (item) => item.endsAtMs,
  created: (item) => item.createdAtMs,
  price: (item) => item.price,
  bids: (item) => item.bidCount,
};

export const SORT_ORDERS: Record<SortName, SortOrder> = {
  ending_soonest: { index: 'ending', direction: 1, key: INDEX_KEYS.ending },
  newest: { index: 'created', direction: -1, key: INDEX_KEYS.created },
  price_asc: { index: 'price', direction: 1, key: INDEX_KEYS.price },
  price_desc: { index: 'price', direction: -1, key: INDEX_KEYS.price },
  most_bids: { index: 'bids', direction: -1, key: INDEX_KEYS.bids },
};

/** Ascending (key, id): how every index is kept. */
export const compareBy =
  (key: (item: Listed) => number) =>
  (a: Listed, b: Listed): number =>
    key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Where an item stands relative to a cursor position (key, id), in ascending (key, id) terms. */
export const probeAt =
  (key: (item: Listed) => number, at: { key: number; id: string }) =>
  (item: Listed): number =>
    key(item) - at.key || (item.id < at.id ? -1 : item.id > at.id ? 1 : 0);

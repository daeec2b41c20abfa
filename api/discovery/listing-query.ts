/**
 * One page of a listing, read from the model as it stood at a snapshot version (docs/decisions.md,
 * "Discovery"): the order and the membership of every page of a traversal are those of its first
 * page's version, whatever bids and new auctions came since, so pages neither repeat nor skip.
 *
 * Auctions not changed since the snapshot stand in the indexes where they stood then: they are read
 * by walking the index from the cursor. The few changed since (the model's change list says which)
 * are taken out of that walk and put back where they stood at the snapshot (their history says where).
 * A page costs a walk of about `limit` items, plus the auctions changed since the traversal began.
 */
import { statusAt, type AuctionStatus } from '../../domain/auction-status.js';
import type { AuctionCategory } from '../../domain/categories.js';
import { listedAt, type Listed, type ListingKind } from './listing-record.js';
import { partitionOf, type ListingReadModel, type Partition } from './read-model.js';
import { probeAt, SORT_ORDERS, type SortName, type SortOrder } from './sort-orders.js';

export interface ListingFilter {
  kind?: ListingKind | undefined;
  status?: AuctionStatus | undefined;
  sellerId?: string | undefined;
  category?: AuctionCategory | undefined;
  /** Inclusive, on the current price. */
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  /** Exclusive, epoch ms. */
  endingBeforeMs?: number | undefined;
  endingAfterMs?: number | undefined;
  /** Only these auctions (a full-text search's matches). */
  ids?: ReadonlySet<string> | undefined;
}

/** A place in an order: the sort key and id of the last item of the previous page. */
export interface Position {
  key: number;
  id: string;
}

export interface PageRequest {
  sort: SortName;
  filter: ListingFilter;
  limit: number;
  /** The snapshot: a feed version of the model. */
  asOf: number;
  /** The wall time of the first page: when a scheduled auction counts as open. */
  atMs: number;
  after?: Position | undefined;
}

export interface Page {
  /** As they stood at the snapshot (the model has their current state, by id). */
  items: Listed[];
  /** Where the next page starts; null on the last page. */
  next: Position | null;
}

export function readPage(model: ListingReadModel, request: PageRequest): Page {
  const order = SORT_ORDERS[request.sort];
  const wanted = request.limit + 1; // one more than the page: is there a next page?
  const keep = (item: Listed | null): item is Listed =>
    item !== null && matches(item, request.filter, request.atMs) && isAfter(order, request.after, item);
  const inOrder = directed(order);
  const small = smallCandidateSet(model, request.filter);
  let items: Listed[];
  if (small) {
    items = [...small].map((record) => listedAt(record, request.asOf)).filter(keep);
    items.sort(inOrder);
  } else {
    const changed = model.changedSince(request.asOf);
    const moved = changed.map((record) => listedAt(record, request.asOf)).filter(keep);
    moved.sort(inOrder);
    const skip = changed.length > 0 ? new Set<Listed>(changed) : null;
    const walked = walkIndexes(model, order, request, wanted, (item) => !skip?.has(item));
    items = mergeSorted([...walked, moved], inOrder, wanted);
  }
  const page = items.slice(0, request.limit);
  const last = page[page.length - 1];
  return { items: page, next: items.length > request.limit && last ? { key: order.key(last), id: last.id } : null };
}

/** A seller's auctions or a search's matches: few enough to read all of them rather than walk an index. */
function smallCandidateSet(model: ListingReadModel, filter: ListingFilter) {
  if (filter.ids) return [...filter.ids].flatMap((id) => model.get(id) ?? []);
  if (filter.sellerId) return model.ofSeller(filter.sellerId);
  return null;
}

function matches(item: Listed, filter: ListingFilter, atMs: number): boolean {
  if (filter.kind && item.kind !== filter.kind) return false;
  if (filter.status && statusAt(item.status, item.startsAtMs, atMs) !== filter.status) return false;
  if (filter.sellerId && item.sellerId !== filter.sellerId) return false;
  if (filter.category && item.category !== filter.category) return false;
  if (filter.minPrice !== undefined && item.price < filter.minPrice) return false;
  if (filter.maxPrice !== undefined && item.price > filter.maxPrice) return false;
  if (filter.endingBeforeMs !== undefined && item.endsAtMs >= filter.endingBeforeMs) return false;
  if (filter.endingAfterMs !== undefined && item.endsAtMs <= filter.endingAfterMs) return false;
  return !filter.ids || filter.ids.has(item.id);
}

const isAfter = (order: SortOrder, after: Position | undefined, item: Listed) =>
  !after || probeAt(order.key, after)(item) * order.direction > 0;

const directed =
  (order: SortOrder) =>
  (a: Listed, b: Listed): number =>
    (order.key(a) - order.key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) * order.direction;

/** The partitions a status filter reads: a scheduled auction past its start is listed as open. */
function partitionsFor(status: AuctionStatus | undefined): Partition[] {
  return status ? [partitionOf(status)] : ['live', 'final'];
}

/**
 * The first `wanted` matches of each partition's index of the order, each list in order: from the
 * cursor (or the start of the filter's key range, whichever is later) until the end of that range, so a
 * price or ending range on its own order is a seek, not a scan.
 */
function walkIndexes(
  model: ListingReadModel,
  order: SortOrder,
  request: PageRequest,
  wanted: number,
  unchanged: (item: Listed) => boolean,
): Listed[][] {
  const range = keyRange(order, request.filter);
  const cursor = request.after ? probeAt(order.key, request.after) : null;
  const d = order.direction;
  // An item is past the start when it is after the cursor and inside the range's near end.
  const started = (item: Listed) => {
    const key = order.key(item);
    const inside = d === 1 ? key >= range.min : key <= range.max;
    return inside && (!cursor || cursor(item) * d > 0);
  };
  const start = (item: Listed) => (started(item) ? d : -d);
  const ended = (item: Listed) => (d === 1 ? order.key(item) > range.max : order.key(item) < range.min);
  return partitionsFor(request.filter.status).map((partition) => {
    const found: Listed[] = [];
    model.index(partition, order.index, request.filter.category, request.filter.kind).forEach(d, start, (item) => {
      if (ended(item)) return false;
      if (unchanged(item) && matches(item, request.filter, request.atMs)) found.push(item);
      return found.length < wanted;
    });
    return found;
  });
}

/** The filter's bounds on the order's own key, inclusive (unbounded: ±Infinity). */
function keyRange(order: SortOrder, filter: ListingFilter): { min: number; max: number } {
  if (order.index === 'price') return { min: filter.minPrice ?? -Infinity, max: filter.maxPrice ?? Infinity };
  if (order.index === 'ending') {
    return {
      min: filter.endingAfterMs === undefined ? -Infinity : filter.endingAfterMs + 1,
      max: filter.endingBeforeMs === undefined ? Infinity : filter.endingBeforeMs - 1,
    };
  }
  return { min: -Infinity, max: Infinity };
}

/** The first `count` items of lists that are each in order, in order. */
function mergeSorted<T>(lists: T[][], compare: (a: T, b: T) => number, count: number): T[] {
  const merged: T[] = [];
  const at = lists.map(() => 0);
  while (merged.length < count) {
    let best = -1;
    for (let i = 0; i < lists.length; i += 1) {
      const candidate = lists[i]![at[i]!];
      if (candidate !== undefined && (best < 0 || compare(candidate, lists[best]![at[best]!]!) < 0)) best = i;
    }
    if (best < 0) break;
    merged.push(lists[best]![at[best]!]!);
    at[best]! += 1;
  }
  return merged;
}
